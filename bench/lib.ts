import autocannon from 'autocannon';
import pg from 'pg';
import { existsSync, readFileSync } from 'node:fs';
import type { AppContext } from '../src/platform/context';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiter } from '../src/platform/http/rateLimit';
import type { FamilyName } from '../src/platform/http/rateLimits';

/**
 * Benchmark harness: scenarios run against a real server started by bench/run.ts on a real
 * PostgreSQL, print numbers and write them to bench/results/<scenario>.json. Targets are
 * compared and reported, never asserted: speed belongs here, not in timed tests.
 */
export interface BenchEnv {
  ctx: AppContext;
  ownerUrl: string;
  /** Base URL of the running server. */
  url: string;
  /** Seconds per load phase (BENCH_SECONDS, default 10). */
  seconds: number;
  /**
   * The server's rate limiter, off until switched on (limits raised above the benchmark's rate, so
   * every request is counted and none refused): `compareRateLimits` measures what it costs.
   */
  rateLimiter: RateLimiter;
  /** HTTP requests the server has received so far (its 'request' events). */
  requestsSeen(): number;
  /** The raw-PostgreSQL baseline measured in this run (single-row insert transactions per second). */
  baseline: { insertsPerSecond: number; p50Ms: number; p99Ms: number } | undefined;
  log(line: string): void;
}

export interface BenchResult {
  /** Named figures: rates per second, latencies in ms, sizes in bytes. */
  metrics: Record<string, number>;
  /** Targets from the issue, e.g. `{ metric: 'p99Ms', op: '<', value: 100 }`. */
  targets?: { metric: string; op: '<' | '<=' | '>' | '>='; value: number }[];
  notes?: string[];
}

export interface BenchScenario {
  name: string;
  title: string;
  run(env: BenchEnv): Promise<BenchResult>;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon and returns the figures that matter. */
export async function load(opts: autocannon.Options): Promise<LoadResult> {
  // The load generator runs in a worker thread so it does not compete with the server's event loop.
  const r = await autocannon({ connections: 20, pipelining: 1, workers: 1, ...opts });
  return {
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/**
 * The baseline every scenario is compared with: single-row INSERT transactions per second
 * through `pg` on the same database, with as many concurrent clients as the HTTP load uses.
 */
export async function measureInsertBaseline(ownerUrl: string, seconds: number, clients = 20) {
  const setup = new pg.Client({ connectionString: ownerUrl });
  await setup.connect();
  await setup.query(
    'CREATE UNLOGGED TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
  await setup.query('ALTER TABLE bench_baseline SET LOGGED');
  await setup.query('TRUNCATE bench_baseline');
  const pool = new pg.Pool({ connectionString: ownerUrl, max: clients });
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = await pool.connect();
      try {
        while (Date.now() < until) {
          const t0 = performance.now();
          await c.query('INSERT INTO bench_baseline (payload) VALUES ($1)', ['x'.repeat(64)]);
          latencies.push(performance.now() - t0);
          count += 1;
        }
      } finally {
        c.release();
      }
    }),
  );
  await pool.end();
  await setup.query('DROP TABLE bench_baseline');
  await setup.end();
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 100) / 100;
  return { insertsPerSecond: Math.round(count / seconds), p50Ms: q(0.5), p99Ms: q(0.99) };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

/** CPU time used so far (ms): this process (server and load generator) and the database's backends. */
async function cpuMeter(ownerUrl: string) {
  const c = new pg.Client({ connectionString: ownerUrl });
  c.on('error', () => {});
  await c.connect();
  const pids = (
    await c.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    )
  ).rows.map((r) => r.pid as number);
  await c.end();
  const db = () =>
    existsSync('/proc/self/stat')
      ? pids.reduce((n, pid) => {
          try {
            const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
            return n + (Number(f[11]) + Number(f[12])) * 10; // utime + stime in clock ticks (100 Hz) → ms
          } catch {
            return n;
          }
        }, 0)
      : NaN;
  // The event loop's thread alone (the server; the load generator runs in a worker thread).
  const thread = () => {
    const u = process.threadCpuUsage?.();
    return u ? (u.user + u.system) / 1000 : NaN;
  };
  return () => {
    const u = process.cpuUsage();
    return { appMs: (u.user + u.system) / 1000, dbMs: db(), serverMs: thread() };
  };
}

export interface RateLimitPhase extends LoadResult {
  rateLimits: boolean;
  /** CPU per request (ms): this process (server + load generator) and the database's backends. */
  appCpuMs: number;
  dbCpuMs: number;
  /** CPU per request (ms) of the server's thread alone (the event loop: the limiter runs there). */
  serverCpuMs: number;
  /** The limiter's own time (its `usage`) in the phase: µs per request in the hook, and its flushes. */
  limiterCheckUs: number;
  limiterFlushes: number;
  limiterFlushRows: number;
  limiterFlushMs: number;
}

