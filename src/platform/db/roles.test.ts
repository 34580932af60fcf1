import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { asOwner, createTestDatabase } from '../../../test/support/db';
import { appRoleUrl } from './database';
import { APP_ROLE, loginRoleUrl, READ_ROLE } from './roles';

const ownerUrl = await createTestDatabase();
const owner = await asOwner(
  ownerUrl,
  async (c) => (await c.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u,
);

async function as<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const denied = async (c: pg.Client, text: string) =>
  assert.rejects(c.query(text), (e: { code?: string }) => e.code === '42501', `expected "${text}" to be refused`);

test('the application connects as kov_app itself and cannot become the owner or a superuser', async () => {
  await as(appRoleUrl(ownerUrl), async (c) => {
    const who = (await c.query('SELECT current_user AS cur, session_user AS ses')).rows[0];
    assert.deepEqual(who, { cur: APP_ROLE, ses: APP_ROLE });
    await c.query('RESET ROLE');
    assert.equal((await c.query('SELECT current_user AS u')).rows[0].u, APP_ROLE);
    await denied(c, `SET ROLE ${owner}`);
    await denied(c, `SET SESSION AUTHORIZATION ${owner}`);
    await denied(c, 'SET ROLE pg_write_server_files');
    await denied(c, `ALTER ROLE ${APP_ROLE} SUPERUSER`);
    await denied(c, 'CREATE ROLE kov_escape LOGIN SUPERUSER');
    await denied(c, 'DROP TABLE audit_log');
    await denied(c, 'DELETE FROM audit_log');
    const { rows } = await c.query(
      `SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
              (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid)::int AS memberships,
              (SELECT count(*) FROM pg_class WHERE relowner = r.oid)::int AS tables,
              (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)::int AS functions,
              (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)::int AS schemas
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    assert.deepEqual(rows[0], {
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      memberships: 0,
      tables: 0,
      functions: 0,
      schemas: 0,
    });
  });
});

test('the read-only role reads tables but no personal data, and writes nothing', async () => {
  await as(loginRoleUrl(ownerUrl, READ_ROLE), async (c) => {
    assert.equal((await c.query('SELECT current_user AS u')).rows[0].u, READ_ROLE);
    // Public reference data: readable.
    const places = await c.query("SELECT code, name FROM place WHERE level = 'municipality' LIMIT 3");
    assert.equal(places.rows.length, 3);
    // Personal data: refused, whatever the tenant scope says.
    await c.query("SELECT set_config('kov.tenant', '*', false)");
    for (const q of [
      'SELECT id_code FROM person',
      'SELECT id FROM person',
      'SELECT * FROM session',
      'SELECT * FROM auth_request',
      'SELECT * FROM community_feed_token',
      'SELECT * FROM bb_voter',
      'SELECT sealed FROM bb_ballot',
      'SELECT person_id FROM role_grant',
      'SELECT actor_id FROM audit_log',
    ])
      await denied(c, q);
    await denied(c, "INSERT INTO tenant (code, kind, name) VALUES ('9999', 'municipality', 'x')");
    await denied(c, `SET ROLE ${APP_ROLE}`);
    await denied(c, `SET ROLE ${owner}`);
  });
});

test('the grants hold for every column of personal data in the schema', async () => {
  const exposed = await asOwner(ownerUrl, async (c) =>
    (
      await c.query<{ col: string }>(
        `SELECT table_name || '.' || column_name AS col FROM information_schema.column_privileges
          WHERE grantee = $1 AND privilege_type = 'SELECT'
            AND column_name ~* '(id_code|given_name|family_name|birth_date|email|phone|token|secret|person_id|actor)'
          ORDER BY 1`,
        [READ_ROLE],
      )
    ).rows.map((r) => r.col),
  );
  assert.deepEqual(exposed, []);
});
