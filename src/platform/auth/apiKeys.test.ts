import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { defineApiScope, authenticateApiKey, clientAllows, issueApiKey } from './apiKeys';

const TARTU = '0793';
const ELVA = '0171';
const SCOPE = defineApiScope('test.read', 'Read test data');
defineApiScope('test.write', 'Write test data');

const platform = await testPlatform();
const { ctx, app } = platform;
const admin = await makePerson(ctx);
const editor = await makePerson(ctx);
const elvaAdmin = await makePerson(ctx);
await grantRole(ctx, TARTU, admin.id, 'admin');
await grantRole(ctx, TARTU, editor.id, 'editor');
await grantRole(ctx, ELVA, elvaAdmin.id, 'admin');
const adminSession = await sessionFor(ctx, admin.id);

test('an admin issues a key (shown once, only its hash stored), the key authenticates, revoking stops it; both audited', async () => {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/api-clients`,
    headers: adminSession.headers,
    payload: { name: 'Tartu dokumendihaldus', scopes: [SCOPE], contact: 'it@tartu.ee' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const { client, key } = res.json();
  assert.match(key, /^kov_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  assert.equal(client.keyPrefix, key.slice(4, 16));
  const stored = await asOwner(platform.ownerUrl, (c) =>
    c.query('SELECT key_hash, key_prefix FROM api_client WHERE id = $1', [client.id]),
  );
  assert.equal(stored.rows[0].key_hash.length, 32);
  assert.ok(!stored.rows[0].key_hash.toString('latin1').includes(key.slice(17)), 'the secret is not stored');

  const me = await app.inject({ method: 'GET', url: '/api/v1/api-clients/me', headers: { 'x-api-key': key } });
  assert.equal(me.statusCode, 200, me.body);
  assert.deepEqual(me.json(), {
    id: client.id,
    municipalityCode: TARTU,
    name: 'Tartu dokumendihaldus',
    scopes: [SCOPE],
  });
  const bearer = await app.inject({
    method: 'GET',
    url: '/api/v1/api-clients/me',
    headers: { authorization: `Bearer ${key}` },
  });
  assert.equal(bearer.statusCode, 200);

  const wrong = await app.inject({
    method: 'GET',
    url: '/api/v1/api-clients/me',
    headers: { 'x-api-key': key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A') },
  });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().type, '/problems/invalid-api-key');
  const none = await app.inject({ method: 'GET', url: '/api/v1/api-clients/me' });
  assert.equal(none.statusCode, 401);

  const list = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${TARTU}/api-clients`,
    headers: adminSession.headers,
  });
  assert.equal(list.json().length, 1);
  assert.equal(JSON.stringify(list.json()).includes(key), false, 'the list never shows the key');

  const del = await app.inject({
    method: 'DELETE',
    url: `/api/v1/municipalities/${TARTU}/api-clients/${client.id}`,
    headers: adminSession.headers,
  });
  assert.equal(del.statusCode, 200);
  assert.ok(del.json().revokedAt);
  const after = await app.inject({ method: 'GET', url: '/api/v1/api-clients/me', headers: { 'x-api-key': key } });
  assert.equal(after.statusCode, 401, 'a revoked key is refused at once on this node');

  const audit = await asOwner(platform.ownerUrl, (c) =>
    c.query(
      `SELECT action, details FROM audit_log WHERE municipality_code = $1 AND action LIKE 'api-client.%' ORDER BY seq`,
      [TARTU],
    ),
  );
  assert.deepEqual(
    audit.rows.map((r) => r.action),
    ['api-client.issued', 'api-client.revoked'],
  );
  assert.equal(JSON.stringify(audit.rows).includes(key), false);
});

test('only admins of the municipality manage its keys; unknown scopes and empty names are refused', async () => {
  const editorSession = await sessionFor(ctx, editor.id);
  const elva = await sessionFor(ctx, elvaAdmin.id);
  for (const [headers, status] of [
    [editorSession.headers, 403],
    [elva.headers, 403],
    [{}, 401],
  ] as const) {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${TARTU}/api-clients`,
      headers,
      payload: { name: 'x', scopes: [SCOPE] },
    });
    assert.equal(r.statusCode, status, r.body);
    const l = await app.inject({ method: 'GET', url: `/api/v1/municipalities/${TARTU}/api-clients`, headers });
    assert.equal(l.statusCode, status);
  }
  const bad = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/api-clients`,
    headers: adminSession.headers,
    payload: { name: 'x', scopes: ['no.such'] },
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].pointer, '/body/scopes');
  const blank = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/api-clients`,
    headers: adminSession.headers,
    payload: { name: '   ', scopes: [SCOPE] },
  });
  assert.equal(blank.statusCode, 400);
  const extra = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/api-clients`,
    headers: adminSession.headers,
    payload: { name: 'x', scopes: [SCOPE], admin: true },
  });
  assert.equal(extra.statusCode, 400);
  const scopes = await app.inject({ method: 'GET', url: '/api/v1/api-scopes' });
  assert.ok(scopes.json().some((s: { name: string }) => s.name === SCOPE));
});

test('a key allows its own municipality and scopes; a national (ELVL) key allows every municipality', async () => {
  const actor = {
    kind: 'person' as const,
    personId: admin.id,
    givenName: null,
    familyName: null,
    birthDate: '1980-01-01',
    idCodeMasked: '',
    acr: 'high',
    roles: [
      { municipalityCode: TARTU, role: 'admin' as const },
      { municipalityCode: '0000', role: 'admin' as const },
    ],
  };
  const { key } = await issueApiKey(ctx, actor, TARTU, { name: 'read only', scopes: [SCOPE] });
  const client = (await authenticateApiKey(ctx, key))!;
  assert.equal(clientAllows(client, TARTU, SCOPE), true);
  assert.equal(clientAllows(client, ELVA, SCOPE), false);
  assert.equal(clientAllows(client, TARTU, 'test.write'), false);
  const national = await issueApiKey(ctx, actor, '0000', { name: 'national app', scopes: [SCOPE] });
  const n = (await authenticateApiKey(ctx, national.key))!;
  assert.equal(clientAllows(n, ELVA, SCOPE), true);
  assert.equal(await authenticateApiKey(ctx, 'kov_short_key'), null);
});
