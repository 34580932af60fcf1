import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { testContext } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { inScope } from '../../platform/db/database';
import { type Problem } from '../../platform/http/problems';
import { ageOn } from '../../platform/identity/personalIdCode';
import { checkEligibility } from './eligibility';
import {
  createElectorate,
  exportVoterList,
  freezeElectorate,
  previewDefinition,
  previewElectorate,
  updateElectorate,
  lockElectorate,
} from './electorates';
import { uploadElectorateList } from './lists';
import type { ElectorateInput } from './schemas';
import { actor, person, residences } from './testSupport';

const ELVA = '0171';
const TALLINN = '0784';
const ELVA_LINN = '1586';
const RONGU = '7167';
const PUHJA = '6393';

const { ctx, ownerUrl } = await testContext();
const adminP = await person(ctx, '1970-05-05', 'male');
const admin = actor(adminP.id, [{ municipalityCode: ELVA, role: 'admin' }]);
const analyst = actor((await person(ctx, '1971-05-05')).id, [{ municipalityCode: ELVA, role: 'analyst' }]);
const tallinnAdmin = actor((await person(ctx, '1972-05-05')).id, [{ municipalityCode: TALLINN, role: 'admin' }]);

const base: ElectorateInput = {
  name: 'Test',
  scope: 'municipality',
  referenceDate: '2026-03-15',
  residenceAt: 'reference-date',
  mode: 'live',
  minAge: null,
  maxAge: null,
};
const at = new Date('2026-04-01T09:00:00Z');
const check = (electorateId: string, personId: string, when = at) =>
  // The resident's own check (acting person = the voter), as every vote and self-check is.
  inScope(ctx.db, { tenant: ELVA, actor: personId }, (trx) =>
    checkEligibility(ctx, trx, { municipalityCode: ELVA, electorateId, personId, at: when, purpose: 'test' }),
  );

/** A resident of Elva (settlement unit given) since 2000. */
async function resident(birthDate: string, settlementCode = ELVA_LINN) {
  const p = await person(ctx, birthDate);
  await residences(ctx, ELVA, p.id, [{ settlementCode, validFrom: '2000-01-01' }]);
  return p;
}

test('age on the reference date: the birthday itself counts, and 29 February turns a year older on 1 March', async () => {
  const e = await createElectorate(ctx, admin, ELVA, { ...base, name: '16–26', minAge: 16, maxAge: 26 });
  const turns16 = await resident('2010-03-15');
  const turns16Tomorrow = await resident('2010-03-16');
  const turns27 = await resident('1999-03-15');
  const still26 = await resident('1999-03-16');
  assert.deepEqual(await check(e.id, turns16.id), {
    eligible: true,
    municipalityCode: ELVA,
    settlementCode: ELVA_LINN,
    basis: 'residence',
    mode: 'live',
  });
  assert.equal(((await check(e.id, turns16Tomorrow.id)) as { reason: string }).reason, 'under-age');
  assert.equal(((await check(e.id, turns27.id)) as { reason: string }).reason, 'over-age');
  assert.equal((await check(e.id, still26.id)).eligible, true);

  const leap = await resident('2012-02-29');
  const before = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: '14+ on 28 Feb',
    minAge: 14,
    referenceDate: '2026-02-28',
  });
  const after = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: '14+ on 1 Mar',
    minAge: 14,
    referenceDate: '2026-03-01',
  });
  assert.equal(((await check(before.id, leap.id)) as { reason: string }).reason, 'under-age');
  assert.equal((await check(after.id, leap.id)).eligible, true);
  const leapYear = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: '18+ on 29 Feb 2030',
    minAge: 18,
    referenceDate: '2030-02-28',
  });
  assert.equal(((await check(leapYear.id, leap.id)) as { reason: string }).reason, 'under-age');
  const leapDay = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: '16+ on 29 Feb 2028',
    minAge: 16,
    referenceDate: '2028-02-29',
  });
  assert.equal((await check(leapDay.id, leap.id)).eligible, true);

  // The frozen list (built in SQL) applies the same boundaries as the live check (in TypeScript).
  const frozen = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: 'frozen 14+ on 1 Mar',
    minAge: 14,
    referenceDate: '2026-03-01',
    mode: 'frozen',
  });
  await freezeElectorate(ctx, admin, ELVA, frozen.id);
  assert.equal((await check(frozen.id, leap.id)).eligible, true);
  const frozenBefore = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: 'frozen 14+ on 28 Feb',
    minAge: 14,
    referenceDate: '2026-02-28',
    mode: 'frozen',
  });
  await freezeElectorate(ctx, admin, ELVA, frozenBefore.id);
  assert.deepEqual(await check(frozenBefore.id, leap.id), { eligible: false, reason: 'under-age', mode: 'frozen' });
});

