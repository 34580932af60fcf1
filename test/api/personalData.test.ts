import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { grantRole, makePerson, testContext } from '../support/app';
import { asOwner } from '../support/db';
import { inScope } from '../../src/platform/db/database';
import { findPersonByCode, personIdCodes, upsertPerson } from '../../src/platform/auth/persons';
import { APP_ROLE, loginRoleUrl, READ_ROLE } from '../../src/platform/db/roles';
import { residences } from '../../src/modules/register/testSupport';
import { residentNamesAmong } from '../../src/modules/opendata/anonymisation';

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
  const row = await inScope(ctx.db, { actor: id! }, (trx) =>
    trx.selectFrom('person').select(['given_name', 'last_login_at']).where('id', '=', id!).executeTakeFirstOrThrow(),
  );
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

/** The rows of `person` (and other personal tables) kov_app sees in a scope, by a raw query on its own login. */
async function visible(scope: { tenant?: string; actor?: string }, text: string, ids: string[]): Promise<string[]> {
  return as(APP_ROLE, async (c) => {
    await c.query('BEGIN');
    await c.query("SELECT set_config('kov.tenant', $1, true), set_config('kov.actor', $2, true)", [
      scope.tenant ?? '',
      scope.actor ?? '',
    ]);
    const { rows } = await c.query<{ id: string }>(text, [ids]);
    await c.query('COMMIT');
    return rows.map((r) => r.id).sort();
  });
}

test('person rows (names, birth dates): the acting person, persons linked to the tenant, platform-wide scope — nobody else', async () => {
  const resident = await makePerson(ctx, { givenName: 'Tartu', familyName: 'Elanik' });
  const official = await makePerson(ctx, { givenName: 'Tartu', familyName: 'Ametnik' });
  const elvaOnly = await makePerson(ctx, { givenName: 'Elva', familyName: 'Elanik' });
  const nobody = await makePerson(ctx, { givenName: 'Kellegi', familyName: 'Pole' });
  await residences(ctx, TARTU, resident.id, [{}]);
  await residences(ctx, ELVA, elvaOnly.id, [{}]);
  await grantRole(ctx, TARTU, official.id, 'editor');
  const all = [resident.id, official.id, elvaOnly.id, nobody.id];
  const q = 'SELECT id, given_name, family_name, birth_date FROM person WHERE id = ANY ($1)';
  // As the application role in Tartu's scope: its resident and its official; not Elva's, not a stranger.
  assert.deepEqual(await visible({ tenant: TARTU }, q, all), [resident.id, official.id].sort());
  assert.deepEqual(await visible({ tenant: TARTU }, q, [elvaOnly.id]), []);
  // A query without a WHERE clause gets no further.
  const listed = await as(APP_ROLE, async (c) => {
    await c.query('BEGIN');
    await c.query("SELECT set_config('kov.tenant', $1, true)", [TARTU]);
    const { rows } = await c.query<{ id: string }>('SELECT id FROM person');
    await c.query('COMMIT');
    return rows.map((r) => r.id);
  });
  assert.ok(listed.includes(resident.id) && !listed.includes(elvaOnly.id) && !listed.includes(nobody.id));
  // Elva sees its own resident only.
  assert.deepEqual(await visible({ tenant: ELVA }, q, all), [elvaOnly.id]);
  // The acting person sees themself in any scope, and no one else by it.
  assert.deepEqual(await visible({ actor: nobody.id }, q, all), [nobody.id]);
  assert.deepEqual(await visible({ tenant: TARTU, actor: elvaOnly.id }, q, [elvaOnly.id, nobody.id]), [elvaOnly.id]);
  // No scope: nobody. Platform-wide work ('*'): everybody.
  assert.deepEqual(await visible({}, q, all), []);
  assert.deepEqual(await visible({ tenant: '*' }, q, all), [...all].sort());
  // Through the query builder, in the application's own scopes: the same.
  const names = await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    trx.selectFrom('person').select('family_name').where('id', 'in', all).orderBy('family_name').execute(),
  );
  assert.deepEqual(
    names.map((n) => n.family_name),
    ['Ametnik', 'Elanik'],
  );
  // Nor can the application role change or delete a row it cannot see.
  await as(APP_ROLE, async (c) => {
    await c.query('BEGIN');
    await c.query("SELECT set_config('kov.tenant', $1, true)", [TARTU]);
    const u = await c.query('UPDATE person SET given_name = given_name WHERE id = $1', [elvaOnly.id]);
    assert.equal(u.rowCount, 0);
    await c.query('ROLLBACK');
  });
});

