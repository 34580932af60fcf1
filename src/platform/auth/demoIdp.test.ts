import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { loadConfig } from '../../config';

/** The built-in demo identity provider through real HTTP, as a browser would go through it. */
const platform = await testPlatform({ listen: true, env: { KOV_DEMO_IDP: 'true' } });
const person = await makePerson(platform.ctx, { givenName: 'Kati', familyName: 'Karu', birthDate: '1991-03-14' });
// Synthetic, as the demo population is: the provider lists only persons with a demo residence (kov_demo_accounts).
await asOwner(platform.ownerUrl, (c) =>
  c.query(
    `INSERT INTO register_residence (municipality_code, person_id, valid_from, residence_municipality_code, address, source)
     VALUES ('0793', $1, '2000-01-01', '0793', 'Demo', 'demo')`,
    [person.id],
  ),
);

/** A tiny cookie jar: enough to follow the login redirects across the provider and the platform. */
function jar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    take(res: Response) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair!.indexOf('=');
        const name = pair!.slice(0, i);
        const value = pair!.slice(i + 1);
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    get: (name: string) => cookies.get(name),
  };
}

async function follow(url: string, cookies: ReturnType<typeof jar>, init: RequestInit = {}): Promise<Response> {
  let res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers ?? {}), cookie: cookies.header() },
  });
  cookies.take(res);
  while (res.status >= 300 && res.status < 400) {
    const next = new URL(res.headers.get('location')!, url).href;
    url = next;
    res = await fetch(next, { redirect: 'manual', headers: { cookie: cookies.header() } });
    cookies.take(res);
  }
  return res;
}

test('log in through the demo identity provider as a synthetic resident', async () => {
  const cookies = jar();
  const page = await follow(`${platform.url}/auth/login?returnTo=/profile&lang=en`, cookies);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Demo authentication/);
  assert.match(html, /Kati Karu/);
  const action = html.match(/<form method="post" action="([^"]+)"/)![1]!;
  const form = new URLSearchParams({ person: person.idCode, code: '', amr: 'smartid', acr: 'high', login: '1' });
  const done = await follow(new URL(action, platform.url).href, cookies, {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  // Ends on the platform's /profile (the SPA is not built in this test, so the API answers 404 problem).
  assert.ok(cookies.get('kov_session'), 'a session cookie was set');
  assert.equal(new URL(done.url || `${platform.url}/profile`).pathname.startsWith('/'), true);
  const me: any = await (await fetch(`${platform.url}/api/v1/me`, { headers: { cookie: cookies.header() } })).json();
  assert.equal(me.authenticated, true);
  assert.equal(me.person.givenName, 'Kati');
  assert.equal(me.person.familyName, 'Karu');
  // The application role cannot read sessions (migration 0005): look as the owner.
  const row = await asOwner(
    platform.ownerUrl,
    async (c) => (await c.query('SELECT amr, acr FROM session WHERE person_id = $1', [person.id])).rows[0],
  );
  assert.deepEqual(row, { amr: 'smartid', acr: 'high' });
});

