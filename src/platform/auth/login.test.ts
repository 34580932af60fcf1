import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { freePort } from '../db/embedded';
import { testPlatform } from '../../../test/support/app';

/**
 * The TARA client against a fake TARA whose token endpoint answers exactly what each test wants,
 * so that every check the client must make can be seen to refuse a bad token.
 */
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
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
  if (url.pathname === '/oidc/jwks') return json({ keys: [jwk] });
  if (url.pathname === '/oidc/token') {
    for await (const _ of req) void _;
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

function token(overrides: (ctx: { nonce: string }) => Claims = () => ({})) {
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
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
  };
}

async function startLogin(returnTo = '/profile') {
  const res = await fetch(`${platform.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`, {
    redirect: 'manual',
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.origin + location.pathname, `${issuer}/oidc/authorize`);
  assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(location.searchParams.get('code_challenge'));
  assert.equal(location.searchParams.get('scope'), 'openid');
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
  return Number(
    (
      await platform.ctx.db
        .selectFrom('session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
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

for (const [name, make, reason] of refusals) {
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
