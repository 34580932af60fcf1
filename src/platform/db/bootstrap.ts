import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded';
import { migrate } from './migrate';
import { ensureLoginRoles } from './roles';
import { appRoleUrl, withDatabase } from './database';
import { loadPlaces } from '../places/ehak';

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
 * Gives a migrated database: the one in DATABASE_URL, or a database `kov` on an embedded server
 * started in `<dataDir>/pg`. Places (EHAK) are loaded on every start (idempotent).
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
      await ensureLoginRoles(ownerUrl).catch((err: Error) => {
        throw new Error(
          `Could not set up the database login roles kov_app and kov_read as the owner in DATABASE_URL (${err.message}). ` +
            'Either give that role CREATEROLE, or create them once as an administrator (`kov db roles`) and set KOV_APP_DATABASE_URL (docs/configuration.md).',
          { cause: err },
        );
      });
    }
  } catch (err) {
    await embedded?.stop().catch(() => {});
    throw err;
  }
  return { ownerUrl, embedded, stop: async () => embedded?.stop() };
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
