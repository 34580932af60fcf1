import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Plain, numbered SQL migrations (`migrations/NNNN_name.sql`), applied in order, each in its own
 * transaction, under an advisory lock so that several app nodes starting together apply each
 * migration once. An applied migration whose file has changed is an error: history is not
 * rewritten, a new migration is added instead.
 *
 * Functions are the exception: a plpgsql function lives in one file of its own,
 * `migrations/functions/<name>.sql` (`CREATE OR REPLACE FUNCTION …`, or `DROP FUNCTION IF EXISTS`
 * first when its signature changes), and is re-applied whenever that file changes — after every
 * numbered migration, in file-name order, each in its own transaction (table `schema_functions`
 * remembers what was applied). So a function's current text is in one place, not spread over a
 * migration per revision. A numbered migration must therefore not depend on such a function
 * existing (a trigger or a data change calling it); tables and types the functions use come from
 * the numbered migrations.
 */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');
const LOCK_KEY = 727_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const seen = new Set<string>();
  return files.map((file) => {
    const version = file.slice(0, 4);
    if (seen.has(version)) throw new Error(`Two migrations share the number ${version}`);
    seen.add(version);
    const text = readFileSync(path.join(dir, file), 'utf8');
    return {
      version,
      name: file.replace(/\.sql$/, ''),
      sql: text,
      checksum: createHash('sha256').update(text).digest('hex'),
    };
  });
}

export interface FunctionFile {
  name: string;
  sql: string;
  checksum: string;
}

export const FUNCTIONS_DIR = path.join(MIGRATIONS_DIR, 'functions');

export function readFunctions(dir = FUNCTIONS_DIR): FunctionFile[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files
    .filter((f) => /^[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

export interface MigrateResult {
  /** Numbered migrations applied by this run, then `functions/<name>` for each (re-)applied function file. */
  applied: string[];
  current: number;
}

export async function migrate(
  ownerUrl: string,
  opts: { log?: (line: string) => void; dir?: string; functionsDir?: string } = {},
): Promise<MigrateResult> {
  const migrations = readMigrations(opts.dir);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const m of migrations) {
      const prior = done.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead`,
          );
        }
        continue;
      }
      opts.log?.(`applying ${m.name}`);
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
    // A rolling upgrade: a newer version already migrated this database. This (older) node must not
    // put its own, older function texts back over the newer ones it does not know.
    const known = new Set(migrations.map((m) => m.version));
    const newer = [...done.keys()].filter((v) => !known.has(v)).sort();
    if (newer.length) {
      opts.log?.(
        `the database has newer migrations (${newer.join(', ')}) than this version knows: its function files are left as they are`,
      );
      return { applied, current: migrations.length };
    }
    await client.query(`CREATE TABLE IF NOT EXISTS schema_functions (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const fns = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_functions');
    const fnDone = new Map(fns.rows.map((r) => [r.name, r.checksum]));
    for (const f of readFunctions(opts.functionsDir ?? (opts.dir ? path.join(opts.dir, 'functions') : undefined))) {
      if (fnDone.get(f.name) === f.checksum) continue;
      opts.log?.(`applying functions/${f.name}`);
      await client.query('BEGIN');
      try {
        await client.query(f.sql);
        await client.query(
          `INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
          [f.name, f.checksum],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Function file functions/${f.name}.sql failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(`functions/${f.name}`);
    }
    return { applied, current: migrations.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** For /readyz: are all migration files applied? */
export async function pendingMigrations(
  query: (text: string) => Promise<{ rows: { version: string }[] }>,
): Promise<string[]> {
  const files = readMigrations();
  const { rows } = await query('SELECT version FROM schema_migrations');
  const have = new Set(rows.map((r) => r.version));
  return files.filter((m) => !have.has(m.version)).map((m) => m.name);
}
