import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { hasRole } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, invalid, notFound, type FieldError } from '../../platform/http/problems';
import { parseIdCode } from '../../platform/identity/personalIdCode';
import { upsertPerson } from '../../platform/auth/persons';
import * as bb from '../ballotBox';
import { getElectorate, lockElectorate } from '../register';
import { fingerprintOf, type ElectionDefinition } from './crypto/record';
import { canManage } from './policy';
import { VV, wrongPhase } from './problems';
import type { ElectionInput } from './schemas';
import {
  boardCounts,
  findElection,
  json,
  listTrustees,
  setStatus,
  type QuestionDef,
  type VvElection,
  type VvTrustee,
} from './store';

/** The ballot-box payload format of an encrypted ballot (its content is `{ tracker }`; the ballot itself is on the board). */
export const BALLOT_FORMAT = 'elgamal-ristretto255/1';
export const PAPER_FORMAT = 'plain/1';

export type Phase =
  'draft' | 'ceremony' | 'ready' | 'scheduled' | 'open' | 'closing' | 'closed' | 'tallied' | 'published';

export function phaseOf(e: Pick<VvElection, 'status' | 'opens_at' | 'closes_at'>, now: Date): Phase {
  if (e.status === 'open') {
    if (now < e.opens_at) return 'scheduled';
    if (now >= e.closes_at) return 'closing';
    return 'open';
  }
  return e.status;
}

/** 1–3: the ceremony round in progress; 4: done (public key set); 0: not started. */
export function ceremonyRound(
  e: Pick<VvElection, 'status' | 'public_key'>,
  trustees: Pick<VvTrustee, 'commitment' | 'deal' | 'public_share'>[],
): 0 | 1 | 2 | 3 | 4 {
  if (e.public_key) return 4;
  if (e.status !== 'ceremony') return 0;
  if (trustees.some((t) => !t.commitment)) return 1;
  if (trustees.some((t) => !t.deal)) return 2;
  return 3;
}

/** Domain checks the schema cannot express; errors point at the body field. */
function checkInput(input: ElectionInput): {
  questions: QuestionDef[];
  trustees: { idCode: string; birthDate: string; name: string }[];
} {
  const errors: FieldError[] = [];
  const opens = new Date(input.opensAt);
  const closes = new Date(input.closesAt);
  if (!(closes > opens)) errors.push({ pointer: '/body/closesAt', detail: 'must be after the opening time' });
  const questions: QuestionDef[] = input.questions.map((q, qi) => {
    if (q.maxSelections > q.choices.length)
      errors.push({
        pointer: `/body/questions/${qi}/maxSelections`,
        detail: `is more than the ${q.choices.length} choice(s)`,
      });
    if (q.minSelections > q.maxSelections)
      errors.push({ pointer: `/body/questions/${qi}/minSelections`, detail: 'is more than maxSelections' });
    return {
      id: `q${qi + 1}`,
      title: q.title.trim(),
      minSelections: q.minSelections,
      maxSelections: q.maxSelections,
      choices: q.choices.map((c, ci) => ({ id: `q${qi + 1}c${ci + 1}`, label: c.label.trim() })),
    };
  });
  const seen = new Set<string>();
  const trustees = input.trustees.map((t, i) => {
    const parsed = parseIdCode(t.idCode);
    if (!parsed.ok)
      errors.push({
        pointer: `/body/trustees/${i}/idCode`,
        detail: `is not a valid personal ID code (${parsed.problem})`,
      });
    else if (seen.has(parsed.value.code))
      errors.push({ pointer: `/body/trustees/${i}/idCode`, detail: 'names the same person twice' });
    if (parsed.ok) seen.add(parsed.value.code);
    return { idCode: t.idCode, birthDate: parsed.ok ? parsed.value.birthDate : '1900-01-01', name: t.name.trim() };
  });
  if (input.threshold > input.trustees.length)
    errors.push({ pointer: '/body/threshold', detail: `is more than the ${input.trustees.length} trustee(s)` });
  if (errors.length) throw invalid(errors);
  return { questions, trustees };
}