export interface RateLimitCost {
  /** Length of each phase (s). */
  seconds: number;
  /** The phases in the order they ran, paired: `pairs[i] = [without, with]`. */
  pairs: [RateLimitPhase, RateLimitPhase][];
  /** Throughput lost with the limiter, per pair (%): 1 − with / without. */
  costPercents: number[];
  /** The median over the pairs, and their spread. */
  costPercent: number;
  minCostPercent: number;
  maxCostPercent: number;
  /** CPU per request (process + database) added by the limiter, per pair (%), and the median. */
  cpuCostPercents: number[];
  cpuCostPercent: number;
  /** CPU per request of the server's thread alone (no load generator, no database), per pair and median. */
  serverCpuCostPercents: number[];
  serverCpuCostPercent: number;
  /**
   * The limiter's own CPU as a share of the CPU per request without it (server thread and database,
   * median of the phases without it; %): its hook's CPU per request plus its flushes' CPU (Node and
   * database) spread over the requests, at the flushes per second and rows per flush the phases with
   * it had. Measured as CPU time over many calls (`probeOwnCost`), not wall clock, it hardly depends
   * on what else the machine runs, unlike the pairs.
   */
  ownSharePercent: number;
  own: OwnCost;
  /** The hook's time per request by wall clock inside the phases (µs, median): inflated by preemption on a loaded machine. */
  checkWallUs: number;
  /** Flushes per second and rows per flush in the phases with the limiter (medians). */
  flushesPerSecond: number;
  rowsPerFlush: number;
  /** Medians of the phases without and with the limiter. */
  without: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  with: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  /** Non-2xx answers and errors in the phases with the limiter (the limits are above the load: 0). */
  limitedFailures: number;
  /** One line per pair for the notes. */
  lines: string[];
}

/**
 * What rate limiting costs, measured on the one server in the same run: `pairs` pairs of short
 * phases without and with the limiter (switched in the running app, so the limiter is the only
 * difference), in the order off-on, on-off, off-on… so that a drift of the machine's load, or of
 * the database's size, falls on both alike. The cost is the median over the pairs; the machine is
 * shared, so only these same-run ratios mean anything. `prepare` gets a phase ready (not measured:
 * e.g. a fresh vote) and returns the load to measure; one unmeasured phase with the limiter warms it up.
 */
