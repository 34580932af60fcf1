/**
 * Counting: after the vote has closed, the counted ballots of the ballot box (the last ballot of
 * each voter slot, not cancelled by a paper vote) are multiplied homomorphically; trustees then
 * submit partial decryptions of that product only, each checked with its Chaum–Pedersen proof;
 * once `threshold` trustees have, the counts are recovered by a bounded discrete logarithm and
 * published together with the paper ballots (counted in the clear).
 *
 * The server never decrypts anything by itself: it has no key. It combines partial decryptions
 * of the tally — never of an individual ballot — which trustees' browsers compute only after
 * recomputing the tally from the public board.
 */
import type { Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { combine, discreteLog } from './crypto/decrypt';
import { CryptoError } from './crypto/errors';
import { decodePoint, type Point } from './crypto/group';
import { verifyPartial } from './crypto/decrypt';
import { BALLOT_FORMAT, PAPER_FORMAT, getElection } from './manageElections';
import { canManage } from './policy';
import { VV, messageProblem, wrongPhase } from './problems';
import type { DecryptionBody } from './schemas';
import { findElection, json, listTrustees, setStatus, type PaperJson, type ResultJson } from './store';
import { TallyAccumulator } from './tallyForm';

/**
 * closed → tallied: the homomorphic product of the counted encrypted ballots, and the count of the
 * paper ballots. The ballot box says which ballots count; the board must agree ballot by ballot.
 */
export async function computeTally(ctx: AppContext, actor: Actor | null, municipalityCode: string, id: string) {
  const official = actor ? canManage(actor, municipalityCode) : null;
  const started = Date.now();
  await inScope(ctx.db, { tenant: municipalityCode, actor: official?.personId ?? '' }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e || e.status === 'draft') throw notFound('Verifiable vote');
    if (e.status !== 'closed')
      throw wrongPhase(e.status === 'open' ? 'The vote has not closed yet' : `The vote is already ${e.status}`);
    const sizes = e.questions.map((q) => q.choices.length);
    const acc = new TallyAccumulator(sizes);
    const paper: PaperJson = {
      ballots: 0,
      questions: sizes.map((n) => ({ counts: Array.from({ length: n }, () => 0) })),
    };
    for await (const batch of bb.countedBallots(ctx, trx, { municipalityCode, boxId: e.box_id }, 2000)) {
      const receipts: string[] = [];
      for (const b of batch) {
        if (b.format === BALLOT_FORMAT) receipts.push(b.receipt);
        else if (b.format === PAPER_FORMAT && b.channel === 'paper') {
          paper.ballots++;
          (b.content as { answers: number[][] }).answers.forEach((chosen, qi) =>
            chosen.forEach((ci) => paper.questions[qi]!.counts[ci]!++),
          );
        } else
          throw new Problem(
            VV.integrity,
            `A counted ballot of format ${b.format} (${b.channel}) cannot be part of a verifiable vote`,
          );
      }
      if (receipts.length === 0) continue;
      const rows = await trx
        .selectFrom('vv_ballot')
        .select(['receipt', 'status', 'tally_form'])
        .where('municipality_code', '=', municipalityCode)
        .where('election_id', '=', id)
        .where('receipt', 'in', receipts)
        .execute();
      if (rows.length !== receipts.length || rows.some((r) => r.status !== 'counted')) {
        throw new Problem(
          VV.integrity,
          'A ballot the ballot box counts is missing from the board or marked superseded or cancelled there',
        );
      }
      for (const r of rows) acc.add(r.tally_form);
    }
    const onBoard = await trx
      .selectFrom('vv_ballot')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('status', '=', 'counted')
      .executeTakeFirstOrThrow();
    if (Number(onBoard.n) !== acc.count)
      throw new Problem(
        VV.integrity,
        `The board shows ${Number(onBoard.n)} counted ballots, the ballot box ${acc.count}`,
      );
    await setStatus(trx, e, 'tallied', { tally: json(acc.toJson()), paper: json(paper) });
    await appendAudit(trx, {
      municipalityCode,
      actorId: official?.personId ?? null,
      action: 'verifiable.tally.computed',
      subject: `verifiable:${id}`,
      details: { encryptedBallots: acc.count, paperBallots: paper.ballots, ms: Date.now() - started },
    });
  });
  return actor ? getElection(ctx, actor, municipalityCode, id) : undefined;
}

