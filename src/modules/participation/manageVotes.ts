import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { hasRole, requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, fieldError, invalid, notFound, type FieldError } from '../../platform/http/problems';
import { R_VOTES } from './reasons';
import { placeStore } from '../places';
import { createElectorate, loadElectorateRow, lockElectorate, previewElectorate, updateElectorate } from '../register';
import * as bb from '../ballotBox';
import { canFollowVotes, canManageVotes } from './policy';
import { PV, locked, wrongPhase } from './problems';
import {
  DEFAULT_BUDGET_RULES,
  DEFAULT_ELDER_RULES,
  type BallotSpec,
  type BudgetRules,
  type Choice,
  type Question,
  type VoteRules,
} from './rules';
import { cleanTranslations } from '../../platform/language/translations';
import type { ElectorateChoice, QuestionInput, VoteInput } from './schemas';
import { findVote, type Vote, type VoteStatus } from './store';

/**
 * Preparing and running votes: create and edit (until scheduled), schedule (locks questions,
 * electorate and rules), the phases moved by the job queue (proposals → review, scheduled → open
 * → closed), extending the closing time (the only change once open), publishing results.
 */
export const ADVANCE_JOB = 'participation.advance';

/** The phase as it is now: the ballot box opens and closes on time whatever the job queue does. */
export function phaseOf(v: Pick<Vote, 'status' | 'opensAt' | 'closesAt'>, now: Date): VoteStatus {
  if ((v.status === 'scheduled' || v.status === 'open') && now >= new Date(v.closesAt)) return 'closed';
  if (v.status === 'scheduled' && now >= new Date(v.opensAt)) return 'open';
  return v.status;
}
export const viewOf = (v: Vote, now: Date) => ({ ...v, phase: phaseOf(v, now) });

const EDITABLE: VoteStatus[] = ['draft', 'proposals', 'review'];

function lockedDetail(v: Vote, now: Date): string {
  const phase = phaseOf(v, now);
  if (phase === 'open')
    return 'The vote is open: its questions, choices, electorate and rules are locked. Only the closing time can be extended.';
  if (phase === 'scheduled') return 'The vote is scheduled: unschedule it before changing it.';
  return `The vote is ${phase}: it can no longer be changed.`;
}

// ---------------------------------------------------------------------------------------------
// Building the ballot and rules from input

export function buildPollBallot(questions: QuestionInput[], errors: FieldError[]): BallotSpec {
  let next = 1;
  const out: Question[] = [];
  questions.forEach((q, i) => {
    const ptr = `/body/questions/${i}`;
    const choices: Choice[] = [];
    if (q.kind === 'yesno') {
      choices.push({ id: next++, label: 'Yes', code: 'yes' }, { id: next++, label: 'No', code: 'no' });
    } else {
      const labels = q.choices ?? [];
      if (labels.length < 2) errors.push(fieldError(`${ptr}/choices`, R_VOTES.twoChoices));
      if (new Set(labels.map((l) => l.trim().toLowerCase())).size !== labels.length)
        errors.push(fieldError(`${ptr}/choices`, R_VOTES.choicesDiffer));
      labels.forEach((label, c) => {
        const tr = cleanTranslations({ label: q.translations?.choices?.[c] });
        choices.push({ id: next++, label: label.trim(), ...(tr.label ? { translations: tr } : {}) });
      });
      if ((q.translations?.choices?.length ?? 0) > labels.length)
        errors.push(fieldError(`${ptr}/translations/choices`, R_VOTES.extraTranslations));
    }
    const real = choices.length;
    let minChoices = 1;
    let maxChoices = 1;
    if (q.kind === 'multiple') {
      minChoices = q.minChoices ?? 1;
      maxChoices = q.maxChoices ?? real;
      if (minChoices > maxChoices) errors.push(fieldError(`${ptr}/minChoices`, R_VOTES.minOverMax));
      if (maxChoices > real) errors.push(fieldError(`${ptr}/maxChoices`, R_VOTES.tooFewChoices, { count: real }));
    }
    if (q.allowBlank) choices.push({ id: next++, label: 'Blank', code: 'blank', blank: true });
    const tr = cleanTranslations({ text: q.translations?.text });
    out.push({
      id: i + 1,
      text: q.text.trim(),
      kind: q.kind,
      minChoices,
      maxChoices,
      choices,
      ...(tr.text ? { translations: tr } : {}),
    });
  });
  return { questions: out };
}