async function writeTrustees(
  ctx: AppContext,
  trx: Trx,
  municipalityCode: string,
  electionId: string,
  trustees: { idCode: string; birthDate: string; name: string }[],
) {
  await trx
    .deleteFrom('vv_trustee')
    .where('municipality_code', '=', municipalityCode)
    .where('election_id', '=', electionId)
    .execute();
  for (const [i, t] of trustees.entries()) {
    const personId = await upsertPerson(ctx.db, {
      idCode: t.idCode,
      givenName: null,
      familyName: null,
      birthDate: t.birthDate,
    });
    await trx
      .insertInto('vv_trustee')
      .values({
        municipality_code: municipalityCode,
        election_id: electionId,
        idx: i + 1,
        person_id: personId,
        name: t.name,
      })
      .execute();
  }
}

async function checkElectorate(ctx: AppContext, actor: Actor, municipalityCode: string, electorateId: string | null) {
  if (!electorateId) return;
  try {
    await getElectorate(ctx, actor, municipalityCode, electorateId);
  } catch (err) {
    if (err instanceof Problem && err.status === 404)
      throw invalid([{ pointer: '/body/electorateId', detail: 'no such electorate in this municipality' }]);
    throw err;
  }
}

export async function createElection(ctx: AppContext, actor: Actor, municipalityCode: string, input: ElectionInput) {
  const official = canManage(actor, municipalityCode);
  const { questions, trustees } = checkInput(input);
  await checkElectorate(ctx, actor, municipalityCode, input.electorateId);
  const id = randomUUID();
  await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const boxId = await bb.createBox(trx, { municipalityCode, owner: `verifiable.election:${id}` });
    await trx
      .insertInto('vv_election')
      .values({
        municipality_code: municipalityCode,
        id,
        kind: input.kind,
        title: input.title.trim(),
        questions: json(questions),
        threshold: input.threshold,
        electorate_id: input.electorateId,
        opens_at: new Date(input.opensAt),
        closes_at: new Date(input.closesAt),
        box_id: boxId,
        created_by: official.personId,
      })
      .execute();
    await writeTrustees(ctx, trx, municipalityCode, id, trustees);
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'verifiable.election.created',
      subject: `verifiable:${id}`,
      details: { title: input.title, trustees: trustees.length, threshold: input.threshold },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}

export async function updateElection(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  input: ElectionInput,
) {
  const official = canManage(actor, municipalityCode);
  const { questions, trustees } = checkInput(input);
  await checkElectorate(ctx, actor, municipalityCode, input.electorateId);
  await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e) throw notFound('Verifiable vote');
    if (e.status !== 'draft')
      throw wrongPhase(
        'Only a draft can be changed: once the key ceremony has started, the questions, choices and trustees are bound into the election key’s fingerprint.',
      );
    await trx
      .updateTable('vv_election')
      .set({
        kind: input.kind,
        title: input.title.trim(),
        questions: json(questions),
        threshold: input.threshold,
        electorate_id: input.electorateId,
        opens_at: new Date(input.opensAt),
        closes_at: new Date(input.closesAt),
        updated_at: new Date(),
      })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .execute();
    await writeTrustees(ctx, trx, municipalityCode, id, trustees);
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'verifiable.election.updated',
      subject: `verifiable:${id}`,
      details: { title: input.title },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}

/** The frozen definition that every ballot proof is bound to (through its fingerprint). */
export function definitionOf(
  e: Pick<VvElection, 'id' | 'municipality_code' | 'title' | 'questions' | 'threshold'>,
  trustees: Pick<VvTrustee, 'idx' | 'name'>[],
): ElectionDefinition {
  return {
    voteId: e.id,
    municipalityCode: e.municipality_code,
    title: e.title,
    questions: e.questions.map((q) => ({
      id: q.id,
      title: q.title,
      minSelections: q.minSelections,
      maxSelections: q.maxSelections,
      choices: q.choices.map((c) => ({ id: c.id, label: c.label })),
    })),
    trustees: trustees.map((t) => ({ index: t.idx, name: t.name })),
    threshold: e.threshold,
  };
}

