import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testContext, makePerson, grantRole } from '../../../test/support/app';
import { ANONYMOUS, type PersonActor } from '../../platform/auth/actor';
import { type Problem } from '../../platform/http/problems';
import { reportsModule } from './index';
import { submitReport } from './submitReport';
import { updateReport } from './changeStatus';
import { answerSurvey } from './answerSurvey';
import { refreshStats } from './refreshStats';
import { analyticsHeat, analyticsOverview, overviewCsv, publicStatistics } from './analytics';
import { STATUSES } from './statuses';
import { DURATION_BUCKET_EDGES_H, durationBucket, percentileHours, slaPercent, reopenRate } from './analyticsFormulas';

/**
 * Analytics against answers computed by hand (see the table in each test). Elva, January 2026:
 *
 *   report  category  created (UTC)   acknowledged  first closed     final     notes
 *   R1      roads     01-05 10:00     +2 h          +72 h (3 d)      fixed     rated yes / 5
 *   R2      roads     01-06 00:00     +30 min       +480 h (20 d)    closed    via Open311, late (SLA 14 d)
 *   R3      lighting  01-10 00:00     +5 h          +24 h            fixed     rated no / 2, reopened, closed again
 *   R4      lighting  01-12 00:00     —             —                open      overdue (due 01-26)
 *   R5      parking   01-20 00:00     +1 h          —                in_prog.  overdue (SLA 2 d)
 *   R6      roads     01-25 00:00     +3 h          +312 h (13 d)    fixed     rated don't know / 4
 *   R7      other     02-03 00:00     —             —                open      February, not overdue (due 03-05)
 *   now = 2026-03-01 12:00 UTC
 */
const ELVA = '0171';
const ELVA_TOWN = { lat: 58.2225, lon: 26.4215 };

const { ctx } = await testContext({ jobs: false });
reportsModule.jobs!(ctx);
await ctx.jobs.start();
after(() => ctx.jobs.stop());

let clock = new Date();
ctx.now = () => clock;
const at = (iso: string) => (clock = new Date(iso));

const p = async (role: 'editor' | 'analyst' | 'admin', m = ELVA) => {
  const x = await makePerson(ctx);
  await grantRole(ctx, m, x.id, role);
  return {
    kind: 'person',
    personId: x.id,
    givenName: 'A',
    familyName: 'B',
    birthDate: '1980-01-01',
    idCodeMasked: '',
    acr: 'high',
    roles: [{ municipalityCode: m, role }],
  } as PersonActor;
};
const editor = await p('editor');
const analyst = await p('analyst');
const elvl = await p('analyst', '0000');
const tartuAnalyst = await p('analyst', '0793');
const residentP = await makePerson(ctx);
const resident: PersonActor = { ...editor, personId: residentP.id, roles: [] };

async function report(category: string, created: string, channel: 'web' | 'open311' = 'web') {
  at(created);
  return (
    await submitReport(ctx, resident, {
      categoryCode: category,
      description: `${category} ${created}`,
      ...ELVA_TOWN,
      channel,
    })
  ).id;
}
const plusH = (iso: string, h: number) => new Date(new Date(iso).getTime() + h * 3600_000).toISOString();
async function status(id: number, when: string, s: 'in_progress' | 'fixed' | 'closed') {
  at(when);
  await updateReport(ctx, editor, ELVA, id, { status: s });
}

