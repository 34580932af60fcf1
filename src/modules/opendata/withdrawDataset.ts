import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound } from '../../platform/http/problems';
import { canPublish } from './policy';
import { findDataset } from './store';
import { getDatasetIn } from './getDataset';

/** Takes a dataset out of the public catalogue. Its published versions stay on record. */
export async function withdrawDataset(ctx: AppContext, actor: Actor, code: string, id: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : '' }, async (trx) => {
    const publisher = await canPublish(trx, actor, code);
    const d = await findDataset(trx, code, id);
    if (!d) throw notFound(`Dataset ${id}`);
    if (d.current_version === null || d.state === 'withdrawn')
      throw conflict('The dataset is not in the public catalogue.');
    await trx
      .deleteFrom('opendata_published')
      .where('municipality_code', '=', code)
      .where('dataset_id', '=', id)
      .execute();
    await trx
      .updateTable('opendata_dataset')
      .set({ state: 'withdrawn', updated_at: new Date() })
      .where('municipality_code', '=', code)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: publisher.personId,
      action: 'opendata.dataset.withdrawn',
      subject: `dataset:${id}`,
      details: { name: d.name },
    });
    return getDatasetIn(trx, code, id);
  });
}
