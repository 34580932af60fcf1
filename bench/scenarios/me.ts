import type { BenchScenario } from '../lib';
import { compareRateLimits, interleaveRateLimits, load } from '../lib';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { createSession } from '../../src/platform/auth/sessions';

/** An authenticated GET /api/v1/me: session lookup, roles and the JSON answer. */
export const meScenario: BenchScenario = {
  name: 'me',
  title: 'Authenticated GET /api/v1/me',
  async run(env) {
    const personId = await upsertPerson(env.ctx.db, {
      idCode: makeIdCode('female', '1985-06-01', 101),
      givenName: 'Bench',
      familyName: 'Mark',
      birthDate: '1985-06-01',
    });
    const s = await createSession(env.ctx.db, personId, { idleMinutes: 30, absoluteHours: 12 });
    // Without and with rate limiting, alternated in pairs of short phases on the one server (see
    // compareRateLimits); the figures without it are the scenario's main figures.
    const cost = await compareRateLimits(
      env,
      async () => (seconds) =>
        load({ url: `${env.url}/api/v1/me`, duration: seconds, headers: { cookie: `kov_session=${s.token}` } }),
    );
    // And slots of 500 ms with and without it within one continuous load.
    const slots = await interleaveRateLimits(env, (seconds) =>
      load({ url: `${env.url}/api/v1/me`, duration: seconds, headers: { cookie: `kov_session=${s.token}` } }),
    );
    const off = cost.pairs.map((p) => p[0]);
    const r = {
      requestsPerSecond: cost.without.requestsPerSecond,
      p50Ms: cost.without.p50Ms,
      p90Ms: Math.round(off.reduce((n, p) => n + p.p90Ms, 0) / off.length),
      p99Ms: cost.without.p99Ms,
      maxMs: Math.max(...off.map((p) => p.maxMs)),
      requests: off.reduce((n, p) => n + p.requests, 0),
      errors: off.reduce((n, p) => n + p.errors, 0),
      non2xx: off.reduce((n, p) => n + p.non2xx, 0),
    };
    return {
      metrics: {
        ...r,
        ratioToInsertBaseline: env.baseline
          ? Math.round((r.requestsPerSecond / env.baseline.insertsPerSecond) * 100) / 100
          : NaN,
        rateLimitedRequestsPerSecond: cost.with.requestsPerSecond,
        rateLimitedP99Ms: cost.with.p99Ms,
        rateLimitedNon2xx: cost.limitedFailures,
        rateLimitCostPercent: cost.costPercent,
        rateLimitCostMinPercent: cost.minCostPercent,
        rateLimitCostMaxPercent: cost.maxCostPercent,
        rateLimitCpuCostPercent: cost.cpuCostPercent,
        rateLimitServerCpuCostPercent: cost.serverCpuCostPercent,
        rateLimitOwnSharePercent: cost.ownSharePercent,
        rateLimitCheckCpuUs: cost.own.checkUs,
        rateLimitFlushCpuMs: Math.round((cost.own.flushNodeMs + cost.own.flushDbMs) * 1000) / 1000,
        rateLimitFlushesPerSecond: cost.flushesPerSecond,
        rateLimitRowsPerFlush: cost.rowsPerFlush,
        rateLimitSlotsCostPercent: slots.costPercent,
        rateLimitSlotPairsMedianPercent: slots.medianPairCostPercent,
      },
      targets: [{ metric: 'rateLimitCostPercent', op: '<=', value: 5 }],
      notes: [
        `rate limits: ${cost.pairs.length} pairs of ${cost.seconds} s phases without and with the limiter on the one server (limits above the benchmark's rate: counted, never refused); the cost is the median over the pairs (throughput and CPU per request, server + load generator + database; and the server's thread alone). On a machine shared with other work a pair can swing by tens of % either way, so the figure to trust is the limiter's own CPU, measured apart on the same server (CPU time, not wall clock): ${cost.own.checkUs} µs per request in its hook, ${cost.own.flushNodeMs} + ${cost.own.flushDbMs} ms (Node + database) per flush of ${cost.own.rows} rows at ${cost.flushesPerSecond} flushes per s: ${cost.ownSharePercent} % of the CPU per request without it (server thread + database)`,
        ...cost.lines,
        `slots: ${slots.slots} pairs of ${slots.slotMs} ms slots with and without the limiter in one load: ${slots.withPerSecond} / ${slots.withoutPerSecond} req/s, cost ${slots.costPercent} % overall, per slot pair median ${slots.medianPairCostPercent} % (${slots.minPairCostPercent} … ${slots.maxPairCostPercent} %)`,
      ],
    };
  },
};
