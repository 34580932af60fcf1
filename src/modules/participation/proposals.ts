import { cleanTranslations, type Translations } from '../../platform/language/translations';
import type { AppContext } from '../../platform/context';
import { hasRole, requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { fieldError, invalid, notFound, type FieldError } from '../../platform/http/problems';
import { R_VOTES } from './reasons';
import { parseIdCode, idCodeError } from '../../platform/identity/personalIdCode';
import { readFile, storeFile } from '../../platform/files/files';
import { processImage } from '../../platform/files/images';
import { placeStore } from '../places';
import { checkEligibility } from '../register';
import type { ImplementationStatus } from './store';
import { canManageVotes } from './policy';
import { notEligible, wrongPhase } from './problems';
import { districtOf } from './rules';
import type { IdeaInput, IdeaReview, NominationInput } from './schemas';
import { candidateFromRow, findVote, ideaFromRow, type Vote } from './store';
import { tellProposalReviewed } from './tellPeople';
import { findPersonByCode } from '../../platform/auth/persons';

/**
 * The phases before a budget or elder vote: residents submit ideas (with photos) or nominate
 * candidates (who consent); officials review them. All of it is locked once the vote is scheduled.
 */
async function loadVote(trx: Trx, municipalityCode: string, id: string, kind: Vote['kind']) {
  const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
  if (!v || v.status === 'draft' || v.kind !== kind)
    throw notFound(kind === 'budget' ? 'Participatory budget' : 'Village elder election');
  return v;
}

async function nextNumber(trx: Trx, table: 'pv_idea' | 'pv_candidate', municipalityCode: string, voteId: string) {
  const r = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('number').as('n'))
    .where('municipality_code', '=', municipalityCode)
    .where('vote_id', '=', voteId)
    .executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------
// Ideas

export async function submitIdea(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  input: IdeaInput,
) {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const v = await loadVote(trx, municipalityCode, voteId, 'budget');
    if (v.status !== 'proposals') throw wrongPhase('Ideas are accepted only while the call for ideas is open');
    if (input.settlementCode) {
      const place = await placeStore(ctx.db).get(input.settlementCode);
      if (!place || place.municipalityCode !== municipalityCode || place.level !== 'settlement')
        throw invalid([
          fieldError('/body/settlementCode', R_VOTES.notSettlement, {
            value: input.settlementCode,
            municipality: municipalityCode,
          }),
        ]);
    }
    const district = districtOf(v.rules.budget!, input.settlementCode ?? null);
    const number = await nextNumber(trx, 'pv_idea', municipalityCode, voteId);
    const row = await trx
      .insertInto('pv_idea')
      .values({
        municipality_code: municipalityCode,
        vote_id: voteId,
        number,
        title: input.title.trim(),
        description: input.description.trim(),
        settlement_code: input.settlementCode ?? null,
        district_id: district?.id ?? null,
        lat: input.location?.lat ?? null,
        lon: input.location?.lon ?? null,
        estimated_cost_cents: input.estimatedCostCents ?? null,
        submitted_by: person.personId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return ideaFromRow(row, person.personId);
  });
}

export async function listIdeas(ctx: AppContext, actor: Actor, municipalityCode: string, voteId: string) {
  const me = actor.kind === 'person' ? actor.personId : undefined;
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, voteId);
    if (!v || v.status === 'draft' || v.kind !== 'budget') throw notFound('Participatory budget');
    const rows = await trx
      .selectFrom('pv_idea')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('status', '!=', 'withdrawn')
      .orderBy('number')
      .execute();
    return rows.map((r) => ideaFromRow(r, me));
  });
}

/** Photos of an idea (its author, during the call for ideas): checked, resized, metadata stripped. */
export async function addIdeaPhoto(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  ideaId: string,
  file: { filename: string; content: Buffer },
) {
  const person = requirePerson(actor);
  const image = await processImage(file.content, { maxDimension: 1600 });
  return inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const v = await loadVote(trx, municipalityCode, voteId, 'budget');
    const idea = await trx
      .selectFrom('pv_idea')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea || (idea.submitted_by !== person.personId && !hasRole(actor, municipalityCode, ['admin', 'editor'])))
      throw notFound('Idea');
    if (v.status !== 'proposals' && v.status !== 'review')
      throw wrongPhase('Photos can be added while ideas are collected or reviewed');
    if (idea.photo_ids.length >= 5) throw invalid([fieldError('/body/files', R_VOTES.photosLimit, { max: 5 })]);
    const meta = await storeFile(trx, {
      municipalityCode,
      filename: file.filename,
      mediaType: image.mediaType,
      content: image.content,
      purpose: 'participation.idea-photo',
      uploadedBy: person.personId,
    });
    await trx
      .updateTable('pv_idea')
      .set({ photo_ids: [...idea.photo_ids, meta.id], updated_at: new Date() })
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', ideaId)
      .execute();
    return { id: meta.id, mediaType: meta.mediaType, sizeBytes: meta.sizeBytes };
  });
}

