import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { freePort } from '../db/embedded';
import { testPlatform } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';

/**
 * The TARA client against a fake TARA whose token endpoint answers exactly what each test wants,
 * so that every check the client must make can be seen to refuse a bad token.
 */
async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}
const k1 = await signingKey('k1');
/** The keys the fake TARA publishes in its JWKS (tests rotate them). */
let published = [k1];
let jwksFetches = 0;
let tokenEndpointStatus = 200;
const taraPort = await freePort();
const issuer = `http://127.0.0.1:${taraPort}`;
let nextToken: (ctx: { nonce: string }) => Promise<string> = async () => '';
let lastNonce = '';

const tara = http.createServer(async (req, res) => {
  const url = new URL(req.url!, issuer);
  const json = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/.well-known/openid-configuration') {
    return json({
      issuer,
      authorization_endpoint: `${issuer}/oidc/authorize`,
      token_endpoint: `${issuer}/oidc/token`,
      jwks_uri: `${issuer}/oidc/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  }
  if (url.pathname === '/oidc/jwks') {
    jwksFetches += 1;
    return json({ keys: published.map((k) => k.jwk) });
  }
  if (url.pathname === '/oidc/token') {
    for await (const _ of req) void _;
    if (tokenEndpointStatus !== 200) {
      res.writeHead(tokenEndpointStatus, { 'content-type': 'text/html' });
      return res.end('<h1>Service Unavailable</h1>');
    }
    return json({
      access_token: 'at',
      token_type: 'bearer',
      expires_in: 60,
      id_token: await nextToken({ nonce: lastNonce }),
    });
  }
  res.writeHead(404).end();
});
await new Promise<void>((r) => tara.listen(taraPort, '127.0.0.1', r));

const platform = await testPlatform({
  listen: true,
  env: {
    KOV_DEMO_IDP: 'false',
    TARA_ISSUER: issuer,
    TARA_CLIENT_ID: 'kov-test',
    TARA_CLIENT_SECRET: 'secret',
    TARA_MIN_ACR: 'high',
  },
});

test.after(() => new Promise<void>((r) => tara.close(() => r())));

interface Claims {
  iss?: string;
  aud?: string;
  sub?: string;
  nonce?: string;
  acr?: string;
  amr?: string[];
  exp?: number;
  iat?: number;
}

function token(
  overrides: (ctx: { nonce: string }) => Claims = () => ({}),
  sign: (claims: object) => Promise<string> = (claims) =>
    new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(k1.privateKey),
) {
  return async (ctx: { nonce: string }) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      aud: 'kov-test',
      sub: 'EE60001019906',
      nonce: ctx.nonce,
      acr: 'high',
      amr: ['mID'],
      iat: now,
      exp: now + 300,
      profile_attributes: {
        given_name: 'MARY ÄNN',
        family_name: "O'CONNEŽ-ŠUSLIK TESTNUMBER",
        date_of_birth: '2000-01-01',
      },
      ...overrides(ctx),
    };
    return sign(claims);
  };
}

/** Signed by `key` with its kid (or the kid given), as a TARA that rotated its key would. */
const signedBy =
  (key: { kid: string; privateKey: CryptoKey }, kid = key.kid) =>
  (claims: object) =>
    new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid }).sign(key.privateKey);

const b64u = (x: object | string) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

async function startLogin(returnTo = '/profile') {
  const res = await fetch(`${platform.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`, {
    redirect: 'manual',
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.origin + location.pathname, `${issuer}/oidc/authorize`);
  assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(location.searchParams.get('code_challenge'));
  // Only the methods that are accepted are offered, at the level that is accepted.
  assert.equal(location.searchParams.get('scope'), 'openid mid idcard smartid');
  assert.equal(location.searchParams.get('acr_values'), 'high');
  assert.equal(location.searchParams.get('ui_locales'), 'et');
  const state = location.searchParams.get('state')!;
  lastNonce = location.searchParams.get('nonce')!;
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('kov_auth_state='))!
    .split(';')[0]!;
  return { state, cookie };
}

async function callback(state: string, cookie: string) {
  const res = await fetch(`${platform.url}/auth/callback?code=abc&state=${state}`, {
    redirect: 'manual',
    headers: { cookie },
  });
  assert.equal(res.status, 302);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('kov_session='));
  return { location: res.headers.get('location')!, session: session?.split(';')[0] };
}

async function sessions() {
  // The application role cannot read sessions (migration 0005): count as the owner.
  return asOwner(platform.ownerUrl, async (c) => (await c.query('SELECT count(*)::int AS n FROM session')).rows[0].n);
}

test('a valid TARA answer logs the person in and returns where they were going', async () => {
  nextToken = token();
  const { state, cookie } = await startLogin('/profile');
  const { location, session } = await callback(state, cookie);
  assert.equal(location, '/profile');
  assert.ok(session);
  const me: any = await (await fetch(`${platform.url}/api/v1/me`, { headers: { cookie: session } })).json();
  assert.equal(me.authenticated, true);
  assert.equal(me.person.givenName, 'MARY ÄNN');
  assert.equal(me.person.idCodeMasked, '600010*****');
  assert.equal(me.person.birthDate, '2000-01-01');
  const cookieHeader = (await fetch(`${platform.url}/auth/login`, { redirect: 'manual' })).headers.get('set-cookie')!;
  assert.match(cookieHeader, /HttpOnly/i);
  assert.match(cookieHeader, /SameSite=Lax/i);

  // The same callback again (a replayed authorization response): refused, no new session.
  const before = await sessions();
  const replay = await callback(state, cookie);
  assert.equal(replay.location, '/login-failed?reason=state');
  assert.equal(replay.session, undefined);
  assert.equal(await sessions(), before);
});

const k2 = await signingKey('k2');
const foreign = await signingKey('k1'); // an attacker's key, naming TARA's kid
const signatureRefusals: [string, () => ReturnType<typeof token>, string][] = [
  ['a token signed by a foreign key under TARA’s kid', () => token(undefined, signedBy(foreign)), 'signature'],
  [
    'a token signed by a foreign key under an unknown kid',
    () => token(undefined, signedBy(foreign, 'kX')),
    'signature',
  ],
  [
    'an unsigned token (alg none)',
    () => token(undefined, async (claims) => `${b64u({ alg: 'none', kid: 'k1' })}.${b64u(claims)}.`),
    'signature',
  ],
  [
    'a token signed with HS256 using the client secret as key',
    () =>
      token(undefined, (claims) =>
        new SignJWT({ ...claims })
          .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
          .sign(new TextEncoder().encode('secret')),
      ),
    'signature',
  ],
  [
    'a token signed by TARA’s key but with an RS256 header swapped to PS256',
    () =>
      token(undefined, async (claims) => {
        const t = await signedBy(k1)(claims);
        return `${b64u({ alg: 'PS256', kid: 'k1' })}.${t.split('.').slice(1).join('.')}`;
      }),
    'signature',
  ],
];

const refusals: [string, () => ReturnType<typeof token>, string][] = [
  ['a replayed or wrong nonce', () => token(() => ({ nonce: 'nonce-of-another-login' })), 'nonce'],
  ['a token for another audience', () => token(() => ({ aud: 'someone-else' })), 'audience'],
  ['a level of assurance below the minimum', () => token(() => ({ acr: 'substantial' })), 'acr'],
  [
    'an expired token',
    () => token(() => ({ exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 900 })),
    'expired',
  ],
  ['an authentication method that was not allowed', () => token(() => ({ amr: ['password'] })), 'amr'],
  ['a token from another issuer', () => token(() => ({ iss: 'https://evil.example' })), 'issuer'],
  ['a subject that is not an Estonian ID code', () => token(() => ({ sub: 'LV010101-12345' })), 'subject'],
];

for (const [name, make, reason] of [...refusals, ...signatureRefusals] as typeof refusals) {
  test(`login refuses ${name}`, async () => {
    nextToken = make();
    const before = await sessions();
    const { state, cookie } = await startLogin();
    const res = await callback(state, cookie);
    assert.equal(res.location, `/login-failed?reason=${reason}`);
    assert.equal(res.session, undefined);
    assert.equal(await sessions(), before);
  });
}

test('login refuses a callback whose state is not the one started in this browser', async () => {
  nextToken = token();
  const { state } = await startLogin();
  const other = await startLogin();
  const res = await callback(state, other.cookie);
  assert.equal(res.location, '/login-failed?reason=state');
  const noCookie = await fetch(`${platform.url}/auth/callback?code=abc&state=${state}`, { redirect: 'manual' });
  assert.equal(noCookie.headers.get('location'), '/login-failed?reason=state');
});

test('returnTo cannot send the browser to another site', async () => {
  nextToken = token();
  const { state, cookie } = await startLogin('//evil.example/x');
  const { location } = await callback(state, cookie);
  assert.equal(location, '/');
});

test('logout ends the session', async () => {
  nextToken = token();
  const { state, cookie } = await startLogin();
  const { session } = await callback(state, cookie);
  const me: any = await (await fetch(`${platform.url}/api/v1/me`, { headers: { cookie: session! } })).json();
  const out = await fetch(`${platform.url}/auth/logout`, {
    method: 'POST',
    headers: { cookie: session!, 'x-csrf-token': me.csrfToken },
  });
  assert.equal(out.status, 204);
  const after: any = await (await fetch(`${platform.url}/api/v1/me`, { headers: { cookie: session! } })).json();
  assert.equal(after.authenticated, false);
});

test('an unknown kid makes the client fetch the key set again once, not more', async () => {
  nextToken = token(undefined, signedBy(foreign, 'kY'));
  const before = jwksFetches;
  const { state, cookie } = await startLogin();
  const res = await callback(state, cookie);
  assert.equal(res.location, '/login-failed?reason=signature');
  assert.equal(jwksFetches - before, 1);
});

test('TARA rotating its signing key fails no login: a new kid is fetched at once, the cache serves the rest', async () => {
  const login = async () => {
    const { state, cookie } = await startLogin();
    const res = await callback(state, cookie);
    assert.equal(res.location, '/profile', 'login succeeded');
    assert.ok(res.session);
  };
  nextToken = token();
  await login();
  // TARA publishes k2 next to k1 and starts signing with it.
  published = [k2, k1];
  nextToken = token(undefined, signedBy(k2));
  const before = jwksFetches;
  await login();
  assert.equal(jwksFetches - before, 1, 'one fetch for the new kid');
  await login();
  assert.equal(jwksFetches - before, 1, 'then the cached key set');
  // k1 retired: tokens of k2 keep working from the cache.
  published = [k2];
  await login();
  // And a third key, straight after the second.
  const k3 = await signingKey('k3');
  published = [k3, k2];
  nextToken = token(undefined, signedBy(k3));
  await login();
  published = [k1];
});

test('TARA not answering: 503 service-unavailable with Retry-After, at login and at the token endpoint', async () => {
  const closedPort = await freePort();
  const down = await testPlatform({
    listen: true,
    ownerUrl: platform.ownerUrl,
    env: {
      KOV_DEMO_IDP: 'false',
      TARA_ISSUER: `http://127.0.0.1:${closedPort}`,
      TARA_CLIENT_ID: 'kov-test',
      TARA_CLIENT_SECRET: 'secret',
    },
  });
  const t0 = performance.now();
  const res = await fetch(`${down.url}/auth/login`, { redirect: 'manual' });
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(res.status, 503);
  assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
  assert.equal((await res.json()).type, '/problems/service-unavailable');
  assert.ok(Number(res.headers.get('retry-after')) > 0);

  // The token endpoint failing with 503 after the browser came back: 503, no session.
  nextToken = token();
  tokenEndpointStatus = 503;
  try {
    const before = await sessions();
    const { state, cookie } = await startLogin();
    const cb = await fetch(`${platform.url}/auth/callback?code=abc&state=${state}`, {
      redirect: 'manual',
      headers: { cookie },
    });
    assert.equal(cb.status, 503);
    assert.equal((await cb.json()).type, '/problems/service-unavailable');
    assert.ok(cb.headers.get('retry-after'));
    assert.equal(await sessions(), before);
  } finally {
    tokenEndpointStatus = 200;
  }
});
