import { Type, type Static } from 'typebox';
import type { AppContext } from '../context';
import type { Api } from '../module';

const Check = Type.Object({
  name: Type.String(),
  ok: Type.Boolean(),
  detail: Type.Optional(Type.String()),
});
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  /** The first failing check's words (absent when ready). */
  reason: Type.Optional(Type.String()),
  pendingMigrations: Type.Array(Type.String()),
  checks: Type.Array(Check),
});
type Readiness = Static<typeof Readiness>;

/**
 * The node's readiness: not draining, its database connection leads to a writable primary that
 * answers, migrations are current and WAL archiving works. The read replica is reported but does
 * not make a node unready: while it is behind or away, reads fall back to the primary (and the
 * replica's own health check, which HAProxy asks, is red).
 */
export async function readiness(app: Api, ctx: AppContext): Promise<Readiness> {
  const checks: Readiness['checks'] = [];
  const draining = app.lifecycle.draining;
  checks.push({ name: 'node', ok: !draining, ...(draining ? { detail: 'draining: shutting down' } : {}) });
  const s = await ctx.monitor.state(500);
  checks.push({ name: 'database', ok: s.primary.up, ...(s.primary.error ? { detail: s.primary.error } : {}) });
  if (s.primary.up) {
    const pending = s.primary.pendingMigrations;
    checks.push({
      name: 'migrations',
      ok: pending.length === 0,
      ...(pending.length ? { detail: `migrations pending: ${pending.join(', ')}` } : {}),
    });
    checks.push({
      name: 'wal-archive',
      ok: !s.primary.archiveFailing,
      ...(s.primary.archiveError ? { detail: s.primary.archiveError } : {}),
    });
  }
  if (s.replica) {
    checks.push({
      name: 'read-replica',
      ok: true,
      detail: s.replica.usable
        ? `reading from the replica (${s.replica.lagSeconds ?? 0} s behind)`
        : (s.replica.error ?? 'reading from the primary'),
    });
  }
  const failed = checks.find((c) => !c.ok);
  return {
    status: failed ? 'not-ready' : 'ready',
    ...(failed ? { reason: failed.detail ?? failed.name } : {}),
    pendingMigrations: s.primary.pendingMigrations,
    checks,
  };
}

/** Liveness (the process answers) and readiness (above). A load balancer sends traffic only to ready nodes. */
export function registerHealth(app: Api, ctx: AppContext) {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['platform'],
        summary: 'Readiness: not draining, primary reachable and writable, migrations current, WAL archiving working',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const body = await readiness(app, ctx);
      return body.status === 'ready' ? body : reply.code(503).send(body);
    },
  );
}
