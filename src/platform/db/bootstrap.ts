import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded';
import { migrate, pendingMigrations } from './migrate';
import { ensureLoginRoles } from './roles';
import { appRoleUrl, withDatabase } from './database';
import { loadPlaces } from '../places/ehak';
import { installJobQueue, JOB_SCHEMA } from '../jobs/jobs';

export const DEFAULT_DATABASE = 'kov';

export interface PreparedDatabase {
  ownerUrl: string;
  embedded: EmbeddedServer | undefined;
  stop(): Promise<void>;
}

export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by another node
  } finally {
    await client.end();
  }
}

/**
 * Prepares the database as its owner — the only step that connects as the owner: migrations,
 * places (EHAK, idempotent), the login roles, the job queue's schema and its grants to the
 * application role. Every owner connection is closed when this returns; the running platform then
 * connects as the application role only (context.ts). Run by the embedded/demo start path, by a
 * non-production node given DATABASE_URL, and by `kov db migrate` (production: the nodes get only
 * KOV_APP_DATABASE_URL). The database is the one in DATABASE_URL, or a database `kov` on an
 * embedded server started in `<dataDir>/pg`.
 */
export async function prepareDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  log: (line: string) => void;
  /** The operator set up the application role (KOV_APP_DATABASE_URL): leave the roles alone. */
  appDatabaseUrl?: string | undefined;
}): Promise<PreparedDatabase> {
  let embedded: EmbeddedServer | undefined;
  let ownerUrl: string;
  if (opts.databaseUrl) {
    ownerUrl = opts.databaseUrl;
  } else {
    opts.log(`starting the embedded PostgreSQL in ${path.join(opts.dataDir, 'pg')}`);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(opts.dataDir, 'pg') });
    await ensureDatabase(embedded.url, DEFAULT_DATABASE);
    ownerUrl = withDatabase(embedded.url, DEFAULT_DATABASE);
  }
  try {
    const { applied } = await migrate(ownerUrl, { log: opts.log });
    if (applied.length) opts.log(`applied ${applied.length} migration(s)`);
    await loadPlaces(ownerUrl);
    // The roles and the read grants change only with the schema: set up when a migration or a
    // function was applied, or when the application role cannot log in yet.
    if (!opts.appDatabaseUrl && (applied.length > 0 || !(await canLogIn(appRoleUrl(ownerUrl))))) {
      await ensureLoginRoles(ownerUrl, {}, { keepOperatorPasswords: true }).catch((err: Error) => {
        throw new Error(
          `Could not set up the database login roles kov_app and kov_read as the owner in DATABASE_URL (${err.message}). ` +
            'Either give that role CREATEROLE, or create them once as an administrator (`kov db roles`) and set KOV_APP_DATABASE_URL (docs/configuration.md).',
          { cause: err },
        );
      });
    }
    await installJobQueue(ownerUrl);
  } catch (err) {
    await embedded?.stop().catch(() => {});
    throw err;
  }
  return { ownerUrl, embedded, stop: async () => embedded?.stop() };
}

/**
 * For a node that connects as the application role only (production): is the database prepared
 * for this version? Throws, saying what to run, while migrations are pending or the job queue's
 * schema is missing.
 */
export async function checkPrepared(appUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: appUrl, application_name: 'kov-check' });
  await c.connect();
  try {
    const pending = await pendingMigrations((text) => c.query<{ version: string }>(text));
    const queue = await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [JOB_SCHEMA]);
    if (pending.length || !queue.rowCount)
      throw new Error(
        `the database is not prepared for this version (${pending.length ? `pending migrations: ${pending.join(', ')}` : 'no job queue schema'}); ` +
          'run `kov db migrate` with the owner\'s DATABASE_URL (docs/operations.md, "Upgrade")',
      );
  } finally {
    await c.end().catch(() => {});
  }
}

async function canLogIn(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}
