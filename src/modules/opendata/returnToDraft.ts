import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound } from '../../platform/http/problems';
import { canPublish } from './policy';
import { findDataset } from './store';
import { getDatasetIn } from './getDataset';

/** Review → draft, with the reviewer's note on what to change. */
export async function returnToDraft(ctx: AppContext, actor: Actor, code: string, id: string, note: string | undefined) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : '' }, async (trx) => {
    const reviewer = await canPublish(trx, actor, code);
    const d = await findDataset(trx, code, id);
    if (!d) throw notFound(`Dataset ${id}`);
    if (d.state !== 'review') throw conflict('Only a dataset waiting for review can be sent back.');
    await trx
      .updateTable('opendata_dataset')
      .set({ state: 'draft', submitted_at: null, submitted_by: null, updated_at: new Date() })
      .where('municipality_code', '=', code)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: reviewer.personId,
      action: 'opendata.dataset.returned',
      subject: `dataset:${id}`,
      details: { note: note?.trim() || null },
    });
    return getDatasetIn(trx, code, id);
  });
}
