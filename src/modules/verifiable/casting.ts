/**
 * Casting encrypted ballots into the participation module's ballot box, auditing ballots
 * (Benaloh challenge), and paper votes.
 *
 * A voter's ballot slot is the ballot box's keyed pseudonym (HMAC with the server's pseudonym
 * key); the board shows only SHA-256 of it ("public slot"), and every proof of the voter's ballot
 * is bound to that public slot, so a ballot cannot be replayed by another voter.
 */
import { createHash } from 'node:crypto';
import type { Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, invalid, notFound } from '../../platform/http/problems';
import { parseIdCode, idCodeError } from '../../platform/identity/personalIdCode';
import * as bb from '../ballotBox';
import { checkEligibility } from '../register';
import { checkAudit, type ElectionParams } from './crypto/ballot';
import { CryptoError } from './crypto/errors';
import { paramsOf } from './crypto/record';
import { BALLOT_FORMAT, PAPER_FORMAT, phaseOf } from './manageElections';
import { canManage } from './policy';
import { VV, ballotProblem, notEligible, wrongPhase } from './problems';
import type { AuditBody, CastBody, PaperBallotsBody } from './schemas';
import { appendBallot, cancelSlot, findElection, type VvElection } from './store';
import { verifyInPool } from './verifyPool';
import { findPersonByCode } from '../../platform/auth/persons';

/** The public pseudonym of a voter's ballot-box slot in this election (32 hex digits). */
export function publicSlot(pseudonymKey: string, boxId: string, personId: string): string {
  const slot = bb.voterSlot(pseudonymKey, boxId, personId);
  return createHash('sha256').update('kov-verifiable/v1/public-slot\u0000').update(slot).digest('hex').slice(0, 32);
}

// Open elections never change their definition or key, so they are kept in memory for casting.
const cache = new WeakMap<AppContext, Map<string, { e: VvElection; params: ElectionParams }>>();

async function electionForCasting(ctx: AppContext, municipalityCode: string, id: string) {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map()));
  const key = `${municipalityCode}:${id}`;
  const hit = m.get(key);
  if (hit) return hit;
  const e = await inScope(ctx.db, { tenant: municipalityCode }, (trx) => findElection(trx, municipalityCode, id));
  if (!e || e.status === 'draft') throw notFound('Verifiable vote');
  const out = {
    e,
    params:
      e.definition && e.public_key ? paramsOf(e.definition, e.public_key) : (undefined as unknown as ElectionParams),
  };
  if (e.status === 'open') {
    if (m.size > 1000) m.clear();
    m.set(key, out);
  }
  return out;
}

function requireOpen(e: VvElection, now: Date) {
  const phase = phaseOf(e, now);
  if (phase !== 'open')
    throw new Problem(
      bb.BB.notOpen,
      phase === 'scheduled'
        ? `Voting opens at ${e.opens_at.toISOString()}`
        : phase === 'closing' || ['closed', 'tallied', 'published'].includes(phase)
          ? `Voting closed at ${e.closes_at.toISOString()}`
          : 'Voting has not been opened',
    );
}

/** For the voter's browser: the slot to bind the proofs to, the election parameters, eligibility and whether they voted. */
export async function myBallotSlot(ctx: AppContext, actor: Actor, municipalityCode: string, id: string) {
  const person = requirePerson(actor);
  const { e, params } = await electionForCasting(ctx, municipalityCode, id);
  return inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const status = await bb.voterStatus(trx, { municipalityCode, boxId: e.box_id, personId: person.personId });
    let eligible = false;
    let reason: string | null = 'no-electorate';
    if (e.electorate_id) {
      const answer = await checkEligibility(ctx, trx, {
        municipalityCode,
        electorateId: e.electorate_id,
        personId: person.personId,
        at: ctx.now(),
        purpose: 'vote-preview',
        reference: `verifiable:${id}`,
      }).catch((err) => {
        if (err instanceof Problem && err.status === 409) return { eligible: false as const, reason: 'not-ready' };
        throw err;
      });
      eligible = answer.eligible;
      reason = answer.eligible ? null : answer.reason;
    }
    return {
      slot: publicSlot(ctx.config.secrets.pseudonymKey, e.box_id, person.personId),
      params: params ?? null,
      phase: phaseOf(e, ctx.now()),
      eligible,
      reason,
      voted: status !== null,
      channel: status?.channel ?? null,
    };
  });
}

