import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { fieldError, invalid, notFound, Problem, type FieldError } from '../../platform/http/problems';
import { parseIdCode, idCodeError } from '../../platform/identity/personalIdCode';
import { upsertPerson } from '../../platform/auth/persons';
import type { ApiClient } from '../../platform/auth/apiKeys';
import { canReadNational, canReadSatisfaction, canTriggerSurveys } from './policy';
import { CHANNEL_TYPES, SATISFACTION_LEVELS, type SatisfactionLevel } from './reference';
import { P_SERVICES, R_SERVICES, chars } from './rules';

import type { AnswerInput, DeliveryInput, SatisfactionRow } from './schemas';

// ---------------------------------------------------------------------------------------------
// Formulas (docs/services.md, "Satisfaction")
// ---------------------------------------------------------------------------------------------

/** Sums over a set of answers; everything the figures are computed from. */
export interface Tally {
  answers: number;
  scoreSum: number;
  /** Answers 4 or 5. */
  top2: number;
  dist: [number, number, number, number, number];
  effortN: number;
  effortSum: number;
}

export const emptyTally = (): Tally => ({
  answers: 0,
  scoreSum: 0,
  top2: 0,
  dist: [0, 0, 0, 0, 0],
  effortN: 0,
  effortSum: 0,
});

