import path from 'node:path';
import pg from 'pg';
import type { BenchScenario } from '../lib';
import { load, percentile } from '../lib';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { createSession } from '../../src/platform/auth/sessions';
import { inScope } from '../../src/platform/db/database';
import { readEhak } from '../../src/platform/places/ehak';
import { geoIndex } from '../../src/platform/places/geo';
import { generateReports, rng } from '../../src/modules/reports/generate';
import { refreshStats } from '../../src/modules/reports/refreshStats';

/**
 * Anna Teada at national scale: REPORTS_BENCH_TOTAL (default 1,000,000) generated reports over 3
 * years across all 78 municipalities, then the p95 latency of each analytics query through HTTP
 * (one analyst, sequential requests), then report intake without photos (POST /api/v1/reports,
 * 20 connections), next to the raw-PostgreSQL insert baseline of the same run.
 */
const TOTAL = Number(process.env.REPORTS_BENCH_TOTAL ?? 1_000_000);
const ITERATIONS = Number(process.env.REPORTS_BENCH_ITERATIONS ?? 40);

/** Roughly as people live: Tallinn a third, Tartu a tenth, the towns more than the rural municipalities. */
function shares(): Map<string, number> {
  const big: Record<string, number> = {
    '0784': 0.3,
    '0793': 0.08,
    '0511': 0.04,
    '0624': 0.04,
    '0296': 0.03,
    '0714': 0.025,
    '0736': 0.01,
  };
  const rest = readEhak().filter((u) => u.level === 'municipality' && !(u.code in big));
  const restShare = (1 - Object.values(big).reduce((a, b) => a + b, 0)) / rest.length;
  return new Map([...Object.entries(big), ...rest.map((u) => [u.code, restShare] as [string, number])]);
}

