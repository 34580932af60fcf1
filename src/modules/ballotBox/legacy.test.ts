import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testContext } from '../../../test/support/app';
import { dropTestDatabase, testServer } from '../../../test/support/db';
import { inScope, withDatabase } from '../../platform/db/database';
import { MIGRATIONS_DIR, migrate } from '../../platform/db/migrate';
import { installJobQueue } from '../../platform/jobs/jobs';
import { loadPlaces } from '../../platform/places/ehak';
import * as bb from './index';

/**
 * A database of an earlier version, whose ballots were stored in the clear, upgrades by itself:
 * migration 0156 moves the plaintext aside and rewrites bb_ballot, and the first start with the
 * master key seals every ballot and empties the holding table. Afterwards the counts are those
 * of the plaintext, receipts still check, and no table file holds a ballot's choices.
 */
const M = '0793';
const { serverUrl } = testServer();
const name = `kov_legacy_${process.pid}_${Date.now()}`;
const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
await admin.end();
const url = withDatabase(serverUrl, name);

// 1. The database as the version before sealing left it: migrations up to 0151, and 0152–0155
// (recorded as applied; their function and index as they made them).
const oldDir = mkdtempSync(path.join(os.tmpdir(), 'kov-old-migrations-'));
for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_.*\.sql$/.test(f) && f < '0152')) {
  copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(oldDir, f));
}
await migrate(url, { dir: oldDir });
rmSync(oldDir, { recursive: true, force: true });
await loadPlaces(url);
const c = new pg.Client({ connectionString: url });
await c.connect();
await c.query(`
  INSERT INTO schema_migrations (version, name, checksum) VALUES
    ('0152', '0152_participation_cast_batch', 'x'), ('0153', '0153_participation_cast_batch_set_based', 'x'),
    ('0154', '0154_participation_cast_batch_lookups', 'x'), ('0155', '0155_participation_cast_batch_probes', 'x');
  CREATE FUNCTION pv_cast_batch(p_tenant text, p_box uuid, p_electorate uuid, p_persons uuid[], p_settlements text[],
                                p_slots bytea[], p_receipts text[], p_formats text[], p_contents jsonb[],
                                p_selections text[], p_weights text[])
    RETURNS TABLE (o_i integer) LANGUAGE sql AS 'SELECT 1';
  DROP INDEX bb_ballot_receipt_idx;
  CREATE UNIQUE INDEX bb_ballot_receipt_idx ON bb_ballot (receipt, municipality_code, box_id);`);
// An open poll, a closed budget (cumulative) and an encrypted ballot, written as the old code did.
const people = (
  await c.query<{ id: string }>(
    `INSERT INTO person (id_code, birth_date) SELECT '4800101' || lpad(n::text, 4, '0'), '1980-01-01'
       FROM generate_series(1, 6) n RETURNING id`,
  )
).rows.map((r) => r.id);
const box = async (state: string) =>
  (
    await c.query<{ id: string }>(
      `INSERT INTO bb_box (municipality_code, owner, state) VALUES ($1, $2, $3) RETURNING id`,
      [M, `legacy:${state}:${Math.random()}`, state],
    )
  ).rows[0]!.id;
const poll = await box('open');
const budget = await box('closed');
const plain = [
  { box: poll, receipt: 'KEGA-CY00-0000-0001', sel: [7301, 7302], w: null },
  { box: poll, receipt: 'KEGA-CY00-0000-0002', sel: [7301], w: null },
  { box: poll, receipt: 'KEGA-CY00-0000-0003', sel: [7303], w: null },
  { box: budget, receipt: 'KEGA-CY00-0000-0004', sel: [7311, 7312], w: [3, 2] },
  { box: budget, receipt: 'KEGA-CY00-0000-0005', sel: [7312], w: [5] },
];
for (const [i, b] of plain.entries()) {
  await c.query(
    `INSERT INTO bb_voter (municipality_code, box_id, person_id, channel) VALUES ($1, $2, $3, 'internet')`,
    [M, b.box, people[i]],
  );
  await c.query(
    `INSERT INTO bb_ballot (municipality_code, box_id, slot, receipt, channel, format, content, selections, weights)
     VALUES ($1, $2, $3, $4, 'internet', 'plain/1', $5, $6, $7)`,
    [M, b.box, Buffer.from(`slot-${i}`), b.receipt, { answers: [{ questionId: 1, choiceIds: b.sel }] }, b.sel, b.w],
  );
}
await c.query(
  `INSERT INTO bb_ballot (municipality_code, box_id, slot, receipt, channel, format, content)
   VALUES ($1, $2, 'slot-e', 'KEGA-CY00-0000-0006', 'internet', 'elgamal-ristretto255/1', '{"tracker":"abc123"}')`,
  [M, poll],
);
await c.query(`CHECKPOINT`);
const oldFile = (await c.query<{ f: string }>(`SELECT pg_relation_filepath('bb_ballot') AS f`)).rows[0]!.f;
await c.end();

