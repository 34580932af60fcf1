import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { canRead } from './policy';
import type { DatasetOrigin, DatasetState } from './store';

/** Every dataset of the municipality in any state, newest change first (officials' list). */
export async function listDatasets(
  ctx: AppContext,
  actor: Actor,
  code: string,
  filter: { state?: DatasetState; origin?: DatasetOrigin } = {},
) {
  const reader = canRead(actor, code);
  return inScope(ctx.db, { tenant: code, actor: reader.personId }, async (trx) => {
    let q = trx
      .selectFrom('opendata_dataset as d')
      .select((eb) => [
        'd.id',
        'd.name',
        'd.origin',
        'd.state',
        'd.title_et',
        'd.title_en',
        'd.current_version',
        'd.agreed_on',
        'd.updated_at',
        eb
          .selectFrom('opendata_distribution as x')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('x.municipality_code', '=', 'd.municipality_code')
          .whereRef('x.dataset_id', '=', 'd.id')
          .as('distributions'),
      ])
      .where('d.municipality_code', '=', code)
      .orderBy('d.updated_at', 'desc')
      .limit(1000);
    if (filter.state) q = q.where('d.state', '=', filter.state);
    if (filter.origin) q = q.where('d.origin', '=', filter.origin);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      origin: r.origin,
      state: r.state,
      titleEt: r.title_et,
      titleEn: r.title_en,
      currentVersion: r.current_version,
      agreedOn: r.agreed_on,
      updatedAt: new Date(r.updated_at).toISOString(),
      distributions: Number(r.distributions ?? 0),
    }));
  });
}
