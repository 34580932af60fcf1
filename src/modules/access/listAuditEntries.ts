import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { canReadAudit } from './policy';

/** Newest first, paged by sequence number. */
export async function listAuditEntries(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  page: { limit: number; beforeSeq?: number },
) {
  const admin = canReadAudit(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    let q = trx
      .selectFrom('audit_log as a')
      .leftJoin('person as p', 'p.id', 'a.actor_id')
      .select([
        'a.seq',
        'a.at',
        'a.actor_id',
        'a.action',
        'a.subject',
        'a.details',
        'a.hash',
        'p.given_name',
        'p.family_name',
      ])
      .where('a.municipality_code', '=', municipalityCode)
      .orderBy('a.seq', 'desc')
      .limit(page.limit);
    if (page.beforeSeq !== undefined) q = q.where('a.seq', '<', page.beforeSeq);
    const rows = await q.execute();
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorName: r.given_name || r.family_name ? `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim() : null,
      action: r.action,
      subject: r.subject,
      details: r.details,
      hash: r.hash.toString('hex'),
    }));
  });
}
