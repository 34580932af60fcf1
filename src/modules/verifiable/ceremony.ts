/**
 * The trustees' key ceremony on the server's side: it only relays and checks public messages.
 * Each trustee's browser makes its messages from a seed that never leaves it (crypto/dkg.ts);
 * the server checks every proof and consistency rule before a message is put on the board, and
 * sets the election key once every trustee has confirmed.
 */
import type { AppContext } from '../../platform/context';
import { requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, invalid, notFound } from '../../platform/http/problems';
import { CryptoError } from './crypto/errors';
import {
  checkSharesShape,
  electionKey,
  verifyCommitment,
  verifyPublicShare,
  type CeremonyShape,
  type CommitmentMessage,
  type DecodedCommitment,
  type SharesMessage,
} from './crypto/dkg';
import { pointToHex } from './crypto/group';
import { getElection } from './manageElections';
import { VV, messageProblem, wrongPhase } from './problems';
import { findElection, listTrustees, setStatus, json, type VvElection, type VvTrustee } from './store';
import type { Static } from 'typebox';
import type { CommitmentBody, ConfirmationBody, DealBody } from './schemas';

export function shapeOf(e: Pick<VvElection, 'id' | 'threshold'>, trustees: unknown[]): CeremonyShape {
  return { voteId: e.id, trustees: trustees.length, threshold: e.threshold };
}

/** Runs crypto checks; a CryptoError becomes a 422 naming the item. */
function checked<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof CryptoError) throw messageProblem(err);
    throw err;
  }
}

async function trusteeContext(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  municipalityCode: string,
  id: string,
  index: number,
) {
  const person = requirePerson(actor);
  const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
  if (!e || e.status === 'draft') throw notFound('Verifiable vote');
  const trustees = await listTrustees(trx, municipalityCode, id);
  const me = trustees.find((t) => t.person_id === person.personId);
  if (!me) throw new Problem(VV.notTrustee, 'You are not a trustee of this vote');
  if (me.idx !== index)
    throw new Problem(VV.notTrustee, `You are trustee ${me.idx}; the message is for trustee ${index}`);
  return { person, e, trustees, me };
}