async function buildRules(
  ctx: AppContext,
  municipalityCode: string,
  input: VoteInput,
  errors: FieldError[],
): Promise<VoteRules> {
  if (input.kind === 'budget') {
    if (!input.budget) {
      errors.push(fieldError('/body/budget', R_VOTES.budgetRules));
      return {};
    }
    const b = input.budget;
    const settlements = new Set((await placeStore(ctx.db).settlementsOf(municipalityCode)).map((p) => p.code));
    const seen = new Map<string, number>();
    b.districts.forEach((d, i) => {
      if (d.settlementCodes.length === 0 && b.districts.length > 1)
        errors.push(fieldError(`/body/budget/districts/${i}/settlementCodes`, R_VOTES.districtSettlements));
      for (const code of d.settlementCodes) {
        if (!settlements.has(code))
          errors.push(
            fieldError(`/body/budget/districts/${i}/settlementCodes`, R_VOTES.notSettlement, {
              value: code,
              municipality: municipalityCode,
            }),
          );
        if (seen.has(code))
          errors.push(
            fieldError(`/body/budget/districts/${i}/settlementCodes`, R_VOTES.settlementInDistrict, {
              value: code,
              district: seen.get(code)! + 1,
            }),
          );
        seen.set(code, i);
      }
    });
    const rules: BudgetRules = {
      ...DEFAULT_BUDGET_RULES,
      method: b.method,
      maxChoices: b.maxChoices ?? DEFAULT_BUDGET_RULES.maxChoices,
      minChoices: b.minChoices ?? 1,
      ownDistrictOnly: b.ownDistrictOnly ?? false,
      minSpentPercent: b.minSpentPercent ?? 0,
      points: b.points ?? DEFAULT_BUDGET_RULES.points,
      maxPointsPerIdea: b.maxPointsPerIdea ?? 0,
      rule: b.rule ?? 'greedy',
      greedy: b.greedy ?? 'skip',
      utility: b.utility ?? 'cost',
      completion: b.completion ?? 'add1',
      minSupport: b.minSupport ?? 0,
      pooling: b.pooling ?? false,
      districts: b.districts.map((d, i) => ({
        id: i + 1,
        name: d.name.trim(),
        budgetCents: d.budgetCents,
        settlementCodes: d.settlementCodes,
        minVoters: d.minVoters ?? 0,
      })),
    };
    if (rules.method === 'approval' && rules.minChoices > rules.maxChoices)
      errors.push(fieldError('/body/budget/minChoices', R_VOTES.minOverMax));
    return { budget: rules };
  }
  if (input.kind === 'elder') return { elder: { ...DEFAULT_ELDER_RULES, ...stripUndefined(input.elder ?? {}) } };
  return {};
}

const stripUndefined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function checkDates(input: VoteInput, errors: FieldError[]) {
  const opens = new Date(input.opensAt);
  const closes = new Date(input.closesAt);
  if (!(closes > opens)) errors.push(fieldError('/body/closesAt', R_VOTES.closesBeforeOpens));
  if (input.proposalsCloseAt && !(new Date(input.proposalsCloseAt) <= opens))
    errors.push(fieldError('/body/proposalsCloseAt', R_VOTES.proposalsAfterOpening));
  if (input.kind === 'poll' && input.proposalsCloseAt)
    errors.push(fieldError('/body/proposalsCloseAt', R_VOTES.pollNoProposals));
}

