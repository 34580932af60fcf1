import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type { KovTables } from './tables';
import { APP_ROLE, READ_ROLE, loginRoleUrl } from './roles';

/**
 * Connections. Requests and jobs use the **application role** (`kov_app`, a login role of its own,
 * see roles.ts): not the owner of the tables, so PostgreSQL's row-level security applies to every
 * query, and it can become no other role. So do the job queue and the LISTEN connection of live
 * events: the running platform holds no owner connection. The owner connects only to prepare the
 * database (migrations, roles, the job queue's schema: bootstrap.ts) and closes it again.
 */
export { APP_ROLE } from './roles';

// pg returns int8 and numeric as strings; counts and ids here fit in a double, and money is
// kept in integer cents, so int8 becomes a number. `date` stays 'YYYY-MM-DD' (no time zone shift).
const INT8 = 20;
const DATE = 1082;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** The application role's URL of the owner's database (credentials derived, see roles.ts). */
export function appRoleUrl(ownerUrl: string): string {
  return loginRoleUrl(ownerUrl, APP_ROLE);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

/**
 * How long a request waits for a connection (a free one in the pool, or a new one to the server)
 * before it is answered 503: a server that does not answer must not hold requests forever.
 */
export const CONNECT_TIMEOUT_MS = 5_000;

export function createPool(connectionString: string, max = 10): pg.Pool {
  // TCP keep-alive notices a primary whose machine vanished (no RST), as after a power loss.
  const pool = new pg.Pool({
    connectionString,
    max,
    types,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  return guardPoolErrors(pool);
}

/**
 * Every pool of the platform goes through this: a connection that loses its server must never end
 * the process. pg-pool listens for errors of idle clients only, and its listener removes itself
 * at the first error — but a server that dies (the primary killed) first sends a FATAL message,
 * then closes the socket, so the client emits 'error' twice, and the second one ("Connection
 * terminated unexpectedly") found no listener and ended the node (primary-kill drill; the
 * register's query-log pool). The same for a client checked out between two queries of a
 * transaction. With a listener for each client's whole life its next query fails instead, and the
 * pool drops it on release.
 */
export function guardPoolErrors(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** The whole database, typed: the platform's tables and every module's (declaration merging, see tables.ts). */
export type Db = Kysely<KovTables>;
export type Trx = Transaction<KovTables>;

export interface Database {
  /** Query builder on the application role: row-level security applies. */
  db: Db;
  pool: pg.Pool;
  /** The application role's connection URL (KOV_APP_DATABASE_URL, or derived from the owner's). */
  appUrl: string;
  close(): Promise<void>;
}

/** The application role's connections (`appUrl`: KOV_APP_DATABASE_URL, or `appRoleUrl(owner)`). */
export function openDatabase(appUrl: string, opts: { max?: number } = {}): Database {
  const pool = createPool(appUrl, opts.max ?? 20);
  const db = new Kysely<KovTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    appUrl,
    close: () => db.destroy(),
  };
}

/**
 * Connections to a read replica for read-heavy endpoints: the application role, and every
 * transaction read-only, so that a write sent here by mistake fails instead of diverging.
 */
export function openReadDatabase(readUrl: string, opts: { max?: number } = {}): Database {
  // A login role's own URL (production: kov_app, as in deploy/systemd/kov-app.env.example) is used
  // as given; an owner's URL (tests, development) names the database whose kov_app to derive.
  const user = decodeURIComponent(new URL(readUrl).username);
  const url = new URL(user === APP_ROLE || user === READ_ROLE ? readUrl : appRoleUrl(readUrl));
  url.searchParams.set(
    'options',
    `${url.searchParams.get('options') ?? ''} -c default_transaction_read_only=on`.trim(),
  );
  const pool = createPool(url.toString(), opts.max ?? 20);
  const db = new Kysely<KovTables>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, appUrl: url.toString(), close: () => db.destroy() };
}

/**
 * Who a transaction acts for. `tenant` is a municipality code, `'*'` for platform-wide work
 * (national statistics, jobs that span tenants), or absent (no tenant rows visible at all).
 * `actor` is the person id of the user, which lets them read their own rows across tenants
 * (their role grants, their own reports).
 */
export interface Scope {
  tenant?: string;
  actor?: string;
}

export async function inScope<T>(db: Db, scope: Scope, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('kov.tenant', ${scope.tenant ?? ''}, true), set_config('kov.actor', ${scope.actor ?? ''}, true)`.execute(
      trx,
    );
    return fn(trx);
  });
}
