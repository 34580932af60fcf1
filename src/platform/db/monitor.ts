import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from './database';
import { pendingMigrations } from './migrate';
import { describeDatabaseError } from './errors';

/**
 * What this node knows about its databases, for `/readyz`, `/metrics` and the choice of where
 * read-heavy endpoints read. One check asks the primary (through the pool every request uses):
 * does it answer, is it really a primary (not a standby that a proxy sent us to), are migrations
 * current, is WAL archiving failing; and the read replica, if one is configured: does it answer and
 * how far behind is it. A change of state is logged once, in words an operator can act on.
 */
export interface DatabaseState {
  checkedAt: number;
  primary: {
    up: boolean;
    /** Why it is not usable (unreachable, wrong password, a standby, …). */
    error?: string;
    inRecovery?: boolean;
    pendingMigrations: string[];
    /** WAL archiving has failed since it last succeeded (pg_stat_archiver). */
    archiveFailing: boolean;
    archiveError?: string;
  };
  replica?: {
    up: boolean;
    error?: string;
    /** Seconds behind the primary's last transaction (0 when it has replayed all it received). */
    lagSeconds?: number;
    /** Reads go there: up and within the staleness bound. */
    usable: boolean;
  };
}

export interface DatabaseMonitor {
  /** The latest state, checking again if it is older than `maxAgeMs`. */
  state(maxAgeMs?: number): Promise<DatabaseState>;
  /** The latest state without waiting (undefined before the first check). */
  last(): DatabaseState | undefined;
  /** Are reads allowed to go to the replica now? */
  replicaUsable(): boolean;
  /** Check every `intervalMs` until stopped (app nodes; tests check on demand). */
  start(intervalMs?: number): void;
  stop(): void;
}

const TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]);
}

export function createDatabaseMonitor(opts: {
  db: Db;
  replicaDb?: Db;
  /** Reads may go to the replica while it is at most this many seconds behind. */
  maxReplicaLagSeconds: number;
  log: Logger;
}): DatabaseMonitor {
  let current: DatabaseState | undefined;
  let running: Promise<DatabaseState> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const said = new Map<string, string>();

  // Logs when a condition starts, changes its wording, and ends: not on every check.
  const report = (key: string, problem: string | undefined, okLine: string) => {
    const before = said.get(key);
    if (problem && problem !== before) {
      opts.log.error({ check: key }, problem);
      said.set(key, problem);
    } else if (!problem && before) {
      opts.log.warn({ check: key }, okLine);
      said.delete(key);
    }
  };

  const checkPrimary = async (): Promise<DatabaseState['primary']> => {
    try {
      const row = await withTimeout(
        sql<{
          in_recovery: boolean;
          archive_failing: boolean;
          last_failed_wal: string | null;
        }>`SELECT pg_is_in_recovery() AS in_recovery,
                  coalesce(a.last_failed_time > coalesce(a.last_archived_time, '-infinity'), false) AS archive_failing,
                  a.last_failed_wal
             FROM pg_stat_archiver a`.execute(opts.db),
        TIMEOUT_MS,
        'the primary database',
      );
      const r = row.rows[0]!;
      const pending = r.in_recovery
        ? []
        : await withTimeout(
            pendingMigrations(async (text) => sql.raw<{ version: string }>(text).execute(opts.db)),
            TIMEOUT_MS,
            'the primary database',
          );
      return {
        up: !r.in_recovery,
        ...(r.in_recovery
          ? { error: 'the database connection leads to a standby (read-only), not to the primary' }
          : {}),
        inRecovery: r.in_recovery,
        pendingMigrations: pending,
        archiveFailing: r.archive_failing,
        ...(r.archive_failing
          ? {
              archiveError: `WAL archiving is failing (last failed segment ${r.last_failed_wal ?? '?'}): point-in-time recovery is not possible past this point; check the archive's disk and the PostgreSQL log`,
            }
          : {}),
      };
    } catch (err) {
      return { up: false, error: describeDatabaseError(err), pendingMigrations: [], archiveFailing: false };
    }
  };

  const checkReplica = async (): Promise<DatabaseState['replica']> => {
    if (!opts.replicaDb) return undefined;
    try {
      const row = await withTimeout(
        sql<{ in_recovery: boolean; lag: number | null }>`
          SELECT pg_is_in_recovery() AS in_recovery,
                 CASE WHEN NOT pg_is_in_recovery() THEN 0
                      WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                      ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS lag`.execute(
          opts.replicaDb,
        ),
        TIMEOUT_MS,
        'the read replica',
      );
      const lag = row.rows[0]!.lag ?? 0;
      const usable = lag <= opts.maxReplicaLagSeconds;
      return {
        up: true,
        lagSeconds: Math.round(lag * 10) / 10,
        usable,
        ...(usable
          ? {}
          : {
              error: `the read replica is ${Math.round(lag)} s behind the primary (bound ${opts.maxReplicaLagSeconds} s): reading from the primary until it catches up`,
            }),
      };
    } catch (err) {
      return {
        up: false,
        usable: false,
        error: `the read replica does not answer (${describeDatabaseError(err)}): reading from the primary`,
      };
    }
  };

  const check = async (): Promise<DatabaseState> => {
    const [primary, replica] = await Promise.all([checkPrimary(), checkReplica()]);
    const state: DatabaseState = { checkedAt: Date.now(), primary, ...(replica ? { replica } : {}) };
    report(
      'database',
      primary.error ? `database not usable: ${primary.error}` : undefined,
      'database usable again (primary answers)',
    );
    report('wal-archive', primary.archiveError, 'WAL archiving works again');
    if (replica) report('read-replica', replica.error, 'read replica within its staleness bound again: reading there');
    current = state;
    return state;
  };

  return {
    async state(maxAgeMs = 1000) {
      if (current && Date.now() - current.checkedAt <= maxAgeMs) return current;
      running ??= check().finally(() => (running = undefined));
      return running;
    },
    last: () => current,
    replicaUsable: () => !!opts.replicaDb && !!current?.replica?.usable,
    start(intervalMs = 2000) {
      if (timer) return;
      const tick = () => {
        void this.state(0).finally(() => {
          if (timer) timer = setTimeout(tick, intervalMs).unref();
        });
      };
      timer = setTimeout(tick, 0).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