test('the SQL age function agrees with ageOn for any birth date and reference date', async () => {
  const dates = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const pairs = fc.sample(fc.tuple(dates, dates), 3000);
  pairs.push(
    ['2012-02-29', '2026-02-28'],
    ['2012-02-29', '2026-03-01'],
    ['2012-02-29', '2028-02-29'],
    ['2000-12-31', '2001-01-01'],
  );
  const r = await sql<{
    age: number;
  }>`SELECT register_age_on(b, d) AS age FROM unnest(${pairs.map((p) => p[0])}::date[], ${pairs.map((p) => p[1])}::date[]) WITH ORDINALITY AS t(b, d, i) ORDER BY i`.execute(
    ctx.db,
  );
  r.rows.forEach((row, i) =>
    assert.equal(row.age, ageOn(pairs[i]![0], pairs[i]![1]), `${pairs[i]![0]} on ${pairs[i]![1]}`),
  );
});

test('residence decides: not resident, wrong settlement unit, residence at voting time, history', async () => {
  const e = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: 'Rõngu village',
    scope: 'settlements',
    settlementCodes: [RONGU],
    minAge: 16,
  });
  const inRongu = await resident('1990-01-01', RONGU);
  const inPuhja = await resident('1990-01-01', PUHJA);
  const tallinner = await person(ctx, '1990-01-01');
  await residences(ctx, TALLINN, tallinner.id, [{ settlementCode: '0387' }]);
  assert.deepEqual(await check(e.id, inRongu.id), {
    eligible: true,
    municipalityCode: ELVA,
    settlementCode: RONGU,
    basis: 'residence',
    mode: 'live',
  });
  assert.deepEqual(await check(e.id, inPuhja.id), { eligible: false, reason: 'wrong-settlement', mode: 'live' });
  assert.deepEqual(await check(e.id, tallinner.id), { eligible: false, reason: 'not-resident', mode: 'live' });

  // Moved from Puhja to Rõngu on 2026-03-20: not in Rõngu on the reference date, but at voting time.
  const mover = await person(ctx, '1985-06-06');
  await residences(ctx, ELVA, mover.id, [
    { settlementCode: PUHJA, validFrom: '2010-01-01', validUntil: '2026-03-20' },
    { settlementCode: RONGU, validFrom: '2026-03-20' },
  ]);
  assert.equal(((await check(e.id, mover.id)) as { reason: string }).reason, 'wrong-settlement');
  const atVoting = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: 'Rõngu at voting time',
    scope: 'settlements',
    settlementCodes: [RONGU],
    residenceAt: 'voting-time',
  });
  assert.equal(
    ((await check(atVoting.id, mover.id, new Date('2026-03-19T12:00:00Z'))) as { reason: string }).reason,
    'wrong-settlement',
  );
  // On the moving day the newer record wins.
  assert.deepEqual(await check(atVoting.id, mover.id, new Date('2026-03-20T08:00:00Z')), {
    eligible: true,
    municipalityCode: ELVA,
    settlementCode: RONGU,
    basis: 'residence',
    mode: 'live',
  });
  // Just after midnight in Tallinn is already the next day.
  assert.equal((await check(atVoting.id, mover.id, new Date('2026-03-19T22:30:00Z'))).eligible, true);
  // A person who left before the reference date.
  const leaver = await person(ctx, '1985-06-06');
  await residences(ctx, ELVA, leaver.id, [
    { settlementCode: RONGU, validFrom: '2000-01-01', validUntil: '2025-12-31' },
  ]);
  assert.equal(((await check(e.id, leaver.id)) as { reason: string }).reason, 'not-resident');
});