/** Logs in through the demo provider; `midway` runs between the provider's page and the submit. */
async function demoLogin(midway: () => Promise<void> = async () => {}) {
  const cookies = jar();
  const page = await follow(`${platform.url}/auth/login?returnTo=/profile`, cookies);
  const action = (await page.text()).match(/<form method="post" action="([^"]+)"/)![1]!;
  await midway();
  await follow(new URL(action, platform.url).href, cookies, {
    method: 'POST',
    body: new URLSearchParams({ person: person.idCode, code: '', amr: 'mID', acr: 'high', login: '1' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return cookies.get('kov_session');
}

test('the demo provider rotates its signing key on demand and no login fails, not even one in flight', async () => {
  const jwks = async () =>
    ((await (await fetch(`${platform.url}/demo-tara/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
      (k) => k.kid,
    );
  assert.ok(await demoLogin(), 'logged in with the first key');
  const [first] = await jwks();
  const rotated = (await (await fetch(`${platform.url}/demo-tara/rotate-key`, { method: 'POST' })).json()) as {
    kid: string;
  };
  assert.notEqual(rotated.kid, first);
  assert.deepEqual(await jwks(), [rotated.kid, first], 'the new key first, the previous one still published');
  // The platform has the old key set cached; a token under the new kid makes it fetch the set again.
  assert.ok(await demoLogin(), 'logged in with the rotated key');
  // A login that started before a rotation and ends after it.
  let third = '';
  assert.ok(
    await demoLogin(async () => {
      third = (
        (await (await fetch(`${platform.url}/demo-tara/rotate-key`, { method: 'POST' })).json()) as { kid: string }
      ).kid;
    }),
    'the login in flight during the rotation succeeded',
  );
  assert.deepEqual(await jwks(), [third, rotated.kid], 'keys older than the previous one are retired');
  const failed = await asOwner(
    platform.ownerUrl,
    async (c) => (await c.query('SELECT count(*)::int AS n FROM session WHERE person_id = $1', [person.id])).rows[0],
  );
  assert.ok(Number(failed.n) >= 3);
});

test('the demo provider publishes TARA-shaped endpoints', async () => {
  const meta: any = await (await fetch(`${platform.url}/demo-tara/.well-known/openid-configuration`)).json();
  assert.equal(meta.issuer, `${platform.url}/demo-tara`);
  assert.equal(meta.authorization_endpoint, `${platform.url}/demo-tara/oidc/authorize`);
  assert.equal(meta.token_endpoint, `${platform.url}/demo-tara/oidc/token`);
  assert.equal(meta.jwks_uri, `${platform.url}/demo-tara/oidc/jwks`);
  assert.deepEqual(meta.acr_values_supported, ['low', 'substantial', 'high']);
});

test('an invalid ID code typed into the demo provider is refused with a message', async () => {
  const cookies = jar();
  const page = await follow(`${platform.url}/auth/login`, cookies);
  const action = (await page.text()).match(/<form method="post" action="([^"]+)"/)![1]!;
  const res = await follow(new URL(action, platform.url).href, cookies, {
    method: 'POST',
    body: new URLSearchParams({ person: '', code: '12345678901', amr: 'mID', acr: 'high' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /Isikukood ei ole korrektne/);
  assert.equal(cookies.get('kov_session'), undefined);
});

test('production mode refuses to start with the demo provider', () => {
  assert.throws(
    () =>
      loadConfig({
        KOV_MODE: 'production',
        KOV_DEMO_IDP: 'true',
        TARA_ISSUER: 'https://tara.ria.ee',
        TARA_CLIENT_ID: 'x',
        TARA_CLIENT_SECRET: 'y',
        KOV_PSEUDONYM_KEY: 'ab'.repeat(32),
      }),
    /KOV_DEMO_IDP cannot be enabled in production/,
  );
  assert.doesNotThrow(() =>
    loadConfig({
      KOV_MODE: 'production',
      TARA_ISSUER: 'https://tara.ria.ee',
      TARA_CLIENT_ID: 'x',
      TARA_CLIENT_SECRET: 'y',
      KOV_PSEUDONYM_KEY: 'ab'.repeat(32),
      KOV_BALLOT_MASTER_KEYS: 'cd'.repeat(32),
    }),
  );
  assert.throws(() => loadConfig({ KOV_MODE: 'production' }), /TARA_ISSUER is required/);
});

test('the picker shows residence, sex, age and roles in words, and filters by municipality', async () => {
  const { grantRole } = await import('../../../test/support/app');
  const ctx = platform.ctx;
  const firstSettlement = async (m: string) =>
    (await ctx.db
      .selectFrom('place')
      .select('code')
      .where('municipality_code', '=', m)
      .where('level', '=', 'settlement')
      .orderBy('code')
      .executeTakeFirstOrThrow())!.code;
  // Residences as the register module keeps them (written as the owner: platform code reaches no module).
  const residences = async (m: string, personId: string, rows: { validFrom: string; settlementCode: string }[]) =>
    asOwner(platform.ownerUrl, async (c) => {
      for (const r of rows)
        await c.query(
          `INSERT INTO register_residence (municipality_code, person_id, valid_from, residence_municipality_code, settlement_code, address, source)
           VALUES ($1, $2, $3, $1, $4, 'Demo tn 1', 'demo')`,
          [m, personId, r.validFrom, r.settlementCode],
        );
    });
  const tartu = await makePerson(ctx, {
    givenName: 'Triin',
    familyName: 'Tamm',
    birthDate: '2001-05-05',
    sex: 'female',
  });
  await residences('0793', tartu.id, [{ validFrom: '2010-01-01', settlementCode: await firstSettlement('0793') }]);
  const elva = await makePerson(ctx, { givenName: 'Ants', familyName: 'Allik', birthDate: '1948-02-02', sex: 'male' });
  await residences('0171', elva.id, [{ validFrom: '2010-01-01', settlementCode: await firstSettlement('0171') }]);
  const official = await makePerson(ctx, { givenName: 'Olga', familyName: 'Ametnik', birthDate: '1980-01-01' });
  // Every person the picker lists is synthetic (a demo residence): the official lives in Elva.
  await residences('0171', official.id, [{ validFrom: '2015-01-01', settlementCode: await firstSettlement('0171') }]);
  await grantRole(ctx, '0793', official.id, 'council_member');

  const open = async (query = '') => {
    const cookies = jar();
    const first = await follow(`${platform.url}/auth/login?returnTo=/&lang=en`, cookies);
    const action = (await first.text()).match(/<form method="get" action="([^"]+)"/)![1]!;
    if (!query) return (await follow(new URL(action, platform.url).href, cookies)).text();
    return (await follow(new URL(`${action}?${query}`, platform.url).href, cookies)).text();
  };
  const age = (birth: string) => {
    const d = new Date();
    const [y, m, day] = birth.split('-').map(Number) as [number, number, number];
    return (
      d.getUTCFullYear() - y - (d.getUTCMonth() + 1 < m || (d.getUTCMonth() + 1 === m && d.getUTCDate() < day) ? 1 : 0)
    );
  };
  const all = await open();
  assert.match(all, new RegExp(`Triin Tamm — woman, aged ${age('2001-05-05')}, Tartu linn`));
  assert.match(all, new RegExp(`Ants Allik — man, aged ${age('1948-02-02')}, Elva vald`));
  assert.match(all, /Olga Ametnik — [^<]*council member \(Tartu linn\)/);
  assert.match(all, /Kati Karu — woman, aged \d+, Tartu linn/);
  assert.match(all, /<option value="0793">Tartu linn<\/option>/);
  const onlyTartu = await open('m=0793');
  assert.match(onlyTartu, /Triin Tamm/);
  assert.match(onlyTartu, /Olga Ametnik/);
  assert.doesNotMatch(onlyTartu, /Ants Allik/);
  assert.match(onlyTartu, /<option value="0793" selected>/);
  // The ID code field stays (test/e2e/support.ts loginAs fills #code).
  assert.match(onlyTartu, /<input id="code" name="code"/);
});