const R1 = await report('roads', '2026-01-05T10:00:00Z');
await status(R1, plusH('2026-01-05T10:00:00Z', 2), 'in_progress');
await status(R1, plusH('2026-01-05T10:00:00Z', 72), 'fixed');
const R2 = await report('roads', '2026-01-06T00:00:00Z', 'open311');
await status(R2, plusH('2026-01-06T00:00:00Z', 0.5), 'in_progress');
await status(R2, plusH('2026-01-06T00:00:00Z', 480), 'closed');
const R3 = await report('lighting', '2026-01-10T00:00:00Z');
await status(R3, plusH('2026-01-10T00:00:00Z', 5), 'in_progress');
await status(R3, plusH('2026-01-10T00:00:00Z', 24), 'fixed');
at('2026-01-12T00:00:00Z');
await answerSurvey(ctx, resident, ELVA, R3, { fixed: 'no', rating: 2, reopen: true });
await status(R3, '2026-01-15T00:00:00Z', 'fixed');
await report('lighting', '2026-01-12T00:00:00Z');
const R5 = await report('parking', '2026-01-20T00:00:00Z');
await status(R5, plusH('2026-01-20T00:00:00Z', 1), 'in_progress');
const R6 = await report('roads', '2026-01-25T00:00:00Z');
await status(R6, plusH('2026-01-25T00:00:00Z', 3), 'in_progress');
await status(R6, plusH('2026-01-25T00:00:00Z', 312), 'fixed');
at('2026-02-20T00:00:00Z');
await answerSurvey(ctx, resident, ELVA, R1, { fixed: 'yes', rating: 5 });
await answerSurvey(ctx, resident, ELVA, R6, { fixed: 'dont_know', rating: 4, comment: 'Ei tea' });
await report('other', '2026-02-03T00:00:00Z');
at('2026-03-01T12:00:00Z');
await refreshStats(ctx);

const JAN = { scope: ELVA, from: '2026-01', to: '2026-01' };

test('the formulas: bucket edges agree with SQL, nearest-rank percentiles, SLA and reopen shares', async () => {
  const probes = [
    0,
    1,
    3599,
    3600,
    3601,
    7200,
    12 * 3600 + 1,
    86_400,
    86_401,
    30 * 86_400,
    30 * 86_400 + 1,
    91 * 86_400,
    365 * 86_400,
    365 * 86_400 + 1,
    10 * 365 * 86_400,
  ];
  const { rows } = await sql<{
    s: number;
    b: number;
  }>`SELECT s, report_duration_bucket(s) AS b FROM unnest(${probes}::float8[]) AS s`.execute(ctx.db);
  for (const r of rows) assert.equal(r.b, durationBucket(r.s), `bucket of ${r.s} s`);
  assert.equal(durationBucket(3600), 0);
  assert.equal(durationBucket(3601), 1);
  assert.equal(durationBucket(365 * 86_400 + 1), DURATION_BUCKET_EDGES_H.length);
  const h = new Map([
    [durationBucket(24 * 3600), 1],
    [durationBucket(72 * 3600), 1],
    [durationBucket(312 * 3600), 1],
    [durationBucket(480 * 3600), 1],
  ]);
  assert.equal(percentileHours(h, 0.5), 72);
  assert.equal(percentileHours(h, 0.9), 480);
  assert.equal(percentileHours(new Map(), 0.5), null);
  assert.equal(percentileHours(new Map([[DURATION_BUCKET_EDGES_H.length, 3]]), 0.5), Infinity);
  assert.equal(slaPercent({ closedInSla: 3, closedLate: 1, openOverdue: 2 }), 50);
  assert.equal(slaPercent({ closedInSla: 0, closedLate: 0, openOverdue: 0 }), null);
  assert.equal(reopenRate({ closed: 3, reopened: 1 }), 33.3);
});