export function tallyOf(scores: { score: number; effort?: number | null }[]): Tally {
  const t = emptyTally();
  for (const a of scores) {
    t.answers += 1;
    t.scoreSum += a.score;
    if (a.score >= 4) t.top2 += 1;
    t.dist[a.score - 1]! += 1;
    if (a.effort != null) {
      t.effortN += 1;
      t.effortSum += a.effort;
    }
  }
  return t;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Satisfaction index: the mean of the 1–5 answers, two decimals. */
export const satisfactionIndex = (t: Tally): number | null => (t.answers ? round2(t.scoreSum / t.answers) : null);

/** basic ≥ 3, advanced ≥ 3.5, exemplary ≥ 4 (on the unrounded mean); below-basic under 3. */
export function levelOf(t: Tally): SatisfactionLevel | null {
  if (!t.answers) return null;
  const mean = t.scoreSum / t.answers;
  for (const l of SATISFACTION_LEVELS) if (mean >= l.min) return l.level;
  return 'below-basic';
}

/** The state catalogue's satisfaction %: the share of answers 4 or 5, whole percent. */
export const satisfactionPercent = (t: Tally): number | null =>
  t.answers ? Math.round((100 * t.top2) / t.answers) : null;

export function figures(key: string, t: Tally, label?: string): SatisfactionRow {
  return {
    key,
    ...(label !== undefined ? { label } : {}),
    answers: t.answers,
    index: satisfactionIndex(t),
    level: levelOf(t),
    satisfactionPercent: satisfactionPercent(t),
    effortIndex: t.effortN ? round2(t.effortSum / t.effortN) : null,
    distribution: [...t.dist],
    lowSample: t.answers < 10,
  };
}

// ---------------------------------------------------------------------------------------------
// Abuse resistance: fixed-window counters per client address (per app node).
// ---------------------------------------------------------------------------------------------

export interface SurveyLimits {
  /** Answers without a token, per address and municipality, per window. */
  anonymousPerWindow: number;
  /** Failed token attempts (unknown, used, expired) per address, per window. */
  failedTokensPerWindow: number;
  windowMs: number;
}
export const DEFAULT_SURVEY_LIMITS: SurveyLimits = {
  anonymousPerWindow: 20,
  failedTokensPerWindow: 20,
  windowMs: 10 * 60_000,
};

export class RateLimiter {
  private readonly hits = new Map<string, { start: number; n: number }>();
  constructor(private readonly windowMs: number) {}
  /** Counts a hit; false when the key is over `limit` in the current window. */
  hit(key: string, limit: number, now = Date.now()): boolean {
    let e = this.hits.get(key);
    if (!e || now - e.start >= this.windowMs) {
      if (this.hits.size > 100_000) this.sweep(now);
      e = { start: now, n: 0 };
      this.hits.set(key, e);
    }
    e.n += 1;
    return e.n <= limit;
  }
  over(key: string, limit: number, now = Date.now()): boolean {
    const e = this.hits.get(key);
    return !!e && now - e.start < this.windowMs && e.n >= limit;
  }
  private sweep(now: number) {
    for (const [k, e] of this.hits) if (now - e.start >= this.windowMs) this.hits.delete(k);
  }
}

export interface Intake {
  limits: SurveyLimits;
  limiter: RateLimiter;
}
export const createIntake = (limits: SurveyLimits = DEFAULT_SURVEY_LIMITS): Intake => ({
  limits,
  limiter: new RateLimiter(limits.windowMs),
});

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const hashToken = (token: string) => createHash('sha256').update(token).digest();

function checkAnswer(a: AnswerInput) {
  const errors: FieldError[] = [];
  if (!Number.isInteger(a.score) || a.score < 1 || a.score > 5)
    errors.push(fieldError('/body/score', R_SERVICES.satisfactionScore));
  if (a.effort !== undefined && (!Number.isInteger(a.effort) || a.effort < 1 || a.effort > 5))
    errors.push(fieldError('/body/effort', R_SERVICES.satisfactionEffort));
  if (a.comment !== undefined && chars(a.comment) > 1000)
    errors.push({
      pointer: '/body/comment',
      code: 'maxLength',
      limit: 1000,
      detail: 'may have at most 1,000 characters',
    });
  if (!(a.channel in CHANNEL_TYPES))
    errors.push({
      pointer: '/body/channel',
      code: 'enum',
      allowed: Object.keys(CHANNEL_TYPES),
      detail: `must be one of: ${Object.keys(CHANNEL_TYPES).join(', ')}`,
    });
  if (!['et', 'ru', 'en'].includes(a.lang))
    errors.push({ pointer: '/body/lang', code: 'enum', allowed: ['et', 'ru', 'en'], detail: 'must be et, ru or en' });
  if (errors.length) throw invalid(errors);
}

/**
 * Records one answer. With a delivery token, the token must belong to this municipality and
 * service, be unused and unexpired; it is spent in the same statement that stores the answer, so
 * two simultaneous answers with one token store one answer. Without a token (embedded survey,
 * link, QR) the answer counts against the sender's per-address limit.
 */
export async function recordAnswer(
  ctx: AppContext,
  intake: Intake,
  municipalityCode: string,
  input: AnswerInput,
  from: { clientKey: string; personId?: string | undefined },
) {
  checkAnswer(input);
  const clientKey = from.clientKey;
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const effort = input.effort ?? null;
  if (!input.token && from.personId) {
    // A logged-in person answering a survey that waits for them (from "Minu vald") spends that delivery.
    const id = await inScope(ctx.db, { tenant: municipalityCode, actor: from.personId }, async (trx) => {
      const r = await sql<{ id: number }>`
        WITH d AS (
          UPDATE survey_delivery SET answered_at = now()
          WHERE (municipality_code, token_hash) IN (
            SELECT municipality_code, token_hash FROM survey_delivery
            WHERE municipality_code = ${municipalityCode} AND person_id = ${from.personId} AND service_id = ${input.serviceId}
              AND answered_at IS NULL AND expires_at > now()
            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING service_id, channel
        )
        INSERT INTO survey_answer (municipality_code, service_id, channel, score, effort, comment, lang, source)
        SELECT ${municipalityCode}, d.service_id, d.channel, ${input.score}, ${effort}, ${comment}, ${input.lang}, 'token' FROM d
        RETURNING id`.execute(trx);
      return r.rows[0]?.id;
    });
    if (id !== undefined) return { id, recorded: true as const };
  }
  if (input.token) {
    const failKey = `fail:${clientKey}`;
    if (intake.limiter.over(failKey, intake.limits.failedTokensPerWindow))
      throw new Problem(P_SERVICES.rateLimited, 'Too many failed survey tokens from this address; try again later');
    const hash = hashToken(input.token);
    const id = await storeAnswer(ctx, municipalityCode, hash, input, effort, comment);
    if (id === null) {
      throw await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
        const d = await trx
          .selectFrom('survey_delivery')
          .select(['answered_at', 'expires_at'])
          .where('municipality_code', '=', municipalityCode)
          .where('token_hash', '=', hash)
          .where('service_id', '=', input.serviceId)
          .executeTakeFirst();
        intake.limiter.hit(failKey, intake.limits.failedTokensPerWindow);
        if (!d) return new Problem(P_SERVICES.tokenUnknown, 'No survey delivery of this service has this token');
        if (d.answered_at)
          return new Problem(
            P_SERVICES.tokenUsed,
            `This survey was answered on ${d.answered_at.toISOString().slice(0, 10)}; each delivery is answered once`,
          );
        return new Problem(
          P_SERVICES.tokenExpired,
          `This survey link expired on ${d.expires_at.toISOString().slice(0, 10)}`,
        );
      });
    }
    return { id, recorded: true as const };
  }
  if (!intake.limiter.hit(`anon:${clientKey}:${municipalityCode}`, intake.limits.anonymousPerWindow)) {
    throw new Problem(
      P_SERVICES.rateLimited,
      `At most ${intake.limits.anonymousPerWindow} answers per ${Math.round(intake.limits.windowMs / 60_000)} minutes from one address`,
    );
  }
  const id = await storeAnswer(ctx, municipalityCode, null, input, effort, comment);
  if (id === null) throw notFound(`Service ${input.serviceId} of municipality ${municipalityCode}`);
  return { id, recorded: true as const };
}

