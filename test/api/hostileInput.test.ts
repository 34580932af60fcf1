import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testPlatform } from '../support/app';
import { databaseRefusal } from '../../src/platform/http/hostileInput';

/**
 * Hostile input at the edge (src/platform/http/hostileInput.ts): strings PostgreSQL cannot store
 * are refused with 400 on every route before a schema or the database sees them, and the
 * database's own refusals (unique keys, references, checks) answer 4xx, never 500.
 */
const { app, ctx } = await testPlatform();
const report = { categoryCode: 'roads', description: 'Auk teel', lat: 58.3804, lon: 26.7225 };

test('NUL characters and lone surrogates: 400 naming the field, in body, keys, query and path', async () => {
  const cases: [string, string, unknown, string][] = [
    ['POST', '/api/v1/reports', { ...report, description: 'a\u0000b' }, '/body/description'],
    ['POST', '/api/v1/reports', { ...report, description: 'x\ud800y' }, '/body/description'],
    ['POST', '/api/v1/reports', { ...report, ['k\u0000']: 1 }, '/body'],
    ['GET', '/api/v1/reports?q=%00', undefined, '/query/q'],
    ['GET', '/api/v1/reports?q=%ED%A0%80', undefined, '/query/q'],
    ['GET', '/api/v1/municipalities/07%0093/settlements', undefined, '/params/code'],
  ];
  for (const [method, url, body, pointer] of cases) {
    const r = await app.inject({
      method: method as 'GET',
      url,
      ...(body ? { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    // A lone surrogate sent as raw bytes is no valid UTF-8: decoded to U+FFFD (harmless) or refused.
    if (url.includes('%ED%A0%80')) {
      assert.ok(r.statusCode < 500, r.body);
      continue;
    }
    assert.equal(r.statusCode, 400, `${method} ${url}: ${r.body}`);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
    const errors = (r.json() as { errors: { pointer: string }[] }).errors;
    assert.ok(
      errors.some((e) => e.pointer === pointer),
      `${url}: ${JSON.stringify(errors)}`,
    );
  }
});

test('a path segment over 100 characters: 414 problem+json, not a bare framework error', async () => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/reports/${'9'.repeat(300)}` });
  assert.equal(r.statusCode, 414);
  assert.equal((r.json() as { type: string }).type, '/problems/uri-too-long');
});

test("the database's refusals map to 409 and 400, with the constraint named", async () => {
  // One connection for the temporary table.
  await ctx.db.connection().execute(async (db) => {
    await sql`CREATE TEMP TABLE hostile_t (id int PRIMARY KEY, n int CHECK (n > 0), ref int REFERENCES hostile_t (id))`.execute(
      db,
    );
    await sql`INSERT INTO hostile_t VALUES (1, 1, NULL)`.execute(db);
    const run = async (q: ReturnType<typeof sql>) => {
      try {
        await q.execute(db);
      } catch (err) {
        return databaseRefusal(err);
      }
      assert.fail('the statement was not refused');
    };
    assert.equal((await run(sql`INSERT INTO hostile_t VALUES (1, 1, NULL)`))?.status, 409);
    assert.equal((await run(sql`INSERT INTO hostile_t VALUES (2, 1, 99)`))?.status, 400);
    assert.equal((await run(sql`INSERT INTO hostile_t VALUES (3, -1, NULL)`))?.status, 400);
    await sql`INSERT INTO hostile_t VALUES (4, 1, 1)`.execute(db);
    assert.equal((await run(sql`DELETE FROM hostile_t WHERE id = 1`))?.status, 409);
    assert.equal((await run(sql`SELECT 'x'::int`))?.status, 400);
  });
});