test('include and exclude lists, uploaded as files, checked line by line', async () => {
  const e = await createElectorate(ctx, admin, ELVA, { ...base, name: 'Elva 16+ and property owners', minAge: 16 });
  const owner = await person(ctx, '1960-02-02');
  await residences(ctx, TALLINN, owner.id, [{ settlementCode: '0298' }]);
  const excludedResident = await resident('1980-01-01');
  const child = await person(ctx, '2015-01-01');
  // A bad file is rejected as a whole, naming each bad line.
  await assert.rejects(
    uploadElectorateList(ctx, admin, ELVA, e.id, 'include', {
      filename: 'bad.csv',
      mediaType: 'text/csv',
      content: Buffer.from(`id_code;label\n${owner.idCode};owner\n12345678901;x\n\n${owner.idCode};again\nabc\n`),
    }),
    (err: Problem) => {
      assert.equal(err.status, 400);
      const lines = (err.extras.errors as { pointer: string; detail: string }[]).map((x) => x.pointer);
      assert.deepEqual(lines, ['/file/line/3', '/file/line/5', '/file/line/6']);
      assert.match(err.detail, /3 bad line\(s\), nothing was loaded/);
      return true;
    },
  );
  let view = await uploadElectorateList(ctx, admin, ELVA, e.id, 'include', {
    filename: 'owners.csv',
    mediaType: 'text/csv',
    content: Buffer.from(`isikukood,label\n${owner.idCode},Kinnistu 123\n${child.idCode},child owner\n`),
  });
  assert.equal(view.lists.include?.entries, 2);
  // An ID code nobody has used yet becomes a person from the code alone.
  const newcomer = '49403136515';
  view = await uploadElectorateList(ctx, admin, ELVA, e.id, 'exclude', {
    filename: 'exclude.txt',
    mediaType: 'text/plain',
    content: Buffer.from(`${excludedResident.idCode}\n${newcomer}\n`),
  });
  assert.equal(view.lists.exclude?.entries, 2);
  assert.deepEqual(await check(e.id, owner.id), {
    eligible: true,
    municipalityCode: ELVA,
    settlementCode: null,
    basis: 'include-list',
    mode: 'live',
  });
  assert.deepEqual(await check(e.id, excludedResident.id), { eligible: false, reason: 'excluded', mode: 'live' });
  assert.equal(
    ((await check(e.id, child.id)) as { reason: string }).reason,
    'under-age',
    'the age window applies to the include list too',
  );

  const onlyList = await createElectorate(ctx, admin, ELVA, { ...base, name: 'Owners only', scope: 'list' });
  await uploadElectorateList(ctx, admin, ELVA, onlyList.id, 'include', {
    filename: 'o.csv',
    mediaType: 'text/csv',
    content: Buffer.from(`${owner.idCode}\n`),
  });
  assert.equal((await check(onlyList.id, owner.id)).eligible, true);
  assert.deepEqual(await check(onlyList.id, excludedResident.id), {
    eligible: false,
    reason: 'not-on-list',
    mode: 'live',
  });
});

