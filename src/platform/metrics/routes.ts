import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import type { Api } from '../module';
import { JOB_SCHEMA } from '../jobs/jobs';
import { readiness } from '../http/health';
import { businessEvents, httpDuration, httpInFlight, httpRequests, promClient, registry } from './metrics';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Count a 2xx answer of this route as a business event in `kov_business_events_total{event}`. */
    countAs?: string;
  }
  interface FastifyRequest {
    metricsStart?: bigint;
  }
}

function tokenMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * The gauges of this app context (its pools, its database's state, its job queue), read when
 * Prometheus scrapes; kept apart from the process-wide registry so that two contexts in one
 * process (tests) do not overwrite each other's collectors.
 */
function contextRegistry(app: Api, ctx: AppContext): promClient.Registry {
  const r = new promClient.Registry();
  new promClient.Gauge({
    name: 'kov_node_ready',
    help: '1 while this node answers /readyz with 200 (not draining, primary usable, migrations current, WAL archiving working)',
    registers: [r],
    async collect() {
      this.set((await readiness(app, ctx)).status === 'ready' ? 1 : 0);
    },
  });
  new promClient.Gauge({
    name: 'kov_db_pool_connections',
    help: 'Database pool connections by pool (primary, replica) and state (total, idle, waiting requests)',
    labelNames: ['pool', 'state'] as const,
    registers: [r],
    collect() {
      const pools: [string, typeof ctx.database.pool][] = [['primary', ctx.database.pool]];
      if (ctx.readDatabase) pools.push(['replica', ctx.readDatabase.pool]);
      for (const [name, pool] of pools) {
        this.set({ pool: name, state: 'total' }, pool.totalCount);
        this.set({ pool: name, state: 'idle' }, pool.idleCount);
        this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
      }
    },
  });
  const state = () => ctx.monitor.state(1000);
  new promClient.Gauge({
    name: 'kov_db_up',
    help: 'The database answers and is usable (primary: writable with current migrations; replica: answers)',
    labelNames: ['pool'] as const,
    registers: [r],
    async collect() {
      const s = await state();
      this.set({ pool: 'primary' }, s.primary.up && s.primary.pendingMigrations.length === 0 ? 1 : 0);
      if (s.replica) this.set({ pool: 'replica' }, s.replica.up ? 1 : 0);
    },
  });
  new promClient.Gauge({
    name: 'kov_db_wal_archive_failing',
    help: '1 while PostgreSQL fails to archive WAL (pg_stat_archiver: the last failure is newer than the last success)',
    registers: [r],
    async collect() {
      this.set((await state()).primary.archiveFailing ? 1 : 0);
    },
  });
  if (ctx.readDatabase) {
    new promClient.Gauge({
      name: 'kov_db_replica_lag_seconds',
      help: 'How far the read replica is behind the primary, as this node sees it',
      registers: [r],
      async collect() {
        const s = await state();
        if (s.replica?.lagSeconds !== undefined) this.set(s.replica.lagSeconds);
      },
    });
    new promClient.Gauge({
      name: 'kov_db_replica_reads',
      help: '1 while read-heavy endpoints read from the replica, 0 while they fall back to the primary',
      registers: [r],
      collect() {
        this.set(ctx.monitor.replicaUsable() ? 1 : 0);
      },
    });
  }
  const queue = async () => {
    try {
      const { rows } = await sql<{ name: string; queued: number; age: number | null }>`
        SELECT name, count(*)::int AS queued,
               extract(epoch FROM now() - min(created_on) FILTER (WHERE start_after <= now()))::float8 AS age
          FROM ${sql.table(`${JOB_SCHEMA}.job`)}
         WHERE state IN ('created', 'retry')
         GROUP BY name`.execute(ctx.db);
      return rows;
    } catch {
      return undefined;
    }
  };
  let queueRead: Promise<Awaited<ReturnType<typeof queue>>> | undefined;
  const queueOnce = () => (queueRead ??= queue().finally(() => setTimeout(() => (queueRead = undefined), 500)));
  new promClient.Gauge({
    name: 'kov_jobs_queued',
    help: 'Background jobs waiting to run, by queue',
    labelNames: ['queue'] as const,
    registers: [r],
    async collect() {
      this.reset();
      for (const row of (await queueOnce()) ?? []) this.set({ queue: row.name }, row.queued);
    },
  });
  new promClient.Gauge({
    name: 'kov_jobs_oldest_age_seconds',
    help: 'Age of the oldest job due to run and not yet taken, by queue',
    labelNames: ['queue'] as const,
    registers: [r],
    async collect() {
      this.reset();
      for (const row of (await queueOnce()) ?? []) this.set({ queue: row.name }, row.age ?? 0);
    },
  });
  return r;
}

/**
 * `/metrics` in the Prometheus text format, behind a bearer token (`KOV_METRICS_TOKEN`; without
 * one the endpoint is off), and the hooks that measure every request.
 */
export function registerMetrics(app: Api, ctx: AppContext) {
  app.addHook('onRequest', async (request, reply) => {
    request.metricsStart = process.hrtime.bigint();
    httpInFlight.inc();
    // 'close' comes once whatever happens (answered, hijacked for a stream, cut by the client).
    reply.raw.once('close', () => httpInFlight.dec());
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.metricsStart === undefined) return;
    // The route pattern, never the raw URL: label values must stay few.
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = Number(process.hrtime.bigint() - request.metricsStart) / 1e9;
    httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: request.method, route }, seconds);
    const event = request.routeOptions.config?.countAs;
    // A replayed answer (Idempotency-Key retry) is the same event again, not a new one.
    if (event && reply.statusCode >= 200 && reply.statusCode < 300 && !reply.hasHeader('idempotent-replayed'))
      businessEvents.inc({ event });
  });

  const local = contextRegistry(app, ctx);
  const merged = promClient.Registry.merge([registry, local]);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const token = ctx.config.cluster.metricsToken;
    if (!token || !tokenMatches(request, token)) {
      // Off without a token, and indistinguishable from a missing route to those without it.
      return reply.callNotFound();
    }
    reply.header('cache-control', 'no-store');
    return reply.type(merged.contentType).send(await merged.metrics());
  });
}
