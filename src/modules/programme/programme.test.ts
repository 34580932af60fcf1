import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { readActionPlan } from './index';

const platform = await testPlatform();
const { ctx, app } = platform;
const elvlEditor = await makePerson(ctx);
await grantRole(ctx, '0000', elvlEditor.id, 'editor');
const tartuOfficial = await makePerson(ctx);
await grantRole(ctx, '0793', tartuOfficial.id, 'analyst');
const resident = await makePerson(ctx);
const editor = await sessionFor(ctx, elvlEditor.id);
const official = await sessionFor(ctx, tartuOfficial.id);
const citizen = await sessionFor(ctx, resident.id);
const PLAN = 'elvl-digipoore-2023-2026';

const call = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const countLines = () =>
  ctx.db.transaction().execute(async (trx) => {
    await trx.executeQuery({
      sql: "select set_config('kov.tenant', '0000', true)",
      parameters: [],
      query: null,
    } as never);
    const r = await trx.executeQuery<{ n: number }>({
      sql: 'select count(*)::int as n from programme_cost_line',
      parameters: [],
      query: null,
    } as never);
    return r.rows[0]!.n;
  });

test('an ELVL editor imports the real plan; officials of any municipality read its totals and the flagged 10 560 €', async () => {
  const res = await call('POST', '/programme/plans', editor.headers, readActionPlan());
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), {
    planId: PLAN,
    replaced: false,
    initiatives: 8,
    costLines: 31,
    statedTotals: 205,
    inconsistencies: 6,
  });

  const overview = await call('GET', `/programme/plans/${PLAN}`, official.headers);
  assert.equal(overview.statusCode, 200, overview.body);
  const o = overview.json();
  assert.equal(o.totals.total.net, 143_466_500);
  assert.equal(o.totals.byMeasureActivity['3'].total.gross, 18_976_500);
  assert.equal(o.inconsistencies, 6);
  const flagged = o.checks.filter((c: { ok: boolean }) => !c.ok);
  assert.ok(flagged.every((c: { differenceCents: number }) => c.differenceCents === -1_056_000));
  assert.ok(o.initiatives.some((i: { name: string }) => i.name === 'Küberturvalisuse tagamise tugi KOVidele'));
  assert.ok(
    o.costLines.find(
      (l: { initiative: string; year: number; account: number }) =>
        l.initiative === '4' && l.year === 2026 && l.account === 55,
    ).vatCents === 1_955_600,
  );

  // Importing again replaces the plan rather than doubling it.
  const again = await call('POST', '/programme/plans', editor.headers, readActionPlan());
  assert.equal(again.json().replaced, true);
  assert.equal(await countLines(), 31);
});

test('plan files with unknown accounts or measure activities are rejected with every error listed, and nothing changes', async () => {
  const doc = readActionPlan() as { costLines: { account: number; measureActivity: number; initiative: string }[] };
  doc.costLines[0]!.account = 60;
  doc.costLines[3]!.measureActivity = 5;
  doc.costLines[5]!.initiative = '99';
  const res = await call('POST', '/programme/plans', editor.headers, doc);
  assert.equal(res.statusCode, 422, res.body);
  const p = res.json();
  assert.equal(p.type, '/problems/programme-import-rejected');
  assert.match(p.detail, /nothing was imported/);
  assert.deepEqual(
    p.errors.map((e: { pointer: string }) => e.pointer),
    ['/costLines/0/account', '/costLines/3/measureActivity', '/costLines/5/initiative'],
  );
  assert.match(p.errors[0].detail, /unknown account 60; known accounts are 15 .*50 .*55/);
  assert.match(p.errors[1].detail, /unknown measure activity 5/);
  assert.equal(await countLines(), 31, 'the stored plan is untouched');

  const broken = await call('POST', '/programme/plans', editor.headers, {
    format: 'kov-programme-plan/1',
    plan: { id: 'x' },
  });
  assert.equal(broken.statusCode, 422);
  assert.ok(broken.json().errors.some((e: { pointer: string }) => e.pointer.startsWith('/plan')));
});