interface Pending {
  municipalityCode: string;
  tokenHash: Buffer | null;
  input: AnswerInput;
  effort: number | null;
  comment: string | null;
  resolve: (id: number | null) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for answers: an answer is written at once when no batch is in flight; answers that
 * arrive meanwhile wait for the next batch (at most `MAX_BATCH`, at most `MAX_IN_FLIGHT` batches
 * at a time), written with one call of `kov_services_record_answers` (migration 0504) — one round
 * trip and one commit for the lot. A failing batch is retried answer by answer, so one bad answer
 * cannot fail the others. Each caller gets its own answer's id (null: nothing matched).
 */
const MAX_BATCH = 256;
const MAX_IN_FLIGHT = 4;
class AnswerBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  constructor(private readonly db: AppContext['db']) {}
  add(p: Omit<Pending, 'resolve' | 'reject'>): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...p, resolve, reject });
      this.pump();
    });
  }
  private pump() {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }
  private async write(batch: Pending[]) {
    try {
      const col = <T>(f: (p: Pending) => T) => batch.map(f);
      const r = await sql<{ ids: (string | number | null)[] }>`
        SELECT kov_services_record_answers(
          ${col((p) => p.municipalityCode)}::text[], ${col((p) => p.tokenHash)}::bytea[], ${col((p) => p.input.serviceId)}::uuid[],
          ${col((p) => p.input.channel)}::text[], ${col((p) => p.input.score)}::smallint[], ${col((p) => p.effort)}::smallint[],
          ${col((p) => p.comment)}::text[], ${col((p) => p.input.lang)}::text[], ${col((p) => p.input.source ?? 'embed')}::text[]) AS ids`.execute(
        this.db,
      );
      const ids = r.rows[0]?.ids ?? [];
      batch.forEach((p, i) => p.resolve(ids[i] === null || ids[i] === undefined ? null : Number(ids[i])));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const p of batch) {
        try {
          p.resolve(await this.writeOne(p));
        } catch (e) {
          p.reject(e);
        }
      }
    }
  }
  private async writeOne(p: Pending): Promise<number | null> {
    const r = await sql<{ id: string | number | null }>`
      SELECT kov_services_record_answer(${p.municipalityCode}, ${p.tokenHash}::bytea, ${p.input.serviceId}::uuid, ${p.input.channel}, ${p.input.score}::smallint, ${p.effort}::smallint, ${p.comment}, ${p.input.lang}, ${p.input.source ?? 'embed'}) AS id`.execute(
      this.db,
    );
    const id = r.rows[0]?.id;
    return id === null || id === undefined ? null : Number(id);
  }
}
const batchers = new WeakMap<object, AnswerBatcher>();

/** Stores one answer through the database's batcher (see `AnswerBatcher`). */
function storeAnswer(
  ctx: AppContext,
  municipalityCode: string,
  tokenHash: Buffer | null,
  input: AnswerInput,
  effort: number | null,
  comment: string | null,
): Promise<number | null> {
  let b = batchers.get(ctx.db);
  if (!b) batchers.set(ctx.db, (b = new AnswerBatcher(ctx.db)));
  return b.add({ municipalityCode, tokenHash, input, effort, comment });
}