test('frozen voter list: size and SHA-256 of the export, immutable, unaffected by later moves', async () => {
  const e = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: 'Puhja 18+ frozen',
    scope: 'settlements',
    settlementCodes: [PUHJA],
    minAge: 18,
    mode: 'frozen',
  });
  const a = await resident('1980-01-01', PUHJA);
  const young = await resident('2010-01-01', PUHJA);
  const elsewhere = await resident('1980-01-01', RONGU);
  const excluded = await resident('1981-01-01', PUHJA);
  await uploadElectorateList(ctx, admin, ELVA, e.id, 'exclude', {
    filename: 'x.csv',
    mediaType: 'text/csv',
    content: Buffer.from(`id_code\n${excluded.idCode}\n`),
  });
  await assert.rejects(check(e.id, a.id), (err: Problem) => err.kind.slug === 'electorate-not-frozen');
  const preview = await previewElectorate(ctx, admin, ELVA, e.id);
  const frozen = await freezeElectorate(ctx, admin, ELVA, e.id);
  assert.equal(frozen.state, 'frozen');
  assert.equal(frozen.frozen!.size, preview.total);
  assert.ok(frozen.frozen!.size >= 1);
  const exported = await exportVoterList(ctx, admin, ELVA, e.id);
  assert.equal(exported.sha256, frozen.frozen!.sha256);
  const lines = exported.csv.trim().split('\n');
  assert.equal(lines[0], 'id_code,settlement_code,basis');
  assert.equal(lines.length - 1, frozen.frozen!.size);
  assert.ok(lines.includes(`${a.idCode},${PUHJA},residence`));
  assert.ok(
    !exported.csv.includes(young.idCode) &&
      !exported.csv.includes(excluded.idCode) &&
      !exported.csv.includes(elsewhere.idCode),
  );

  assert.deepEqual(await check(e.id, a.id), {
    eligible: true,
    municipalityCode: ELVA,
    settlementCode: PUHJA,
    basis: 'residence',
    mode: 'frozen',
  });
  assert.deepEqual(await check(e.id, young.id), { eligible: false, reason: 'under-age', mode: 'frozen' });
  assert.deepEqual(await check(e.id, elsewhere.id), { eligible: false, reason: 'not-on-list', mode: 'frozen' });
  assert.deepEqual(await check(e.id, excluded.id), { eligible: false, reason: 'excluded', mode: 'frozen' });

  // Moving away after the cut-off changes nothing; neither can the officials.
  await residences(ctx, ELVA, a.id, [{ municipalityCode: TALLINN, settlementCode: '0176', validFrom: '2026-03-16' }]);
  assert.equal((await check(e.id, a.id)).eligible, true);
  await assert.rejects(
    updateElectorate(ctx, admin, ELVA, e.id, { ...base, name: 'changed', mode: 'frozen' }),
    (err: Problem) => err.status === 409 && err.kind.slug === 'electorate-locked',
  );
  await assert.rejects(freezeElectorate(ctx, admin, ELVA, e.id), (err: Problem) => err.status === 409);
  await assert.rejects(
    uploadElectorateList(ctx, admin, ELVA, e.id, 'include', {
      filename: 'x.csv',
      mediaType: 'text/csv',
      content: Buffer.from(`${young.idCode}\n`),
    }),
    (err: Problem) => err.status === 409,
  );
  await assert.rejects(
    asOwner(ownerUrl, async (c) => {
      await c.query('SET ROLE kov_app');
      await c.query(`SELECT set_config('kov.tenant', $1, false)`, [ELVA]);
      await c.query(`UPDATE electorate_voter SET basis = 'include-list'`);
    }),
    /permission denied/,
  );
});

test('a locked live electorate cannot change; a frozen-mode one cannot be locked before freezing', async () => {
  const live = await createElectorate(ctx, admin, ELVA, { ...base, name: 'Poll electorate' });
  await inScope(ctx.db, { tenant: ELVA }, (trx) => lockElectorate(trx, ELVA, live.id, 'poll opened'));
  await assert.rejects(
    updateElectorate(ctx, admin, ELVA, live.id, { ...base, name: 'x' }),
    (err: Problem) => err.kind.slug === 'electorate-locked',
  );
  const fr = await createElectorate(ctx, admin, ELVA, { ...base, name: 'F', mode: 'frozen' });
  await assert.rejects(
    inScope(ctx.db, { tenant: ELVA }, (trx) => lockElectorate(trx, ELVA, fr.id, 'poll opened')),
    (err: Problem) => err.kind.slug === 'electorate-not-frozen',
  );
});