export async function ideaPhoto(
  ctx: AppContext,
  municipalityCode: string,
  voteId: string,
  ideaId: string,
  fileId: string,
) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const idea = await trx
      .selectFrom('pv_idea')
      .select(['photo_ids', 'status'])
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', ideaId)
      .executeTakeFirst();
    if (!idea || !idea.photo_ids.includes(fileId)) throw notFound('Photo');
    const f = await readFile(trx, municipalityCode, fileId);
    if (!f) throw notFound('Photo');
    return f;
  });
}

/** An official's review: feasible (with final cost and district), infeasible or merged (with a public reason). */
export async function reviewIdea(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  ideaId: string,
  input: IdeaReview,
) {
  const official = canManageVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await loadVote(trx, municipalityCode, voteId, 'budget');
    if (v.status !== 'proposals' && v.status !== 'review')
      throw wrongPhase('Ideas are reviewed before the vote is scheduled');
    const idea = await trx
      .selectFrom('pv_idea')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) throw notFound('Idea');
    const rules = v.rules.budget!;
    const errors: FieldError[] = [];
    if ((input.status === 'infeasible' || input.status === 'merged') && !input.reason?.trim())
      errors.push(fieldError('/body/reason', R_VOTES.publicReason));
    const finalCost = input.finalCostCents !== undefined ? input.finalCostCents : idea.final_cost_cents;
    const districtId = input.districtId !== undefined ? input.districtId : idea.district_id;
    if (input.status === 'feasible') {
      if (finalCost === null) errors.push(fieldError('/body/finalCostCents', R_VOTES.finalCost));
      const d = rules.districts.find((x) => x.id === districtId);
      if (!d)
        errors.push(
          fieldError('/body/districtId', R_VOTES.chooseDistrict, {
            districts: rules.districts.map((x) => `${x.id} ${x.name}`).join(', '),
          }),
        );
      else if (finalCost !== null && finalCost > d.budgetCents)
        errors.push(fieldError('/body/finalCostCents', R_VOTES.overDistrictBudget, { district: d.name }));
    }
    if (input.status === 'merged') {
      const target = input.mergedInto
        ? await trx
            .selectFrom('pv_idea')
            .select(['id', 'status'])
            .where('municipality_code', '=', municipalityCode)
            .where('vote_id', '=', voteId)
            .where('id', '=', input.mergedInto)
            .executeTakeFirst()
        : undefined;
      if (!target || target.id === ideaId) errors.push(fieldError('/body/mergedInto', R_VOTES.mergeTarget));
    }
    if (errors.length) throw invalid(errors);
    const row = await trx
      .updateTable('pv_idea')
      .set({
        status: input.status,
        review_reason: input.reason?.trim() || null,
        final_cost_cents: finalCost,
        district_id: districtId,
        merged_into: input.status === 'merged' ? input.mergedInto! : null,
        ...(input.translations !== undefined
          ? { translations: JSON.stringify(cleanTranslations(input.translations)) }
          : {}),
        updated_at: new Date(),
      })
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', ideaId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.idea.reviewed',
      subject: `idea:${ideaId}`,
      details: { status: input.status, finalCostCents: finalCost, districtId, reason: input.reason ?? null },
    });
    if (input.status !== idea.status)
      await tellProposalReviewed(ctx, trx, {
        municipalityCode,
        voteId,
        voteTitle: v.title,
        to: [idea.submitted_by],
        kind: 'idea',
        title: idea.title,
        outcome: input.status,
        reason: input.reason?.trim() || null,
      });
    return ideaFromRow(row);
  });
}

export async function updateImplementation(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  ideaId: string,
  input: { status: ImplementationStatus; note?: string },
) {
  const official = canManageVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await loadVote(trx, municipalityCode, voteId, 'budget');
    if (v.status !== 'published') throw wrongPhase('Implementation is followed once the results are published');
    const row = await trx
      .updateTable('pv_idea')
      .set({
        implementation_status: input.status,
        implementation_note: input.note?.trim() || null,
        updated_at: new Date(),
      })
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', ideaId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Idea');
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.idea.implementation',
      subject: `idea:${ideaId}`,
      details: input,
    });
    return ideaFromRow(row);
  });
}

// ---------------------------------------------------------------------------------------------
// Candidates