export async function compareRateLimits(
  env: BenchEnv,
  prepare: () => Promise<(seconds: number) => Promise<LoadResult>>,
  opts: { pairs?: number; seconds?: number; family?: FamilyName } = {},
): Promise<RateLimitCost> {
  // Many short pairs: on a shared machine a single pair can be off by ±30 % either way; the median
  // of many is far steadier than the mean of two.
  const pairsWanted = opts.pairs ?? Number(process.env.BENCH_RATE_LIMIT_PAIRS ?? 10);
  const seconds = opts.seconds ?? Math.max(2, Math.round(env.seconds / 4));
  // A control run (BENCH_RATE_LIMIT_CONTROL=1): the "with" phases leave the limiter off, so the
  // figures show what the pairs give for no difference at all on this machine at this moment.
  const control = process.env.BENCH_RATE_LIMIT_CONTROL === '1';
  const phase = async (on: boolean, length: number): Promise<RateLimitPhase> => {
    const run = await prepare();
    const cpu = await cpuMeter(env.ownerUrl);
    env.rateLimiter.switch(on && !control);
    const u0 = env.rateLimiter.usage();
    const c0 = cpu();
    const r = await run(length);
    env.rateLimiter.switch(false);
    // What the phase counted reaches PostgreSQL within the phase's CPU (the flush is part of the cost).
    await env.rateLimiter.flush();
    const c1 = cpu();
    const u1 = env.rateLimiter.usage();
    const per = (ms: number) => Math.round((ms / Math.max(1, r.requests)) * 1000) / 1000;
    return {
      ...r,
      rateLimits: on,
      appCpuMs: per(c1.appMs - c0.appMs),
      dbCpuMs: per(c1.dbMs - c0.dbMs),
      serverCpuMs: per(c1.serverMs - c0.serverMs),
      limiterCheckUs: round1(((u1.checkMs - u0.checkMs) / Math.max(1, u1.checks - u0.checks)) * 1000),
      limiterFlushes: u1.flushes - u0.flushes,
      limiterFlushRows: u1.flushRows - u0.flushRows,
      limiterFlushMs: u1.flushMs - u0.flushMs,
    };
  };
  await phase(true, 1);
  const pairs: [RateLimitPhase, RateLimitPhase][] = [];
  for (let i = 0; i < pairsWanted; i++) {
    if (i % 2 === 0) {
      const off = await phase(false, seconds);
      pairs.push([off, await phase(true, seconds)]);
    } else {
      const on = await phase(true, seconds);
      pairs.push([await phase(false, seconds), on]);
    }
  }
  const costPercents = pairs.map(([off, on]) => round1((1 - on.requestsPerSecond / off.requestsPerSecond) * 100));
  const cpuOf = (p: RateLimitPhase) => p.appCpuMs + (Number.isNaN(p.dbCpuMs) ? 0 : p.dbCpuMs);
  const cpuCostPercents = pairs.map(([off, on]) => round1((cpuOf(on) / cpuOf(off) - 1) * 100));
  const ons = pairs.map((p) => p[1]);
  const flushesPerSecond = round1(median(ons.map((p) => p.limiterFlushes / seconds)));
  const rowsPerFlush = round1(median(ons.map((p) => p.limiterFlushRows / Math.max(1, p.limiterFlushes))));
  // The limiter's own CPU, measured apart on the same server right after the pairs.
  const own = await probeOwnCost(env, opts.family ?? 'default', Math.max(1, Math.round(rowsPerFlush) - 1));
  const offs = pairs.map((p) => p[0]);
  const cpuPerRequest = median(offs.map((p) => p.serverCpuMs + (Number.isNaN(p.dbCpuMs) ? 0 : p.dbCpuMs)));
  const withRate = median(ons.map((p) => p.requestsPerSecond));
  const ownMs = own.checkUs / 1000 + ((own.flushNodeMs + own.flushDbMs) * flushesPerSecond) / Math.max(1, withRate);
  const serverCpuCostPercents = pairs.map(([off, on]) => round1((on.serverCpuMs / off.serverCpuMs - 1) * 100));
  const summary = (ps: RateLimitPhase[]) => ({
    requestsPerSecond: Math.round(median(ps.map((p) => p.requestsPerSecond))),
    p50Ms: median(ps.map((p) => p.p50Ms)),
    p99Ms: median(ps.map((p) => p.p99Ms)),
  });
  const fig = (p: RateLimitPhase) =>
    `${p.requestsPerSecond}/s p99 ${p.p99Ms} ms CPU ${p.appCpuMs}+${p.dbCpuMs} ms (server thread ${p.serverCpuMs} ms)`;
  return {
    seconds,
    pairs,
    costPercents,
    costPercent: round1(median(costPercents)),
    minCostPercent: Math.min(...costPercents),
    maxCostPercent: Math.max(...costPercents),
    cpuCostPercents,
    cpuCostPercent: round1(median(cpuCostPercents)),
    serverCpuCostPercents,
    serverCpuCostPercent: round1(median(serverCpuCostPercents)),
    ownSharePercent: Math.round((ownMs / cpuPerRequest) * 10000) / 100,
    own,
    checkWallUs: median(ons.map((p) => p.limiterCheckUs)),
    flushesPerSecond,
    rowsPerFlush,
    without: summary(pairs.map((p) => p[0])),
    with: summary(pairs.map((p) => p[1])),
    limitedFailures: pairs.reduce((n, [, on]) => n + on.non2xx + on.errors, 0),
    lines: pairs.map(
      ([off, on], i) =>
        `pair ${i + 1} (${i % 2 ? 'with first' : 'without first'}): without ${fig(off)}, with ${fig(on)}; cost ${costPercents[i]} % throughput, ${cpuCostPercents[i]} % CPU per request (server thread ${serverCpuCostPercents[i]} %); limiter's own: ${on.limiterCheckUs} µs per request, ${on.limiterFlushes} flushes of ${on.limiterFlushRows} rows in ${Math.round(on.limiterFlushMs)} ms`,
    ),
  };
}

export interface OwnCost {
  /** The hook's CPU per request (µs; the event loop's thread over many calls, timing included). */
  checkUs: number;
  /** One flush of `rows` rows: CPU of the event loop's thread and of the database's backends (ms). */
  flushNodeMs: number;
  flushDbMs: number;
  rows: number;
}

/**
 * The limiter's own CPU, measured apart on the running server (no load): its hook called 200,000
 * times on requests of `persons` persons from one address in `family` (as the scenario's requests
 * are counted), then 300 flushes of one request per subject each. CPU time of the event loop's
 * thread (`process.threadCpuUsage`) and of the database's backends, not wall clock: what other
 * work on the machine does to it is small, unlike to throughput.
 */
