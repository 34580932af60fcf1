import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';

export interface DuplicateCandidate {
  id: number;
  categoryCode: string;
  status: string;
  description: string;
  distanceM: number;
  createdAt: string;
  meTooCount: number;
}

export const DUPLICATE_RADIUS_M = 100;
export const DUPLICATE_DAYS = 30;

/**
 * Reports that may be the same problem: same category, still open, not hidden, created within
 * `days` and within `radiusM` metres of the point; nearest first. Shown to a resident before they
 * report (so they can say "me too" instead) and to officials merging duplicates.
 */
export async function findDuplicates(
  ctx: AppContext,
  municipalityCode: string,
  q: { categoryCode: string; lat: number; lon: number; radiusM?: number; days?: number; excludeId?: number },
): Promise<DuplicateCandidate[]> {
  const radius = Math.min(q.radiusM ?? DUPLICATE_RADIUS_M, 2000);
  const dLat = radius / 111_320;
  const dLon = radius / (111_320 * Math.cos((q.lat * Math.PI) / 180));
  const since = new Date(ctx.now().getTime() - (q.days ?? DUPLICATE_DAYS) * 86_400_000);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const distance = sql<number>`sqrt(power((lat - ${q.lat}) * 111320, 2) + power((lon - ${q.lon}) * 111320 * cos(radians(${q.lat})), 2))`;
    let query = trx
      .selectFrom('report')
      .select(['id', 'category_code', 'status', 'description', 'created_at', 'me_too_count'])
      .select(distance.as('distance'))
      .where('municipality_code', '=', municipalityCode)
      .where('closed_at', 'is', null)
      .where('hidden', '=', false)
      .where('category_code', '=', q.categoryCode)
      .where('created_at', '>=', since)
      .where('lat', '>=', q.lat - dLat)
      .where('lat', '<=', q.lat + dLat)
      .where('lon', '>=', q.lon - dLon)
      .where('lon', '<=', q.lon + dLon);
    if (q.excludeId) query = query.where('id', '<>', q.excludeId);
    const rows = await query.orderBy(distance).limit(5).execute();
    return rows
      .filter((r) => r.distance <= radius)
      .map((r) => ({
        id: r.id,
        categoryCode: r.category_code,
        status: r.status,
        description: r.description.slice(0, 300),
        distanceM: Math.round(r.distance),
        createdAt: r.created_at.toISOString(),
        meTooCount: r.me_too_count,
      }));
  });
}
