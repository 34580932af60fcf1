import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { canRead } from './policy';

/** The automatic publication runs of a municipality, newest first: what changed and what failed. */
export async function publicationLog(ctx: AppContext, actor: Actor, code: string, limit = 100) {
  const reader = canRead(actor, code);
  return inScope(ctx.db, { tenant: code, actor: reader.personId }, async (trx) => {
    const rows = await trx
      .selectFrom('opendata_publication_run')
      .selectAll()
      .where('municipality_code', '=', code)
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      providerKey: r.provider_key,
      trigger: r.trigger,
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: new Date(r.finished_at).toISOString(),
      status: r.status,
      published: r.published,
      unchanged: r.unchanged,
      failed: r.failed,
      changes: r.changes as unknown as Record<string, unknown>[],
      error: r.error,
    }));
  });
}
