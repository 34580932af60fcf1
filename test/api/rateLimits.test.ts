import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/app';
import { testPlatform, makePerson, sessionFor } from '../support/app';
import { issueApiKey } from '../../src/platform/auth/apiKeys';
import type { PersonActor } from '../../src/platform/auth/actor';

/**
 * Rate limits (src/platform/http/rateLimits.ts): 429 problem+json with Retry-After once a route
 * family's limit is used up, per client address, per person and per client system, and the same
 * count on two app nodes sharing one database. Limits are lowered through the one setting that
 * configures them, so every request before the 429 is a real, valid one that succeeded.
 */
const platform = await testPlatform({
  env: {
    KOV_RATE_LIMITS: 'on',
    KOV_RATE_LIMIT_OVERRIDES:
      'login.address=2/60,report-intake.address=3/60,report-intake.person=2/600,default.address=5/60,default.client=3/60',
  },
});
const { app, ctx } = platform;
// A second app node on the same database (its own limiter, as another process would have).
const node2 = await buildApp(ctx, {});
await node2.ready();
test.after(() => node2.close());

const report = { categoryCode: 'roads', description: 'Auk teel', lat: 58.3804, lon: 26.7225 };

function assert429(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, family: string) {
  assert.equal(res.statusCode, 429);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as { type: string; family: string };
  assert.equal(body.type, '/problems/too-many-requests');
  assert.equal(body.family, family);
  const retry = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 600, `Retry-After ${String(res.headers['retry-after'])}`);
}

test('every route the table names exists (a renamed route would silently lose its limit)', () => {
  assert.deepEqual(app.rateLimiter.unmatchedRoutes(), []);
});

test('report intake: 429 with Retry-After after the burst from one address; other addresses unaffected', async () => {
  const from = (remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/api/v1/reports', payload: report, remoteAddress });
  for (let i = 0; i < 3; i++) assert.equal((await from('198.51.100.7')).statusCode, 201);
  const refused = await from('198.51.100.7');
  assert429(refused, 'report-intake');
  // Nothing was recorded by the refused request: three reports from this burst, not four.
  const other = await from('198.51.100.8');
  assert.equal(other.statusCode, 201, other.body);
  // An IPv6 client owns its /64: another address in it shares the budget.
  for (let i = 0; i < 3; i++) assert.equal((await from(`2001:db8:1:2::${i + 1}`)).statusCode, 201);
  assert429(await from('2001:db8:1:2:ffff::9'), 'report-intake');
  assert.equal((await from('2001:db8:1:3::1')).statusCode, 201);
});

test('per person: a logged-in person reaches their own limit from several addresses', async () => {
  const p = await makePerson(ctx);
  const s = await sessionFor(ctx, p.id);
  const send = (remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/api/v1/reports', payload: report, headers: s.headers, remoteAddress });
  assert.equal((await send('203.0.113.1')).statusCode, 201);
  assert.equal((await send('203.0.113.2')).statusCode, 201);
  assert429(await send('203.0.113.3'), 'report-intake');
});

test('login is limited per address', async () => {
  const login = () => app.inject({ method: 'GET', url: '/auth/login', remoteAddress: '192.0.2.44' });
  for (let i = 0; i < 2; i++) assert.notEqual((await login()).statusCode, 429);
  assert429(await login(), 'login');
});

test('per client system: a valid API key has its own budget; a forged key with its prefix uses none of it', async () => {
  const admin = await makePerson(ctx);
  const actor: PersonActor = {
    kind: 'person',
    personId: admin.id,
    givenName: null,
    familyName: null,
    birthDate: '1980-01-01',
    idCodeMasked: '',
    roles: [{ municipalityCode: '0793', role: 'admin' }],
    acr: 'high',
  };
  const { key } = await issueApiKey(ctx, actor, '0793', { name: 'Rate test', scopes: ['services:surveys'] });
  const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const get = (k: string, remoteAddress: string) =>
    app.inject({ method: 'GET', url: '/api/v1/municipalities', headers: { 'x-api-key': k }, remoteAddress });
  // Forged keys first: they must not count against the client system.
  for (let i = 0; i < 4; i++) assert.equal((await get(forged, `198.18.0.${i + 1}`)).statusCode, 200);
  for (let i = 0; i < 3; i++) assert.equal((await get(key, `198.18.1.${i + 1}`)).statusCode, 200);
  assert429(await get(key, '198.18.1.200'), 'default');
});

test('two app nodes count together once they have merged their counts', async () => {
  const get = (node: typeof app) =>
    node.inject({ method: 'GET', url: '/api/v1/municipalities', remoteAddress: '192.0.2.99' });
  for (let i = 0; i < 3; i++) assert.equal((await get(app)).statusCode, 200);
  await app.rateLimiter.flush();
  for (let i = 0; i < 2; i++) assert.equal((await get(node2)).statusCode, 200);
  await node2.rateLimiter.flush();
  await app.rateLimiter.flush();
  // Five requests in all, the limit: the sixth is refused on either node.
  assert429(await get(app), 'default');
  assert429(await get(node2), 'default');
});

test('a window that ends starts a new count on the same node', async () => {
  // A node of its own with a one-second login window (the same configuration, one figure changed).
  const node = await buildApp({
    ...ctx,
    config: {
      ...ctx.config,
      rateLimits: { ...ctx.config.rateLimits, overrides: { login: { address: { max: 2, windowSeconds: 1 } } } },
    },
  });
  await node.ready();
  try {
    const login = () => node.inject({ method: 'GET', url: '/auth/login', remoteAddress: '192.0.2.45' });
    for (let i = 0; i < 2; i++) assert.notEqual((await login()).statusCode, 429);
    const refused = await login();
    assert429(refused, 'login');
    assert.equal(refused.headers['retry-after'], '1');
    await new Promise((r) => setTimeout(r, 1100));
    for (let i = 0; i < 2; i++) assert.notEqual((await login()).statusCode, 429);
    assert429(await login(), 'login');
  } finally {
    await node.close();
  }
});

test('benchmarks switch a limiter on and off in a running app; no other limiter can be switched', async () => {
  assert.throws(() => app.rateLimiter.switch(false), /cannot be switched/);
  const node = await buildApp(ctx, { rateLimits: 'switchable' });
  await node.ready();
  try {
    const get = () => node.inject({ method: 'GET', url: '/api/v1/municipalities', remoteAddress: '192.0.2.120' });
    // Off at first: nothing is counted.
    for (let i = 0; i < 7; i++) assert.equal((await get()).statusCode, 200);
    node.rateLimiter.switch(true);
    const before = node.rateLimiter.usage();
    for (let i = 0; i < 5; i++) assert.equal((await get()).statusCode, 200);
    assert429(await get(), 'default');
    node.rateLimiter.switch(false);
    assert.equal((await get()).statusCode, 200);
    // It times itself (the benchmark's measure of its own cost): six requests counted; flushes (this
    // one, and the timer's) each of the one subject's row.
    await node.rateLimiter.flush();
    const after = node.rateLimiter.usage();
    assert.equal(after.checks - before.checks, 6);
    assert.ok(after.checkMs > before.checkMs);
    assert.ok(after.flushes - before.flushes >= 1);
    assert.equal(after.flushRows - before.flushRows, after.flushes - before.flushes);
    assert.ok(after.flushMs > before.flushMs);
    // A limiter that cannot be switched does not time itself.
    assert.equal(app.rateLimiter.usage().checks, 0);
  } finally {
    await node.close();
  }
});