export async function probeOwnCost(env: BenchEnv, family: FamilyName, persons: number): Promise<OwnCost> {
  const limiter = env.rateLimiter;
  const reply = { header: () => reply } as unknown as FastifyReply;
  const config = { rateLimitFamily: family };
  const requests = Array.from(
    { length: persons },
    () =>
      ({
        ip: '198.51.100.77',
        actor: { kind: 'person', personId: randomUUID() },
        // As Fastify's getter does: a new object of the route's options at every read.
        get routeOptions() {
          return { method: 'GET', url: '/probe', bodyLimit: 1 << 20, logLevel: '', config, schema: undefined };
        },
      }) as unknown as FastifyRequest,
  );
  const done = () => {};
  const thread = () => {
    const u = process.threadCpuUsage();
    return (u.user + u.system) / 1000;
  };
  const calls = 200_000;
  limiter.switch(true);
  const t0 = thread();
  for (let i = 0; i < calls; i++) limiter.check(requests[i % persons]!, reply, done);
  const checkUs = ((thread() - t0) / calls) * 1000;
  limiter.switch(false);
  await limiter.flush();
  const flushes = 300;
  const cpu = await cpuMeter(env.ownerUrl);
  const c0 = cpu();
  const n0 = thread();
  for (let f = 0; f < flushes; f++) {
    limiter.switch(true);
    for (const r of requests) limiter.check(r, reply, done);
    limiter.switch(false);
    await limiter.flush();
  }
  const c1 = cpu();
  const nodeMs = thread() - n0 - (flushes * persons * checkUs) / 1000;
  return {
    checkUs: Math.round(checkUs * 1000) / 1000,
    flushNodeMs: Math.round((nodeMs / flushes) * 1000) / 1000,
    flushDbMs: Number.isNaN(c1.dbMs) ? NaN : Math.round(((c1.dbMs - c0.dbMs) / flushes) * 1000) / 1000,
    rows: persons + 1,
  };
}

export interface InterleavedRateLimitCost {
  /** Slots of each state and their length (ms). */
  slots: number;
  slotMs: number;
  /** Requests per second received in the slots without and with the limiter. */
  withoutPerSecond: number;
  withPerSecond: number;
  /** 1 − with / without (%), over all slots, and the median of adjacent slot pairs with its spread. */
  costPercent: number;
  medianPairCostPercent: number;
  minPairCostPercent: number;
  maxPairCostPercent: number;
}

/**
 * A finer-grained second estimate: one continuous load during which the limiter is switched on and
 * off every `slotMs` (on, off, on, off, …), requests counted as the server receives them. A slot
 * with the limiter lasts until the flush of its counts has finished, so the flush's work falls on
 * it. Drift of the machine's load over seconds falls on both states alike.
 */
export async function interleaveRateLimits(
  env: BenchEnv,
  run: (seconds: number) => Promise<LoadResult>,
  opts: { seconds?: number; slotMs?: number } = {},
): Promise<InterleavedRateLimitCost> {
  const seconds = opts.seconds ?? Math.max(4, env.seconds);
  const slotMs = opts.slotMs ?? 500;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let running = true;
  const loadDone = run(seconds).finally(() => (running = false));
  await sleep(500); // connections open, the first requests through
  const slots: { on: boolean; ms: number; requests: number }[] = [];
  // BENCH_RATE_LIMIT_CONTROL=1: the "with" slots leave the limiter off (and still flush), so what
  // the slots show then is the method's own bias.
  const control = process.env.BENCH_RATE_LIMIT_CONTROL === '1';
  while (running) {
    for (const on of [true, false]) {
      const t0 = performance.now();
      const n0 = env.requestsSeen();
      env.rateLimiter.switch(on && !control);
      await sleep(slotMs);
      if (on) {
        env.rateLimiter.switch(false);
        await env.rateLimiter.flush();
      }
      if (running) slots.push({ on, ms: performance.now() - t0, requests: env.requestsSeen() - n0 });
    }
  }
  env.rateLimiter.switch(false);
  await loadDone;
  const rate = (on: boolean) => {
    const xs = slots.filter((s) => s.on === on);
    return (xs.reduce((n, s) => n + s.requests, 0) / xs.reduce((n, s) => n + s.ms, 0)) * 1000;
  };
  const pairCosts: number[] = [];
  for (let i = 0; i + 1 < slots.length; i += 2) {
    const on = slots[i]!;
    const off = slots[i + 1]!;
    if (off.requests > 0) pairCosts.push(round1((1 - on.requests / on.ms / (off.requests / off.ms)) * 100));
  }
  const without = rate(false);
  const withLimits = rate(true);
  return {
    slots: pairCosts.length,
    slotMs,
    withoutPerSecond: Math.round(without),
    withPerSecond: Math.round(withLimits),
    costPercent: round1((1 - withLimits / without) * 100),
    medianPairCostPercent: round1(median(pairCosts)),
    minPairCostPercent: Math.min(...pairCosts),
    maxPairCostPercent: Math.max(...pairCosts),
  };
}
