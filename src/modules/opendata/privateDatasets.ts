import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { catalogueOf, type Catalogue } from './catalogue';
import { buildSnapshot } from './publishing';
import { unpublishedDatasets, listDistributions } from './store';
import type { DatasetSnapshot } from './snapshot';

/**
 * CKAN's private datasets, here: datasets a municipality is preparing and has never published
 * (draft or in review), as snapshots of their working copy, for a caller `privateReadable` allows
 * (`policy.ts`). Read inside each municipality's scope, so row-level security holds the same line.
 * `issued` is when the draft was created, `modified` its last change; the version is the one it
 * would get when published.
 */
export async function privateDatasets(
  ctx: AppContext,
  readable: string[] | '*',
  filter: { idOrName?: string } = {},
): Promise<DatasetSnapshot[]> {
  const scopes = readable === '*' ? ['*'] : readable;
  const out: DatasetSnapshot[] = [];
  for (const tenant of scopes) {
    out.push(
      ...(await inScope(ctx.db, { tenant }, async (trx) => {
        const rows = await unpublishedDatasets(trx, tenant === '*' ? null : tenant, filter.idOrName);
        const catalogues = new Map<string, Catalogue>();
        const snaps: DatasetSnapshot[] = [];
        for (const d of rows) {
          let cat = catalogues.get(d.municipality_code);
          if (!cat) catalogues.set(d.municipality_code, (cat = await catalogueOf(trx, d.municipality_code)));
          const dists = await listDistributions(trx, d.municipality_code, d.id);
          const version = (d.current_version ?? 0) + 1;
          snaps.push(await buildSnapshot(trx, d, dists, cat, version, d.updated_at, d.created_at.toISOString()));
        }
        return snaps;
      })),
    );
  }
  return out;
}
