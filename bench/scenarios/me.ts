import type { BenchScenario } from '../lib';
import { load } from '../lib';
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
    // Without and with rate limiting, alternated (off, on, off, on: drift of the machine's load
    // falls on both alike), each phase half the configured length.
    const phase = (base: string) =>
      load({
        url: `${base}/api/v1/me`,
        duration: Math.max(2, Math.round(env.seconds / 2)),
        headers: { cookie: `kov_session=${s.token}` },
      });
    const off1 = await phase(env.url);
    const on1 = await phase(env.limitedUrl);
    const off2 = await phase(env.url);
    const on2 = await phase(env.limitedUrl);
    const avg = (a: number, b: number) => Math.round((a + b) / 2);
    const r = {
      requestsPerSecond: avg(off1.requestsPerSecond, off2.requestsPerSecond),
      p50Ms: avg(off1.p50Ms, off2.p50Ms),
      p90Ms: avg(off1.p90Ms, off2.p90Ms),
      p99Ms: avg(off1.p99Ms, off2.p99Ms),
      maxMs: Math.max(off1.maxMs, off2.maxMs),
      requests: off1.requests + off2.requests,
      errors: off1.errors + off2.errors,
      non2xx: off1.non2xx + off2.non2xx,
    };
    const limited = avg(on1.requestsPerSecond, on2.requestsPerSecond);
    return {
      metrics: {
        ...r,
        ratioToInsertBaseline: env.baseline
          ? Math.round((r.requestsPerSecond / env.baseline.insertsPerSecond) * 100) / 100
          : NaN,
        rateLimitedRequestsPerSecond: limited,
        rateLimitedP99Ms: avg(on1.p99Ms, on2.p99Ms),
        rateLimitedNon2xx: on1.non2xx + on2.non2xx + on1.errors + on2.errors,
        rateLimitCostPercent: Math.round((1 - limited / r.requestsPerSecond) * 1000) / 10,
      },
      targets: [{ metric: 'rateLimitCostPercent', op: '<=', value: 5 }],
      notes: [
        `phases of ${Math.max(2, Math.round(env.seconds / 2))} s alternated: without rate limits ${off1.requestsPerSecond} / ${off2.requestsPerSecond} req/s, with ${on1.requestsPerSecond} / ${on2.requestsPerSecond} req/s (limits above the benchmark's rate: counted, never refused)`,
      ],
    };
  },
};