/** Creates or updates the vote's own electorate (a live one in the register module), or takes a chosen one. */
async function resolveElectorate(
  ctx: AppContext,
  actor: Actor,
  trx: Trx,
  municipalityCode: string,
  title: string,
  opensAt: string,
  choice: ElectorateChoice | null | undefined,
  current: string | null,
): Promise<string | null> {
  if (choice === undefined) return current;
  if (choice === null) return null;
  if ('electorateId' in choice) {
    const row = await loadElectorateRow(trx, municipalityCode, choice.electorateId);
    if (!row) throw invalid([fieldError('/body/electorate/electorateId', R_VOTES.noSuchElectorate)]);
    return row.id;
  }
  const def = {
    name: `${title}`.slice(0, 200),
    scope: choice.scope,
    settlementCodes: choice.scope === 'settlements' ? (choice.settlementCodes ?? []) : [],
    minAge: choice.minAge,
    maxAge: null,
    referenceDate: tallinnDay(new Date(opensAt)),
    residenceAt: 'reference-date' as const,
    mode: 'live' as const,
  };
  if (choice.scope === 'settlements' && def.settlementCodes.length === 0)
    throw invalid([fieldError('/body/electorate/settlementCodes', R_VOTES.chooseSettlement)]);
  if (current) {
    const row = await loadElectorateRow(trx, municipalityCode, current);
    if (row && !row.locked_at && !row.frozen_at) {
      await updateElectorate(ctx, actor, municipalityCode, current, def, { trx });
      return current;
    }
  }
  const created = await createElectorate(ctx, actor, municipalityCode, def, { trx });
  return created.id;
}

export function tallinnDay(d: Date): string {
  return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Tallinn' });
}

// ---------------------------------------------------------------------------------------------
// Use cases

export async function createVote(ctx: AppContext, actor: Actor, municipalityCode: string, input: VoteInput) {
  const official = canManageVotes(actor, municipalityCode);
  const errors: FieldError[] = [];
  checkDates(input, errors);
  const ballot = input.kind === 'poll' ? buildPollBallot(input.questions ?? [], errors) : { questions: [] };
  if (input.kind !== 'poll' && input.questions?.length)
    errors.push(fieldError('/body/questions', R_VOTES.questionsOnlyInPolls));
  const rules = await buildRules(ctx, municipalityCode, input, errors);
  if (errors.length) throw invalid(errors);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const id = (await sql<{ id: string }>`SELECT gen_random_uuid() AS id`.execute(trx)).rows[0]!.id;
    // Budgets keep whole ballots after counting (choices in random order): Pabulib export, district voters.
    const boxId = await bb.createBox(trx, {
      municipalityCode,
      owner: `participation.vote:${id}`,
      keepSets: input.kind === 'budget',
    });
    const electorateId = await resolveElectorate(
      ctx,
      actor,
      trx,
      municipalityCode,
      input.title,
      input.opensAt,
      input.electorate,
      null,
    );
    await trx
      .insertInto('pv_vote')
      .values({
        municipality_code: municipalityCode,
        id,
        kind: input.kind,
        title: input.title.trim(),
        description: input.description ?? '',
        translations: JSON.stringify(cleanTranslations(input.translations)),
        opens_at: new Date(input.opensAt),
        closes_at: new Date(input.closesAt),
        proposals_close_at: input.proposalsCloseAt ? new Date(input.proposalsCloseAt) : null,
        electorate_id: electorateId,
        ballot: JSON.stringify(ballot),
        rules: JSON.stringify(rules),
        box_id: boxId,
        created_by: official.personId,
      })
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.vote.created',
      subject: `vote:${id}`,
      details: { kind: input.kind, title: input.title },
    });
    return viewOf((await findVote(trx, municipalityCode, id))!, ctx.now());
  });
}

export async function updateVote(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  input: VoteInput,
) {
  const official = canManageVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
    if (!v) throw notFound('Vote');
    if (!EDITABLE.includes(v.status) || v.imported) throw locked(lockedDetail(v, ctx.now()));
    if (input.kind !== v.kind) throw invalid([fieldError('/body/kind', R_VOTES.kindFixed, { kind: v.kind })]);
    const errors: FieldError[] = [];
    checkDates(input, errors);
    const ballot = v.kind === 'poll' ? buildPollBallot(input.questions ?? [], errors) : v.ballot;
    const rules = await buildRules(ctx, municipalityCode, input, errors);
    if (errors.length) throw invalid(errors);
    const electorateId = await resolveElectorate(
      ctx,
      actor,
      trx,
      municipalityCode,
      input.title,
      input.opensAt,
      input.electorate,
      v.electorateId,
    );
    await trx
      .updateTable('pv_vote')
      .set({
        title: input.title.trim(),
        description: input.description ?? '',
        translations: JSON.stringify(
          input.translations === undefined ? v.translations : cleanTranslations(input.translations),
        ),
        opens_at: new Date(input.opensAt),
        closes_at: new Date(input.closesAt),
        proposals_close_at: input.proposalsCloseAt ? new Date(input.proposalsCloseAt) : null,
        electorate_id: electorateId,
        ballot: JSON.stringify(ballot),
        rules: JSON.stringify(rules),
        updated_at: new Date(),
      })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.vote.updated',
      subject: `vote:${id}`,
      details: { title: input.title },
    });
    return viewOf((await findVote(trx, municipalityCode, id))!, ctx.now());
  });
}

