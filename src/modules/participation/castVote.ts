import type { AppContext } from '../../platform/context';
import { requirePerson, requireRole, type Actor, type PersonActor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, invalid, notFound } from '../../platform/http/problems';
import { parseIdCode } from '../../platform/identity/personalIdCode';
import { checkEligibility } from '../register';
import * as bb from '../ballotBox';
import { phaseOf, viewOf } from './manageVotes';
import { PV, notEligible, wrongPhase } from './problems';
import { validateBallot } from './rules';
import type { BallotInput, MyVoteStatus } from './schemas';
import { findVote, type Vote } from './store';
import { loadElectorateRow } from '../register';
import { findPersonByCode } from '../../platform/auth/persons';

/**
 * Casting: the voter's eligibility (one call to the register module), the ballot against the
 * vote's rules, then the ballot box (one statement). Nothing is recorded unless all three pass;
 * the receipt is returned only after the ballot has committed.
 */

// Once a vote has opened its ballot, rules and electorate never change, so they are kept in memory.
interface CastingVote {
  vote: Vote;
  /** The electorate is a frozen voter list: membership is checked by the cast statement itself. */
  frozenList: boolean;
}
const openVotes = new WeakMap<AppContext, Map<string, CastingVote>>();

async function voteForCasting(ctx: AppContext, municipalityCode: string, id: string): Promise<CastingVote | undefined> {
  let cache = openVotes.get(ctx);
  if (!cache) openVotes.set(ctx, (cache = new Map()));
  const key = `${municipalityCode}:${id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const found = await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const vote = await findVote(trx, municipalityCode, id);
    if (!vote) return undefined;
    const e =
      vote.electorateId && (vote.status === 'scheduled' || vote.status === 'open')
        ? await loadElectorateRow(trx, municipalityCode, vote.electorateId)
        : undefined;
    return { vote, frozenList: Boolean(e && e.mode === 'frozen' && e.frozen_at && e.locked_at) };
  });
  if (
    found &&
    (found.vote.status === 'scheduled' || found.vote.status === 'open') &&
    ctx.now() >= new Date(found.vote.opensAt)
  ) {
    if (cache.size > 1000) cache.clear();
    cache.set(key, found);
  }
  return found;
}

// The voter's eligibility, in a transaction of its own (on a live electorate, one statement: see checkEligibility).
async function eligibilityOf(ctx: AppContext, v: Vote, person: PersonActor, voteId: string) {
  return checkEligibility(ctx, null, {
    municipalityCode: v.municipalityCode,
    electorateId: v.electorateId!,
    personId: person.personId,
    birthDate: person.birthDate,
    at: ctx.now(),
    purpose: 'vote',
    reference: `vote:${voteId}`,
  });
}

/**
 * Casts (or replaces) the voter's ballot and answers the receipt. The fast path, for a frozen
 * voter list: the ballot is checked against the rules in memory, then one statement checks the
 * voter list and writes the ballot, together with the other ballots cast at the same moment
 * (the ballot box's group commit). A live electorate asks the register first (its own short transaction).
 */
export async function castVote(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  input: BallotInput,
) {
  const person = requirePerson(actor);
  let entry = await voteForCasting(ctx, municipalityCode, voteId);
  if (!entry || entry.vote.status === 'draft') throw notFound('Vote');
  if (phaseOf(entry.vote, ctx.now()) === 'closed') {
    // The closing time may have been extended since it was cached: ask again.
    openVotes.get(ctx)?.delete(`${municipalityCode}:${voteId}`);
    entry = (await voteForCasting(ctx, municipalityCode, voteId))!;
  }
  const v = entry.vote;
  const phase = phaseOf(v, ctx.now());
  if (phase !== 'open')
    throw new Problem(
      PV.notOpen,
      phase === 'closed' || phase === 'published' ? `Voting closed at ${v.closesAt}` : `Voting opens at ${v.opensAt}`,
      { opensAt: v.opensAt, closesAt: v.closesAt },
    );
  // Own-district budgets need the voter's settlement unit before the ballot can be checked.
  const fast = entry.frozenList && !(v.kind === 'budget' && v.rules.budget?.ownDistrictOnly);
  let settlementCode: string | null = null;
  if (!fast) {
    const e = await eligibilityOf(ctx, v, person, voteId);
    if (!e.eligible) throw notEligible(e.reason);
    settlementCode = e.settlementCode;
  }
  const valid = validateBallot(v.kind, v.ballot, v.rules, input, { settlementCode });
  // The ballot box seals the choices; the answers' wording is not kept (the choices are the ballot).
  const r = await bb.submitCast(ctx, null, {
    municipalityCode,
    boxId: v.boxId,
    electorateId: fast ? v.electorateId : null,
    personId: person.personId,
    settlementCode,
    ballot: { format: 'plain/1', selections: valid.selections, weights: valid.weights },
  });
  switch (r.outcome) {
    case 'cast':
      return { receipt: r.receipt, replaced: r.replaced, voteId };
    case 'voted-on-paper':
      throw new Problem(
        bb.BB.votedOnPaper,
        'A paper vote has been recorded for you at a service point; it replaces internet voting, so no ballot can be cast',
      );
    case 'not-eligible': {
      // Not on the frozen voter list: the register module says why.
      const e = await eligibilityOf(ctx, v, person, voteId);
      throw notEligible(e.eligible ? 'not-on-list' : e.reason);
    }
    default:
      // The ballot box has the last word on time: it refuses exactly at the closing instant.
      throw new Problem(PV.notOpen, `Voting closed at ${v.closesAt}`, { opensAt: v.opensAt, closesAt: v.closesAt });
  }
}

/** For the voter: may I vote, have I voted (and how: internet or paper) — never what. */
export async function myVoteStatus(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
): Promise<MyVoteStatus> {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, voteId);
    if (!v || v.status === 'draft') throw notFound('Vote');
    const status = await bb.voterStatus(trx, { municipalityCode, boxId: v.boxId, personId: person.personId });
    let eligibility: { eligible: boolean; reason: string | null; settlementCode: string | null } = {
      eligible: false,
      reason: 'no-electorate',
      settlementCode: null,
    };
    if (v.electorateId) {
      const e = await checkEligibility(ctx, trx, {
        municipalityCode,
        electorateId: v.electorateId,
        personId: person.personId,
        at: ctx.now(),
        purpose: 'vote-preview',
        reference: `vote:${voteId}`,
      }).catch((err) => {
        if (err instanceof Problem && err.status === 409) return { eligible: false as const, reason: 'not-ready' };
        throw err;
      });
      eligibility = e.eligible
        ? { eligible: true, reason: null, settlementCode: e.settlementCode }
        : { eligible: false, reason: e.reason, settlementCode: null };
    }
    return {
      vote: viewOf(v, ctx.now()),
      eligible: eligibility.eligible,
      reason: eligibility.reason,
      settlementCode: eligibility.settlementCode,
      voted: status !== null,
      channel: status?.channel ?? null,
      firstVotedAt: status?.firstVotedAt.toISOString() ?? null,
    };
  });
}

/** Anyone: what became of a receipt (counted / superseded by a later ballot / cancelled by a paper vote / unknown). */
export async function checkReceipt(ctx: AppContext, municipalityCode: string, voteId: string, receipt: string) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const v = await findVote(trx, municipalityCode, voteId);
    if (!v || v.status === 'draft') throw notFound('Vote');
    return {
      receipt: bb.normaliseReceipt(receipt),
      status: await bb.receiptStatus(trx, { municipalityCode, boxId: v.boxId, receipt }),
    };
  });
}

/**
 * A paper vote at a service point (officials): the person must be in the electorate; they are
 * marked as having voted, and their internet ballot, if any, is cancelled (IVXV rule). Audited
 * with the official's identity. The paper ballot goes into the count anonymously after closing.
 */
export async function recordPaperVote(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  idCode: string,
) {
  const official = requireRole(actor, municipalityCode, ['admin', 'editor']);
  const parsed = parseIdCode(idCode);
  if (!parsed.ok)
    throw invalid([{ pointer: '/body/idCode', detail: `is not a valid personal ID code (${parsed.problem})` }]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, voteId);
    if (!v || v.status === 'draft') throw notFound('Vote');
    if (phaseOf(v, ctx.now()) !== 'open')
      throw new Problem(PV.notOpen, 'Paper votes are recorded while the vote is open');
    const pid = await findPersonByCode(trx, parsed.value.code);
    if (!pid) throw notEligible('not-resident');
    const p = { id: pid };
    const e = await checkEligibility(ctx, trx, {
      municipalityCode,
      electorateId: v.electorateId!,
      personId: p.id,
      idCode: parsed.value.code,
      at: ctx.now(),
      purpose: 'paper-vote',
      askedBy: official.personId,
      reference: `vote:${voteId}`,
    });
    if (!e.eligible) throw notEligible(e.reason);
    const r = await bb.recordPaperVoter(ctx, trx, {
      municipalityCode,
      boxId: v.boxId,
      personId: p.id,
      settlementCode: e.settlementCode,
      recordedBy: official.personId,
    });
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.paper-vote.recorded',
      subject: `vote:${voteId}`,
      details: { person: p.id, cancelledInternetBallot: r.cancelledInternetBallot },
    });
    return { recorded: true, cancelledInternetBallot: r.cancelledInternetBallot };
  });
}

/**
 * Paper ballots counted at the service points, entered after closing, anonymously: never more
 * than the paper voters recorded. Each is checked against the vote's rules. Audited.
 */
export async function enterPaperBallots(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  voteId: string,
  ballots: (BallotInput & { settlementCode?: string | null })[],
) {
  const official = requireRole(actor, municipalityCode, ['admin', 'editor']);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const v = await findVote(trx, municipalityCode, voteId, { forUpdate: true });
    if (!v || v.status === 'draft') throw notFound('Vote');
    if (v.status !== 'closed')
      throw wrongPhase('Paper ballots are entered after the vote has closed and before its results are published');
    const t = await bb.turnout(trx, { municipalityCode, boxId: v.boxId });
    const already = await bb.ballotCount(trx, { municipalityCode, boxId: v.boxId }, 'paper');
    if (already + ballots.length > t.paper)
      throw invalid([
        {
          pointer: '/body/ballots',
          detail: `${t.paper} paper voters were recorded and ${already} paper ballots entered: at most ${t.paper - already} more`,
        },
      ]);
    const payloads = ballots.map((b, i) => {
      try {
        const valid = validateBallot(v.kind, v.ballot, v.rules, b, { settlementCode: b.settlementCode ?? null });
        return { format: 'plain/1', selections: valid.selections, weights: valid.weights };
      } catch (err) {
        if (err instanceof Problem)
          throw new Problem(err.kind, `paper ballot ${i + 1}: ${err.detail}`, {
            ...err.extras,
            errors: [{ pointer: `/body/ballots/${i}`, detail: err.detail }],
          });
        throw err;
      }
    });
    await bb.addAnonymousBallots(ctx, trx, { municipalityCode, boxId: v.boxId, channel: 'paper', ballots: payloads });
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'participation.paper-ballots.entered',
      subject: `vote:${voteId}`,
      details: { count: ballots.length },
    });
    return { entered: ballots.length };
  });
}
