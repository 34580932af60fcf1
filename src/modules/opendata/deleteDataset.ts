import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound } from '../../platform/http/problems';
import { canEdit } from './policy';
import { findDataset } from './store';

/** Deletes a draft that was never published (a published one is withdrawn instead, and kept). */
export async function deleteDataset(ctx: AppContext, actor: Actor, code: string, id: string) {
  const editor = canEdit(actor, code);
  await inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const d = await findDataset(trx, code, id);
    if (!d) throw notFound(`Dataset ${id}`);
    if (d.current_version !== null)
      throw conflict('This dataset has been published; withdraw it instead (its versions are kept).');
    if (d.origin === 'auto') throw conflict('The platform manages this dataset.');
    await trx.deleteFrom('opendata_dataset').where('municipality_code', '=', code).where('id', '=', id).execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.dataset.deleted',
      subject: `dataset:${id}`,
      details: { name: d.name },
    });
  });
}