export const reportsScenario: BenchScenario = {
  name: 'reports',
  title: `Anna Teada: analytics p95 over ${TOTAL.toLocaleString('en')} reports (3 years, 78 municipalities) and report intake`,
  async run(env) {
    const { ctx } = env;
    const now = new Date();
    const from = new Date(now.getTime() - 3 * 365 * 86_400_000);
    const notes: string[] = [];

    // 1. Data: 1M reports, bulk-written per municipality, then the statistics rebuilt once.
    let t0 = performance.now();
    let written = 0;
    let seed = 7;
    for (const [code, share] of shares()) {
      const count = Math.round(TOTAL * share);
      if (!count) continue;
      written += await generateReports(ctx, {
        municipalityCode: code,
        count,
        from,
        to: now,
        now,
        seed: seed++,
        events: false,
        batch: 10_000,
        statsDirty: false,
      });
      if (written % 100_000 < count) env.log(`${written.toLocaleString('en')} reports written`);
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    const owner = new pg.Client({ connectionString: env.ownerUrl });
    await owner.connect();
    owner.on('error', () => {}); // the harness drops the database when done
    await owner.query('VACUUM ANALYZE report');
    t0 = performance.now();
    const refreshed = await refreshStats(ctx, { all: true });
    const refreshSeconds = (performance.now() - t0) / 1000;
    for (const t of ['report', 'report_stats', 'report_stats_duration', 'report_stats_area', 'report_stats_cell'])
      await owner.query(`VACUUM ANALYZE ${t}`);
    notes.push(
      `generated ${written.toLocaleString('en')} reports in ${loadSeconds.toFixed(0)} s; statistics rebuilt in ${refreshSeconds.toFixed(1)} s (${refreshed.municipalityMonths} municipality-months)`,
    );
    // The incremental job's cost: one day's worth of changes (≈900 reports) re-aggregated.
    await owner.query(
      `UPDATE report SET stats_dirty = true WHERE id IN (SELECT id FROM report ORDER BY created_at DESC LIMIT 900)`,
    );
    t0 = performance.now();
    const inc = await refreshStats(ctx);
    const incMs = Math.round(performance.now() - t0);
    notes.push(
      `incremental refresh of ${inc.municipalityMonths} municipality-months after 900 changed reports: ${incMs} ms`,
    );

    // 2. Analytics through HTTP as an analyst of Tallinn and of ELVL.
    const personId = await upsertPerson(ctx.db, {
      idCode: makeIdCode('female', '1979-03-03', 311),
      givenName: 'Ana',
      familyName: 'Lüütik',
      birthDate: '1979-03-03',
    });
    await inScope(ctx.db, { tenant: '0784' }, (trx) =>
      trx
        .insertInto('role_grant')
        .values({ municipality_code: '0784', person_id: personId, role: 'analyst', granted_by: null })
        .onConflict((oc) => oc.doNothing())
        .execute(),
    );
    await inScope(ctx.db, { tenant: '0000' }, (trx) =>
      trx
        .insertInto('role_grant')
        .values({ municipality_code: '0000', person_id: personId, role: 'analyst', granted_by: null })
        .onConflict((oc) => oc.doNothing())
        .execute(),
    );
    const s = await createSession(ctx.db, personId, { idleMinutes: 60, absoluteHours: 12 });
    const headers = { cookie: `kov_session=${s.token}` };
    const month = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    const last12 = `from=${month(new Date(now.getTime() - 335 * 86_400_000))}&to=${month(now)}`;
    const last36 = `from=${month(from)}&to=${month(now)}`;
    const lasnamae = '0387';
    const queries: [string, string][] = [
      ['tallinn12m', `/api/v1/municipalities/0784/reports/analytics?${last12}`],
      ['tallinn36m', `/api/v1/municipalities/0784/reports/analytics?${last36}`],
      ['tallinnCategory', `/api/v1/municipalities/0784/reports/analytics?${last12}&category=roads&category=lighting`],
      ['tallinnArea', `/api/v1/municipalities/0784/reports/analytics?${last12}&area=${lasnamae}`],
      ['tallinnAreaHeat', `/api/v1/municipalities/0784/reports/analytics/heat?${last12}&area=${lasnamae}`],
      [
        'tallinnStatusRaw',
        `/api/v1/municipalities/0784/reports/analytics?from=${month(new Date(now.getTime() - 60 * 86_400_000))}&to=${month(now)}&status=open&status=in_progress`,
      ],
      ['tallinnHeat', `/api/v1/municipalities/0784/reports/analytics/heat?${last12}`],
      ['tallinnCsv', `/api/v1/municipalities/0784/reports/analytics.csv?${last12}&table=categories`],
      ['national12m', `/api/v1/municipalities/0000/reports/analytics?${last12}`],
      ['national36m', `/api/v1/municipalities/0000/reports/analytics?${last36}`],
      ['nationalOneMunicipality', `/api/v1/municipalities/0000/reports/analytics?${last12}&area=0793`],
      ['nationalHeat', `/api/v1/municipalities/0000/reports/analytics/heat?${last12}`],
      ['publicStatistics', `/api/v1/municipalities/0784/reports/statistics`],
      ['publicRecentList', `/api/v1/municipalities/0784/reports?windowDays=20`],
    ];
    const metrics: Record<string, number> = {
      reports: written,
      loadSeconds: Math.round(loadSeconds),
      statsRebuildSeconds: Math.round(refreshSeconds * 10) / 10,
      incrementalRefreshMs: incMs,
    };
    const targets: { metric: string; op: '<'; value: number }[] = [];
    for (const [name, path] of queries) {
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS + 3; i++) {
        const t = performance.now();
        const res = await fetch(env.url + path, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
        if (i >= 3) times.push(performance.now() - t); // the first three warm the caches
      }
      times.sort((a, b) => a - b);
      metrics[`${name}P95Ms`] = Math.round(percentile(times, 0.95) * 10) / 10;
      metrics[`${name}P50Ms`] = Math.round(percentile(times, 0.5) * 10) / 10;
      if (name !== 'publicRecentList') targets.push({ metric: `${name}P95Ms`, op: '<', value: 200 });
    }

    // 3. Intake: POST /api/v1/reports without photos, points spread over the country's land.
    const random = rng(99);
    const g = geoIndex();
    const points: { lat: number; lon: number }[] = [];
    while (points.length < 2000) {
      const lat = 57.6 + random() * 2;
      const lon = 22 + random() * 6;
      const m = g.locate(lat, lon);
      if (m && !m.snapped) points.push({ lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 });
    }
    process.env.KOV_BENCH_REPORT_POINTS = JSON.stringify(points.map((p) => [p.lat, p.lon]));
    const intake = await load({
      url: `${env.url}/api/v1/reports`,
      duration: env.seconds,
      connections: 20,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: path.resolve(import.meta.dirname, 'reportsIntakeRequest.cjs') as never,
        },
      ],
    });
    metrics.intakeReportsPerSecond = intake.requestsPerSecond;
    metrics.intakeP50Ms = intake.p50Ms;
    metrics.intakeP99Ms = intake.p99Ms;
    metrics.intakeErrors = intake.errors + intake.non2xx;
    metrics.intakeRatioToInsertBaseline = env.baseline
      ? Math.round((intake.requestsPerSecond / env.baseline.insertsPerSecond) * 100) / 100
      : NaN;
    targets.push({ metric: 'intakeReportsPerSecond', op: '>=' as never, value: 1000 });
    const stored = await owner.query(`SELECT count(*)::int AS n FROM report WHERE description LIKE 'Koormustest %'`);
    notes.push(
      `intake stored ${stored.rows[0].n} reports (${intake.requests} requests answered); baseline ${env.baseline?.insertsPerSecond ?? '?'} raw single-row inserts/s`,
    );
    await owner.end();
    return { metrics, targets, notes };
  },
};