test('January in Elva, from the pre-aggregated tables, matches the hand-computed answers', async () => {
  const o = await analyticsOverview(ctx, analyst, JAN);
  assert.equal(o.source, 'pre-aggregated');
  assert.deepEqual(o.totals, { created: 6, acknowledged: 5, closed: 4, hidden: 0 });
  assert.deepEqual(o.volumeByMonth, [{ month: '2026-01', created: 6, closed: 4 }]);
  // Acknowledge: 0.5 h, 1 h, 2 h, 3 h, 5 h → buckets ≤1, ≤1, ≤2, ≤3, ≤5; median = 3rd = 2 h, P90 = 5th = 5 h.
  assert.deepEqual([o.timeToAcknowledge.n, o.timeToAcknowledge.medianHours, o.timeToAcknowledge.p90Hours], [5, 2, 5]);
  // Close (first close): 24, 72, 312, 480 h; median = 2nd = 72 h, P90 = 4th = 480 h.
  assert.deepEqual([o.timeToClose.n, o.timeToClose.medianHours, o.timeToClose.p90Hours], [4, 72, 480]);
  // SLA: in time R1, R3, R6; late R2; open overdue R4, R5 → 3 / 6 = 50 %.
  assert.deepEqual(o.sla, { applicable: 6, closedInSla: 3, closedLate: 1, openOverdue: 2, percent: 50 });
  // Reopened R3 of 4 closed → 25 %.
  assert.deepEqual(o.reopen, { closed: 4, reopened: 1, percent: 25 });
  // Satisfaction: yes/5, no/2, don't know/4 → 11 / 3 = 3.67.
  assert.deepEqual(o.satisfaction, { answers: 3, averageRating: 3.67, fixedYes: 1, fixedNo: 1, fixedDontKnow: 1 });
  const roads = o.byCategory.find((c) => c.code === 'roads')!;
  assert.deepEqual(
    [roads.created, roads.closed, roads.slaPercent, roads.close.medianHours, roads.close.p90Hours],
    [3, 3, 66.7, 312, 480],
  );
  assert.equal(o.byCategory.find((c) => c.code === 'lighting')!.slaPercent, 50);
  assert.equal(o.byCategory.find((c) => c.code === 'parking')!.slaPercent, 0);
  assert.deepEqual(o.byChannel, [
    { channel: 'web', created: 5 },
    { channel: 'open311', created: 1 },
  ]);
  assert.deepEqual(
    o.byDomain.find((d) => d.domain === 'Taristu'),
    { domain: 'Taristu', created: 5 },
  );
  assert.deepEqual(o.byArea, [{ code: '1586', name: 'Elva linn', created: 6, closed: 4 }]);
  // Backlog now (1 March): R4 (48 days old) and R5 (40 days) are open, both older than 30 days; R7 is 26 days old.
  assert.deepEqual(o.backlog, {
    open: 3,
    olderThan30Days: 2,
    byAge: [
      { label: '0-7', n: 0 },
      { label: '8-30', n: 1 },
      { label: '31-90', n: 2 },
      { label: '>90', n: 0 },
    ],
  });
});

test('periods, category and status filters; the raw path gives the same numbers as the pre-aggregated one', async () => {
  const two = await analyticsOverview(ctx, analyst, { ...JAN, to: '2026-02' });
  assert.deepEqual(two.volumeByMonth, [
    { month: '2026-01', created: 6, closed: 4 },
    { month: '2026-02', created: 1, closed: 0 },
  ]);
  assert.equal(two.sla.openOverdue, 2, 'R7 is not overdue yet');
  const roads = await analyticsOverview(ctx, analyst, { ...JAN, categories: ['roads'] });
  assert.deepEqual([roads.totals.created, roads.timeToClose.medianHours, roads.sla.percent], [3, 312, 66.7]);
  // A settlement unit inside the municipality is a dimension of the pre-aggregated tables; every
  // report of January is in it, so the answers equal the municipality's, and the single-report
  // path (a filter on every status forces it) gives the same numbers.
  const area = await analyticsOverview(ctx, analyst, { ...JAN, area: '1586' });
  assert.equal(area.source, 'pre-aggregated');
  const pre = await analyticsOverview(ctx, analyst, JAN);
  const areaRaw = await analyticsOverview(ctx, analyst, { ...JAN, area: '1586', status: [...STATUSES] });
  assert.equal(areaRaw.source, 'reports');
  for (const k of [
    'totals',
    'volumeByMonth',
    'byCategory',
    'timeToAcknowledge',
    'timeToClose',
    'sla',
    'reopen',
    'satisfaction',
    'byChannel',
    'byArea',
    'backlog',
  ] as const) {
    assert.deepEqual(area[k], pre[k], k);
    assert.deepEqual(areaRaw[k], area[k], k);
  }
  // Another settlement unit of Elva, and "no unit recorded" (the municipality's own code), hold none of them.
  const otherUnit = (
    await ctx.db
      .selectFrom('place')
      .select('code')
      .where('municipality_code', '=', ELVA)
      .where('level', '=', 'settlement')
      .where('code', '!=', '1586')
      .executeTakeFirstOrThrow()
  ).code;
  for (const code of [otherUnit, ELVA]) {
    const other = await analyticsOverview(ctx, analyst, { ...JAN, area: code });
    assert.deepEqual(
      [other.source, other.totals.created, other.timeToClose.n, other.backlog.open, other.byArea],
      ['pre-aggregated', 0, 0, 0, []],
      code,
    );
  }
  // Status filter: reports now fixed are R1, R3, R6 → first-close times 72, 24, 312 h → median 72 h.
  const fixed = await analyticsOverview(ctx, analyst, { ...JAN, status: ['fixed'] });
  assert.deepEqual(
    [fixed.source, fixed.totals.created, fixed.timeToClose.medianHours, fixed.timeToClose.p90Hours],
    ['reports', 3, 72, 312],
  );
  await assert.rejects(analyticsOverview(ctx, analyst, { ...JAN, from: '2026-13' }), (e: Problem) => e.status === 400);
  await assert.rejects(
    analyticsOverview(ctx, analyst, { ...JAN, from: '2026-02', to: '2026-01' }),
    (e: Problem) => e.status === 400,
  );
});

