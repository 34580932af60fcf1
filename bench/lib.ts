import autocannon from 'autocannon';
import pg from 'pg';
import type { AppContext } from '../src/platform/context';

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
   * The same platform with rate limiting on (limits raised above the benchmark's rate, so every
   * request is counted and none refused): scenarios compare both in one run.
   */
  limitedUrl: string;
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
