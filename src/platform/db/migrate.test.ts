import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, readFunctions, readMigrations } from './migrate';
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
  assert.equal(first.applied.length, readMigrations().length + readFunctions().length);
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

test('a function file is applied after the numbered migrations and again whenever it changes', async () => {
  const { serverUrl } = testServer();
  const name = `kov_fn_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kov-migrations-'));
  after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });
  mkdirSync(path.join(dir, 'functions'));
  writeFileSync(path.join(dir, '0001_t.sql'), 'CREATE TABLE t (n int);');
  const fn = (body: string) =>
    writeFileSync(
      path.join(dir, 'functions', 'answer.sql'),
      `CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS $$ SELECT ${body} FROM (SELECT count(*) AS n FROM t) s $$;`,
    );
  fn('41 + n::int');
  const url = withDatabase(serverUrl, name);
  assert.deepEqual((await migrate(url, { dir })).applied, ['0001_t', 'functions/answer']);
  assert.deepEqual((await migrate(url, { dir })).applied, [], 'nothing changed, nothing applied');
  fn('42 + n::int');
  assert.deepEqual((await migrate(url, { dir })).applied, ['functions/answer']);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query('SELECT answer() AS a');
  await c.end();
  assert.equal(rows[0].a, 42, 'the changed text is in force');
  // A broken function file fails the migration with its name and leaves the previous version.
  writeFileSync(
    path.join(dir, 'functions', 'answer.sql'),
    'CREATE OR REPLACE FUNCTION answer() RETURNS int AS nonsense',
  );
  await assert.rejects(migrate(url, { dir }), /functions\/answer\.sql failed/);
});