test('size by settlement unit matches an independent count in SQL', async () => {
  // A few hundred residents spread over three settlement units, with ages around the boundary.
  const units = [ELVA_LINN, RONGU, PUHJA];
  for (let i = 0; i < 150; i++) {
    const year = 2005 + (i % 8);
    const birth = `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    await resident(birth, units[i % 3]!);
  }
  const def: ElectorateInput = {
    ...base,
    name: 'Rõngu and Puhja 16+',
    scope: 'settlements',
    settlementCodes: [RONGU, PUHJA],
    minAge: 16,
    referenceDate: '2026-03-15',
  };
  const preview = await previewDefinition(ctx, admin, ELVA, def);
  const independent = await asOwner(ownerUrl, (c) =>
    c.query<{ settlement_code: string; n: number }>(
      `SELECT r.settlement_code, count(DISTINCT r.person_id)::int AS n
       FROM register_residence r JOIN person p ON p.id = r.person_id
       WHERE r.municipality_code = '0171' AND r.residence_municipality_code = '0171'
         AND r.settlement_code IN ('7167', '6393')
         AND r.valid_from <= DATE '2026-03-15' AND coalesce(r.valid_until, DATE '9999-12-31') >= DATE '2026-03-15'
         AND p.birth_date <= DATE '2010-03-15'
         AND NOT EXISTS (SELECT 1 FROM register_residence r2 WHERE r2.municipality_code = r.municipality_code AND r2.person_id = r.person_id
                          AND r2.valid_from > r.valid_from AND r2.valid_from <= DATE '2026-03-15')
       GROUP BY 1`,
    ),
  );
  const expected = Object.fromEntries(independent.rows.map((r) => [r.settlement_code, r.n]));
  const got = Object.fromEntries(preview.bySettlement.map((s) => [s.code, s.count]));
  assert.deepEqual(got, expected);
  assert.equal(
    preview.total,
    independent.rows.reduce((s, r) => s + r.n, 0),
  );
  assert.ok(preview.total > 20);
  assert.ok(preview.bySettlement.every((s) => s.name));
});

test('definitions are validated, and only admins and editors of the municipality define electorates', async () => {
  const bad = async (input: Partial<ElectorateInput>, pointer: string) =>
    assert.rejects(createElectorate(ctx, admin, ELVA, { ...base, ...input }), (err: Problem) => {
      assert.equal(err.status, 400);
      assert.ok(
        (err.extras.errors as { pointer: string }[]).some((x) => x.pointer === pointer),
        JSON.stringify(err.extras.errors),
      );
      return true;
    });
  await bad({ scope: 'settlements', settlementCodes: ['0387'] }, '/body/settlementCodes');
  await bad({ scope: 'settlements', settlementCodes: [] }, '/body/settlementCodes');
  await bad({ scope: 'municipality', settlementCodes: [RONGU] }, '/body/settlementCodes');
  await bad({ minAge: 30, maxAge: 20 }, '/body/maxAge');
  await bad({ referenceDate: '2026-02-30' }, '/body/referenceDate');
  await bad({ mode: 'frozen', residenceAt: 'voting-time' }, '/body/residenceAt');
  await assert.rejects(createElectorate(ctx, analyst, ELVA, base), (err: Problem) => err.status === 403);
  await assert.rejects(createElectorate(ctx, tallinnAdmin, ELVA, base), (err: Problem) => err.status === 403);
});

test('every live lookup is in the register query log of the municipality', async () => {
  const before = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM register_query_log`.execute(trx),
  );
  const e = await createElectorate(ctx, admin, ELVA, { ...base, name: 'log test' });
  const p = await resident('1990-01-01');
  await check(e.id, p.id);
  const rows = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    sql<{
      subject_id: string;
      purpose: string;
      outcome: string;
      source: string;
      asked_by: string;
      reference: string;
    }>`SELECT * FROM register_query_log ORDER BY id DESC LIMIT 1`.execute(trx),
  );
  const after = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM register_query_log`.execute(trx),
  );
  assert.equal(after.rows[0]!.n, before.rows[0]!.n + 1);
  assert.deepEqual(
    { ...rows.rows[0]!, reference: rows.rows[0]!.reference },
    {
      ...rows.rows[0]!,
      subject_id: p.id,
      purpose: 'test',
      outcome: 'found',
      source: 'extract',
      asked_by: p.id,
      reference: `electorate:${e.id}`,
    },
  );
});

test('the in-memory frozen list answers exactly as the stored voter list, for every resident', async () => {
  const e = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: 'All Elva 16+ frozen',
    minAge: 16,
    mode: 'frozen',
  });
  await freezeElectorate(ctx, admin, ELVA, e.id);
  const rows = await asOwner(ownerUrl, (c) =>
    c.query<{ person_id: string; member: boolean; settlement_code: string | null }>(
      `SELECT r.person_id, v.person_id IS NOT NULL AS member, v.settlement_code FROM (SELECT DISTINCT person_id FROM register_residence WHERE municipality_code = '0171') r
       LEFT JOIN electorate_voter v ON v.person_id = r.person_id AND v.electorate_id = $1`,
      [e.id],
    ),
  );
  assert.ok(rows.rows.filter((r) => r.member).length > 100);
  for (const r of rows.rows) {
    const a = await check(e.id, r.person_id);
    assert.equal(a.eligible, r.member, r.person_id);
    if (a.eligible) assert.equal(a.settlementCode, r.settlement_code);
  }
  assert.equal(
    await check(e.id, '00000000-0000-4000-8000-000000000000').catch((err: Problem) => err.status),
    404,
    'an unknown person',
  );
});

test('a live check on its own (one statement) answers as in a transaction, and logs a register query exactly when the rule asks', async () => {
  const e = await createElectorate(ctx, admin, ELVA, {
    ...base,
    name: 'Rõngu 16+ alone',
    scope: 'settlements',
    settlementCodes: [RONGU],
    minAge: 16,
  });
  const listOnly = await createElectorate(ctx, admin, ELVA, { ...base, name: 'List only, alone', scope: 'list' });
  const inRongu = await resident('1990-01-01', RONGU);
  const inPuhja = await resident('1990-01-01', PUHJA);
  const child = await resident('2015-01-01', RONGU);
  const excluded = await resident('1980-01-01', RONGU);
  const included = await person(ctx, '1960-02-02');
  const nowhere = await person(ctx, '1990-01-01');
  const tallinner = await person(ctx, '1990-01-01');
  await residences(ctx, TALLINN, tallinner.id, [{ settlementCode: '0387' }]);
  for (const [list, who] of [
    ['include', included],
    ['exclude', excluded],
  ] as const)
    for (const el of [e, listOnly])
      await uploadElectorateList(ctx, admin, ELVA, el.id, list, {
        filename: 'l.csv',
        mediaType: 'text/csv',
        content: Buffer.from(`${who.idCode}\n`),
      });
  const logged = async () =>
    (
      await inScope(ctx.db, { tenant: ELVA }, (trx) =>
        sql<{ n: number }>`SELECT count(*)::int AS n FROM register_query_log`.execute(trx),
      )
    ).rows[0]!.n;
  const expected: Record<string, [string | true, number]> = {};
  for (const el of [e, listOnly])
    for (const p of [inRongu, inPuhja, child, excluded, included, nowhere, tallinner]) {
      const input = { municipalityCode: ELVA, electorateId: el.id, personId: p.id, at, purpose: 'test' };
      const n0 = await logged();
      const inTransaction = await check(el.id, p.id);
      const n1 = await logged();
      const alone = await checkEligibility(ctx, null, { ...input, birthDate: p.birthDate });
      const n2 = await logged();
      assert.deepEqual(alone, inTransaction, `${el.name}, born ${p.birthDate}`);
      assert.equal(n2 - n1, n1 - n0, `${el.name}, born ${p.birthDate}: as many register queries logged`);
      expected[`${el.name}/${p.id}`] = [inTransaction.eligible || inTransaction.reason, n2 - n1];
    }
  // The rule's order: lists and age settle before the register is asked.
  const of = (el: { name: string }, p: { id: string }) => expected[`${el.name}/${p.id}`];
  assert.deepEqual(of(e, inRongu), [true, 1]);
  assert.deepEqual(of(e, inPuhja), ['wrong-settlement', 1]);
  assert.deepEqual(of(e, nowhere), ['not-resident', 1]);
  assert.deepEqual(of(e, tallinner), ['not-resident', 1]);
  assert.deepEqual(of(e, child), ['under-age', 0]);
  assert.deepEqual(of(e, excluded), ['excluded', 0]);
  assert.deepEqual(of(e, included), [true, 0]);
  assert.deepEqual(of(listOnly, inRongu), ['not-on-list', 0]);
  assert.deepEqual(of(listOnly, included), [true, 0]);
});
