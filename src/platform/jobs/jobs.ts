import { PgBoss } from 'pg-boss';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Trx } from '../db/database';

/**
 * Background jobs and schedules on PostgreSQL (pg-boss). Modules `define` a queue with its
 * handler at start-up; `send` enqueues (inside a business transaction with `sendInTx`, so a job
 * exists exactly when the change that caused it committed).
 */
export interface JobOptions {
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Jobs fetched per poll; the handler still gets them one at a time. */
  batchSize?: number;
  pollingIntervalSeconds?: number;
}

export interface SendOptions {
  singletonKey?: string;
  startAfterSeconds?: number;
}

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

export interface Jobs {
  define<T extends object>(name: string, handler: JobHandler<T>, opts?: JobOptions): void;
  schedule(name: string, cron: string, data?: object): void;
  send(name: string, data: object, opts?: SendOptions): Promise<string | null>;
  sendInTx(trx: Trx, name: string, data: object, opts?: SendOptions): Promise<string | null>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs queued jobs of one queue until it is empty (tests and CLI). */
  drain(name: string): Promise<number>;
}

interface Definition {
  handler: JobHandler<any>;
  opts: JobOptions;
}

export const JOB_SCHEMA = 'pgboss';

/**
 * Installs or upgrades the queue's own schema (`pgboss`) as the owner and lets the application
 * role use it: part of preparing the database (with the migrations, `prepareDatabase` in
 * src/platform/db/bootstrap.ts, `kov db migrate`), never of the running platform. The owner's
 * connection is closed when this returns. At run time pg-boss connects as the application role and
 * neither creates nor migrates anything (`migrate: false`): it only reads and writes the queue's rows.
 */
export async function installJobQueue(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    schema: JOB_SCHEMA,
    max: 1,
    application_name: 'kov-jobs-install',
    supervise: false,
    schedule: false,
    registerInstance: false,
  });
  boss.on('error', () => {});
  await boss.start();
  await boss.stop({ graceful: false, timeout: 1000 });
  await grantQueueToAppRole(ownerUrl);
}

/**
 * Requests run as the application role; `sendInTx` enqueues inside their transaction, and the
 * workers and the supervisor run as it too, so that role reads and writes the queue's tables (it
 * still owns nothing there and bypasses no RLS; the tables are the owner's).
 */
async function grantQueueToAppRole(ownerUrl: string) {
  const c = new pg.Client({ connectionString: ownerUrl, application_name: 'kov-jobs-install' });
  await c.connect();
  try {
    await c.query(`
      GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO kov_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO kov_app;
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} TO kov_app;
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_SCHEMA} TO kov_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOB_SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kov_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOB_SCHEMA} GRANT USAGE, SELECT ON SEQUENCES TO kov_app;`);
  } finally {
    await c.end();
  }
}

/**
 * The queue, on the application role's connection (`appUrl`). Its schema must have been
 * installed by `installJobQueue` (start fails with "pg-boss is not installed" or "requires
 * migrations" otherwise: run `kov db migrate`).
 */
export function createJobs(appUrl: string, log: Logger, opts: { workers: boolean } = { workers: true }): Jobs {
  // Without workers (tests, CLI) nothing runs in the background: no supervisor, no cron.
  const boss = new PgBoss({
    connectionString: appUrl,
    schema: JOB_SCHEMA,
    max: 4,
    application_name: 'kov-jobs',
    // The application role owns nothing: no schema to create or migrate, no index to rebuild.
    migrate: false,
    createSchema: false,
    reindex: false,
    ...(opts.workers ? {} : { supervise: false, schedule: false }),
  });
  boss.on('error', (err: Error) => log.error({ err }, 'job queue error'));
  const defs = new Map<string, Definition>();
  const schedules: { name: string; cron: string; data?: object }[] = [];
  let started = false;

  const sendOptions = (o?: SendOptions) => ({
    ...(o?.singletonKey ? { singletonKey: o.singletonKey } : {}),
    ...(o?.startAfterSeconds ? { startAfter: o.startAfterSeconds } : {}),
  });

  const run = async (name: string, job: { id: string; data: unknown; retryCount?: number }) => {
    const def = defs.get(name);
    if (!def) throw new Error(`no handler for job ${name}`);
    await def.handler(job.data, { id: job.id, retryCount: job.retryCount ?? 0 });
  };

  return {
    define(name, handler, o = {}) {
      if (started) throw new Error(`job ${name} defined after start`);
      defs.set(name, { handler, opts: o });
    },
    schedule(name, cron, data) {
      schedules.push({ name, cron, ...(data ? { data } : {}) });
    },
    async send(name, data, o) {
      return boss.send(name, data, sendOptions(o));
    },
    async sendInTx(trx, name, data, o) {
      return boss.send(name, data, {
        ...sendOptions(o),
        db: {
          executeSql: async (text: string, values: unknown[]) => {
            const res = await trx.executeQuery(CompiledQuery.raw(text, values));
            return { rows: res.rows as any[] };
          },
        },
      });
    },
    async start() {
      await boss.start();
      // pg-boss's pool listens for errors of idle connections only. A connection that breaks
      // while checked out (the primary killed between two statements of a job) emits 'error' on
      // its client, and an 'error' without a listener ends the process: give every connection
      // one as it is handed out (the statement in flight still fails, and the job is retried).
      const bossPool = (boss.getDb() as { pool?: pg.Pool }).pool;
      bossPool?.on('acquire', (client) => {
        if (!(client as { kovErrorListener?: boolean }).kovErrorListener) {
          (client as { kovErrorListener?: boolean }).kovErrorListener = true;
          client.on('error', (err) => log.warn({ err }, 'job queue connection lost'));
        }
      });
      for (const [name, def] of defs) {
        await boss
          .createQueue(name, {
            retryLimit: def.opts.retryLimit ?? 5,
            retryDelay: def.opts.retryDelaySeconds ?? 5,
            retryBackoff: def.opts.retryBackoff ?? true,
            expireInSeconds: def.opts.expireInSeconds ?? 600,
          })
          .catch(() => {});
        if (opts.workers) {
          await boss.work(
            name,
            { batchSize: def.opts.batchSize ?? 1, pollingIntervalSeconds: def.opts.pollingIntervalSeconds ?? 2 },
            async (jobs: any[]) => {
              for (const job of jobs) await run(name, job);
            },
          );
        }
      }
      if (opts.workers)
        for (const s of schedules) await boss.schedule(s.name, s.cron, s.data ?? null, { tz: 'Europe/Tallinn' });
      started = true;
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
    async drain(name) {
      let n = 0;
      for (;;) {
        const jobs = (await boss.fetch(name, { batchSize: 50 })) as any[];
        if (!jobs || jobs.length === 0) return n;
        for (const job of jobs) {
          try {
            await run(name, job);
            await boss.complete(name, job.id);
          } catch (err) {
            await boss.fail(name, job.id, { message: (err as Error).message });
          }
          n += 1;
        }
      }
    },
  };
}
