import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testContext, makePerson } from '../../../test/support/app';
import { inScope, type Trx } from '../../platform/db/database';
import * as bb from './index';
import { openCountedBallots } from './testSupport';
import type { Problem } from '../../platform/http/problems';

const M = '0793';
const { ctx } = await testContext();

async function newBox(open = true) {
  return inScope(ctx.db, { tenant: M }, async (trx) => {
    const boxId = await bb.createBox(trx, { municipalityCode: M, owner: `test:${Math.random()}` });
    if (open) await bb.openBox(ctx, trx, { municipalityCode: M, boxId });
    return boxId;
  });
}
const plain = (selections: number[]) => ({ format: 'plain/1', selections });
const cast = (boxId: string, personId: string, selections: number[]) =>
  bb.castBallot(ctx, null, {
    municipalityCode: M,
    boxId,
    personId,
    settlementCode: '8151',
    ballot: plain(selections),
  });
const scoped = <T>(fn: (trx: Trx) => Promise<T>) => inScope(ctx.db, { tenant: M }, fn);

test('a re-vote replaces the ballot: the last one counts, the old receipt is superseded', async () => {
  const boxId = await newBox();
  const a = await makePerson(ctx);
  const first = await cast(boxId, a.id, [1]);
  const second = await cast(boxId, a.id, [2]);
  assert.equal(first.replaced, false);
  assert.equal(second.replaced, true);
  assert.match(first.receipt, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await assert.rejects(
    scoped((trx) => bb.tallySelections(ctx, trx, { municipalityCode: M, boxId })),
    (e: unknown) => (e as Problem).kind === bb.BB.stillOpen,
  );
  assert.equal(
    await scoped((trx) => bb.receiptStatus(trx, { municipalityCode: M, boxId, receipt: first.receipt })),
    'superseded',
  );
  assert.equal(
    await scoped((trx) => bb.receiptStatus(trx, { municipalityCode: M, boxId, receipt: second.receipt.toLowerCase() })),
    'counted',
  );
  await scoped((trx) => bb.closeBox(ctx, trx, { municipalityCode: M, boxId }));
  const t = await scoped((trx) => bb.tallySelections(ctx, trx, { municipalityCode: M, boxId }));
  assert.equal(t.ballots, 1);
  assert.deepEqual([...t.choices.entries()], [[2, { ballots: 1, points: 1 }]]);
  await assert.rejects(cast(boxId, a.id, [1]), (e: unknown) => (e as Problem).kind === bb.BB.notOpen);
  assert.deepEqual(await scoped((trx) => bb.countedReceipts(trx, { municipalityCode: M, boxId })), [second.receipt]);
});

test('200 parallel casts of one voter leave exactly one counted ballot', async () => {
  const boxId = await newBox();
  const a = await makePerson(ctx);
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => cast(boxId, a.id, [i % 5])));
  assert.equal(results.filter((r) => !r.replaced).length, 1);
  const rows = await scoped(
    async (trx) =>
      (await sql<{ receipt: string }>`SELECT receipt FROM bb_ballot WHERE box_id = ${boxId}`.execute(trx)).rows,
  );
  assert.equal(rows.length, 1);
  const voters = await scoped((trx) => bb.turnout(trx, { municipalityCode: M, boxId }));
  assert.equal(voters.voters, 1);
  // The one remaining receipt is one of the answers; all the others are superseded.
  const counted = results.filter((r) => r.receipt === rows[0]!.receipt);
  assert.equal(counted.length, 1);
});

