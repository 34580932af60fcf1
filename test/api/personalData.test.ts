import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { grantRole, makePerson, testContext } from '../support/app';
import { asOwner } from '../support/db';
import { inScope } from '../../src/platform/db/database';
import { findPersonByCode, personIdCodes, upsertPerson } from '../../src/platform/auth/persons';
import { APP_ROLE, loginRoleUrl, READ_ROLE } from '../../src/platform/db/roles';

/**
 * Issue 13: "the personal-data tables are unreadable across tenants and without the right role".
 * `kov_app` reads no ID code (column privilege); it finds persons by a code it holds and reads the
 * codes of persons of the current tenant (or its own) through SECURITY DEFINER functions only;
 * `kov_read` reads no personal column at all.
 */
const { ctx, ownerUrl } = await testContext({ jobs: false });

async function as<T>(role: typeof APP_ROLE | typeof READ_ROLE, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: loginRoleUrl(ownerUrl, role) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const refused = (c: pg.Client, text: string, values: unknown[] = []) =>
  assert.rejects(
    c.query(text, values),
    (e: { code?: string }) => e.code === '42501',
    `expected "${text}" to be refused`,
  );

const TARTU = '0793';
const ELVA = '0171';

test('kov_app cannot read, search by, or write ID codes directly; it reads the masked code and names', async () => {
  const p = await makePerson(ctx, { givenName: 'Mari', familyName: 'Maasikas' });
  await as(APP_ROLE, async (c) => {
    await c.query("SELECT set_config('kov.tenant', '*', false)");
    await refused(c, 'SELECT id_code FROM person');
    await refused(c, 'SELECT * FROM person');
    await refused(c, 'SELECT id FROM person WHERE id_code = $1', [p.idCode]);
    await refused(c, "SELECT id FROM person WHERE id_code LIKE '4%'");
    await refused(c, "INSERT INTO person (id_code, birth_date) VALUES ('48001010008', '1980-01-01')");
    await refused(c, 'UPDATE person SET id_code = id_code WHERE id = $1', [p.id]);
    const { rows } = await c.query('SELECT id_code_masked, given_name FROM person WHERE id = $1', [p.id]);
    assert.deepEqual(rows, [{ id_code_masked: `${p.idCode.slice(0, 6)}*****`, given_name: 'Mari' }]);
  });
});

test('kov_read reads no personal column of person or of any table naming residents', async () => {
  await as(READ_ROLE, async (c) => {
    await c.query("SELECT set_config('kov.tenant', '*', false)");
    for (const col of ['id', 'id_code', 'id_code_masked', 'given_name', 'family_name', 'birth_date'])
      await refused(c, `SELECT ${col} FROM person`);
    for (const q of [
      'SELECT address FROM register_residence',
      'SELECT person_id FROM electorate_voter',
      'SELECT person_id FROM electorate_list_entry',
      'SELECT person_id FROM council_member',
      'SELECT name FROM vv_trustee',
      'SELECT name FROM pv_candidate',
      'SELECT reporter_name FROM report',
      'SELECT reporter_email FROM report',
      'SELECT email FROM notification_profile',
      'SELECT subject_id FROM register_query_log',
      'SELECT nominated_by FROM pv_candidate',
    ])
      await refused(c, q);
  });
});

test('a person is found and created only by a code the caller holds; logins refresh the same person', async () => {
  const code = (await makePerson(ctx)).idCode;
  const id = await findPersonByCode(ctx.db, code);
  assert.ok(id);
  assert.equal(
    await upsertPerson(ctx.db, { idCode: code, givenName: 'Uus', familyName: null, birthDate: '1980-05-17' }, true),
    id,
  );
  const row = await ctx.db
    .selectFrom('person')
    .select(['given_name', 'last_login_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(row.given_name, 'Uus');
  assert.ok(row.last_login_at);
  assert.equal(await findPersonByCode(ctx.db, '38001010000'), null);
});

test('the code of a person is answered in their own scope and in a tenant they are linked to, never in another', async () => {
  const official = await makePerson(ctx);
  const stranger = await makePerson(ctx);
  await grantRole(ctx, TARTU, official.id, 'editor');
  // Tartu: its official, not the stranger.
  const inTartu = await inScope(ctx.db, { tenant: TARTU }, (trx) => personIdCodes(trx, [official.id, stranger.id]));
  assert.deepEqual([...inTartu], [[official.id, official.idCode]]);
  // Another municipality, platform-wide scope, no scope: nobody.
  for (const scope of [{ tenant: ELVA }, { tenant: '*' }, {}])
    assert.equal((await inScope(ctx.db, scope, (trx) => personIdCodes(trx, [official.id, stranger.id]))).size, 0);
  // Their own code, as the acting person, whatever the tenant.
  const own = await inScope(ctx.db, { tenant: ELVA, actor: stranger.id }, (trx) =>
    personIdCodes(trx, [stranger.id, official.id]),
  );
  assert.deepEqual([...own], [[stranger.id, stranger.idCode]]);
});

test('SECURITY DEFINER functions: only the reviewed ones, each with a fixed search_path and not executable by PUBLIC', async () => {
  const rows = await asOwner(
    ownerUrl,
    async (c) =>
      (
        await c.query<{ name: string; path: boolean; public: boolean }>(`
          SELECT p.proname AS name,
                 coalesce(array_to_string(p.proconfig, ',') ~ 'search_path=', false) AS path,
                 has_function_privilege('public', p.oid, 'EXECUTE') AS public
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'
           WHERE p.prosecdef ORDER BY 1`)
      ).rows,
  );
  // Each reviewed: it takes what the caller must already hold (a token's hash, a state, an ID
  // code) or checks the tenant scope itself; none lists personal data.
  const allowed = [
    'kov_auth_request_put',
    'kov_auth_request_take',
    'kov_demo_accounts',
    'kov_feed_token_owner',
    'kov_feed_token_set',
    'kov_person_codes',
    'kov_person_find',
    'kov_person_upsert',
    'kov_resolve_api_key',
    'kov_touch_api_key',
    'kov_resolve_session',
    'kov_session_close',
    'kov_session_open',
    'kov_session_purge',
    'kov_session_touch',
    'hub_article_matches',
    'report_intake',
  ].sort();
  assert.deepEqual(
    rows.map((r) => r.name),
    allowed,
  );
  assert.deepEqual(
    rows.filter((r) => !r.path || r.public).map((r) => r.name),
    [],
  );
});
