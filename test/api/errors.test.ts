import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../support/app';

/** Every kind of bad request gets a documented problem+json answer, never a stack trace. */
const platform = await testPlatform();
const admin = await makePerson(platform.ctx);
await grantRole(platform.ctx, '0793', admin.id, 'admin');
const session = await sessionFor(platform.ctx, admin.id);

async function post(body: string, headers: Record<string, string> = {}) {
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/municipalities/0793/roles',
    payload: body,
    headers: { ...session.headers, 'content-type': 'application/json', ...headers },
  });
}

function assertProblem(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  type: string,
) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = JSON.parse(res.body);
  assert.equal(body.type, type);
  assert.equal(body.status, status);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.ok(!/\n\s+at /.test(res.body), 'no stack trace in the answer');
  assert.ok(res.headers['x-request-id'], 'request id header');
  return body;
}

test('malformed JSON', async () => {
  assertProblem(await post('{"idCode": "3760503'), 400, '/problems/malformed-json');
});

test('wrong types are refused, not coerced', async () => {
  const body = assertProblem(
    await post(JSON.stringify({ idCode: 37605030299, role: 'editor' })),
    400,
    '/problems/validation',
  );
  assert.deepEqual(
    body.errors.map((e: { pointer: string }) => e.pointer),
    ['/body/idCode'],
  );
});

test('missing fields are named', async () => {
  const body = assertProblem(await post(JSON.stringify({ role: 'editor' })), 400, '/problems/validation');
  assert.deepEqual(body.errors, [{ pointer: '/body/idCode', detail: 'is required', code: 'required' }]);
});

test('unknown fields are refused where the schema does not allow them', async () => {
  const body = assertProblem(
    await post(JSON.stringify({ idCode: '37605030299', role: 'editor', admin: true })),
    400,
    '/problems/validation',
  );
  assert.deepEqual(body.errors, [
    { pointer: '/body/admin', detail: 'is not an allowed field', code: 'additionalProperties' },
  ]);
});

test('a value outside a fixed set lists the allowed ones', async () => {
  const body = assertProblem(
    await post(JSON.stringify({ idCode: '37605030299', role: 'king' })),
    400,
    '/problems/validation',
  );
  assert.deepEqual(body.errors, [
    {
      pointer: '/body/role',
      detail: 'must be one of: admin, editor, analyst, council_member',
      code: 'enum',
      allowed: ['admin', 'editor', 'analyst', 'council_member'],
    },
  ]);
});

test('a too short or too long value says its limit in a form a client can word itself', async () => {
  const body = assertProblem(await post(JSON.stringify({ idCode: '', role: 'editor' })), 400, '/problems/validation');
  const e = body.errors.find((x: { pointer: string }) => x.pointer === '/body/idCode');
  assert.ok(e?.code, JSON.stringify(body.errors));
  assert.ok(['minLength', 'pattern', 'format'].includes(e.code), e.code);
});

test('a personal ID code with a wrong check digit is a validation error', async () => {
  const body = assertProblem(
    await post(JSON.stringify({ idCode: '37605030290', role: 'editor' })),
    400,
    '/problems/validation',
  );
  assert.equal(body.errors[0].pointer, '/body/idCode');
});

test('oversized bodies', async () => {
  assertProblem(
    await post(JSON.stringify({ idCode: 'x'.repeat(2 * 1024 * 1024), role: 'editor' })),
    413,
    '/problems/body-too-large',
  );
});

test('unsupported content type', async () => {
  assertProblem(await post('idCode=1', { 'content-type': 'text/csv' }), 415, '/problems/unsupported-media-type');
});

test('unknown routes', async () => {
  const res = await platform.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
  assertProblem(res, 404, '/problems/route-not-found');
});

test('bad path parameters', async () => {
  const res = await platform.app.inject({ method: 'GET', url: '/api/v1/municipalities/79x/settlements' });
  const body = assertProblem(res, 400, '/problems/validation');
  assert.equal(body.errors[0].pointer, '/params/code');
});

test('bad query parameters', async () => {
  const res = await platform.app.inject({
    method: 'GET',
    url: '/api/v1/municipalities/0793/audit?limit=100000',
    headers: session.headers,
  });
  const body = assertProblem(res, 400, '/problems/validation');
  assert.equal(body.errors[0].pointer, '/query/limit');
});

test('no session: 401; a session without the CSRF header: 403', async () => {
  assertProblem(
    await platform.app.inject({ method: 'GET', url: '/api/v1/municipalities/0793/roles' }),
    401,
    '/problems/unauthenticated',
  );
  assertProblem(
    await post(JSON.stringify({ idCode: '37605030299', role: 'editor' }), { 'x-csrf-token': 'wrong' }),
    403,
    '/problems/csrf',
  );
});

test('the problem type is documented at its URI', async () => {
  const res = await platform.app.inject({ method: 'GET', url: '/problems/validation' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, 400);
});

test('security headers are set', async () => {
  const res = await platform.app.inject({ method: 'GET', url: '/healthz' });
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
});

test('HSTS is sent when the platform is served over TLS', async () => {
  const tls = await testPlatform({ env: { PUBLIC_URL: 'https://kov.example.ee' } });
  const res = await tls.app.inject({ method: 'GET', url: '/healthz' });
  assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
});

test('health and readiness', async () => {
  assert.deepEqual((await platform.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
  const ready = await platform.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.equal(ready.json().status, 'ready');
});

test('the OpenAPI document lists the routes', async () => {
  const res = await platform.app.inject({ method: 'GET', url: '/api/docs/json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.match(doc.openapi, /^3\./);
  assert.ok(doc.paths['/api/v1/municipalities/{code}/roles']);
  const ui = await platform.app.inject({ method: 'GET', url: '/api/docs/' });
  assert.equal(ui.statusCode, 200);
});