function decodeCommitments(e: VvElection, trustees: VvTrustee[]): DecodedCommitment[] {
  const shape = shapeOf(e, trustees);
  return trustees.map((t) => verifyCommitment(shape, t.commitment, `trustee ${t.idx}`));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function submitCommitment(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  body: Static<typeof CommitmentBody>,
) {
  await inScope(ctx.db, { tenant: municipalityCode, actor: requirePerson(actor).personId }, async (trx) => {
    const { person, e, trustees, me } = await trusteeContext(ctx, trx, actor, municipalityCode, id, body.index);
    if (e.status !== 'ceremony') throw wrongPhase('The key ceremony is not in progress');
    if (me.commitment) {
      if (same(me.commitment, body)) return; // the same message again: nothing to do
      throw wrongPhase(
        'You have already published your commitment in this ceremony; the officials can restart the ceremony if your key file was lost',
      );
    }
    checked(() => verifyCommitment(shapeOf(e, trustees), body, 'commitment'));
    await trx
      .updateTable('vv_trustee')
      .set({ commitment: json(body) })
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('idx', '=', me.idx)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: person.personId,
      action: 'verifiable.ceremony.committed',
      subject: `verifiable:${id}`,
      details: { trustee: me.idx, transportKey: body.transportKey },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}

export async function submitDeal(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  body: Static<typeof DealBody>,
) {
  await inScope(ctx.db, { tenant: municipalityCode, actor: requirePerson(actor).personId }, async (trx) => {
    const { person, e, trustees, me } = await trusteeContext(ctx, trx, actor, municipalityCode, id, body.index);
    if (e.status !== 'ceremony') throw wrongPhase('The key ceremony is not in progress');
    if (trustees.some((t) => !t.commitment))
      throw wrongPhase('Round 2 starts when every trustee has published round 1');
    if (me.deal) {
      if (same(me.deal, body)) return;
      throw wrongPhase('You have already dealt your shares in this ceremony');
    }
    checked(() => checkSharesShape(shapeOf(e, trustees), body, 'deal'));
    await trx
      .updateTable('vv_trustee')
      .set({ deal: json(body) })
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('idx', '=', me.idx)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: person.personId,
      action: 'verifiable.ceremony.dealt',
      subject: `verifiable:${id}`,
      details: { trustee: me.idx },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}

export async function submitConfirmation(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  body: Static<typeof ConfirmationBody>,
) {
  if (!!body.publicShare === !!body.complaint)
    throw invalid([{ pointer: '/body', detail: 'send exactly one of publicShare or complaint' }]);
  const index = body.publicShare?.index ?? (await myIndex(ctx, actor, municipalityCode, id));
  await inScope(ctx.db, { tenant: municipalityCode, actor: requirePerson(actor).personId }, async (trx) => {
    const { person, e, trustees, me } = await trusteeContext(ctx, trx, actor, municipalityCode, id, index);
    if (e.status !== 'ceremony') throw wrongPhase('The key ceremony is not in progress');
    if (trustees.some((t) => !t.deal)) throw wrongPhase('Round 3 starts when every trustee has dealt their shares');
    if (me.public_share || me.complaint) {
      if (same(me.public_share, body.publicShare ?? null)) return;
      throw wrongPhase('You have already confirmed (or complained) in this ceremony');
    }
    if (body.complaint) {
      const c = body.complaint;
      if (c.against === me.idx || !trustees.some((t) => t.idx === c.against))
        throw invalid([{ pointer: '/body/complaint/against', detail: 'name another trustee of this vote' }]);
      const failure = `Trustee ${me.idx} (${me.name}) reports that the share dealt by trustee ${c.against} is wrong: ${c.reason}. The ceremony must be restarted (or the vote returned to a draft to replace a trustee).`;
      await trx
        .updateTable('vv_trustee')
        .set({ complaint: json(c) })
        .where('municipality_code', '=', municipalityCode)
        .where('election_id', '=', id)
        .where('idx', '=', me.idx)
        .execute();
      await setStatus(trx, e, 'ceremony', { ceremony_failure: failure });
      await appendAudit(trx, {
        municipalityCode,
        actorId: person.personId,
        action: 'verifiable.ceremony.complaint',
        subject: `verifiable:${id}`,
        details: { trustee: me.idx, against: c.against, reason: c.reason },
      });
      return;
    }
    const commitments = checked(() => decodeCommitments(e, trustees));
    const deals = trustees.map((t) => t.deal as SharesMessage);
    checked(() => verifyPublicShare(shapeOf(e, trustees), commitments, deals, body.publicShare, 'confirmation'));
    await trx
      .updateTable('vv_trustee')
      .set({ public_share: json(body.publicShare) })
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('idx', '=', me.idx)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: person.personId,
      action: 'verifiable.ceremony.confirmed',
      subject: `verifiable:${id}`,
      details: { trustee: me.idx, publicShare: body.publicShare!.publicShare },
    });
    const others = trustees.filter((t) => t.idx !== me.idx);
    if (!e.ceremony_failure && others.every((t) => t.public_share)) {
      const publicKey = pointToHex(electionKey(commitments));
      await setStatus(trx, e, 'ready', { public_key: publicKey });
      await appendAudit(trx, {
        municipalityCode,
        actorId: person.personId,
        action: 'verifiable.ceremony.completed',
        subject: `verifiable:${id}`,
        details: { publicKey },
      });
    }
  });
  return getElection(ctx, actor, municipalityCode, id);
}

async function myIndex(ctx: AppContext, actor: Actor, municipalityCode: string, id: string): Promise<number> {
  const person = requirePerson(actor);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, (trx) => listTrustees(trx, municipalityCode, id));
  const me = rows.find((t) => t.person_id === person.personId);
  if (!me) throw new Problem(VV.notTrustee, 'You are not a trustee of this vote');
  return me.idx;
}

/** The ceremony's public messages and the trustees' partial decryptions (part of the bulletin board). */
export async function ceremonyMessages(ctx: AppContext, municipalityCode: string, id: string) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id);
    if (!e || e.status === 'draft') throw notFound('Verifiable vote');
    const trustees = await listTrustees(trx, municipalityCode, id);
    return {
      voteId: e.id,
      attempt: e.ceremony_attempt,
      definition: e.definition,
      fingerprint: e.fingerprint,
      threshold: e.threshold,
      publicKey: e.public_key,
      trustees: trustees.map((t) => ({
        index: t.idx,
        name: t.name,
        commitment: (t.commitment ?? null) as CommitmentMessage | null,
        deal: (t.deal ?? null) as SharesMessage | null,
        publicShare: t.public_share ?? null,
        complaint: t.complaint ?? null,
        decryption: t.decryption ?? null,
      })),
    };
  });
}
