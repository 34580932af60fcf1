import { Type } from 'typebox';
import { sql } from 'kysely';
import type { AppContext } from '../context';
import type { Api } from '../module';
import { pendingMigrations } from '../db/migrate';

/** Liveness (the process answers) and readiness (database reachable, schema current). */
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
        summary: 'Readiness: database reachable and migrations current',
        response: {
          200: Type.Object({ status: Type.String(), pendingMigrations: Type.Array(Type.String()) }),
          503: Type.Object({
            status: Type.String(),
            reason: Type.String(),
            pendingMigrations: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (_request, reply) => {
      try {
        const pending = await pendingMigrations(async (text) => sql.raw<{ version: string }>(text).execute(ctx.db));
        if (pending.length)
          return reply
            .code(503)
            .send({ status: 'not-ready', reason: 'migrations pending', pendingMigrations: pending });
        return { status: 'ready', pendingMigrations: [] };
      } catch (err) {
        ctx.log.warn({ err }, 'readiness check failed');
        return reply.code(503).send({ status: 'not-ready', reason: 'database unreachable', pendingMigrations: [] });
      }
    },
  );
}