test('a paper vote cancels the internet ballot and refuses later internet ballots; a second paper vote is refused', async () => {
  const boxId = await newBox();
  const a = await makePerson(ctx);
  const official = await makePerson(ctx);
  const e = await cast(boxId, a.id, [1]);
  const res = await scoped((trx) =>
    bb.recordPaperVoter(ctx, trx, {
      municipalityCode: M,
      boxId,
      personId: a.id,
      settlementCode: null,
      recordedBy: official.id,
    }),
  );
  assert.equal(res.cancelledInternetBallot, true);
  assert.equal(
    await scoped((trx) => bb.receiptStatus(trx, { municipalityCode: M, boxId, receipt: e.receipt })),
    'cancelled',
  );
  await assert.rejects(cast(boxId, a.id, [2]), (err: unknown) => (err as Problem).kind === bb.BB.votedOnPaper);
  await assert.rejects(
    scoped((trx) =>
      bb.recordPaperVoter(ctx, trx, {
        municipalityCode: M,
        boxId,
        personId: a.id,
        settlementCode: null,
        recordedBy: official.id,
      }),
    ),
    /paper vote of this person/,
  );
  await scoped((trx) =>
    bb.addAnonymousBallots(ctx, trx, { municipalityCode: M, boxId, channel: 'paper', ballots: [plain([3])] }),
  );
  const t0 = await scoped((trx) => bb.turnout(trx, { municipalityCode: M, boxId }));
  assert.deepEqual({ voters: t0.voters, internet: t0.internet, paper: t0.paper }, { voters: 1, internet: 0, paper: 1 });
  await scoped((trx) => bb.closeBox(ctx, trx, { municipalityCode: M, boxId }));
  const t = await scoped((trx) => bb.tallySelections(ctx, trx, { municipalityCode: M, boxId }));
  assert.equal(t.ballots, 1);
  assert.deepEqual(t.byChannel, { internet: 0, paper: 1, import: 0 });
  assert.deepEqual([...t.choices.keys()], [3]);
});

test('casting is refused before the window opens and after it closes, and before the box opens', async () => {
  const a = await makePerson(ctx);
  const ready = await newBox(false);
  await assert.rejects(cast(ready, a.id, [1]), (e: unknown) => (e as Problem).kind === bb.BB.notOpen);
  const boxId = await newBox(false);
  await scoped((trx) =>
    bb.openBox(ctx, trx, {
      municipalityCode: M,
      boxId,
      opensAt: new Date(Date.now() + 60_000),
      closesAt: new Date(Date.now() + 120_000),
    }),
  );
  await assert.rejects(cast(boxId, a.id, [1]), (e: unknown) => (e as Problem).kind === bb.BB.notOpen);
  await scoped((trx) =>
    bb.openBox(ctx, trx, {
      municipalityCode: M,
      boxId,
      opensAt: new Date(Date.now() - 120_000),
      closesAt: new Date(Date.now() - 1),
    }),
  );
  await assert.rejects(cast(boxId, a.id, [1]), (e: unknown) => (e as Problem).kind === bb.BB.notOpen);
});

test('closing waits for casts in flight: every cast that got a receipt is counted', async () => {
  const boxId = await newBox();
  const people = await Promise.all(Array.from({ length: 60 }, () => makePerson(ctx)));
  const casts = people.map((p, i) =>
    cast(boxId, p.id, [i % 3]).then(
      (r) => r.receipt,
      () => null,
    ),
  );
  await new Promise((r) => setTimeout(r, 5));
  await scoped((trx) => bb.closeBox(ctx, trx, { municipalityCode: M, boxId }));
  const receipts = (await Promise.all(casts)).filter((r): r is string => r !== null);
  const counted = await scoped((trx) => bb.countedReceipts(trx, { municipalityCode: M, boxId }));
  assert.deepEqual([...receipts].sort(), counted);
});

