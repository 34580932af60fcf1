import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, readMigrations } from './migrate';
import { withDatabase } from './database';
import { testServer } from '../../../test/support/db';
import { after } from 'node:test';

test('migrations apply to an empty database and a second run changes nothing', async () => {
  const { serverUrl } = testServer();
  const name = `kov_empty_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });
  const url = withDatabase(serverUrl, name);
  const first = await migrate(url);
  assert.equal(first.applied.length, readMigrations().length);
  const second = await migrate(url);
  assert.deepEqual(second.applied, []);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query('SELECT count(*)::int AS n FROM schema_migrations');
  await c.end();
  assert.equal(rows[0].n, readMigrations().length);
});

test('migration files are numbered uniquely and in order', () => {
  const versions = readMigrations().map((m) => m.version);
  assert.deepEqual(versions, [...versions].sort());
  assert.equal(new Set(versions).size, versions.length);
});
