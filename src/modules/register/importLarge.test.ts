import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { testContext } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { importExtract } from './importExtract';
import { writeExtract } from './extractFile';

/**
 * Tallinn-sized extract: 450,000 generated residents (about 535,000 residence records with the
 * earlier residences of those who moved). Timing is reported, never asserted (see the benchmark).
 */
const TALLINN = '0784';
const { ctx } = await testContext();
const dir = mkdtempSync(path.join(os.tmpdir(), 'kov-register-large-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'tallinn.csv');
const rows = await writeExtract(file, { municipalityCode: TALLINN, residents: 450_000, seed: 2026, format: 'csv' });

test('a 450,000-resident extract of Tallinn loads completely and reports its counts', async () => {
  assert.ok(rows >= 450_000);
  const progress: string[] = [];
  const t = Date.now();
  const r = await importExtract(ctx, {
    municipalityCode: TALLINN,
    source: { path: file },
    onProgress: (l) => progress.push(`${l} [${Date.now() - t} ms]`),
  });
  console.log(progress.map((l) => `# ${l}`).join('\n'));
  assert.equal(r.status, 'imported', JSON.stringify(r.errors.slice(0, 5)));
  assert.equal(r.rows, rows);
  assert.equal(r.persons, 450_000);
  assert.equal(r.newPersons, 450_000);
  assert.ok(progress.filter((l) => / rows read/.test(l)).length >= 9, 'progress every 50,000 rows');
  const n = await inScope(ctx.db, { tenant: TALLINN }, (trx) =>
    sql<{ n: number; p: number; cur: number }>`
    SELECT count(*)::int AS n, count(DISTINCT person_id)::int AS p, count(*) FILTER (WHERE valid_until IS NULL)::int AS cur FROM register_residence WHERE municipality_code = ${TALLINN}`.execute(
      trx,
    ),
  );
  assert.deepEqual(n.rows[0], { n: rows, p: 450_000, cur: 450_000 });
  console.log(
    `# imported ${r.rows} rows (${r.persons} persons) in ${(r.durationMs / 1000).toFixed(1)} s = ${Math.round(r.rows / (r.durationMs / 1000))} rows/s`,
  );
});

test('the same extract with three bad lines is rejected whole, naming each of them', async () => {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[1000] = lines[1000]!.replace(/^\d{11}/, '12345678901');
  lines[250_000] = lines[250_000]!.replace(/,0784,\d{4},/, ',0784,1586,');
  lines[400_000] = lines[400_000]!.replace(/,\d{4}-\d{2}-\d{2},/, ',2019-13-01,');
  const bad = path.join(dir, 'tallinn-bad.csv');
  writeFileSync(bad, lines.join('\n'));
  const r = await importExtract(ctx, { municipalityCode: TALLINN, source: { path: bad } });
  assert.equal(r.status, 'rejected');
  assert.deepEqual(
    r.errors.map((e) => e.line),
    [1001, 250_001, 400_001],
  );
  assert.match(r.errors[1]!.reason, /1586 is not in municipality 0784/);
  assert.match(r.errors[2]!.reason, /"2019-13-01" is not a date/);
  console.log(`# rejected in ${(r.durationMs / 1000).toFixed(1)} s`);
});
