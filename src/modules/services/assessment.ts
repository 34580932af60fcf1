import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound, type FieldError } from '../../platform/http/problems';
import { canEditCatalogue, canReadCatalogue } from './policy';
import { STANDARD_PRINCIPLES, type PrincipleCode, type ServiceStatus } from './reference';
import { findService } from './store';
import type { AssessmentInput } from './schemas';

/**
 * Service standard self-assessment. Every principle is answered: met (1 point), partly (½),
 * not met (0) or not applicable (left out). A claim of "met" or "partly" needs an evidence note.
 *
 *   score = 100 × Σ points ÷ number of applicable principles   (one decimal; 0 if none apply)
 *   gaps  = principles answered "partly" or "not met"
 *
 * A municipality's score is the mean of its services' latest scores; its gaps per principle count
 * the services whose latest assessment has that principle as a gap.
 */
export type Answer = AssessmentInput['answers'][number];
const POINTS = { met: 1, partly: 0.5, 'not-met': 0 } as const;

export function scoreAssessment(answers: Answer[]) {
  const applicable = answers.filter((a) => a.answer !== 'not-applicable');
  const points = applicable.reduce((s, a) => s + POINTS[a.answer as keyof typeof POINTS], 0);
  const score = applicable.length ? Math.round((1000 * points) / applicable.length) / 10 : 0;
  const gaps = answers
    .filter((a) => a.answer === 'partly' || a.answer === 'not-met')
    .map((a) => ({ principle: a.principle, answer: a.answer }));
  return { score, gaps, applicable: applicable.length };
}

export function checkAnswers(answers: Answer[]) {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    if (seen.has(a.principle))
      errors.push({ pointer: `/body/answers/${i}/principle`, detail: `"${a.principle}" is answered twice` });
    seen.add(a.principle);
    if ((a.answer === 'met' || a.answer === 'partly') && !a.evidence?.trim())
      errors.push({
        pointer: `/body/answers/${i}/evidence`,
        detail: 'say what shows this (a link, a document, a measurement)',
      });
  });
  const missing = STANDARD_PRINCIPLES.map((p) => p.code).filter((c) => !seen.has(c));
  if (missing.length)
    errors.push({
      pointer: '/body/answers',
      detail: `every principle must be answered; missing: ${missing.join(', ')}`,
    });
  if (errors.length) throw invalid(errors);
}

export async function assessService(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  serviceId: string,
  input: AssessmentInput,
) {
  const editor = canEditCatalogue(actor, municipalityCode);
  checkAnswers(input.answers);
  const order = new Map(STANDARD_PRINCIPLES.map((p, i) => [p.code as string, i]));
  const answers = [...input.answers]
    .sort((a, b) => order.get(a.principle)! - order.get(b.principle)!)
    .map((a) => ({ ...a, evidence: a.evidence?.trim() || undefined }));
  const { score, gaps } = scoreAssessment(answers);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const service = await findService(trx, municipalityCode, serviceId);
    if (!service) throw notFound(`Service ${serviceId}`);
    const row = await trx
      .insertInto('service_assessment')
      .values({
        municipality_code: municipalityCode,
        service_id: serviceId,
        answers: JSON.stringify(answers),
        score,
        gaps: gaps.length,
        assessed_by: editor.personId,
      })
      .returning(['id', 'assessed_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'services.standard-assessed',
      subject: `service:${serviceId}`,
      details: { score, gaps: gaps.map((g) => g.principle) },
    });
    return { id: row.id, serviceId, score, gaps, answers, assessedAt: row.assessed_at.toISOString() };
  });
}

/** The latest assessment of one service (null if never assessed). */
export async function latestAssessment(ctx: AppContext, actor: Actor, municipalityCode: string, serviceId: string) {
  canReadCatalogue(actor, municipalityCode);
  const row = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    trx
      .selectFrom('service_assessment')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('service_id', '=', serviceId)
      .orderBy('assessed_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  if (!row) return null;
  const answers = row.answers as Answer[];
  return {
    id: row.id,
    serviceId,
    score: Number(row.score),
    gaps: scoreAssessment(answers).gaps,
    answers,
    assessedAt: row.assessed_at.toISOString(),
  };
}

/** Per municipality: every service with its latest score and gaps, the mean score and the gaps per principle. */
export async function assessmentReport(ctx: AppContext, actor: Actor, municipalityCode: string) {
  canReadCatalogue(actor, municipalityCode);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const r = await sql<{
      id: string;
      identifier: string;
      name_et: string;
      status: ServiceStatus;
      score: string | null;
      answers: Answer[] | null;
      assessed_at: Date | null;
    }>`
      SELECT s.id, s.identifier, s.name_et, s.status, a.score, a.answers, a.assessed_at
      FROM service s
      LEFT JOIN LATERAL (
        SELECT score, answers, assessed_at FROM service_assessment x
        WHERE x.municipality_code = s.municipality_code AND x.service_id = s.id
        ORDER BY assessed_at DESC LIMIT 1
      ) a ON true
      WHERE s.municipality_code = ${municipalityCode} AND s.status <> 'archived'
      ORDER BY s.name_et`.execute(trx);
    return r.rows;
  });
  const services = rows.map((r) => ({
    serviceId: r.id,
    identifier: r.identifier,
    name: r.name_et,
    status: r.status,
    score: r.score === null ? null : Number(r.score),
    gaps: r.answers ? scoreAssessment(r.answers).gaps.map((g) => g.principle) : [],
    assessedAt: r.assessed_at?.toISOString() ?? null,
  }));
  const assessed = services.filter((s) => s.score !== null);
  const gapsByPrinciple = STANDARD_PRINCIPLES.map((p) => ({
    principle: p.code as PrincipleCode,
    services: assessed.filter((s) => s.gaps.includes(p.code)).length,
  }));
  return {
    municipalityCode,
    services,
    assessedCount: assessed.length,
    serviceCount: services.length,
    meanScore: assessed.length
      ? Math.round((10 * assessed.reduce((s, x) => s + x.score!, 0)) / assessed.length) / 10
      : null,
    gapsByPrinciple,
  };
}
