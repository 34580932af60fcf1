import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { testContext } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { makeIdCode } from '../../platform/identity/personalIdCode';
import { runCli } from '../../cli/kov';
import { importExtract } from './importExtract';
import { writeExtract } from './extractFile';
import { findPersonByCode } from '../../platform/auth/persons';

const ELVA = '0171';
const { ctx, ownerUrl } = await testContext();
const dir = mkdtempSync(path.join(os.tmpdir(), 'kov-register-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const HEADER =
  'id_code,given_name,family_name,municipality_code,settlement_code,address,ads_adr_id,valid_from,valid_until,status\n';
const a = makeIdCode('female', '1985-04-03', 11);
const b = makeIdCode('male', '1960-12-24', 12);
const c = makeIdCode('female', '2008-02-29', 13);
const counts = () =>
  inScope(ctx.db, { tenant: ELVA }, async (trx) => {
    const r = await sql<{
      n: number;
      p: number;
    }>`SELECT count(*)::int AS n, count(DISTINCT person_id)::int AS p FROM register_residence WHERE municipality_code = ${ELVA}`.execute(
      trx,
    );
    return r.rows[0]!;
  });

test('a good CSV extract loads with its history; loading it again changes nothing; a new one replaces it', async () => {
  const csv =
    HEADER +
    `${a},Kadri,Kask,0171,1586,"Elva linn, Kesk 1-2",101,2019-04-01,,K\n${b},Jaan,Tamm,0171,7167,Rõngu alevik,,2001-01-01,2015-12-31,E\n${b},Jaan,Tamm,0171,6393,Puhja alevik,,2015-12-31,,K\n${c},,,0784,0387,"Punane 5, Tallinn",,2008-02-29,2020-01-01,E\n${c},,,0171,1586,Elva linn,,2020-01-02,,K\n`;
  const lines: string[] = [];
  const r = await importExtract(ctx, {
    municipalityCode: ELVA,
    source: { path: file('elva.csv', csv) },
    onProgress: (l) => lines.push(l),
  });
  assert.equal(r.status, 'imported', JSON.stringify(r.errors));
  assert.deepEqual(
    { rows: r.rows, persons: r.persons, newPersons: r.newPersons },
    { rows: 5, persons: 3, newPersons: 3 },
  );
  assert.ok(lines.some((l) => /5 rows read and checked/.test(l)));
  assert.deepEqual(await counts(), { n: 5, p: 3 });
  // In Elva's scope: the extract linked the person to it (row-level security on person).
  const personId = (await findPersonByCode(ctx.db, a))!;
  const person = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    trx
      .selectFrom('person')
      .select(['given_name', 'family_name', 'birth_date'])
      .where('id', '=', personId)
      .executeTakeFirstOrThrow(),
  );
  assert.deepEqual(person, { given_name: 'Kadri', family_name: 'Kask', birth_date: '1985-04-03' });
  const again = await importExtract(ctx, { municipalityCode: ELVA, source: { path: file('elva-again.csv', csv) } });
  assert.equal(again.status, 'unchanged');
  assert.deepEqual(await counts(), { n: 5, p: 3 });
  const audit = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'register.extract-imported'`.execute(
      trx,
    ),
  );
  assert.equal(audit.rows[0]!.n, 1);
  const smaller = await importExtract(ctx, {
    municipalityCode: ELVA,
    source: { path: file('elva2.csv', HEADER + `${a},Kadri,Kask,0171,1586,Elva linn,101,2019-04-01,,K\n`) },
  });
  assert.equal(smaller.status, 'imported');
  assert.deepEqual(await counts(), { n: 1, p: 1 });
});

test('a file with bad rows is rejected as a whole, each bad line named with its reasons', async () => {
  const before = await counts();
  const personsBefore = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  const bad = [
    `${a},Kadri,Kask,0171,1586,Elva linn,,2019-04-01,,K`, // 2: fine
    `38001085710,X,Y,0171,1586,Elva linn,,2019-04-01,,K`, // 3: checksum
    `${b},Jaan,Tamm,9999,,Somewhere,,2019-04-01,,K`, // 4: municipality
    `${b},Jaan,Tamm,0171,0387,Lasnamäe,,2019-04-01,,K`, // 5: settlement of another municipality
    `${b},Jaan,Tamm,0171,1586,,,2019-02-30,,K`, // 6: no address, impossible date
    `${b},Jaan,Tamm,0171,1586,Elva,x1,2019-04-01,2018-01-01,K`, // 7: ads, until before from
    `${c},,,0171,1586,Elva,,2001-01-01,,K`, // 8: before birth
    `${makeIdCode('male', '1950-01-01', 14)},A,B,0171,1586,Elva,,2000-01-01,2010-06-30,E`, // 9
    `${makeIdCode('male', '1950-01-01', 14)},A,B,0171,7167,Rõngu,,2010-06-01,,K`, // 10: overlaps 9
    `${makeIdCode('male', '1951-01-01', 15)},A,B,0171,7167,Rõngu,,2000-01-01,,K`, // 11
    `${makeIdCode('male', '1951-01-01', 15)},A,B,0171,6393,Puhja,,2005-01-01,,K`, // 12: 11 is still open
  ].join('\n');
  const r = await importExtract(ctx, {
    municipalityCode: ELVA,
    source: { path: file('bad.csv', HEADER + bad + '\n') },
  });
  assert.equal(r.status, 'rejected');
  assert.deepEqual(
    r.errors.map((e) => e.line),
    [3, 4, 5, 6, 7, 8],
  );
  assert.match(r.errors[0]!.reason, /not a valid personal ID code \(checksum\)/);
  assert.match(r.errors[1]!.reason, /not an EHAK municipality/);
  assert.match(r.errors[2]!.reason, /0387 is not in municipality 0171/);
  assert.match(r.errors[3]!.reason, /address is missing; valid_from "2019-02-30" is not a date/);
  assert.match(r.errors[4]!.reason, /valid_until is before valid_from; ads_adr_id "x1" is not a number/);
  assert.match(r.errors[5]!.reason, /before the birth date/);
  // Row checks first; once every row is fine, the records of each person are checked together.
  const good = bad
    .split('\n')
    .filter((_, i) => ![1, 2, 3, 4, 5, 6].includes(i))
    .join('\n');
  const r2 = await importExtract(ctx, {
    municipalityCode: ELVA,
    source: { path: file('overlap.csv', HEADER + good + '\n') },
  });
  assert.equal(r2.status, 'rejected');
  assert.deepEqual(r2.errors, [
    { line: 4, reason: 'overlaps line 3 of the same person' },
    { line: 6, reason: 'line 5 of the same person has no valid_until but this record starts later' },
  ]);
  assert.deepEqual(await counts(), before, 'nothing was loaded');
  const personsAfter = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  assert.equal(personsAfter.n, personsBefore.n, 'no persons were created');
  const header = await importExtract(ctx, {
    municipalityCode: ELVA,
    source: { path: file('noheader.csv', 'isikukood,nimi\n1,2\n') },
  });
  assert.equal(header.status, 'rejected');
  assert.match(header.errors[0]!.reason, /the header lacks municipality_code, address, valid_from/);
  const empty = await importExtract(ctx, { municipalityCode: ELVA, source: { path: file('empty.csv', '') } });
  assert.equal(empty.status, 'rejected');
});

test('JSON (array with line numbers, JSON Lines), register column names, semicolons and DD.MM.YYYY dates', async () => {
  const json = `[\n  {"Isikukood": "${a}", "Eesnimi": "Kadri", "VallaKood": "0171", "KylaKood": "1586", "Tekst": "Elva", "Alates": "01.04.2019"},\n  {"Isikukood": "${b}",\n   "VallaKood": "0171", "Tekst": "Rõngu", "KylaKood": "7167", "Alates": "2019-04-01"},\n  {"Isikukood": "oops", "VallaKood": "0171", "Tekst": "x", "Alates": "2019-04-01"}\n]\n`;
  let r = await importExtract(ctx, { municipalityCode: ELVA, source: { path: file('e.json', json) } });
  assert.equal(r.status, 'rejected');
  assert.deepEqual(
    r.errors.map((e) => e.line),
    [5],
  );
  r = await importExtract(ctx, {
    municipalityCode: ELVA,
    source: { path: file('e2.json', json.replace(/,\n {2}\{"Isikukood": "oops".*\n/, '\n')) },
  });
  assert.equal(r.status, 'imported', JSON.stringify(r.errors));
  assert.equal(r.rows, 2);
  const lines = `{"id_code":"${a}","municipality_code":"0171","address":"Elva","valid_from":"2019-04-01"}\n{not json}\n`;
  r = await importExtract(ctx, { municipalityCode: ELVA, source: { path: file('e.jsonl', lines) } });
  assert.deepEqual(r.errors, [{ line: 2, reason: 'not a JSON object' }]);
  const semi = `Isikukood;Eesnimi;Perenimi;VallaKood;KylaKood;Tekst;AdsAdrID;Alates;Kuni;Staatus\n${a};Kadri;Kask;0171;1586;Elva linn;;01.04.2019;;K\n`;
  r = await importExtract(ctx, { municipalityCode: ELVA, source: { path: file('semi.csv', semi) }, dryRun: true });
  assert.equal(r.status, 'valid');
  const broken = `${HEADER}${a},"Kadri,Kask,0171\n`;
  r = await importExtract(ctx, { municipalityCode: ELVA, source: { path: file('broken.csv', broken) } });
  assert.equal(r.status, 'rejected');
  assert.match(r.errors[0]!.reason, /not valid CSV/);
});

test('kov register import: a generated extract through the command line, progress and counts printed', async () => {
  const out: string[] = [];
  process.env.DATABASE_URL = ownerUrl;
  try {
    const extract = path.join(dir, 'tartu.csv');
    assert.equal(
      await runCli(
        [
          'register',
          'generate-extract',
          '--municipality',
          '0793',
          '--residents',
          '2000',
          '--seed',
          '5',
          '--out',
          extract,
        ],
        (l) => out.push(l),
      ),
      0,
    );
    assert.equal(await runCli(['register', 'import', extract, '--municipality', '0793'], (l) => out.push(l)), 0);
    const done = out.find((l) => l.startsWith('imported:'));
    assert.match(
      done ?? '',
      /^imported: \d+ rows, 2000 persons \(2000 new\) in [\d.]+ s \(\d+ rows\/s\); sha256 [0-9a-f]{64}$/,
      out.join('\n'),
    );
    const code = await runCli(
      ['register', 'import', file('bad2.csv', HEADER + `${a},,,0793,9999,x,,2019-01-01,,\n`), '--municipality', '0793'],
      (l) => out.push(l),
    );
    assert.equal(code, 1);
    assert.ok(out.some((l) => /^REJECTED bad2\.csv: 1 bad line\(s\); nothing was loaded\.$/.test(l)));
    assert.ok(out.some((l) => /^ {2}line 2: settlement_code "9999" is not an EHAK settlement unit$/.test(l)));
    assert.equal(await runCli(['register', 'import', extract], () => {}), 2, 'the municipality is required');
  } finally {
    delete process.env.DATABASE_URL;
  }
});

test('a generated extract in JSON loads the same as in CSV', async () => {
  const j = path.join(dir, 'elva.json');
  const rows = await writeExtract(j, { municipalityCode: ELVA, residents: 500, seed: 9, format: 'json' });
  const r = await importExtract(ctx, { municipalityCode: ELVA, source: { path: j } });
  assert.equal(r.status, 'imported', JSON.stringify(r.errors.slice(0, 3)));
  assert.equal(r.rows, rows);
  assert.equal(r.persons, 500);
});