test('ELVL sees the national aggregate; officials only their own municipality; the public a summary', async () => {
  const nat = await analyticsOverview(ctx, elvl, { ...JAN, scope: '0000' });
  assert.deepEqual([nat.totals.created, nat.timeToClose.medianHours, nat.sla.percent], [6, 72, 50]);
  assert.deepEqual(nat.byArea, [{ code: ELVA, name: 'Elva vald', created: 6, closed: 4 }]);
  const natElva = await analyticsOverview(ctx, elvl, { ...JAN, scope: '0000', area: ELVA });
  assert.equal(natElva.totals.created, 6);
  await assert.rejects(analyticsOverview(ctx, tartuAnalyst, JAN), (e: Problem) => e.status === 403);
  await assert.rejects(analyticsOverview(ctx, analyst, { ...JAN, scope: '0000' }), (e: Problem) => e.status === 403);
  await assert.rejects(analyticsOverview(ctx, resident, JAN), (e: Problem) => e.status === 403);
  await assert.rejects(analyticsOverview(ctx, ANONYMOUS, JAN), (e: Problem) => e.status === 401);
  const pub = await publicStatistics(ctx, ELVA);
  assert.equal(pub.created, 7);
  assert.equal(pub.timeToClose.medianHours, 72);
  assert.equal(JSON.stringify(pub).includes('resident'), false);
});

test('heat cells and CSV export carry the same data', async () => {
  const heat = await analyticsHeat(ctx, analyst, JAN);
  assert.deepEqual(
    heat.cells.reduce((s, c) => s + c.n, 0),
    6,
  );
  assert.ok(heat.cells.every((c) => c.lat <= ELVA_TOWN.lat && c.lat + heat.cellLat > ELVA_TOWN.lat - 0.001));
  const nat = await analyticsHeat(ctx, elvl, { ...JAN, scope: '0000' });
  assert.equal(nat.cellLat, heat.cellLat * 10);
  assert.equal(
    nat.cells.reduce((s, c) => s + c.n, 0),
    6,
  );
  const o = await analyticsOverview(ctx, analyst, JAN);
  const cats = overviewCsv(o, 'categories').split('\r\n');
  assert.equal(
    cats[0],
    'category,domain,created,closed,sla_percent,acknowledge_median_hours,acknowledge_p90_hours,close_median_hours,close_p90_hours',
  );
  assert.ok(cats.includes('roads,Taristu,3,3,66.7,2,3,312,480'), cats.join('\n'));
  const summary = overviewCsv(o, 'summary');
  assert.match(summary, /^sla_percent,50$/m);
  assert.match(summary, /^close_median_hours,72$/m);
});

test('a later change is picked up by the next refresh (dirty months only)', async () => {
  at('2026-03-01T13:00:00Z');
  await updateReport(ctx, editor, ELVA, R5, { status: 'fixed' });
  const r = await refreshStats(ctx);
  assert.deepEqual(r, { municipalityMonths: 1, nationalMonths: 1 });
  const o = await analyticsOverview(ctx, analyst, JAN);
  assert.equal(o.totals.closed, 5);
  assert.deepEqual([o.sla.closedLate, o.sla.openOverdue], [2, 1]);
  assert.deepEqual(await refreshStats(ctx), { municipalityMonths: 0, nationalMonths: 0 });
});
