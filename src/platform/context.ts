import type { Logger } from 'pino';
import type { Config } from '../config';
import { appRoleUrl, openDatabase, openReadDatabase, type Database, type Db } from './db/database';
import { createDatabaseMonitor, type DatabaseMonitor } from './db/monitor';
import { createEvents, type Events } from './events/events';
import { createJobs, type Jobs } from './jobs/jobs';

/**
 * What use cases and routes receive: configuration, the database (application role), the job
 * queue, live events and a clock. Built once per process by main.ts (or by a test).
 */
export interface AppContext {
  config: Config;
  database: Database;
  /** The primary (application role): every write, and every read that must see the latest state. */
  db: Db;
  /**
   * For read-heavy endpoints that tolerate data a few seconds old (analytics, open data search,
   * CKAN, published results): the read replica while it is within `KOV_READ_MAX_LAG_SECONDS`,
   * otherwise (and without a replica) the primary. Read-only: a write here fails.
   */
  readonly readDb: Db;
  /** The read replica's connections, if one is configured. */
  readDatabase: Database | undefined;
  monitor: DatabaseMonitor;
  log: Logger;
  jobs: Jobs;
  events: Events;
  now: () => Date;
}

/**
 * `ownerUrl` only names the database whose application role the context connects as, when
 * KOV_APP_DATABASE_URL is not set (its URL is derived from the owner's, see roles.ts): every
 * connection of the context — requests, the job queue, the LISTEN connection — is the application
 * role's; none is the owner's.
 */
export function createContext(
  config: Config,
  ownerUrl: string | undefined,
  log: Logger,
  opts: { jobWorkers?: boolean; poolSize?: number } = {},
): AppContext {
  const appUrl = config.appDatabaseUrl ?? (ownerUrl ? appRoleUrl(ownerUrl) : undefined);
  if (!appUrl)
    throw new Error('no database: set KOV_APP_DATABASE_URL (or DATABASE_URL, whose application role is used)');
  const database = openDatabase(appUrl, { max: opts.poolSize ?? 20 });
  const readDatabase = config.cluster.readDatabaseUrl
    ? openReadDatabase(config.cluster.readDatabaseUrl, { max: opts.poolSize ?? 20 })
    : undefined;
  const monitor = createDatabaseMonitor({
    db: database.db,
    ...(readDatabase ? { replicaDb: readDatabase.db } : {}),
    maxReplicaLagSeconds: config.cluster.readMaxLagSeconds,
    log,
  });
  return {
    config,
    database,
    db: database.db,
    get readDb() {
      return readDatabase && monitor.replicaUsable() ? readDatabase.db : database.db;
    },
    readDatabase,
    monitor,
    log,
    jobs: createJobs(appUrl, log, { workers: opts.jobWorkers ?? true }),
    events: createEvents(database.pool, appUrl, log),
    now: () => new Date(),
  };
}