test('the other personal tables: residence records and notification settings stay in their tenant or with their person', async () => {
  const resident = await makePerson(ctx);
  const elvaOnly = await makePerson(ctx);
  await residences(ctx, TARTU, resident.id, [{}]);
  await residences(ctx, ELVA, elvaOnly.id, [{}]);
  await inScope(ctx.db, { actor: elvaOnly.id }, (trx) =>
    sql`INSERT INTO notification_profile (person_id, email, email_verified_at, created_at, updated_at) VALUES (${elvaOnly.id}, ${`elva-${elvaOnly.id}@example.ee`}, now(), now(), now())`.execute(
      trx,
    ),
  );
  const res = 'SELECT person_id AS id FROM register_residence WHERE person_id = ANY ($1)';
  assert.deepEqual(await visible({ tenant: TARTU }, res, [resident.id, elvaOnly.id]), [resident.id]);
  assert.deepEqual(await visible({}, res, [resident.id, elvaOnly.id]), []);
  assert.deepEqual(await visible({ actor: elvaOnly.id }, res, [resident.id, elvaOnly.id]), [elvaOnly.id]);
  const prof = 'SELECT person_id AS id FROM notification_profile WHERE person_id = ANY ($1)';
  assert.deepEqual(await visible({ tenant: TARTU }, prof, [elvaOnly.id]), []);
  assert.deepEqual(await visible({ tenant: ELVA }, prof, [elvaOnly.id]), []);
  assert.deepEqual(await visible({}, prof, [elvaOnly.id]), []);
  assert.deepEqual(await visible({ actor: elvaOnly.id }, prof, [elvaOnly.id]), [elvaOnly.id]);
  // Sessions, logins in progress, feed tokens: no access at all (functions only).
  await as(APP_ROLE, async (c) => {
    for (const t of ['session', 'auth_request', 'community_feed_token']) await refused(c, `SELECT count(*) FROM ${t}`);
  });
});

test('ELVL sees the officials who take part in its shared content; the anonymisation check knows every name', async () => {
  const elvaOfficial = await makePerson(ctx, { givenName: 'Kommenteeriv', familyName: 'Ametnik' });
  await grantRole(ctx, ELVA, elvaOfficial.id, 'editor');
  const q = 'SELECT id FROM person WHERE id = ANY ($1)';
  assert.deepEqual(await visible({ tenant: '0000' }, q, [elvaOfficial.id]), []);
  await asOwner(ownerUrl, async (c) => {
    const a = await c.query<{ id: string }>(
      `INSERT INTO hub_article (municipality_code, slug, title, summary, body, kind, status, visibility)
       VALUES ('0000', 'rls-test-' || gen_random_uuid(), 'Rea test', 'S', 'B', 'guide', 'published', 'officials') RETURNING id`,
    );
    await c.query(
      `INSERT INTO hub_comment (municipality_code, article_id, author_id, author_municipality, body) VALUES ('0000', $1, $2, $3, 'Hea')`,
      [a.rows[0]!.id, elvaOfficial.id, ELVA],
    );
  });
  assert.deepEqual(await visible({ tenant: '0000' }, q, [elvaOfficial.id]), [elvaOfficial.id]);
  assert.deepEqual(await visible({ tenant: TARTU }, q, [elvaOfficial.id]), []);
  // Tartu's dataset naming an Elva official is caught, though Tartu's scope cannot see the row.
  const found = await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    residentNamesAmong(trx, ['kommenteeriv ametnik', 'keegi muu']),
  );
  assert.deepEqual([...found], ['kommenteeriv ametnik']);
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
    'kov_person_names_among',
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