/** Who may see a vote: drafts only officials; everything else is public. */
export async function getVote(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  return inScope(
    ctx.db,
    { tenant: municipalityCode, ...(actor.kind === 'person' ? { actor: actor.personId } : {}) },
    async (trx) => {
      const v = await findVote(trx, municipalityCode, id);
      if (!v || (v.status === 'draft' && !hasRole(actor, municipalityCode, ['admin', 'editor', 'analyst'])))
        throw notFound('Vote');
      return viewOf(v, ctx.now());
    },
  );
}

export async function listVotes(ctx: AppContext, actor: Actor, municipalityCode: string) {
  const official = hasRole(actor, municipalityCode, ['admin', 'editor', 'analyst']);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    let qb = trx.selectFrom('pv_vote').select('id').where('municipality_code', '=', municipalityCode);
    if (!official) qb = qb.where('status', '!=', 'draft');
    const ids = await qb.orderBy('opens_at', 'desc').execute();
    const out = [];
    for (const { id } of ids) out.push(viewOf((await findVote(trx, municipalityCode, id))!, ctx.now()));
    return out;
  });
}

/** Opens the call for ideas (budgets) or nominations (elder elections): draft → proposals. */
export async function openProposals(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canManageVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
    if (!v) throw notFound('Vote');
    if (v.kind === 'poll') throw wrongPhase('Polls have no ideas or nominations phase');
    if (v.status !== 'draft') throw wrongPhase(`The vote is ${v.status}; proposals can be opened only from a draft`);
    if (!v.proposalsCloseAt || new Date(v.proposalsCloseAt) <= ctx.now())
      throw invalid([fieldError('/body/proposalsCloseAt', R_VOTES.proposalsClosePast)]);
    await setStatus(trx, v, 'proposals');
    await enqueueAdvance(ctx, trx, municipalityCode, id, secondsUntil(ctx, v.proposalsCloseAt));
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.proposals.opened',
      subject: `vote:${id}`,
      details: { until: v.proposalsCloseAt },
    });
    return viewOf((await findVote(trx, municipalityCode, id))!, ctx.now());
  });
}

/**
 * Enqueues the phase change at its time, in the caller's transaction: the job exists exactly when
 * the change commits. The minute sweep (`participation.sweep`) moves every due vote as well, so a
 * queue that is not running (the command line, a database without the queue's schema) only delays
 * bookkeeping — the ballot box itself opens and closes on the exact times whatever the queue does.
 */
async function enqueueAdvance(
  ctx: AppContext,
  trx: Trx,
  municipalityCode: string,
  voteId: string,
  startAfterSeconds: number,
) {
  await enqueueWithFallback(
    ctx,
    trx,
    ADVANCE_JOB,
    { municipalityCode, voteId },
    { startAfterSeconds },
    'the sweep will advance the vote',
  );
}

/**
 * Sends a job in the caller's transaction for work that has a safety net elsewhere (a sweep, a
 * nightly run): a savepoint keeps a failing enqueue from spoiling the official's change, and the
 * failure is logged with what will pick the work up instead.
 */