/**
 * A back-office system (API key with scope `services:surveys`) or an official says "service
 * delivered": a single-use token and the survey link to send the client. With the client's ID
 * code the survey also waits in their "Minu vald".
 */
export async function createDelivery(
  ctx: AppContext,
  by: { actor: Actor } | { client: ApiClient },
  municipalityCode: string,
  input: DeliveryInput,
) {
  let createdBy: string;
  let actorId: string | undefined;
  if ('actor' in by) {
    const p = canTriggerSurveys(by.actor, municipalityCode);
    createdBy = `person:${p.personId}`;
    actorId = p.personId;
  } else createdBy = `api-client:${by.client.id}`;
  let personId: string | null = null;
  if (input.personIdCode) {
    const parsed = parseIdCode(input.personIdCode);
    if (!parsed.ok) throw invalid([idCodeError('/body/personIdCode', parsed.problem)]);
    personId = await upsertPerson(ctx.db, {
      idCode: parsed.value.code,
      givenName: null,
      familyName: null,
      birthDate: parsed.value.birthDate,
    });
  }
  const token = randomBytes(24).toString('base64url');
  const lang = input.lang ?? 'et';
  const validDays = input.validDays ?? 14;
  const expiresAt = new Date(ctx.now().getTime() + validDays * 86_400_000);
  await inScope(ctx.db, { tenant: municipalityCode, ...(actorId ? { actor: actorId } : {}) }, async (trx) => {
    const s = await trx
      .selectFrom('service')
      .select(['id', 'status'])
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', input.serviceId)
      .executeTakeFirst();
    if (!s || (s.status !== 'active' && s.status !== 'needs-change'))
      throw notFound(`Service ${input.serviceId} in use in municipality ${municipalityCode}`);
    await trx
      .insertInto('survey_delivery')
      .values({
        municipality_code: municipalityCode,
        token_hash: hashToken(token),
        service_id: input.serviceId,
        channel: input.channel,
        person_id: personId,
        lang,
        created_by: createdBy,
        expires_at: expiresAt,
      })
      .execute();
  });
  return {
    token,
    url: surveyUrl(ctx, municipalityCode, input.serviceId, { token, lang, channel: input.channel }),
    expiresAt: expiresAt.toISOString(),
  };
}

export function surveyUrl(
  ctx: AppContext,
  municipalityCode: string,
  serviceId: string,
  o: { token?: string; lang?: string; channel?: string; source?: string },
) {
  const u = new URL(`${ctx.config.publicUrl}/survey/${municipalityCode}/${serviceId}`);
  if (o.channel) u.searchParams.set('channel', o.channel);
  if (o.lang) u.searchParams.set('lang', o.lang);
  if (o.source) u.searchParams.set('source', o.source);
  if (o.token) u.searchParams.set('t', o.token);
  return u.toString();
}