/**
 * Casts an encrypted ballot: every proof is verified first (in a worker thread), then, in one
 * transaction, the voter's eligibility, the ballot box (which replaces the voter's earlier ballot,
 * or refuses after a paper vote) and the board. The receipt is returned after commit.
 */
export async function castEncryptedBallot(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  body: Static<typeof CastBody>,
) {
  const person = requirePerson(actor);
  const { e, params } = await electionForCasting(ctx, municipalityCode, id);
  requireOpen(e, ctx.now());
  const slot = publicSlot(ctx.config.secrets.pseudonymKey, e.box_id, person.personId);
  let verified: { tracker: string; form: Uint8Array };
  try {
    verified = await verifyInPool(params, slot, body.ballot);
  } catch (err) {
    if (err instanceof CryptoError) throw ballotProblem(err);
    throw err;
  }
  try {
    return await inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
      const answer = await checkEligibility(ctx, trx, {
        municipalityCode,
        electorateId: e.electorate_id!,
        personId: person.personId,
        at: ctx.now(),
        purpose: 'vote',
        reference: `verifiable:${id}`,
      });
      if (!answer.eligible) throw notEligible(answer.reason);
      // The ballot itself is end-to-end encrypted on the board; the box keeps its public tracker.
      const r = await bb.castBallot(ctx, trx, {
        municipalityCode,
        boxId: e.box_id,
        personId: person.personId,
        settlementCode: answer.settlementCode,
        ballot: { format: BALLOT_FORMAT, content: { tracker: verified.tracker }, opaque: true },
      });
      const version = await appendBallot(trx, {
        municipalityCode,
        electionId: id,
        slot,
        tracker: verified.tracker,
        receipt: r.receipt,
        ballot: body.ballot,
        form: verified.form,
      });
      return { receipt: r.receipt, tracker: verified.tracker, replaced: r.replaced, version, slot };
    });
  } catch (err) {
    if (
      (err as { code?: string; constraint?: string }).code === '23505' &&
      (err as { constraint?: string }).constraint === 'vv_ballot_tracker_idx'
    ) {
      throw new Problem(
        VV.onBoard,
        'This exact ballot is already on the bulletin board: a ballot (its ciphertexts and proofs) is accepted only once. Encrypt your choices again to cast a new ballot.',
      );
    }
    throw err;
  }
}

/**
 * Benaloh challenge: the voter's browser revealed the randomness of a ballot instead of casting
 * it. The server checks it, and puts it on the board (no slot, no person) so that anyone can
 * check it too; it is never counted.
 */
export async function postAudit(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  body: Static<typeof AuditBody>,
) {
  requirePerson(actor);
  const { e, params } = await electionForCasting(ctx, municipalityCode, id);
  requireOpen(e, ctx.now());
  let out: { tracker: string; selections: number[][] };
  try {
    out = checkAudit(params, body.ballot, body.reveal);
  } catch (err) {
    if (err instanceof CryptoError) throw ballotProblem(err);
    throw err;
  }
  await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    trx
      .insertInto('vv_audited')
      .values({
        municipality_code: municipalityCode,
        election_id: id,
        tracker: out.tracker,
        ballot: JSON.stringify(body.ballot),
        reveal: JSON.stringify(body.reveal),
      })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
  return out;
}

/**
 * A paper vote at a service point (officials): as in the participation module, the person is
 * marked as having voted on paper, and their internet ballot, if any, is cancelled (IVXV rule) —
 * in the ballot box and on the board. Audited.
 */
