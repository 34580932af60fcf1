/**
 * `npm run bench [-- scenario ...]`: starts the platform on a fresh database (embedded
 * PostgreSQL in a temporary folder, or a new database on the DATABASE_URL server), measures the
 * raw-PostgreSQL insert baseline, runs the scenarios, prints a table and writes
 * bench/results/<scenario>.json. BENCH_SECONDS sets the length of each load phase;
 * BENCH_RATE_LIMIT_PAIRS the number of pairs without/with rate limiting (compareRateLimits, 10);
 * BENCH_RATE_LIMIT_CONTROL=1 a control run of those pairs with the limiter left off in both.
 */
import { mkdirSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, freePort } from '../src/platform/db/embedded';
import { migrate } from '../src/platform/db/migrate';
import { withDatabase } from '../src/platform/db/database';
import { loadPlaces } from '../src/platform/places/ehak';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/platform/log';
import { createContext } from '../src/platform/context';
import { ensureLoginRoles } from '../src/platform/db/roles';
import { buildApp } from '../src/app';
import { measureInsertBaseline, type BenchEnv, type BenchResult } from './lib';
import { scenarios } from './scenarios';

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const resultsDir = path.resolve(import.meta.dirname, 'results');

async function main() {
  const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
  if (unknown.length) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const chosen = wanted.length ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
  let serverUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  let tmp: string | undefined;
  if (!serverUrl) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-bench-'));
    chmodSync(tmp, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), ephemeral: true });
    serverUrl = server.url;
    stop = server.stop;
  }
  const dbName = `kov_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const version = (await admin.query("SELECT current_setting('server_version') AS v")).rows[0].v;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const ownerUrl = withDatabase(serverUrl, dbName);
  await migrate(ownerUrl);
  await loadPlaces(ownerUrl);
  await ensureLoginRoles(ownerUrl);

  const port = await freePort();
  const config = loadConfig({
    ...process.env,
    KOV_MODE: 'test',
    PORT: String(port),
    KOV_WEB_DIST: '',
    LOG_LEVEL: 'warn',
    KOV_DEMO_IDP: 'true',
    // Rate limits switched on for some phases (compareRateLimits): limits far above what one load
    // generator sends, so that every request pays for counting and none is refused.
    KOV_RATE_LIMIT_OVERRIDES: ['default', 'casts', 'report-intake', 'survey-answers']
      .flatMap((f) => ['address', 'person'].map((d) => `${f}.${d}=100000000/60`))
      .join(','),
  });
  const ctx = createContext(config, ownerUrl, createLogger('warn'), { poolSize: 20 });
  await ctx.events.start();
  // One server: its rate limiter is off until a scenario switches it on.
  const app = await buildApp(ctx, { rateLimits: 'switchable' });
  await app.listen({ host: '127.0.0.1', port });
  let requestsSeen = 0;
  app.server.on('request', () => (requestsSeen += 1));
  const env: BenchEnv = {
    ctx,
    ownerUrl,
    url: `http://127.0.0.1:${port}`,
    rateLimiter: app.rateLimiter,
    requestsSeen: () => requestsSeen,
    seconds,
    baseline: undefined,
    log: (l) => console.log(`  ${l}`),
  };

  console.log(
    `KOV Platform benchmarks — PostgreSQL ${version}, Node ${process.version}, ${os.cpus().length} cores, ${seconds} s per phase\n`,
  );
  console.log('▶ baseline: raw PostgreSQL single-row INSERT transactions (pg, 20 clients)');
  env.baseline = await measureInsertBaseline(ownerUrl, seconds);
  console.log(
    `  ${env.baseline.insertsPerSecond} inserts/s, p50 ${env.baseline.p50Ms} ms, p99 ${env.baseline.p99Ms} ms\n`,
  );
  mkdirSync(resultsDir, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(
    path.join(resultsDir, 'baseline.json'),
    JSON.stringify({ scenario: 'baseline', at, postgres: version, metrics: env.baseline }, null, 2) + '\n',
  );

  const rows: { scenario: string; metric: string; value: number; target: string }[] = [];
  for (const s of chosen) {
    console.log(`▶ ${s.name}: ${s.title}`);
    let result: BenchResult;
    try {
      result = await s.run(env);
    } catch (err) {
      console.error(`  failed: ${(err as Error).stack}`);
      rows.push({ scenario: s.name, metric: 'FAILED', value: NaN, target: '' });
      continue;
    }
    for (const n of result.notes ?? []) console.log(`  ${n}`);
    const verdicts = (result.targets ?? []).map((t) => {
      const v = result.metrics[t.metric]!;
      const ok = t.op === '<' ? v < t.value : t.op === '<=' ? v <= t.value : t.op === '>' ? v > t.value : v >= t.value;
      return { ...t, actual: v, met: ok };
    });
    for (const [metric, value] of Object.entries(result.metrics)) {
      const t = verdicts.find((x) => x.metric === metric);
      rows.push({
        scenario: s.name,
        metric,
        value,
        target: t ? `${t.op} ${t.value} ${t.met ? '✔ met' : '✖ NOT met'}` : '',
      });
    }
    writeFileSync(
      path.join(resultsDir, `${s.name}.json`),
      JSON.stringify(
        {
          scenario: s.name,
          title: s.title,
          at,
          postgres: version,
          seconds,
          baseline: env.baseline,
          metrics: result.metrics,
          targets: verdicts,
          notes: result.notes ?? [],
        },
        null,
        2,
      ) + '\n',
    );
    console.log('');
  }

  const w = (s: string, n: number) => s.padEnd(n);
  console.log(`${w('scenario', 22)} ${w('metric', 34)} ${w('value', 14)} target`);
  console.log('-'.repeat(90));
  for (const r of rows)
    console.log(
      `${w(r.scenario, 22)} ${w(r.metric, 34)} ${w(Number.isFinite(r.value) ? String(r.value) : '—', 14)} ${r.target}`,
    );
  console.log(`\nresults written to ${path.relative(process.cwd(), resultsDir)}/`);

  await app.close();
  await ctx.events.stop();
  await ctx.database.close();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  await stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