test('cumulative weights, anonymous ballots and group counts', async () => {
  const boxId = await newBox();
  const a = await makePerson(ctx);
  await bb.castBallot(ctx, null, {
    municipalityCode: M,
    boxId,
    personId: a.id,
    settlementCode: null,
    ballot: { format: 'plain/1', selections: [1, 2], weights: [3, 2] },
  });
  await scoped((trx) =>
    bb.addAnonymousBallots(ctx, trx, {
      municipalityCode: M,
      boxId,
      channel: 'import',
      ballots: [
        { format: 'plain/1', selections: [2], weights: [5] },
        { format: 'elgamal/1', content: { ct: 'opaque' } },
      ],
    }),
  );
  await scoped((trx) => bb.closeBox(ctx, trx, { municipalityCode: M, boxId }));
  const t = await scoped((trx) => bb.tallySelections(ctx, trx, { municipalityCode: M, boxId }));
  assert.equal(t.ballots, 3);
  assert.deepEqual(t.choices.get(1), { ballots: 1, points: 3 });
  assert.deepEqual(t.choices.get(2), { ballots: 2, points: 7 });
  assert.deepEqual(
    await scoped((trx) => bb.ballotsTouching(ctx, trx, { municipalityCode: M, boxId }, [[1], [2], [9]])),
    [1, 2, 0],
  );
  const formats = await scoped(async (trx) => {
    const seen: string[] = [];
    for await (const batch of bb.countedBallots(ctx, trx, { municipalityCode: M, boxId }, 2))
      seen.push(...batch.map((b) => b.format));
    return seen.sort();
  });
  assert.deepEqual(formats, ['elgamal/1', 'plain/1', 'plain/1']);
});

test('an imported record fills a new box, closes it and counts it from the ballots it sealed: the same counts as opening them again', async () => {
  const boxId = await scoped((trx) =>
    bb.createBox(trx, { municipalityCode: M, owner: `test:${Math.random()}`, keepSets: true, maxSelections: 2 }),
  );
  const ref = { municipalityCode: M, boxId };
  const ballots = Array.from({ length: 12_345 }, (_, i) => ({
    format: 'plain/1',
    content: { pabulib: { extra: { age: String(18 + (i % 70)) } } },
    selections: [1 + (i % 7), 8 + (i % 3)],
    weights: i % 2 ? [2, 1] : [1, 3],
  }));
  const receipts = await scoped((trx) => bb.importBallots(ctx, trx, { ...ref, ballots }));
  assert.equal(new Set(receipts).size, ballots.length);
  assert.match(receipts[0]!, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  const asImported = await scoped((trx) => bb.tallySelections(ctx, trx, ref));
  assert.equal(asImported.ballots, ballots.length);
  assert.deepEqual(asImported.byChannel, { internet: 0, paper: 0, import: ballots.length });
  assert.deepEqual(asImported.choices.get(1), { ballots: 1764, points: 882 * 2 + 882 * 1 });
  // Sealed like any ballot: each opens with its own receipt to what was imported.
  const opened = await openCountedBallots(ctx, ref);
  assert.equal(opened.length, ballots.length);
  const byReceipt = new Map(receipts.map((r, i) => [r, ballots[i]!]));
  for (const o of opened) {
    const b = byReceipt.get(o.receipt)!;
    assert.deepEqual([o.selections, o.weights], [b.selections, b.weights]);
  }
  // Its public record (the file's voter columns) stays beside the sealed choices.
  const records = await scoped((trx) => bb.ballotSets(ctx, trx, ref, { content: true }));
  const full = (s: { selections: number[]; weights: number[] | null; content?: unknown }) =>
    JSON.stringify([s.selections, s.weights, s.content]);
  assert.deepEqual(records.map(full).sort(), ballots.map(full).sort());
  const kept = await scoped((trx) => bb.ballotSets(ctx, trx, ref));
  const key = (s: { selections: number[]; weights: number[] | null }) => JSON.stringify([s.selections, s.weights]);
  assert.deepEqual(kept.map(key).sort(), ballots.map(key).sort());
  // Counting again by opening every sealed ballot gives the same counts and the same kept ballots.
  await scoped((trx) => sql`UPDATE bb_box SET counted_at = NULL WHERE id = ${boxId}`.execute(trx));
  const reopened = await scoped((trx) => bb.tallySelections(ctx, trx, ref));
  assert.deepEqual(reopened, asImported);
  assert.deepEqual((await scoped((trx) => bb.ballotSets(ctx, trx, ref))).map(key).sort(), kept.map(key).sort());
  // Only a new, empty box takes an import; the box is closed to casts.
  await assert.rejects(scoped((trx) => bb.importBallots(ctx, trx, { ...ref, ballots: ballots.slice(0, 1) })));
  assert.equal((await scoped((trx) => bb.getBox(trx, ref)))!.state, 'closed');
});