export async function recordPaperVoter(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  idCode: string,
) {
  const official = canManage(actor, municipalityCode);
  const parsed = parseIdCode(idCode);
  if (!parsed.ok) throw invalid([idCodeError('/body/idCode', parsed.problem)]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id);
    if (!e || e.status === 'draft') throw notFound('Verifiable vote');
    if (phaseOf(e, ctx.now()) !== 'open') throw wrongPhase('Paper votes are recorded while the vote is open');
    const pid = await findPersonByCode(trx, parsed.value.code);
    if (!pid) throw notEligible('not-resident');
    const p = { id: pid };
    const answer = await checkEligibility(ctx, trx, {
      municipalityCode,
      electorateId: e.electorate_id!,
      personId: p.id,
      idCode: parsed.value.code,
      at: ctx.now(),
      purpose: 'paper-vote',
      askedBy: official.personId,
      reference: `verifiable:${id}`,
    });
    if (!answer.eligible) throw notEligible(answer.reason);
    const r = await bb.recordPaperVoter(ctx, trx, {
      municipalityCode,
      boxId: e.box_id,
      personId: p.id,
      settlementCode: answer.settlementCode,
      recordedBy: official.personId,
    });
    if (r.cancelledInternetBallot)
      await cancelSlot(trx, municipalityCode, id, publicSlot(ctx.config.secrets.pseudonymKey, e.box_id, p.id));
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'verifiable.paper-vote.recorded',
      subject: `verifiable:${id}`,
      details: { person: p.id, cancelledInternetBallot: r.cancelledInternetBallot },
    });
    return { recorded: true, cancelledInternetBallot: r.cancelledInternetBallot };
  });
}

/**
 * Paper ballots counted at the service points, entered after closing and before the tally,
 * anonymously (random slots in the ballot box), in the clear: never more than the paper voters
 * recorded; each is checked against the questions' rules. Audited.
 */
export async function enterPaperBallots(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  body: Static<typeof PaperBallotsBody>,
) {
  const official = canManage(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e || e.status === 'draft') throw notFound('Verifiable vote');
    if (e.status !== 'closed')
      throw wrongPhase('Paper ballots are entered after the vote has closed and before the tally');
    body.ballots.forEach((b, i) => {
      if (b.answers.length !== e.questions.length)
        throw invalid([
          { pointer: `/body/ballots/${i}/answers`, detail: `one list of choices per question (${e.questions.length})` },
        ]);
      b.answers.forEach((chosen, qi) => {
        const q = e.questions[qi]!;
        const ptr = `/body/ballots/${i}/answers/${qi}`;
        if (new Set(chosen).size !== chosen.length || chosen.some((c) => c >= q.choices.length))
          throw invalid([{ pointer: ptr, detail: `choices must be distinct indices below ${q.choices.length}` }]);
        if (chosen.length < q.minSelections || chosen.length > q.maxSelections)
          throw invalid([
            {
              pointer: ptr,
              detail: `${chosen.length} selection(s); the question allows ${q.minSelections}–${q.maxSelections}`,
            },
          ]);
      });
    });
    const t = await bb.turnout(trx, { municipalityCode, boxId: e.box_id });
    const already = await bb.ballotCount(trx, { municipalityCode, boxId: e.box_id }, 'paper');
    if (already + body.ballots.length > t.paper) {
      throw invalid([
        {
          pointer: '/body/ballots',
          detail: `${t.paper} paper voter(s) were recorded and ${already} paper ballot(s) entered: at most ${t.paper - already} more`,
        },
      ]);
    }
    // Paper ballots are sealed like any other; the tally opens them in memory.
    await bb.addAnonymousBallots(ctx, trx, {
      municipalityCode,
      boxId: e.box_id,
      channel: 'paper',
      ballots: body.ballots.map((b) => ({ format: PAPER_FORMAT, content: { answers: b.answers } })),
    });
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'verifiable.paper-ballots.entered',
      subject: `verifiable:${id}`,
      details: { count: body.ballots.length },
    });
    return { entered: body.ballots.length, total: already + body.ballots.length };
  });
}