test('an earlier database migrates, and its ballots in the clear end up sealed and counted right', async () => {
  // 2. This version: migrations, then the first start (the ballot box seals with the master key).
  await migrate(url);
  await installJobQueue(url); // the rest of the prepare step (the job queue's schema)
  const { ctx } = await testContext({ ownerUrl: url });
  after(() => dropTestDatabase(url)); // after the context has closed
  const q = async <T>(text: string, values: unknown[] = []) => {
    const k = new pg.Client({ connectionString: url });
    await k.connect();
    try {
      return (await k.query(text, values)).rows as T[];
    } finally {
      await k.end();
    }
  };
  const cols = (
    await q<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'bb_ballot'`)
  ).map((r) => r.c);
  assert.ok(!cols.includes('selections') && !cols.includes('weights'), 'the plain columns are gone');
  const rows = await q<{ receipt: string; sealed: Buffer | null; content: unknown }>(
    `SELECT receipt, sealed, content FROM bb_ballot ORDER BY receipt`,
  );
  assert.equal(rows.length, 6);
  assert.ok(
    rows.every((r) => r.sealed !== null && r.content === null),
    'every ballot is sealed, none in the clear',
  );
  assert.equal((await q<{ n: number }>(`SELECT count(*)::int AS n FROM bb_legacy_ballot`))[0]!.n, 0);
  assert.equal(
    (await q<{ n: string }>(`SELECT pg_relation_size('bb_legacy_ballot') AS n`))[0]!.n,
    '0',
    'the holding table was emptied (a new, empty file)',
  );
  assert.deepEqual(await q(`SELECT proname FROM pg_proc WHERE proname IN ('pv_cast_batch', 'bb_cast')`), []);

  // The ballots count as they were cast; receipts still check; the open vote goes on.
  const closedTally = await inScope(ctx.db, { tenant: M }, (trx) =>
    bb.tallySelections(ctx, trx, { municipalityCode: M, boxId: budget }),
  );
  assert.deepEqual(
    [...closedTally.choices].sort((a, b) => a[0] - b[0]),
    [
      [7311, { ballots: 1, points: 3 }],
      [7312, { ballots: 2, points: 7 }],
    ],
  );
  assert.equal(
    await inScope(ctx.db, { tenant: M }, (trx) =>
      bb.receiptStatus(trx, { municipalityCode: M, boxId: poll, receipt: 'kega-cy00-0000-0002' }),
    ),
    'counted',
  );
  await q(`UPDATE bb_box SET state = 'closed' WHERE id = $1`, [poll]);
  const pollTally = await inScope(ctx.db, { tenant: M }, (trx) =>
    bb.tallySelections(ctx, trx, { municipalityCode: M, boxId: poll }),
  );
  assert.equal(pollTally.ballots, 4);
  assert.deepEqual(pollTally.choices.get(7301), { ballots: 2, points: 2 });
  const tracker = await inScope(ctx.db, { tenant: M }, async (trx) => {
    const out: unknown[] = [];
    for await (const page of bb.countedBallots(ctx, trx, { municipalityCode: M, boxId: poll }))
      out.push(...page.filter((b) => b.format === 'elgamal-ristretto255/1').map((b) => b.content));
    return out;
  });
  assert.deepEqual(tracker, [{ tracker: 'abc123' }]);

  // No table file holds the old plaintext (bb_ballot was rewritten; its old file is gone or empty).
  await q('CHECKPOINT');
  const files = await q<{ f: string }>(
    `SELECT pg_relation_filepath(c.oid) AS f FROM pg_class c WHERE pg_relation_filepath(c.oid) IS NOT NULL
        AND c.relname NOT IN ('bb_ballot_set', 'bb_ballot_set_pkey')`,
  );
  assert.ok(!files.some((f) => f.f === oldFile), 'bb_ballot lives in a new file');
  const bytes = Buffer.concat(
    (
      await q<{ b: Buffer | null }>(
        `SELECT pg_read_binary_file(f, 0, (pg_stat_file(f, true)).size, true) AS b FROM unnest($1::text[]) AS f`,
        [[...files.map((f) => f.f), oldFile]],
      )
    )
      .map((r) => r.b)
      .filter((b): b is Buffer => b !== null),
  );
  assert.ok(bytes.includes(Buffer.from(`legacy:closed`)), 'the scan reads the tables (it finds a box owner)');
  for (const b of plain) {
    const arr = Buffer.alloc(20 + 4 * b.sel.length);
    [1, 0, 23, b.sel.length, 1, ...b.sel].forEach((x, i) => arr.writeInt32LE(x, i * 4));
    assert.ok(!bytes.includes(arr), `the choices of ${b.receipt} are in no table file`);
    assert.ok(
      !bytes.includes(Buffer.from(`[${b.sel.join(', ')}]`)),
      `the answers of ${b.receipt} are in no table file`,
    );
  }
});
