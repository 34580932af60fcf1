import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext } from '../support/app';
import { asOwner } from '../support/db';

/**
 * Every table holding a municipality's rows (a `municipality_code` column) has row-level
 * security enabled, so that the application role can never read or write another
 * municipality's rows by a query that forgets its WHERE clause.
 */
test('every table with a municipality_code column is protected by row-level security', async () => {
  const { ownerUrl } = await testContext({ jobs: false });
  const rows = await asOwner(
    ownerUrl,
    async (c) =>
      (
        await c.query<{ table_name: string; rls: boolean; policies: number }>(`
        SELECT t.relname AS table_name, t.relrowsecurity AS rls,
               (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = t.oid) AS policies
          FROM pg_class t
          JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = 'municipality_code' AND NOT a.attisdropped
         WHERE t.relkind IN ('r', 'p')
         ORDER BY 1`)
      ).rows,
  );
  // Reference data keyed by place, not owned by a tenant.
  const notTenantData = new Set(['place']);
  const unprotected = rows
    .filter((r) => !notTenantData.has(r.table_name) && (!r.rls || r.policies === 0))
    .map((r) => r.table_name);
  assert.ok(rows.length > 20, `found ${rows.length} tables`);
  assert.deepEqual(unprotected, [], 'tables with municipality rows but no row-level security');
});

test('the application role owns no table and cannot bypass row-level security', async () => {
  const { ownerUrl } = await testContext({ jobs: false });
  const r = await asOwner(
    ownerUrl,
    async (c) => (await c.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'kov_app'`)).rows[0],
  );
  assert.deepEqual(r, { rolsuper: false, rolbypassrls: false });
  const owned = await asOwner(
    ownerUrl,
    async (c) =>
      (
        await c.query(
          `SELECT count(*)::int AS n FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = 'kov_app')`,
        )
      ).rows[0].n,
  );
  assert.equal(owned, 0);
});