/** Surveys waiting for a person (unanswered, unexpired deliveries naming them), in every municipality. */
export async function surveysWaiting(ctx: AppContext, personId: string) {
  return inScope(ctx.db, { actor: personId }, async (trx) => {
    const r = await sql<{
      municipality_code: string;
      service_id: string;
      channel: string;
      lang: string;
      created_at: Date;
      expires_at: Date;
    }>`
      SELECT municipality_code, service_id, channel, lang, created_at, expires_at FROM survey_delivery
      WHERE person_id = ${personId} AND answered_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 50`.execute(
      trx,
    );
    return r.rows;
  });
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export type GroupBy = 'total' | 'service' | 'channel' | 'month' | 'service-channel';

interface AggRow {
  key: string;
  n: number;
  s: number;
  top2: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  en: number;
  es: number;
}
const toTally = (r: AggRow): Tally => ({
  answers: Number(r.n),
  scoreSum: Number(r.s),
  top2: Number(r.top2),
  dist: [Number(r.s1), Number(r.s2), Number(r.s3), Number(r.s4), Number(r.s5)],
  effortN: Number(r.en),
  effortSum: Number(r.es),
});

export interface ResultFilter {
  from: string;
  to: string;
  serviceId?: string;
  channel?: string;
  groupBy: GroupBy;
}

function checkPeriod(from: string, to: string) {
  if (to < from) throw invalid([fieldError('/query/to', R_SERVICES.periodToBeforeFrom)]);
}

/**
 * Results of one municipality from the answers themselves (exact, live): per service, channel,
 * month (Europe/Tallinn), service × channel, or in total, for answers given on days from..to
 * (inclusive, Tallinn time).
 */
export async function satisfactionResults(ctx: AppContext, actor: Actor, municipalityCode: string, f: ResultFilter) {
  canReadSatisfaction(actor, municipalityCode);
  checkPeriod(f.from, f.to);
  const key =
    f.groupBy === 'service'
      ? sql`a.service_id::text`
      : f.groupBy === 'channel'
        ? sql`a.channel`
        : f.groupBy === 'month'
          ? sql`to_char(a.answered_at AT TIME ZONE 'Europe/Tallinn', 'YYYY-MM')`
          : f.groupBy === 'service-channel'
            ? sql`a.service_id::text || '/' || a.channel`
            : sql`'total'`;
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const r = await sql<AggRow & { name: string | null }>`
      SELECT ${key} AS key, min(s.name_et) AS name, count(*) AS n, sum(a.score) AS s, count(*) FILTER (WHERE a.score >= 4) AS top2,
        count(*) FILTER (WHERE a.score = 1) AS s1, count(*) FILTER (WHERE a.score = 2) AS s2, count(*) FILTER (WHERE a.score = 3) AS s3,
        count(*) FILTER (WHERE a.score = 4) AS s4, count(*) FILTER (WHERE a.score = 5) AS s5,
        count(a.effort) AS en, coalesce(sum(a.effort), 0) AS es
      FROM survey_answer a JOIN service s ON s.municipality_code = a.municipality_code AND s.id = a.service_id
      WHERE a.municipality_code = ${municipalityCode}
        AND a.answered_at >= (${f.from}::date)::timestamp AT TIME ZONE 'Europe/Tallinn'
        AND a.answered_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'Europe/Tallinn'
        ${f.serviceId ? sql`AND a.service_id = ${f.serviceId}` : sql``}
        ${f.channel ? sql`AND a.channel = ${f.channel}` : sql``}
      GROUP BY 1 ORDER BY 1`.execute(trx);
    return r.rows;
  });
  const label = (r: AggRow & { name: string | null }) =>
    f.groupBy === 'service'
      ? (r.name ?? undefined)
      : f.groupBy === 'service-channel'
        ? `${r.name ?? ''} / ${r.key.split('/')[1]}`
        : undefined;
  const out = rows.map((r) => figures(r.key, toTally(r), label(r)));
  const total = out.reduce((t, r) => {
    t.answers += r.answers;
    r.distribution.forEach((n, i) => {
      t.dist[i] = t.dist[i]! + n;
      t.scoreSum += n * (i + 1);
      if (i >= 3) t.top2 += n;
    });
    return t;
  }, emptyTally());
  const effort = rows.reduce((e, r) => ({ n: e.n + Number(r.en), s: e.s + Number(r.es) }), { n: 0, s: 0 });
  total.effortN = effort.n;
  total.effortSum = effort.s;
  return { municipalityCode, from: f.from, to: f.to, groupBy: f.groupBy, rows: out, total: figures('total', total) };
}

/**
 * The monthly roll-up that the national comparison reads: months are recomputed whole from the
 * answers (idempotent), under an advisory lock so that two nodes do not interleave.
 */
