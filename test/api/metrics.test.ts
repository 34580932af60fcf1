import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { testContext, testPlatform } from '../support/app';
import { freePort } from '../../src/platform/db/embedded';
import { buildApp } from '../../src/app';
import { openSse } from '../../src/platform/events/sse';
import type { KovModule } from '../../src/platform/module';

const TOKEN = 'm'.repeat(40);
const platform = await testPlatform({ listen: true, env: { KOV_METRICS_TOKEN: TOKEN } });

async function scrape(): Promise<string> {
  const res = await fetch(`${platform.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  assert.match(String(res.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one series (exact label set, in the order prom-client writes them), or undefined. */
function value(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

test('/metrics is off without the token and answers the Prometheus text format with it', async () => {
  assert.equal((await fetch(`${platform.url}/metrics`)).status, 404);
  const wrong = await fetch(`${platform.url}/metrics`, { headers: { authorization: `Bearer ${'x'.repeat(40)}` } });
  assert.equal(wrong.status, 404);
  assert.match(String(wrong.headers.get('content-type')), /problem\+json/);
  const text = await scrape();
  // Read by Prometheus' own linter where it is installed (CI installs it): the format is what Prometheus reads.
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (promtool.error) console.log('# promtool not installed: exposition format not linted here');
  else
    assert.doesNotMatch(
      promtool.stdout + promtool.stderr,
      /error|parse/i,
      `promtool: ${promtool.stdout}${promtool.stderr}`,
    );
});

test('the series exist and move: requests, latency, problems, business events, pools, queue, SSE, outbound calls', async () => {
  const before = await scrape();
  for (const name of [
    'kov_http_requests_total',
    'kov_http_request_duration_seconds',
    'kov_http_requests_in_flight',
    'kov_db_pool_connections',
    'kov_db_up',
    'kov_node_ready',
    'kov_db_wal_archive_failing',
    'kov_jobs_queued',
    'kov_jobs_oldest_age_seconds',
    'kov_sse_connections',
    'process_cpu_seconds_total',
    'nodejs_eventloop_lag_seconds',
  ])
    assert.match(before, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exported`);
  assert.equal(value(before, 'kov_db_up{pool="primary"}'), 1);

  // A report through the API: one request, one business event, latency observed under its route pattern.
  const report = await fetch(`${platform.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ categoryCode: 'roads', description: 'Auk teel', lat: 58.3804, lon: 26.7225 }),
  });
  assert.equal(report.status, 201, await report.clone().text());
  // A user's mistake: counted by its problem type.
  assert.equal((await fetch(`${platform.url}/api/v1/no-such-thing`)).status, 404);
  // A job waiting in a queue: depth and age. Due in an hour, so no worker takes it before the scrape
  // (an immediate job was sometimes taken first on an idle machine).
  await platform.ctx.jobs.send('reports.refresh-stats', {}, { startAfterSeconds: 3600 });
  // Login start: the TARA discovery call is timed.
  await fetch(`${platform.url}/auth/login`, { redirect: 'manual' });

  // The queue gauges read the job table at most every 500 ms: scrape again until that read is new.
  let after = await scrape();
  for (let i = 0; i < 20 && !((value(after, 'kov_jobs_queued{queue="reports.refresh-stats"}') ?? 0) >= 1); i++) {
    await new Promise((r) => setTimeout(r, 250));
    after = await scrape();
  }
  const route = 'method="POST",route="/api/v1/reports"';
  assert.equal(
    (value(after, `kov_http_requests_total{${route},status="201"}`) ?? 0) -
      (value(before, `kov_http_requests_total{${route},status="201"}`) ?? 0),
    1,
  );
  assert.equal(value(after, `kov_http_request_duration_seconds_count{${route}}`), 1);
  assert.equal(
    (value(after, 'kov_business_events_total{event="report_submitted"}') ?? 0) -
      (value(before, 'kov_business_events_total{event="report_submitted"}') ?? 0),
    1,
  );
  assert.ok(
    (value(after, 'kov_http_problems_total{type="route-not-found",status="404"}') ?? 0) >
      (value(before, 'kov_http_problems_total{type="route-not-found",status="404"}') ?? 0),
  );
  assert.ok((value(after, 'kov_jobs_queued{queue="reports.refresh-stats"}') ?? 0) >= 1, 'queued job counted');
  assert.ok((value(after, 'kov_jobs_oldest_age_seconds{queue="reports.refresh-stats"}') ?? -1) >= 0);
  assert.ok(
    (value(after, 'kov_outbound_call_duration_seconds_count{system="tara",operation="discovery",outcome="ok"}') ?? 0) >=
      1,
    'TARA discovery timed',
  );
  assert.ok((value(after, 'kov_db_pool_connections{pool="primary",state="total"}') ?? 0) >= 1);
});

test('SSE connections are counted while open and closed with a retry hint when the node drains', async () => {
  // Its own node: draining makes it unready for good.
  const streams: KovModule = {
    name: 'sse-test',
    description: 'a stream, as the council live view opens one',
    root(app) {
      app.get('/test/stream', { schema: { hide: true } }, async (request, reply) => {
        const s = openSse(request, reply);
        s.send('hello', { n: 1 });
      });
    },
  };
  const node = await testPlatform({ listen: true, env: { KOV_METRICS_TOKEN: TOKEN }, modules: [streams] });
  const scrapeNode = async () =>
    (await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const res = await fetch(`${node.url}/test/stream`);
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('event: hello')) text += Buffer.from((await reader.read()).value!).toString('utf8');
  const open = await scrapeNode();
  assert.equal(value(open, 'kov_sse_connections'), 1);
  assert.equal(value(open, 'kov_node_ready'), 1);
  node.app.lifecycle.drain(1500);
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) break;
    text += Buffer.from(chunk).toString('utf8');
  }
  assert.match(text, /retry: 1500\n\n/);
  assert.match(text, /event: restart\n/);
  const ready = await fetch(`${node.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.equal((await ready.json()).reason, 'draining: shutting down');
  assert.equal(ready.headers.get('connection'), 'close', 'a draining node closes each connection after answering');
  const drained = await scrapeNode();
  assert.equal(value(drained, 'kov_sse_connections'), 0);
  assert.equal(value(drained, 'kov_node_ready'), 0);
});

test('a read replica: read-heavy reads go there, read-only; /readyz reports it', async () => {
  const { ctx } = await testContext({ env: { KOV_READ_DATABASE_URL: platform.ownerUrl }, jobs: false });
  const app = await buildApp(ctx);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  const replica = ready.json().checks.find((c: { name: string }) => c.name === 'read-replica');
  assert.match(replica.detail, /reading from the replica \(0 s behind\)/);
  assert.notEqual(ctx.readDb, ctx.db, 'reads go to the replica pool');
  await assert.rejects(sql`DELETE FROM report WHERE id = -1`.execute(ctx.readDb), /read-only transaction/);
  await assert.rejects(sql`CREATE TEMP TABLE t (x int)`.execute(ctx.readDb), /read-only transaction/);
  await app.close();
});

test('database down: readiness says why, API calls answer 503 problem+json with Retry-After', async () => {
  const port = await freePort(); // nothing listens here
  // No module start hooks: they need the database this test has not got (the node's own start waits for it).
  const { ctx } = await testContext({ ownerUrl: `postgres://kov@127.0.0.1:${port}/kov`, jobs: false, modules: [] });
  const app = await buildApp(ctx);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.match(ready.json().reason, /nothing listens at the database address/);
  const res = await app.inject({ method: 'GET', url: '/api/v1/municipalities/0793/reports' });
  assert.equal(res.statusCode, 503);
  assert.match(String(res.headers['retry-after']), /^[1-9][0-9]*$/);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  assert.equal(res.json().type, '/problems/service-unavailable');
  await app.close();
});
