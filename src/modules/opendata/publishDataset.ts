import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound } from '../../platform/http/problems';
import { canPublish } from './policy';
import { catalogueOf } from './catalogue';
import { requireComplete } from './datasetRules';
import { findDataset, listDistributions } from './store';
import { publishVersion } from './publishing';
import { getDatasetIn } from './getDataset';

/**
 * Review → published: a new version (1, 2, …) is kept for ever and becomes what the catalogue,
 * the CKAN API and the DCAT-AP export show.
 */
export async function publishDataset(ctx: AppContext, actor: Actor, code: string, id: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : '' }, async (trx) => {
    const publisher = await canPublish(trx, actor, code);
    const d = await findDataset(trx, code, id);
    if (!d) throw notFound(`Dataset ${id}`);
    if (d.origin === 'auto') throw conflict('The platform publishes this dataset automatically.');
    if (d.state !== 'review')
      throw conflict(
        d.state === 'published'
          ? 'This version is already published.'
          : 'Send the dataset for review first; it is published from review.',
      );
    requireComplete(d, await listDistributions(trx, code, id), (await catalogueOf(trx, code)).contactEmail);
    const snapshot = await publishVersion(trx, d, { publishedBy: publisher.personId, at: ctx.now() });
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: publisher.personId,
      action: 'opendata.dataset.published',
      subject: `dataset:${id}`,
      details: { name: d.name, version: snapshot.version },
    });
    return getDatasetIn(trx, code, id);
  });
}