export async function enqueueWithFallback(
  ctx: AppContext,
  trx: Trx,
  name: string,
  data: object,
  opts: { startAfterSeconds?: number },
  fallback: string,
) {
  await sql`SAVEPOINT pv_job`.execute(trx);
  try {
    await ctx.jobs.sendInTx(trx, name, data, opts);
    await sql`RELEASE SAVEPOINT pv_job`.execute(trx);
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT pv_job`.execute(trx);
    ctx.log.warn({ job: name, reason: (err as Error).message }, `job not enqueued: ${fallback}`);
  }
}

const secondsUntil = (ctx: AppContext, iso: string) =>
  Math.max(0, Math.ceil((new Date(iso).getTime() - ctx.now().getTime()) / 1000));

async function setStatus(trx: Trx, v: Vote, status: VoteStatus, extra: Record<string, unknown> = {}) {
  await trx
    .updateTable('pv_vote')
    .set({ status, updated_at: new Date(), ...extra })
    .where('municipality_code', '=', v.municipalityCode)
    .where('id', '=', v.id)
    .execute();
}

/** An elder or budget ballot's question is the vote's title, in the vote's languages. */
const titleTranslations = (v: Vote) => (v.translations.title ? { translations: { text: v.translations.title } } : {});

/** What is missing before a vote can be scheduled, and the ballot of elder/budget votes. */
async function completeBallot(trx: Trx, v: Vote, errors: FieldError[]): Promise<BallotSpec> {
  if (!v.electorateId) errors.push(fieldError('/body/electorate', R_VOTES.chooseElectorate));
  if (v.kind === 'poll') {
    if (v.ballot.questions.length === 0) errors.push(fieldError('/body/questions', R_VOTES.addQuestion));
    return v.ballot;
  }
  if (v.kind === 'elder') {
    const cands = await trx
      .selectFrom('pv_candidate')
      .selectAll()
      .where('municipality_code', '=', v.municipalityCode)
      .where('vote_id', '=', v.id)
      .where('status', '=', 'approved')
      .where('consent_at', 'is not', null)
      .orderBy('number')
      .execute();
    if (cands.length === 0) errors.push(fieldError('/body/candidates', R_VOTES.approveCandidate));
    return {
      questions: [
        {
          id: 1,
          text: v.title,
          ...titleTranslations(v),
          kind: 'single',
          minChoices: 1,
          maxChoices: 1,
          choices: cands.map((c) => ({ id: c.number, label: c.name, candidateId: c.id })),
        },
      ],
    };
  }
  const rules = v.rules.budget!;
  const ideas = await trx
    .selectFrom('pv_idea')
    .selectAll()
    .where('municipality_code', '=', v.municipalityCode)
    .where('vote_id', '=', v.id)
    .where('status', '=', 'feasible')
    .orderBy('number')
    .execute();
  if (ideas.length === 0) errors.push(fieldError('/body/ideas', R_VOTES.feasibleIdea));
  for (const i of ideas) {
    if (i.final_cost_cents === null)
      errors.push(fieldError(`/body/ideas/${i.number}`, R_VOTES.ideaNoCost, { number: i.number, title: i.title }));
    if (i.district_id === null || !rules.districts.some((d) => d.id === i.district_id))
      errors.push(fieldError(`/body/ideas/${i.number}`, R_VOTES.ideaNoDistrict, { number: i.number, title: i.title }));
  }
  const max = rules.method === 'approval' ? Math.min(rules.maxChoices, Math.max(1, ideas.length)) : ideas.length;
  return {
    questions: [
      {
        id: 1,
        text: v.title,
        ...titleTranslations(v),
        kind: 'multiple',
        minChoices: rules.method === 'cumulative' ? 1 : rules.minChoices,
        maxChoices: Math.max(1, max),
        choices: ideas.map((i) => ({
          id: i.number,
          label: i.title,
          ...(i.translations?.title ? { translations: { label: i.translations.title } } : {}),
          ideaId: i.id,
          costCents: Number(i.final_cost_cents ?? 0),
          districtId: i.district_id ?? 0,
        })),
      },
    ],
  };
}

/**
 * Schedules a vote: checks it is complete, builds the ballot (elder: approved candidates; budget:
 * feasible ideas), locks the electorate, and sets the ballot box to accept casts from the opening
 * to the closing time. From now on nothing can change but (once open) the closing time.
 */
export async function scheduleVote(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canManageVotes(actor, municipalityCode);
  const res = await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
    if (!v) throw notFound('Vote');
    if (!EDITABLE.includes(v.status)) throw locked(lockedDetail(v, ctx.now()));
    if (v.status === 'proposals')
      throw wrongPhase('Ideas or nominations are still being collected; wait until that phase closes (review)');
    if (new Date(v.closesAt) <= ctx.now()) throw invalid([fieldError('/body/closesAt', R_VOTES.closingPassed)]);
    const errors: FieldError[] = [];
    const ballot = await completeBallot(trx, v, errors);
    if (errors.length)
      throw new Problem(PV.incomplete, `The vote is not ready: ${errors.map((e) => e.detail).join('; ')}`, { errors });
    await lockElectorate(trx, municipalityCode, v.electorateId!, `vote:${id}`);
    const row = await loadElectorateRow(trx, municipalityCode, v.electorateId!);
    await setStatus(trx, v, 'scheduled', {
      ballot: JSON.stringify(ballot),
      ...(row?.frozen_size != null ? { electorate_size: row.frozen_size } : {}),
    });
    await bb.openBox(ctx, trx, {
      municipalityCode,
      boxId: v.boxId,
      opensAt: new Date(v.opensAt),
      closesAt: new Date(v.closesAt),
      // Every sealed ballot is as long as one that chose everything.
      maxSelections: ballot.questions.reduce((n, q) => n + q.choices.length, 0),
      keepSets: v.kind === 'budget',
    });
    await enqueueAdvance(ctx, trx, municipalityCode, id, secondsUntil(ctx, v.opensAt));
    await enqueueAdvance(ctx, trx, municipalityCode, id, secondsUntil(ctx, v.closesAt));
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.vote.scheduled',
      subject: `vote:${id}`,
      details: {
        opensAt: v.opensAt,
        closesAt: v.closesAt,
        electorateId: v.electorateId,
        choices: ballot.questions.reduce((n, q) => n + q.choices.length, 0),
      },
    });
    return { v, frozen: row?.frozen_size != null };
  });
  // A live electorate's size: counted from the register data now (the official's preview right).
  if (!res.frozen) {
    const size = await previewElectorate(ctx, actor, municipalityCode, res.v.electorateId!).then(
      (p) => p.total,
      () => null,
    );
    if (size !== null)
      await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
        trx
          .updateTable('pv_vote')
          .set({ electorate_size: size })
          .where('municipality_code', '=', municipalityCode)
          .where('id', '=', id)
          .where('status', '=', 'scheduled')
          .execute(),
      );
  }
  return getVote(ctx, actor, municipalityCode, id);
}

/** Takes a scheduled vote back to draft (or review) before it opens; its box accepts nothing. */
export async function unscheduleVote(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canManageVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
    if (!v) throw notFound('Vote');
    if (v.status !== 'scheduled' || phaseOf(v, ctx.now()) !== 'scheduled') throw locked(lockedDetail(v, ctx.now()));
    // The box waits for a cast at the very opening instant, and refuses if any ballot is in it.
    if (!(await bb.withdrawBox(trx, { municipalityCode, boxId: v.boxId })))
      throw locked('Ballots have been cast: the vote can no longer be unscheduled');
    await setStatus(trx, v, v.kind === 'poll' ? 'draft' : 'review');
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.vote.unscheduled',
      subject: `vote:${id}`,
    });
    return viewOf((await findVote(trx, municipalityCode, id))!, ctx.now());
  });
}

/** The only change allowed once a vote is open: a later closing time. Audited. */
export async function extendVote(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  closesAt: string,
) {
  const official = canManageVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
    if (!v) throw notFound('Vote');
    const phase = phaseOf(v, ctx.now());
    if (phase !== 'open')
      throw locked(
        phase === 'closed' || phase === 'published'
          ? `The vote is ${phase}: its closing time cannot change`
          : `The vote is ${phase}, not open: change its times by editing it`,
      );
    const next = new Date(closesAt);
    if (!(next > new Date(v.closesAt)))
      throw locked(`The closing time can only be extended (it is ${v.closesAt}); an open vote cannot be shortened`);
    await bb.setClosingTime(trx, { municipalityCode, boxId: v.boxId, closesAt: next });
    await trx
      .updateTable('pv_vote')
      .set({ closes_at: next, updated_at: new Date() })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .execute();
    await enqueueAdvance(ctx, trx, municipalityCode, id, secondsUntil(ctx, next.toISOString()));
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.vote.extended',
      subject: `vote:${id}`,
      details: { from: v.closesAt, to: next.toISOString() },
    });
    return viewOf((await findVote(trx, municipalityCode, id))!, ctx.now());
  });
}

/**
 * Moves a vote to the phase its times call for (job queue and the sweep): proposals → review at
 * the end of the proposals phase; scheduled → open at the opening time; open → closed at the
 * closing time (the ballot box is closed: casts in flight finish, later ones are refused).
 */
export async function advanceVote(ctx: AppContext, municipalityCode: string, id: string): Promise<VoteStatus | null> {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id, { forUpdate: true });
    if (!v) return null;
    const now = ctx.now();
    let status = v.status;
    if (status === 'proposals' && v.proposalsCloseAt && now >= new Date(v.proposalsCloseAt)) {
      await setStatus(trx, v, 'review');
      await appendAudit(trx, {
        municipalityCode,
        actorId: null,
        action: 'participation.proposals.closed',
        subject: `vote:${id}`,
      });
      status = 'review';
    }
    if (status === 'scheduled' && now >= new Date(v.opensAt)) {
      await setStatus(trx, v, 'open', { opened_at: new Date(v.opensAt) });
      await appendAudit(trx, {
        municipalityCode,
        actorId: null,
        action: 'participation.vote.opened',
        subject: `vote:${id}`,
      });
      status = 'open';
    }
    if (status === 'open' && now >= new Date(v.closesAt)) {
      await bb.closeBox(ctx, trx, { municipalityCode, boxId: v.boxId });
      await setStatus(trx, v, 'closed', { closed_at: new Date(v.closesAt) });
      await appendAudit(trx, {
        municipalityCode,
        actorId: null,
        action: 'participation.vote.closed',
        subject: `vote:${id}`,
      });
      status = 'closed';
    }
    return status;
  });
}

/** Every vote whose phase is due (once a minute, and at start-up), in every municipality. */
export async function advanceDueVotes(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const due = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('pv_vote')
      .select(['municipality_code', 'id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'proposals'), eb('proposals_close_at', '<=', now)]),
          eb.and([eb('status', '=', 'scheduled'), eb('opens_at', '<=', now)]),
          eb.and([eb('status', '=', 'open'), eb('closes_at', '<=', now)]),
        ]),
      )
      .execute(),
  );
  for (const d of due) await advanceVote(ctx, d.municipality_code, d.id);
  return due.length;
}

/** An official closes a vote whose closing time has passed (if the queue has not yet); never early. */
export async function closeVote(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  canManageVotes(actor, municipalityCode);
  const v = await getVote(ctx, actor, municipalityCode, id);
  if (v.phase !== 'closed' && v.status !== 'closed')
    throw locked(`The vote closes at ${v.closesAt}; it cannot be closed early (its closing time can only be extended)`);
  await advanceVote(ctx, municipalityCode, id);
  return getVote(ctx, actor, municipalityCode, id);
}

/** Live turnout for officials: numbers only, never content. */
export async function voteTurnout(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canFollowVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id);
    if (!v) throw notFound('Vote');
    return turnoutView(ctx, trx, v);
  });
}

/** Officials: how long the vote's sealed ballots are kept, and when they will be (or were) destroyed. */
export async function voteSealing(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const official = canFollowVotes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, id);
    if (!v) throw notFound('Vote');
    const box = await bb.getBox(trx, { municipalityCode, boxId: v.boxId });
    const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
    return {
      retentionDays: await bb.retentionOf(trx, municipalityCode),
      finalAt: iso(box?.finalAt),
      destroyAfter: iso(box?.destroyAfter),
      destroyedAt: iso(box?.keysDestroyedAt),
    };
  });
}

export async function turnoutView(ctx: AppContext, trx: Trx, v: Vote) {
  const t = await bb.turnout(trx, { municipalityCode: v.municipalityCode, boxId: v.boxId });
  const places = await placeStore(ctx.db).all();
  return {
    voters: t.voters,
    internet: t.internet,
    paper: t.paper,
    electorateSize: v.electorateSize,
    percent: v.electorateSize ? Math.round((t.voters / v.electorateSize) * 10000) / 100 : null,
    bySettlement: t.bySettlement.map((s) => ({
      settlementCode: s.settlementCode,
      name: s.settlementCode ? (places.get(s.settlementCode)?.name ?? null) : null,
      voters: s.voters,
    })),
  };
}

export function requireVoter(actor: Actor) {
  return requirePerson(actor);
}
