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
    const r = await load({
      url: `${env.url}/api/v1/me`,
      duration: env.seconds,
      headers: { cookie: `kov_session=${s.token}` },
    });
    return {
      metrics: {
        ...r,
        ratioToInsertBaseline: env.baseline
          ? Math.round((r.requestsPerSecond / env.baseline.insertsPerSecond) * 100) / 100
          : NaN,
      },
    };
  },
};
