import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BenchEnv, BenchScenario, LoadResult } from '../lib';
import { load, measureInsertBaseline } from '../lib';
import type { AppContext } from '../../src/platform/context';
import { geoIndex } from '../../src/platform/places/geo';
import { rng } from '../../src/modules/reports/generate';
import { clusterContext, clusterDir, httpsClient, prepareVote, readClusterEnv } from '../../deploy/drills/lib';

/**
 * The participation and reports load through the production topology of deploy/ (nginx with TLS →
 * two app nodes → HAProxy → Patroni primary with a synchronous standby), beside the single node of
 * the same run (this harness's app on its own PostgreSQL) and one cluster app node asked directly
 * (no nginx): ballot casts (each a different voter, electorate checked live against the register
 * extract; the receipt only after commit) and report intake without photos, 20 connections each,
 * and the raw-PostgreSQL insert baseline of both databases.
 *
 * Needs a running cluster (`deploy/cluster up`, as root, in KOV_CLUSTER_DIR); without one the
 * scenario says so and measures nothing.
 */
const VOTERS = Number(process.env.CLUSTER_BENCH_VOTERS ?? 6000);
const CONNECTIONS = 20;

interface Target {
  label: string;
  url: string;
  ctx: AppContext;
  ownerUrl: string;
}

async function count(ownerUrl: string, q: string, params: unknown[] = []): Promise<number> {
  const c = new pg.Client({ connectionString: ownerUrl });
  c.on('error', () => {});
  await c.connect();
  try {
    return Number((await c.query(q, params)).rows[0].n);
  } finally {
    await c.end();
  }
}

/** One POST, over HTTPS to nginx (trusting the cluster's own CA) or plain HTTP to a node. */
function send(base: string, pathname: string, headers: Record<string, string>, body: string) {
  if (base.startsWith('https:')) return httpsClient(readClusterEnv())('POST', pathname, { headers, body });
  return fetch(base + pathname, { method: 'POST', headers, body }).then(async (r) => ({
    status: r.status,
    body: await r.text(),
  }));
}

const castHook = path.resolve(import.meta.dirname, 'participationRequest.cjs');
const intakeHook = path.resolve(import.meta.dirname, 'reportsIntakeRequest.cjs');

