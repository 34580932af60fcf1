import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound } from '../../platform/http/problems';
import { canEdit } from './policy';
import { catalogueOf } from './catalogue';
import { requireComplete } from './datasetRules';
import { findDataset, listDistributions } from './store';
import { getDatasetIn } from './getDataset';

/** Draft → review, once everything required is filled in (otherwise the list of what is missing). */
export async function submitForReview(ctx: AppContext, actor: Actor, code: string, id: string) {
  const editor = canEdit(actor, code);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const d = await findDataset(trx, code, id);
    if (!d) throw notFound(`Dataset ${id}`);
    if (d.origin === 'auto') throw conflict('The platform publishes this dataset automatically; it needs no review.');
    if (d.state !== 'draft')
      throw conflict(
        d.state === 'review'
          ? 'The dataset is already waiting for review.'
          : 'Only a draft can be sent for review; change something first.',
      );
    requireComplete(d, await listDistributions(trx, code, id), (await catalogueOf(trx, code)).contactEmail);
    const now = new Date();
    await trx
      .updateTable('opendata_dataset')
      .set({ state: 'review', submitted_at: now, submitted_by: editor.personId, updated_at: now })
      .where('municipality_code', '=', code)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.dataset.submitted',
      subject: `dataset:${id}`,
      details: {},
    });
    return getDatasetIn(trx, code, id);
  });
}