export async function refreshRollup(ctx: AppContext, months: string[]): Promise<number> {
  let rows = 0;
  for (const month of months) {
    rows += await inScope(ctx.db, { tenant: '*' }, async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('services.satisfaction-rollup'))`.execute(trx);
      await sql`DELETE FROM survey_monthly WHERE month = ${month}::date`.execute(trx);
      const r = await sql`
        INSERT INTO survey_monthly (municipality_code, service_id, channel, month, answers, score_sum, top2, s1, s2, s3, s4, s5, effort_n, effort_sum)
        SELECT municipality_code, service_id, channel, ${month}::date, count(*), sum(score), count(*) FILTER (WHERE score >= 4),
          count(*) FILTER (WHERE score = 1), count(*) FILTER (WHERE score = 2), count(*) FILTER (WHERE score = 3),
          count(*) FILTER (WHERE score = 4), count(*) FILTER (WHERE score = 5), count(effort), coalesce(sum(effort), 0)
        FROM survey_answer
        WHERE answered_at >= (${month}::date)::timestamp AT TIME ZONE 'Europe/Tallinn'
          AND answered_at < ((${month}::date) + interval '1 month')::timestamp AT TIME ZONE 'Europe/Tallinn'
        GROUP BY municipality_code, service_id, channel`.execute(trx);
      await sql`DELETE FROM survey_monthly_channel WHERE month = ${month}::date`.execute(trx);
      await sql`
        INSERT INTO survey_monthly_channel (municipality_code, channel, month, answers, score_sum, top2, s1, s2, s3, s4, s5, effort_n, effort_sum)
        SELECT municipality_code, channel, month, sum(answers), sum(score_sum), sum(top2), sum(s1), sum(s2), sum(s3), sum(s4), sum(s5), sum(effort_n), sum(effort_sum)
        FROM survey_monthly WHERE month = ${month}::date GROUP BY municipality_code, channel, month`.execute(trx);
      return Number(r.numAffectedRows ?? 0);
    });
  }
  return rows;
}

/** First days of the current and previous month in Tallinn time ('YYYY-MM-01'). */
export function recentMonths(now: Date): string[] {
  const ym = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Tallinn', year: 'numeric', month: '2-digit' }).format(
    now,
  ); // 2025-03
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  return [`${prev}-01`, `${ym}-01`];
}

/** Every month that has answers (for seeding and after bulk loads). */
export async function refreshAllMonths(ctx: AppContext): Promise<number> {
  const months = await inScope(ctx.db, { tenant: '*' }, async (trx: Trx) => {
    const r = await sql<{
      m: string;
    }>`SELECT DISTINCT to_char(date_trunc('month', answered_at AT TIME ZONE 'Europe/Tallinn'), 'YYYY-MM-DD') AS m FROM survey_answer ORDER BY 1`.execute(
      trx,
    );
    return r.rows.map((x) => x.m);
  });
  return refreshRollup(ctx, months);
}

export interface ComparisonFilter {
  year: number;
  templateId?: string;
  field?: string;
  channel?: string;
}

/**
 * ELVL's comparison of municipalities for one calendar year, from the monthly roll-up: per
 * municipality the index, level, satisfaction % and answers, ranked by index (municipalities with
 * fewer than 10 answers are listed but not ranked); plus the national figures. Optionally only the
 * services adopted from one template, of one field, or of one channel.
 */
export async function compareMunicipalities(ctx: AppContext, actor: Actor, f: ComparisonFilter) {
  canReadNational(actor);
  const from = `${f.year}-01-01`;
  const to = `${f.year + 1}-01-01`;
  const { rows, refreshedAt } = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const byService = Boolean(f.templateId || f.field);
    // Without a template or field filter the small per-channel roll-up answers; with one, the
    // per-service roll-up joined to the services that match.
    const r = byService
      ? await sql<AggRow & { name: string }>`
      SELECT m.municipality_code AS key, min(t.name) AS name, sum(m.answers) AS n, sum(m.score_sum) AS s, sum(m.top2) AS top2,
        sum(m.s1) AS s1, sum(m.s2) AS s2, sum(m.s3) AS s3, sum(m.s4) AS s4, sum(m.s5) AS s5, sum(m.effort_n) AS en, sum(m.effort_sum) AS es
      FROM service s
      JOIN survey_monthly m ON m.municipality_code = s.municipality_code AND m.service_id = s.id
      JOIN tenant t ON t.code = m.municipality_code
      WHERE m.month >= ${from}::date AND m.month < ${to}::date AND s.municipality_code <> '0000'
        ${f.templateId ? sql`AND s.template_id = ${f.templateId}` : sql``}
        ${f.field ? sql`AND s.field = ${f.field}` : sql``}
        ${f.channel ? sql`AND m.channel = ${f.channel}` : sql``}
      GROUP BY m.municipality_code`.execute(trx)
      : await sql<AggRow & { name: string }>`
      SELECT m.municipality_code AS key, min(t.name) AS name, sum(m.answers) AS n, sum(m.score_sum) AS s, sum(m.top2) AS top2,
        sum(m.s1) AS s1, sum(m.s2) AS s2, sum(m.s3) AS s3, sum(m.s4) AS s4, sum(m.s5) AS s5, sum(m.effort_n) AS en, sum(m.effort_sum) AS es
      FROM survey_monthly_channel m JOIN tenant t ON t.code = m.municipality_code
      WHERE m.month >= ${from}::date AND m.month < ${to}::date
        ${f.channel ? sql`AND m.channel = ${f.channel}` : sql``}
      GROUP BY m.municipality_code`.execute(trx);
    const at = await sql<{
      at: Date | null;
    }>`SELECT max(refreshed_at) AS at FROM survey_monthly_channel WHERE month >= ${from}::date AND month < ${to}::date`.execute(
      trx,
    );
    return { rows: r.rows, refreshedAt: at.rows[0]?.at ?? null };
  });
  const items = rows.map((r) => ({ ...figures(r.key, toTally(r), r.name), rank: null as number | null }));
  const ranked = items.filter((i) => !i.lowSample).sort((a, b) => b.index! - a.index! || b.answers - a.answers);
  ranked.forEach((r, i) => (r.rank = i + 1));
  items.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (a.label ?? '').localeCompare(b.label ?? ''));
  const national = rows.reduce((t, r) => {
    const x = toTally(r);
    t.answers += x.answers;
    t.scoreSum += x.scoreSum;
    t.top2 += x.top2;
    x.dist.forEach((n, i) => (t.dist[i] = t.dist[i]! + n));
    t.effortN += x.effortN;
    t.effortSum += x.effortSum;
    return t;
  }, emptyTally());
  return {
    year: f.year,
    municipalities: items,
    national: figures('national', national),
    refreshedAt: refreshedAt?.toISOString() ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/** RFC 4180 field; text that a spreadsheet would run as a formula is prefixed with '. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (values: unknown[]) => values.map(csvField).join(',') + '\r\n';

export function resultsCsv(rows: SatisfactionRow[]): string {
  let out = csvLine([
    'key',
    'label',
    'answers',
    'index',
    'level',
    'satisfaction_percent',
    'effort_index',
    'score_1',
    'score_2',
    'score_3',
    'score_4',
    'score_5',
    'low_sample',
  ]);
  for (const r of rows)
    out += csvLine([
      r.key,
      r.label ?? '',
      r.answers,
      r.index,
      r.level,
      r.satisfactionPercent,
      r.effortIndex,
      ...r.distribution,
      r.lowSample,
    ]);
  return out;
}

/** The answers themselves (no personal data is stored with them), for the municipality's own analysis. */
export async function answersCsv(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  f: { from: string; to: string; serviceId?: string },
) {
  canReadSatisfaction(actor, municipalityCode);
  checkPeriod(f.from, f.to);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const r = await sql<{
      answered_at: Date;
      identifier: string;
      name_et: string;
      channel: string;
      score: number;
      effort: number | null;
      comment: string | null;
      lang: string;
      source: string;
    }>`
      SELECT a.answered_at, s.identifier, s.name_et, a.channel, a.score, a.effort, a.comment, a.lang, a.source
      FROM survey_answer a JOIN service s ON s.municipality_code = a.municipality_code AND s.id = a.service_id
      WHERE a.municipality_code = ${municipalityCode}
        AND a.answered_at >= (${f.from}::date)::timestamp AT TIME ZONE 'Europe/Tallinn'
        AND a.answered_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'Europe/Tallinn'
        ${f.serviceId ? sql`AND a.service_id = ${f.serviceId}` : sql``}
      ORDER BY a.answered_at LIMIT 200000`.execute(trx);
    return r.rows;
  });
  let out = csvLine([
    'answered_at',
    'service',
    'service_name',
    'channel',
    'score',
    'effort',
    'comment',
    'lang',
    'source',
  ]);
  for (const r of rows)
    out += csvLine([
      r.answered_at.toISOString(),
      r.identifier,
      r.name_et,
      r.channel,
      r.score,
      r.effort,
      r.comment,
      r.lang,
      r.source,
    ]);
  return out;
}