/** Freezes the definition and starts the trustees' key ceremony (draft → ceremony). */
export async function startCeremony(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canManage(actor, municipalityCode);
  await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e) throw notFound('Verifiable vote');
    if (e.status !== 'draft') throw wrongPhase(`The key ceremony starts from a draft; the vote is ${e.status}`);
    const trustees = await listTrustees(trx, municipalityCode, id);
    const errors: FieldError[] = [];
    if (!e.electorate_id) errors.push({ pointer: '/electorateId', detail: 'choose who may vote (an electorate)' });
    if (trustees.length < 1) errors.push({ pointer: '/trustees', detail: 'name at least one trustee' });
    if (e.threshold > trustees.length)
      errors.push({ pointer: '/threshold', detail: 'more than the number of trustees' });
    if (e.closes_at <= ctx.now()) errors.push({ pointer: '/closesAt', detail: 'the closing time has passed' });
    if (errors.length)
      throw new Problem(VV.incomplete, errors.map((x) => `${x.pointer}: ${x.detail}`).join('; '), { errors });
    const definition = definitionOf(e, trustees);
    await clearCeremony(trx, municipalityCode, id);
    await setStatus(trx, e, 'ceremony', {
      definition: json(definition),
      fingerprint: fingerprintOf(definition),
      ceremony_attempt: e.ceremony_attempt + 1,
      ceremony_failure: null,
      public_key: null,
    });
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'verifiable.ceremony.started',
      subject: `verifiable:${id}`,
      details: { attempt: e.ceremony_attempt + 1, fingerprint: fingerprintOf(definition) },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}

async function clearCeremony(trx: Trx, municipalityCode: string, id: string) {
  await trx
    .updateTable('vv_trustee')
    .set({ commitment: null, deal: null, public_share: null, complaint: null, decryption: null })
    .where('municipality_code', '=', municipalityCode)
    .where('election_id', '=', id)
    .execute();
}

/**
 * Restarts the ceremony (after a complaint, or when a trustee lost their key file before the vote
 * opened): every trustee starts again with a new key file. `toDraft` returns the vote to a draft
 * so that trustees can be replaced.
 */
export async function restartCeremony(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  opts: { toDraft: boolean },
) {
  const official = canManage(actor, municipalityCode);
  await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e) throw notFound('Verifiable vote');
    if (e.status !== 'ceremony' && e.status !== 'ready')
      throw wrongPhase('The key ceremony can be restarted only before the vote opens');
    await clearCeremony(trx, municipalityCode, id);
    if (opts.toDraft)
      await setStatus(trx, e, 'draft', {
        definition: null,
        fingerprint: null,
        public_key: null,
        ceremony_failure: null,
      });
    else
      await setStatus(trx, e, 'ceremony', {
        ceremony_attempt: e.ceremony_attempt + 1,
        ceremony_failure: null,
        public_key: null,
      });
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: opts.toDraft ? 'verifiable.ceremony.cancelled' : 'verifiable.ceremony.restarted',
      subject: `verifiable:${id}`,
      details: { failure: e.ceremony_failure },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}

/** ready → open: locks the electorate and opens the ballot box for [opensAt, closesAt). */
export async function openElection(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canManage(actor, municipalityCode);
  await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e) throw notFound('Verifiable vote');
    if (e.status !== 'ready')
      throw wrongPhase(
        e.status === 'ceremony' ? 'The trustees have not finished the key ceremony' : `The vote is ${e.status}`,
      );
    if (e.closes_at <= ctx.now())
      throw wrongPhase('The closing time has passed; return the vote to a draft to change its times');
    await lockElectorate(trx, municipalityCode, e.electorate_id!, `verifiable vote ${e.title}`);
    await bb.openBox(ctx, trx, { municipalityCode, boxId: e.box_id, opensAt: e.opens_at, closesAt: e.closes_at });
    await setStatus(trx, e, 'open');
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'verifiable.election.opened',
      subject: `verifiable:${id}`,
      details: { opensAt: e.opens_at.toISOString(), closesAt: e.closes_at.toISOString(), publicKey: e.public_key },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}

/** open → closed once the closing time has passed (officials, or the scheduled job). */
export async function closeElection(ctx: AppContext, actor: Actor | null, municipalityCode: string, id: string) {
  const official = actor ? canManage(actor, municipalityCode) : null;
  await inScope(ctx.db, { tenant: municipalityCode, actor: official?.personId ?? '' }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e) throw notFound('Verifiable vote');
    if (e.status !== 'open') throw wrongPhase(`The vote is ${e.status}`);
    if (ctx.now() < e.closes_at)
      throw wrongPhase(`Voting closes at ${e.closes_at.toISOString()}; a vote is not closed early`);
    await bb.closeBox(ctx, trx, { municipalityCode, boxId: e.box_id });
    await setStatus(trx, e, 'closed');
    await appendAudit(trx, {
      municipalityCode,
      actorId: official?.personId ?? null,
      action: 'verifiable.election.closed',
      subject: `verifiable:${id}`,
      details: {},
    });
  });
  return actor ? getElection(ctx, actor, municipalityCode, id) : undefined;
}

