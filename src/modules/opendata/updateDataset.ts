import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound } from '../../platform/http/problems';
import { canEdit } from './policy';
import { AUTO_EDITABLE, checkDatasetInput, datasetValues } from './datasetRules';
import { findDataset } from './store';
import type { DatasetUpdate } from './schemas';
import { getDatasetIn } from './getDataset';

/**
 * Changes the working copy. A published dataset goes back to draft (its published version stays
 * public until the next one is published); one in review goes back to draft too. Datasets the
 * platform publishes automatically take only governance fields (contact, quality note, system,
 * agreement) from officials.
 */
export async function updateDataset(ctx: AppContext, actor: Actor, code: string, id: string, input: DatasetUpdate) {
  const editor = canEdit(actor, code);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const d = await findDataset(trx, code, id);
    if (!d) throw notFound(`Dataset ${id}`);
    if (d.origin === 'auto') {
      const other = Object.keys(input).filter((k) => !AUTO_EDITABLE.has(k));
      if (other.length)
        throw conflict(
          `This dataset is published automatically by the platform; only ${[...AUTO_EDITABLE].join(', ')} can be changed here (not ${other.join(', ')}).`,
        );
    }
    await checkDatasetInput(trx, code, input);
    const values = datasetValues(input);
    const state = d.origin === 'auto' ? d.state : 'draft';
    await trx
      .updateTable('opendata_dataset')
      .set({ ...values, state, updated_at: new Date() })
      .where('municipality_code', '=', code)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.dataset.updated',
      subject: `dataset:${id}`,
      details: { fields: Object.keys(input) },
    });
    return getDatasetIn(trx, code, id);
  });
}