export const clusterScenario: BenchScenario = {
  name: 'cluster',
  title:
    'Ballot casts and report intake through nginx → 2 app nodes → HA PostgreSQL (Patroni, synchronous standby), beside the single node of the same run',
  async run(env: BenchEnv) {
    if (!existsSync(path.join(clusterDir(), 'cluster.env')))
      return {
        metrics: {},
        notes: [
          `not measured: no cluster runs in ${clusterDir()} (bring one up with \`deploy/cluster up\` as root, then \`npm run bench -- cluster\`)`,
        ],
      };
    const cenv = readClusterEnv();
    const cctx = clusterContext(cenv);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-bench-cluster-'));
    const notes: string[] = [];
    const metrics: Record<string, number> = {};
    try {
      env.log('raw-PostgreSQL insert baseline on the cluster primary (through HAProxy, synchronous standby)');
      const haBaseline = await measureInsertBaseline(cenv.DATABASE_URL!, env.seconds);
      metrics.haInsertsPerSecond = haBaseline.insertsPerSecond;
      metrics.haInsertP50Ms = haBaseline.p50Ms;
      metrics.haInsertP99Ms = haBaseline.p99Ms;
      metrics.singleInsertsPerSecond = env.baseline?.insertsPerSecond ?? NaN;
      env.log(
        `  ${haBaseline.insertsPerSecond} inserts/s, p50 ${haBaseline.p50Ms} ms, p99 ${haBaseline.p99Ms} ms (single node: ${env.baseline?.insertsPerSecond ?? '?'} inserts/s)`,
      );

      const targets: Target[] = [
        { label: 'single', url: env.url, ctx: env.ctx, ownerUrl: env.ownerUrl },
        { label: 'nginx2', url: cenv.KOV_CLUSTER_URL!, ctx: cctx, ownerUrl: cenv.DATABASE_URL! },
        { label: 'node1', url: cenv.KOV_CLUSTER_APP1!, ctx: cctx, ownerUrl: cenv.DATABASE_URL! },
      ];

      // Points on land across the country, as in the reports scenario.
      const random = rng(42);
      const g = geoIndex();
      const points: [number, number][] = [];
      while (points.length < 2000) {
        const lat = 57.6 + random() * 2;
        const lon = 22 + random() * 6;
        const m = g.locate(lat, lon);
        if (m && !m.snapped) points.push([Math.round(lat * 1e5) / 1e5, Math.round(lon * 1e5) / 1e5]);
      }
      process.env.KOV_BENCH_REPORT_POINTS = JSON.stringify(points);

      const record = (prefix: string, r: LoadResult, stored: number) => {
        metrics[`${prefix}PerSecond`] = r.requestsPerSecond;
        metrics[`${prefix}P50Ms`] = r.p50Ms;
        metrics[`${prefix}P99Ms`] = r.p99Ms;
        metrics[`${prefix}Errors`] = r.errors + r.non2xx;
        metrics[`${prefix}Stored`] = stored;
      };

      // 1. Casts: one fresh poll and VOTERS voters per target, interleaved so that the machine's
      //    load from elsewhere falls on all of them alike.
      for (const t of targets) {
        env.log(`${t.label}: preparing a poll and ${VOTERS} voters`);
        const vote = await prepareVote(t.ctx, t.ownerUrl, `bench ${t.label}`, VOTERS);
        const file = path.join(tmp, `voters-${t.label}.json`);
        writeFileSync(file, JSON.stringify(vote.voters));
        process.env.KOV_BENCH_VOTERS = file;
        process.env.KOV_BENCH_CAST_PATH = vote.castPath;
        process.env.KOV_BENCH_CAST_YESNO = '1';
        // One cast by hand first, so that a refused request shows its answer instead of a rate of failures.
        const [token, csrf] = vote.voters[0]!;
        const first = await send(
          t.url,
          vote.castPath,
          { 'content-type': 'application/json', cookie: `kov_session=${token}`, 'x-csrf-token': csrf },
          JSON.stringify({ answers: [{ questionId: 1, choiceIds: [1] }] }),
        );
        if (first.status !== 200)
          throw new Error(`${t.label}: a cast answered ${first.status}: ${first.body.slice(0, 300)}`);
        await load({
          url: t.url,
          duration: 2,
          connections: CONNECTIONS,
          requests: [{ setupRequest: castHook as never }],
        });
        const before = await count(t.ownerUrl, 'SELECT count(*) AS n FROM bb_ballot WHERE box_id = $1', [vote.boxId]);
        const r = await load({
          url: t.url,
          duration: env.seconds,
          connections: CONNECTIONS,
          requests: [{ setupRequest: castHook as never }],
        });
        const after = await count(t.ownerUrl, 'SELECT count(*) AS n FROM bb_ballot WHERE box_id = $1', [vote.boxId]);
        record(`${t.label}Casts`, r, after - before);
        env.log(
          `${t.label}: ${r.requestsPerSecond} casts/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.non2xx} non-2xx, ${r.errors} errors; ${after - before} ballots stored (first casts and re-votes of ${VOTERS} voters)`,
        );
      }

      // 2. Report intake without photos, anonymous.
      for (const t of targets) {
        const q = `SELECT count(*) AS n FROM report WHERE description LIKE 'Koormustest %'`;
        const req = [
          {
            method: 'POST' as const,
            headers: { 'content-type': 'application/json' },
            setupRequest: intakeHook as never,
          },
        ];
        await load({ url: `${t.url}/api/v1/reports`, duration: 2, connections: CONNECTIONS, requests: req });
        const before = await count(t.ownerUrl, q);
        const r = await load({
          url: `${t.url}/api/v1/reports`,
          duration: env.seconds,
          connections: CONNECTIONS,
          requests: req,
        });
        const after = await count(t.ownerUrl, q);
        record(`${t.label}Intake`, r, after - before);
        env.log(
          `${t.label}: ${r.requestsPerSecond} reports/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.non2xx} non-2xx, ${r.errors} errors; ${after - before} reports stored`,
        );
      }
      const ratio = (a: string, b: string) => Math.round((metrics[a]! / metrics[b]!) * 100) / 100;
      metrics.nginx2ToSingleCasts = ratio('nginx2CastsPerSecond', 'singleCastsPerSecond');
      metrics.nginx2ToSingleIntake = ratio('nginx2IntakePerSecond', 'singleIntakePerSecond');
      metrics.haToSingleInsertBaseline = ratio('haInsertsPerSecond', 'singleInsertsPerSecond');
      notes.push(
        `single = this harness's app on its own PostgreSQL (no replication); nginx2 = https through nginx to both cluster app nodes; node1 = cluster app node 1 over plain HTTP (no nginx); every cluster commit waits for the synchronous standby`,
        `${env.seconds} s per phase after a 2 s warm-up, ${CONNECTIONS} connections; all of it — three PostgreSQL nodes, etcd, HAProxy, two app nodes, nginx, Prometheus, this harness and its load generator — on one machine of ${os.cpus().length} cores; load average at the end ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
      return { metrics, notes };
    } finally {
      delete process.env.KOV_BENCH_CAST_YESNO;
      rmSync(tmp, { recursive: true, force: true });
      await cctx.events.stop().catch(() => {});
      await cctx.database.close();
      await cctx.readDatabase?.close();
    }
  },
};