function ageOn(birthDate: string, day: string) {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * A resident nominates a candidate (themselves, or another person by ID code, who must then
 * consent). The candidate must be in the election's electorate and of the candidates' minimum age.
 */
export async function nominateCandidate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  input: NominationInput,
) {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const v = await loadVote(trx, municipalityCode, voteId, 'elder');
    if (v.status !== 'proposals') throw wrongPhase('Candidates can be nominated only while nominations are open');
    let nomineeId = person.personId;
    let nomineeCode: string | undefined;
    if (input.idCode) {
      const parsed = parseIdCode(input.idCode);
      if (!parsed.ok) throw invalid([idCodeError('/body/idCode', parsed.problem)]);
      const p = await findPersonByCode(trx, parsed.value.code);
      if (!p) throw notEligible('not-resident');
      nomineeId = p;
      nomineeCode = parsed.value.code;
    }
    // Visible in the municipality's scope only when linked to it (row-level security on person).
    const nominee = await trx
      .selectFrom('person')
      .select(['id', 'given_name', 'family_name', 'birth_date'])
      .where('id', '=', nomineeId)
      .executeTakeFirst();
    if (!nominee) throw notEligible('not-resident');
    const minAge = v.rules.elder!.candidateMinAge;
    const day = new Date(v.opensAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Tallinn' });
    if (ageOn(nominee.birth_date, day) < minAge)
      throw invalid([fieldError(input.idCode ? '/body/idCode' : '/body', R_VOTES.candidateAge, { age: minAge })]);
    if (!v.electorateId) throw wrongPhase('The election has no electorate yet');
    const e = await checkEligibility(ctx, trx, {
      municipalityCode,
      electorateId: v.electorateId,
      personId: nomineeId,
      ...(nomineeCode ? { idCode: nomineeCode } : {}),
      at: new Date(v.opensAt),
      purpose: 'candidate',
      askedBy: person.personId,
      reference: `vote:${voteId}`,
    });
    if (!e.eligible && e.reason !== 'under-age') throw notEligible(e.reason);
    const number = await nextNumber(trx, 'pv_candidate', municipalityCode, voteId);
    const name =
      input.name?.trim() || [nominee.given_name, nominee.family_name].filter(Boolean).join(' ') || 'Candidate';
    const row = await trx
      .insertInto('pv_candidate')
      .values({
        municipality_code: municipalityCode,
        vote_id: voteId,
        number,
        person_id: nomineeId,
        name,
        statement: input.statement?.trim() ?? '',
        nominated_by: person.personId,
        consent_at: nomineeId === person.personId ? new Date() : null,
      })
      .onConflict((oc) => oc.columns(['municipality_code', 'vote_id', 'person_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw invalid([fieldError('/body/idCode', R_VOTES.alreadyNominated)]);
    return candidateFromRow(row, person.personId);
  });
}

/** The nominee consents (or declines, withdrawing the nomination). */
export async function answerNomination(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  candidateId: string,
  consent: boolean,
) {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const v = await loadVote(trx, municipalityCode, voteId, 'elder');
    if (v.status !== 'proposals' && v.status !== 'review')
      throw wrongPhase('Nominations can be answered before the election is scheduled');
    const row = await trx
      .updateTable('pv_candidate')
      .set(consent ? { consent_at: new Date() } : { status: 'withdrawn', consent_at: null })
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', candidateId)
      .where('person_id', '=', person.personId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Nomination');
    return candidateFromRow(row, person.personId);
  });
}

export async function listCandidates(ctx: AppContext, actor: Actor, municipalityCode: string, voteId: string) {
  const me = actor.kind === 'person' ? actor.personId : undefined;
  const official = hasRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, voteId);
    if (!v || v.status === 'draft' || v.kind !== 'elder') throw notFound('Village elder election');
    let qb = trx
      .selectFrom('pv_candidate')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId);
    if (!official)
      qb = qb.where((eb) =>
        eb.or([eb('status', '=', 'approved'), ...(me ? [eb('person_id', '=', me), eb('nominated_by', '=', me)] : [])]),
      );
    return (await qb.orderBy('number').execute()).map((r) => candidateFromRow(r, me));
  });
}

export async function reviewCandidate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  candidateId: string,
  input: {
    status: 'approved' | 'rejected';
    reason?: string;
    translations?: Translations<'statement'>;
  },
) {
  const official = canManageVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await loadVote(trx, municipalityCode, voteId, 'elder');
    if (v.status !== 'proposals' && v.status !== 'review')
      throw wrongPhase('Candidates are approved before the election is scheduled');
    if (input.status === 'rejected' && !input.reason?.trim())
      throw invalid([fieldError('/body/reason', R_VOTES.giveReason)]);
    const cur = await trx
      .selectFrom('pv_candidate')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', candidateId)
      .executeTakeFirst();
    if (!cur || cur.status === 'withdrawn') throw notFound('Candidate');
    if (input.status === 'approved' && !cur.consent_at)
      throw invalid([fieldError('/body/status', R_VOTES.notConsented)]);
    const row = await trx
      .updateTable('pv_candidate')
      .set({
        status: input.status,
        review_reason: input.reason?.trim() || null,
        ...(input.translations !== undefined
          ? { translations: JSON.stringify(cleanTranslations(input.translations)) }
          : {}),
      })
      .where('municipality_code', '=', municipalityCode)
      .where('vote_id', '=', voteId)
      .where('id', '=', candidateId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.candidate.reviewed',
      subject: `candidate:${candidateId}`,
      details: input,
    });
    if (input.status !== cur.status)
      await tellProposalReviewed(ctx, trx, {
        municipalityCode,
        voteId,
        voteTitle: v.title,
        to: [cur.person_id],
        kind: 'candidate',
        title: v.title,
        outcome: input.status,
        reason: input.reason?.trim() || null,
      });
    return candidateFromRow(row);
  });
}
