import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/db/embedded';
import { ensureDatabase } from '../../src/platform/db/bootstrap';
import { migrate } from '../../src/platform/db/migrate';
import { withDatabase } from '../../src/platform/db/database';
import { ensureLoginRoles } from '../../src/platform/db/roles';
import { loadPlaces } from '../../src/platform/places/ehak';
import { grantRole, makePerson, sessionFor, testContext } from '../support/app';
import { buildApp } from '../../src/app';

/**
 * Chaos: the PostgreSQL server of a running platform is stopped and started again. The suite's
 * own server is shared by every test file, so this file runs a server of its own (embedded
 * PostgreSQL in a temporary folder) that it may stop.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-outage-'));
chmodSync(tmp, 0o755); // as root, the server runs as the postgres user, which must reach it
const dataDir = path.join(tmp, 'pg');
let server: EmbeddedServer | undefined = await startEmbeddedPostgres({ dataDir, fsync: false });
const port = server.port;
after(async () => {
  await server?.stop().catch(() => {});

  rmSync(tmp, { recursive: true, force: true });
});
await ensureDatabase(server.url, 'kov');
const ownerUrl = withDatabase(server.url, 'kov');
await migrate(ownerUrl);
await loadPlaces(ownerUrl);
await ensureLoginRoles(ownerUrl);

// Without the job queue: installing its schema on a fresh server takes longer than the whole test.
const { ctx } = await testContext({ ownerUrl, jobs: false });
const app = await buildApp(ctx);
const port0 = await freePort();
await app.listen({ host: '127.0.0.1', port: port0 });
after(() => app.close());
const platform = { ctx, url: `http://127.0.0.1:${port0}` };
const admin = await makePerson(platform.ctx);
await grantRole(platform.ctx, '0793', admin.id, 'admin');
const session = await sessionFor(platform.ctx, admin.id);
const grantee = await makePerson(platform.ctx);

async function call(method: string, url: string, body?: unknown) {
  const t0 = performance.now();
  const res = await fetch(`${platform.url}${url}`, {
    method,
    headers: { ...session.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { res, ms: performance.now() - t0, text, json: text ? JSON.parse(text) : null };
}

const grant = { idCode: grantee.idCode, role: 'editor' };

test('PostgreSQL stopped mid-run: 503 problem+json with Retry-After within a second, nothing recorded; back without a restart', async () => {
  assert.equal((await call('GET', '/api/v1/me')).json.authenticated, true);
  assert.equal((await call('GET', '/api/v1/municipalities')).res.status, 200);

  await server!.stop();
  server = undefined;

  for (const [method, url, body] of [
    ['GET', '/api/v1/me'], // the session lookup of every request
    ['GET', '/api/v1/municipalities'],
    ['POST', '/api/v1/municipalities/0793/roles', grant], // a change: must record nothing
    ['GET', '/api/v1/municipalities/0793/roles'],
  ] as const) {
    const r = await call(method, url, body);
    assert.equal(r.res.status, 503, `${method} ${url}: ${r.text}`);
    assert.match(r.res.headers.get('content-type')!, /^application\/problem\+json/);
    assert.equal(r.json.type, '/problems/service-unavailable');
    assert.ok(Number(r.res.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
    assert.ok(r.ms < 1000, `${method} ${url} answered in ${Math.round(r.ms)} ms`);
    assert.ok(!/\n\s+at /.test(r.text), 'no stack trace');
  }
  const ready = await fetch(`${platform.url}/readyz`);
  assert.equal(ready.status, 503);

  // The database comes back (same folder, same port): the running platform serves again.
  server = await startEmbeddedPostgres({ dataDir, port, fsync: false });
  const until = Date.now() + 20_000;
  let status = 0;
  while (Date.now() < until) {
    status = (await call('GET', '/api/v1/me')).res.status;
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(status, 200, 'serving again without a restart');
  // Readiness follows within the same bound: a check that began during the outage may still be
  // waiting for its answer when the first request succeeds.
  let ready2 = await fetch(`${platform.url}/readyz`);
  while (ready2.status !== 200 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    ready2 = await fetch(`${platform.url}/readyz`);
  }
  assert.equal(ready2.status, 200, `ready again: ${await ready2.text()}`);
  // The change refused during the outage was not recorded; made now, it is.
  const roles = (await call('GET', '/api/v1/municipalities/0793/roles')).json as { personId?: string }[];
  assert.equal(JSON.stringify(roles).includes(grantee.id), false, 'the refused grant left nothing behind');
  assert.ok((await call('POST', '/api/v1/municipalities/0793/roles', grant)).res.ok);
});
