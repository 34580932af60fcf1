import type { Logger } from 'pino';
import type { Config } from '../config';
import { openDatabase, type Database, type Db } from './db/database';
import { createEvents, type Events } from './events/events';
import { createJobs, type Jobs } from './jobs/jobs';

/**
 * What use cases and routes receive: configuration, the database (application role), the job
 * queue, live events and a clock. Built once per process by main.ts (or by a test).
 */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  log: Logger;
  jobs: Jobs;
  events: Events;
  now: () => Date;
}

export function createContext(
  config: Config,
  ownerUrl: string,
  log: Logger,
  opts: { jobWorkers?: boolean; poolSize?: number } = {},
): AppContext {
  const database = openDatabase(ownerUrl, { max: opts.poolSize ?? 20, appUrl: config.appDatabaseUrl });
  return {
    config,
    database,
    db: database.db,
    log,
    jobs: createJobs(ownerUrl, log, { workers: opts.jobWorkers ?? true }),
    events: createEvents(database.pool, ownerUrl, log),
    now: () => new Date(),
  };
}