test('cost lines replaced from CSV: bad lines are reported by line and column, good files replace the lines', async () => {
  const bad =
    'initiative;measure_activity;account;year;amount\n1;1;15;2025;100 000\n1;7;15;2026;5\n2;4;60;2026;40000\n3;1;55;2031;1,5\n';
  const res = await call('PUT', `/programme/plans/${PLAN}/cost-lines`, editor.headers, { csv: bad });
  assert.equal(res.statusCode, 422, res.body);
  assert.deepEqual(
    res.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/csv/line/3/measure_activity', '/csv/line/4/account', '/csv/line/5/year'],
  );
  assert.equal(await countLines(), 31);

  const good = 'initiative,measure_activity,account,year,amount\n1,1,15,2025,100000\n1,1,50,2026,33500.50\n';
  const ok = await call('PUT', `/programme/plans/${PLAN}/cost-lines`, editor.headers, { csv: good });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { planId: PLAN, removed: 31, added: 2 });
  const o = (await call('GET', `/programme/plans/${PLAN}`, official.headers)).json();
  assert.equal(o.totals.total.net, 10_000_000 + 3_350_050);
  // Restore the real plan for the following tests.
  await call('POST', '/programme/plans', editor.headers, readActionPlan());
});

test('the VAT rule is configurable: a 25 % rate from 2026 changes 2026 with VAT only, and is audited', async () => {
  const res = await call('PUT', `/programme/plans/${PLAN}/vat`, editor.headers, {
    accounts: [15, 55],
    rates: [
      { fromYear: 2023, ratePercent: 20 },
      { fromYear: 2024, ratePercent: 22 },
      { fromYear: 2025, ratePercent: 24 },
      { fromYear: 2026, ratePercent: 25 },
    ],
    rounding: 'euro',
  });
  assert.equal(res.statusCode, 200, res.body);
  const o = (await call('GET', `/programme/plans/${PLAN}`, official.headers)).json();
  assert.equal(o.totals.byYear['2025'].gross, 69_156_000);
  assert.notEqual(o.totals.byYear['2026'].gross, 81_547_500);
  const unknown = await call('PUT', `/programme/plans/${PLAN}/vat`, editor.headers, {
    accounts: [15, 56],
    rates: [{ fromYear: 2024, ratePercent: 22 }],
    rounding: 'euro',
  });
  assert.equal(unknown.statusCode, 422);
  assert.match(unknown.json().errors[0].detail, /unknown account 56/);
  await call('POST', '/programme/plans', editor.headers, readActionPlan());
});

test('actual spending is entered against the plan and compared with it', async () => {
  const res = await call('POST', `/programme/plans/${PLAN}/spending`, editor.headers, {
    initiative: '5',
    measureActivity: 2,
    account: 55,
    spentOn: '2025-03-14',
    amountCents: 1_000_000,
    vatCents: 240_000,
    description: 'E-ITS webinar series',
  });
  assert.equal(res.statusCode, 201, res.body);
  const o = (await call('GET', `/programme/plans/${PLAN}`, official.headers)).json();
  const five = o.actuals.byInitiative['5'];
  assert.equal(five.spent.gross, 1_240_000);
  assert.equal(five.planned.gross, 19_641_400);
  assert.equal(five.remainingGross, 19_641_400 - 1_240_000);
  assert.equal(o.actuals.byYear['2025'].gross, 1_240_000);
  const bad = await call('POST', `/programme/plans/${PLAN}/spending`, editor.headers, {
    initiative: '5',
    measureActivity: 9,
    account: 50,
    spentOn: '2030-01-01',
    amountCents: 100,
    vatCents: 22,
    description: 'x',
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    bad
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/body/measureActivity', '/body/spentOn', '/body/vatCents'],
  );
});

test('only ELVL editors change the plan; residents and the public cannot read it', async () => {
  assert.equal((await call('POST', '/programme/plans', official.headers, readActionPlan())).statusCode, 403);
  assert.equal(
    (await call('PATCH', `/programme/plans/${PLAN}/initiatives/5`, official.headers, { status: 'completed' }))
      .statusCode,
    403,
  );
  assert.equal((await call('GET', `/programme/plans/${PLAN}`, citizen.headers)).statusCode, 403);
  assert.equal((await call('GET', `/programme/plans/${PLAN}`, {})).statusCode, 401);
  const patched = await call('PATCH', `/programme/plans/${PLAN}/initiatives/5`, editor.headers, {
    status: 'completed',
    note: 'done',
  });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().status, 'completed');
  assert.equal(
    (await call('PATCH', `/programme/plans/${PLAN}/initiatives/77`, editor.headers, { status: 'completed' }))
      .statusCode,
    404,
  );
});
