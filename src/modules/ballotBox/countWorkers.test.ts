import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testContext } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { inScope, type Trx } from '../../platform/db/database';
import * as bb from './index';
import { randomBytes, randomUUID } from 'node:crypto';
import { COUNT_PAGE, countThreads, countWorkerStats, startCountWorkers } from './countWorkers';
import { Tally } from './count';
import { sealBallots } from './seal';

/**
 * A count of more than one page is opened by worker threads (countWorkers.ts): the same counts
 * as the plain ballots say, whole ballots kept exactly once, and a ballot altered in the database
 * fails the count there as it does in the counting thread — with nothing written.
 */
const M = '0793';
const { ctx, ownerUrl } = await testContext();
// Workers whatever the machine's cores (a 2-core machine counts in the counting thread).
countThreads.threads = 2;
const scoped = <T>(fn: (trx: Trx) => Promise<T>) => inScope(ctx.db, { tenant: M }, fn);

const N = 2 * COUNT_PAGE + 4_321;
const ballots = Array.from({ length: N }, (_, i) => ({
  format: 'plain/1',
  selections: i % 5 === 0 ? [1 + (i % 7)] : [1 + (i % 7), 8 + (i % 3)],
  weights: i % 5 === 0 ? [4] : i % 2 ? [2, 1] : [1, 3],
}));
const expected = new Map<number, { ballots: number; points: number }>();
for (const b of ballots)
  b.selections.forEach((c, j) => {
    const e = expected.get(c) ?? { ballots: 0, points: 0 };
    e.ballots += 1;
    e.points += b.weights[j]!;
    expected.set(c, e);
  });
const key = (s: { selections: number[]; weights: number[] | null }) => JSON.stringify([s.selections, s.weights]);

async function importedBox() {
  const boxId = await scoped((trx) =>
    bb.createBox(trx, { municipalityCode: M, owner: `test:${Math.random()}`, keepSets: true, maxSelections: 2 }),
  );
  const ref = { municipalityCode: M, boxId };
  await scoped((trx) => bb.importBallots(ctx, trx, { ...ref, ballots }));
  // Counted again from the sealed ballots: what a close counts.
  await scoped((trx) => sql`UPDATE bb_box SET counted_at = NULL WHERE id = ${boxId}`.execute(trx));
  return ref;
}

test(`${N} sealed ballots: worker threads open them, the counts are those of the plain ballots`, async () => {
  const ref = await importedBox();
  const before = countWorkerStats.pages;
  const t = await scoped((trx) => bb.tallySelections(ctx, trx, ref));
  assert.ok(countWorkerStats.pages - before >= 2, 'the pages after the first were counted by worker threads');
  assert.equal(t.ballots, N);
  assert.deepEqual(t.byChannel, { internet: 0, paper: 0, import: N });
  assert.deepEqual(
    [...t.choices].sort((a, b) => a[0] - b[0]),
    [...expected].sort((a, b) => a[0] - b[0]),
  );
  const kept = await scoped((trx) => bb.ballotSets(ctx, trx, ref));
  assert.deepEqual(kept.map(key).sort(), ballots.map(key).sort());
});

for (const threads of [2, 0])
  test(`a sealed ballot altered in the database fails the count, and nothing is written (${threads} worker threads)`, async () => {
    countThreads.threads = threads;
    const ref = await importedBox();
    // Swap the sealed values of two ballots on a page the workers count (AAD binds each to its receipt).
    await asOwner(ownerUrl, (c) =>
      c.query(
        `WITH two AS (SELECT receipt, sealed FROM bb_ballot WHERE box_id = $1
                      ORDER BY receipt OFFSET $2 LIMIT 2),
             a AS (SELECT * FROM two ORDER BY receipt LIMIT 1), b AS (SELECT * FROM two ORDER BY receipt DESC LIMIT 1)
        UPDATE bb_ballot x SET sealed = CASE WHEN x.receipt = a.receipt THEN b.sealed ELSE a.sealed END
          FROM a, b WHERE x.box_id = $1 AND x.receipt IN (a.receipt, b.receipt)`,
        [ref.boxId, N - 10],
      ),
    );
    await assert.rejects(
      scoped((trx) => bb.tallySelections(ctx, trx, ref)),
      (e: Error) => e.name === 'SealError',
    );
    const after = await asOwner(ownerUrl, (c) => c.query('SELECT counted_at FROM bb_box WHERE id = $1', [ref.boxId]));
    assert.deepEqual(after.rows, [{ counted_at: null }], 'the box is not counted');
    countThreads.threads = 2;
  });

test('in the workers, a ballot that does not open fails the count; the other pages are counted as in this thread', async () => {
  const dataKey = randomBytes(32);
  const box = { municipalityCode: M, boxId: randomUUID() };
  const n = 3_000;
  const receipts = Array.from({ length: n }, (_, i) => `R${i}`);
  const contents = Array.from({ length: n }, (_, i) => ({ selections: [1 + (i % 4)], weights: null }));
  const sealed = sealBallots(dataKey, box, receipts, contents, 2);
  const rows = receipts.map((receipt, i) => ({
    receipt,
    channel: 'internet' as const,
    sealed: sealed[i]!.toString('hex'),
  }));
  const pages = [rows.slice(0, 1000), rows.slice(1000, 2000), rows.slice(2000)];

  const good = new Tally(false);
  const w = startCountWorkers(dataKey, box, good, false, 2);
  const before = countWorkerStats.pages;
  for (const p of pages) await w.count(p);
  await w.done();
  w.close();
  assert.equal(countWorkerStats.pages - before, 3);
  assert.deepEqual(good.byChannel, { internet: n, paper: 0, import: 0 });
  assert.deepEqual(
    [...good.choices].sort((a, b) => a[0] - b[0]),
    [1, 2, 3, 4].map((c) => [c, { ballots: n / 4, points: n / 4 }]),
  );

  const bad = new Tally(false);
  const altered = pages.map((p) => p.map((r) => ({ ...r })));
  const x = Buffer.from(altered[1]![500]!.sealed, 'hex');
  x[20]! ^= 1;
  altered[1]![500]!.sealed = x.toString('hex');
  const v = startCountWorkers(dataKey, box, bad, false, 2);
  await assert.rejects(
    (async () => {
      for (const p of altered) await v.count(p);
      await v.done();
    })(),
    (e: Error) => e.name === 'SealError',
  );
  v.close();
});
