import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testPlatform, makePerson, grantRole, sessionFor } from '../support/app';
import { appRoleUrl, inScope } from '../../src/platform/db/database';
import { appendAudit } from '../../src/platform/audit/audit';

const TARTU = '0793';
const ELVA = '0171';

const platform = await testPlatform();
const { ctx } = platform;
const tartuAdmin = await makePerson(ctx);
const elvaAdmin = await makePerson(ctx);
await grantRole(ctx, TARTU, tartuAdmin.id, 'admin');
await grantRole(ctx, ELVA, elvaAdmin.id, 'admin');
await inScope(ctx.db, { tenant: ELVA }, (trx) =>
  appendAudit(trx, { municipalityCode: ELVA, actorId: elvaAdmin.id, action: 'test.elva-secret', details: {} }),
);
const tartu = await sessionFor(ctx, tartuAdmin.id);

test("an official of Tartu cannot read or change Elva's data through any API route", async () => {
  const elvaRoutes = [
    { method: 'GET', url: `/api/v1/municipalities/${ELVA}/roles` },
    { method: 'GET', url: `/api/v1/municipalities/${ELVA}/audit` },
    { method: 'POST', url: `/api/v1/municipalities/${ELVA}/roles`, payload: { idCode: '37605030299', role: 'admin' } },
    { method: 'DELETE', url: `/api/v1/municipalities/${ELVA}/roles/${elvaAdmin.id}/admin` },
  ] as const;
  for (const r of elvaRoutes) {
    const res = await platform.app.inject({ ...r, headers: tartu.headers } as any);
    assert.equal(res.statusCode, 403, `${r.method} ${r.url}: ${res.body}`);
  }
  // Every route of any module that needs a login and names a municipality: called by Tartu's
  // official for Elva, none may succeed, and reads must be refused outright.
  const doc = (await platform.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
  let checked = 0;
  // A value that passes the path parameter's schema, so that the request reaches the use case.
  const example = (
    schema: { type?: string; format?: string; pattern?: string; enum?: string[]; anyOf?: { const?: string }[] } = {},
  ) => {
    if ((schema as { default?: unknown }).default !== undefined)
      return String((schema as { default: unknown }).default);
    if (schema.enum?.length) return schema.enum[0]!;
    const first = schema.anyOf?.[0] as { const?: unknown; enum?: unknown[] } | undefined;
    if (first?.enum?.length) return String(first.enum[0]);
    if (schema.anyOf?.[0]?.const !== undefined) return String(schema.anyOf[0].const);
    if (schema.type === 'integer' || schema.type === 'number') return '1';
    if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
    if (schema.format === 'date') return '2026-01-01';
    if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
    if (schema.pattern === '^[0-9]{4}$') return ELVA;
    if ((schema as { examples?: unknown[] }).examples?.length)
      return String((schema as { examples: unknown[] }).examples[0]);
    if (schema.pattern) {
      const candidates = ['2026-01', '2026-01-01', 'x', 'abc', 'a1', '1', 'test-1', 'A1'];
      const fit = candidates.find((c) => new RegExp(schema.pattern!).test(c));
      if (fit) return fit;
    }
    return 'x';
  };
  for (const [p, ops] of Object.entries<
    Record<string, { security?: unknown[]; parameters?: { in: string; name: string; schema?: any }[] }>
  >(doc.paths)) {
    if (!p.includes('{code}')) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (!op.security?.length) continue;
      const params = new Map((op.parameters ?? []).filter((x) => x.in === 'path').map((x) => [x.name, x.schema]));
      const query = (op.parameters ?? [])
        .filter((x: any) => x.in === 'query' && x.required)
        .map((x) => `${x.name}=${encodeURIComponent(example(x.schema))}`)
        .join('&');
      const url =
        p.replace('{code}', ELVA).replace(/\{([^}]+)\}/g, (_, name: string) => example(params.get(name))) +
        (query ? `?${query}` : '');
      const res = await platform.app.inject({
        method: method.toUpperCase() as any,
        url,
        headers: tartu.headers,
        ...(method === 'get' || method === 'delete' ? {} : { payload: {} }),
      });
      assert.ok(res.statusCode >= 400, `${method} ${p} answered ${res.statusCode} to another municipality's official`);
      if (method === 'get')
        assert.ok([403, 404].includes(res.statusCode), `${method} ${url}: ${res.statusCode} ${res.body}`);
      checked += 1;
    }
  }
  assert.ok(checked >= elvaRoutes.length);
  // And Elva's admin still has the role.
  const roles = await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    trx.selectFrom('role_grant').selectAll().where('municipality_code', '=', ELVA).execute(),
  );
  assert.equal(roles.length, 1);
});

test('the database itself refuses cross-tenant reads and writes for the application role', async () => {
  const client = new pg.Client({ connectionString: appRoleUrl(platform.ownerUrl) });
  await client.connect();
  try {
    const who = await client.query('SELECT current_user');
    assert.equal(who.rows[0].current_user, 'kov_app');
    await client.query('BEGIN');
    await client.query(`SELECT set_config('kov.tenant', $1, true)`, [TARTU]);
    // A query that forgets its WHERE clause still sees only Tartu's rows.
    const audit = await client.query('SELECT municipality_code, action FROM audit_log');
    assert.ok(audit.rows.every((r) => r.municipality_code === TARTU));
    const grants = await client.query('SELECT municipality_code FROM role_grant');
    assert.ok(grants.rows.every((r) => r.municipality_code === TARTU));
    // Writing a row for Elva is refused by the row-level security policy.
    await assert.rejects(
      client.query(`INSERT INTO role_grant (municipality_code, person_id, role) VALUES ($1, $2, 'admin')`, [
        ELVA,
        tartuAdmin.id,
      ]),
      /row-level security/,
    );
    await client.query('ROLLBACK');
    // Without any tenant scope nothing tenant-owned is visible.
    const none = await client.query('SELECT count(*)::int AS n FROM audit_log');
    assert.equal(none.rows[0].n, 0);
  } finally {
    await client.end();
  }
});

test('the audit log is append-only for the application role', async () => {
  const client = new pg.Client({ connectionString: appRoleUrl(platform.ownerUrl) });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('kov.tenant', $1, true)`, [ELVA]);
    await assert.rejects(client.query(`UPDATE audit_log SET action = 'x'`), /permission denied/);
    await client.query('ROLLBACK');
    await client.query('BEGIN');
    await client.query(`SELECT set_config('kov.tenant', $1, true)`, [ELVA]);
    await assert.rejects(client.query(`DELETE FROM audit_log`), /permission denied/);
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
});