/** Closes every open verifiable vote whose closing time has passed (scheduled job). */
export async function closeDueElections(ctx: AppContext) {
  const due = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('vv_election')
      .select(['municipality_code', 'id'])
      .where('status', '=', 'open')
      .where('closes_at', '<=', ctx.now())
      .execute(),
  );
  for (const e of due)
    await closeElection(ctx, null, e.municipality_code, e.id).catch((err) =>
      ctx.log.warn({ err, election: e.id }, 'closing a verifiable vote failed'),
    );
  return due.length;
}

// ————— views —————

export async function electionView(ctx: AppContext, trx: Trx, actor: Actor, e: VvElection) {
  const trustees = await listTrustees(trx, e.municipality_code, e.id);
  const counts = await boardCounts(trx, e.municipality_code, e.id);
  const audited = await trx
    .selectFrom('vv_audited')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('municipality_code', '=', e.municipality_code)
    .where('election_id', '=', e.id)
    .executeTakeFirstOrThrow();
  const me = actor.kind === 'person' ? actor.personId : null;
  return {
    municipalityCode: e.municipality_code,
    id: e.id,
    kind: e.kind,
    title: e.title,
    questions: e.questions,
    threshold: e.threshold,
    electorateId: e.electorate_id,
    opensAt: e.opens_at.toISOString(),
    closesAt: e.closes_at.toISOString(),
    status: e.status,
    phase: phaseOf(e, ctx.now()),
    ceremonyAttempt: e.ceremony_attempt,
    ceremonyRound: ceremonyRound(e, trustees),
    ceremonyFailure: e.ceremony_failure,
    fingerprint: e.fingerprint,
    publicKey: e.public_key,
    trustees: trustees.map((t) => ({
      index: t.idx,
      name: t.name,
      isMe: t.person_id === me,
      committed: !!t.commitment,
      dealt: !!t.deal,
      confirmed: !!t.public_share,
      complained: !!t.complaint,
      decrypted: !!t.decryption,
    })),
    board: { ...counts, audited: Number(audited.n) },
    tally: e.tally,
    paper: e.paper,
    result: e.result,
    publishedAt: e.published_at?.toISOString() ?? null,
    canManage: hasRole(actor, e.municipality_code, ['admin', 'editor']),
  };
}

/** Anyone sees a vote once its ceremony has started; drafts only its officials. */
export async function getElection(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id);
    if (!e || (e.status === 'draft' && !hasRole(actor, municipalityCode, ['admin', 'editor'])))
      throw notFound('Verifiable vote');
    return electionView(ctx, trx, actor, e);
  });
}

export async function listElections(ctx: AppContext, actor: Actor, municipalityCode: string) {
  const official = hasRole(actor, municipalityCode, ['admin', 'editor']);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    let qb = trx
      .selectFrom('vv_election')
      .select(['id', 'kind', 'title', 'status', 'opens_at', 'closes_at'])
      .where('municipality_code', '=', municipalityCode);
    if (!official) qb = qb.where('status', '!=', 'draft');
    const rows = await qb.orderBy('closes_at', 'desc').execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      status: r.status,
      phase: phaseOf(r, ctx.now()),
      opensAt: r.opens_at.toISOString(),
      closesAt: r.closes_at.toISOString(),
    }));
  });
}

/** Votes where the actor is a trustee with something to do (ceremony rounds, decryption). */
export async function myTrusteeTasks(ctx: AppContext, actor: Actor) {
  if (actor.kind !== 'person') return [];
  return inScope(ctx.db, { tenant: '*', actor: actor.personId }, async (trx) => {
    const rows = await trx
      .selectFrom('vv_trustee as t')
      .innerJoin('vv_election as e', (j) =>
        j.onRef('e.municipality_code', '=', 't.municipality_code').onRef('e.id', '=', 't.election_id'),
      )
      .select(['e.municipality_code', 'e.id', 'e.title', 'e.status', 't.idx'])
      .where('t.person_id', '=', actor.personId)
      .where('e.status', 'in', ['ceremony', 'ready', 'open', 'closed', 'tallied'])
      .orderBy('e.closes_at')
      .execute();
    return rows.map((r) => ({
      municipalityCode: r.municipality_code,
      id: r.id,
      title: r.title,
      status: r.status,
      index: r.idx,
    }));
  });
}