/**
 * A trustee's partial decryptions of the tally. Every one is checked against the trustee's public
 * share and the tally; when `threshold` trustees have decrypted, the result is computed and
 * published.
 */
export async function submitDecryption(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  body: Static<typeof DecryptionBody>,
) {
  const person = requirePerson(actor);
  await inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const e = await findElection(trx, municipalityCode, id, { forUpdate: true });
    if (!e || e.status === 'draft') throw notFound('Verifiable vote');
    const trustees = await listTrustees(trx, municipalityCode, id);
    const me = trustees.find((t) => t.person_id === person.personId);
    if (!me) throw new Problem(VV.notTrustee, 'You are not a trustee of this vote');
    if (me.idx !== body.index)
      throw new Problem(VV.notTrustee, `You are trustee ${me.idx}; the message is for trustee ${body.index}`);
    if (e.status !== 'tallied')
      throw wrongPhase(
        e.status === 'published'
          ? 'The result has already been published'
          : 'Decryption starts after the tally has been computed',
      );
    if (me.decryption) throw wrongPhase('You have already decrypted the tally');
    const tally = e.tally!;
    const X = decodePoint((me.public_share as { publicShare: string }).publicShare, 'public share');
    const alphas: Point[][] = tally.questions.map((q) =>
      q.choices.map((c) => decodePoint(c.alpha, 'tally', { allowIdentity: true })),
    );
    try {
      if (
        body.decryptions.length !== alphas.length ||
        body.decryptions.some((q, qi) => q.length !== alphas[qi]!.length)
      ) {
        throw new CryptoError('malformed', 'decryptions: one partial decryption per question and choice of the tally');
      }
      body.decryptions.forEach((q, qi) =>
        q.forEach((pd, ci) =>
          verifyPartial(e.id, me.idx, X, qi, ci, alphas[qi]![ci]!, pd, `decryptions[${qi}][${ci}]`, (h, w) =>
            decodePoint(h, w, { allowIdentity: true }),
          ),
        ),
      );
    } catch (err) {
      if (err instanceof CryptoError) throw messageProblem(err);
      throw err;
    }
    await trx
      .updateTable('vv_trustee')
      .set({ decryption: json(body) })
      .where('municipality_code', '=', municipalityCode)
      .where('election_id', '=', id)
      .where('idx', '=', me.idx)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: person.personId,
      action: 'verifiable.decryption.submitted',
      subject: `verifiable:${id}`,
      details: { trustee: me.idx },
    });
    const done = trustees.filter((t) => t.decryption || t.idx === me.idx);
    if (done.length < e.threshold) return;
    // Enough trustees: recover the counts n with n·G = B − Σ λⱼ·Dⱼ.
    const messages = done.map((t) => (t.idx === me.idx ? body : (t.decryption as typeof body)));
    const counts = tally.questions.map((q, qi) =>
      q.choices.map((c, ci) => {
        const partials = new Map<number, Point>();
        for (const m of messages)
          partials.set(m.index, decodePoint(m.decryptions[qi]![ci]!.factor, 'factor', { allowIdentity: true }));
        return discreteLog(
          combine(decodePoint(c.beta, 'beta', { allowIdentity: true }), partials),
          tally.ballotsCounted,
        );
      }),
    );
    const paper = e.paper ?? { ballots: 0, questions: counts.map((q) => ({ counts: q.map(() => 0) })) };
    const result: ResultJson = {
      questions: counts.map((q) => ({ counts: q })),
      totals: counts.map((q, qi) => ({ counts: q.map((n, ci) => n + (paper.questions[qi]?.counts[ci] ?? 0)) })),
      decryptedBy: messages.map((m) => m.index).sort((a, b) => a - b),
    };
    // The result is final: the box's sealed paper ballots are kept for the retention period, then destroyed.
    await bb.finaliseBox(ctx, trx, { municipalityCode, boxId: e.box_id });
    await setStatus(trx, e, 'published', { result: json(result), published_at: new Date() });
    await appendAudit(trx, {
      municipalityCode,
      actorId: person.personId,
      action: 'verifiable.result.published',
      subject: `verifiable:${id}`,
      details: { totals: result.totals, decryptedBy: result.decryptedBy },
    });
  });
  return getElection(ctx, actor, municipalityCode, id);
}
