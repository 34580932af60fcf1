import type { Insertable } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { containsPoint, locatePoint } from '../../platform/places/geo';
import { P, fieldError, invalid, notFound, refusal } from '../../platform/http/problems';
import { R_NOTIFICATIONS } from './reasons';
import type { Follow, FollowInput } from './contract';
import { requireSelf } from './policy';
import { followCandidates, followsOf, placesByCode, type FollowRow, type GeoPolygon } from './store';

/**
 * Areas a person follows for new problem reports ("alerts for an area I follow"): a settlement
 * unit or a whole municipality (EHAK code), or an area drawn on the map (a GeoJSON polygon), each
 * at once or in the daily digest. Only the person sees their follows.
 */
export const MAX_FOLLOWS = 50;
const MAX_VERTICES = 500;

type Selected = Omit<FollowRow, 'id' | 'area'> & { id: string; area: GeoPolygon | null };

async function view(trx: Trx, rows: Selected[]): Promise<Follow[]> {
  const places = await placesByCode(
    trx,
    rows.map((r) => r.place_code).filter((c): c is string => Boolean(c)),
  );
  return rows.map((r) => ({
    id: r.id,
    municipalityCode: r.municipality_code,
    placeCode: r.place_code,
    placeName: r.place_code ? (places.get(r.place_code)?.name ?? null) : null,
    name: r.name,
    area: r.area,
    frequency: r.frequency,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function listFollows(ctx: AppContext, actor: Actor): Promise<Follow[]> {
  const me = requireSelf(actor);
  return inScope(ctx.db, { actor: me.personId }, async (trx) =>
    view(trx, (await followsOf(trx, me.personId)) as Selected[]),
  );
}

/** Checks a drawn area: one polygon, closed rings of 4–500 positions, inside Estonia's bounds. */
export function checkPolygon(area: unknown, pointer = '/body/area'): GeoPolygon {
  const bad = (problem: string) => invalid([fieldError(pointer, R_NOTIFICATIONS.areaShape, { problem })]);
  const a = area as GeoPolygon;
  if (!a || a.type !== 'Polygon' || !Array.isArray(a.coordinates) || a.coordinates.length === 0)
    throw bad('a GeoJSON Polygon: { "type": "Polygon", "coordinates": [[[lon, lat], …]] }');
  let vertices = 0;
  for (const ring of a.coordinates) {
    if (!Array.isArray(ring) || ring.length < 4) throw bad('every ring needs at least 4 positions (closed)');
    vertices += ring.length;
    for (const p of ring)
      if (
        !Array.isArray(p) ||
        p.length < 2 ||
        !Number.isFinite(p[0]) ||
        !Number.isFinite(p[1]) ||
        p[0] < 21 ||
        p[0] > 29 ||
        p[1] < 57 ||
        p[1] > 60.5
      )
        throw bad('positions are [longitude, latitude] in Estonia (WGS84)');
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) throw bad('a ring must end where it starts');
  }
  if (vertices > MAX_VERTICES) throw bad(`at most ${MAX_VERTICES} positions`);
  return { type: 'Polygon', coordinates: a.coordinates.map((r) => r.map((p) => [p[0], p[1]] as [number, number])) };
}

const packed = (poly: GeoPolygon) => ({ rings: poly.coordinates.map((r) => Float64Array.from(r.flat())) });

export async function addFollow(ctx: AppContext, actor: Actor, input: FollowInput): Promise<Follow> {
  const me = requireSelf(actor);
  if (input.frequency !== 'instant' && input.frequency !== 'daily')
    throw invalid([
      { pointer: '/body/frequency', code: 'enum', allowed: ['instant', 'daily'], detail: 'instant or daily' },
    ]);
  return inScope(ctx.db, { actor: me.personId }, async (trx) => {
    const existing = await followsOf(trx, me.personId);
    if (existing.length >= MAX_FOLLOWS) throw refusal(P.conflict, R_NOTIFICATIONS.followLimit, { max: MAX_FOLLOWS });
    const now = ctx.now();
    let values: Insertable<FollowRow>;
    if ('placeCode' in input) {
      const place = (await placesByCode(trx, [input.placeCode])).get(input.placeCode);
      if (!place || (place.level !== 'settlement' && place.level !== 'municipality') || !place.municipality)
        throw invalid([fieldError('/body/placeCode', R_NOTIFICATIONS.notPlace)]);
      if (existing.some((f) => f.place_code === input.placeCode))
        throw refusal(P.conflict, R_NOTIFICATIONS.alreadyFollowed, { place: place.name });
      values = {
        person_id: me.personId,
        municipality_code: place.municipality,
        place_code: place.code,
        name: null,
        area: null,
        min_lat: null,
        max_lat: null,
        min_lon: null,
        max_lon: null,
        frequency: input.frequency,
        created_at: now,
      };
    } else {
      const poly = checkPolygon(input.area);
      const name = input.name?.trim();
      if (!name || name.length > 100) throw invalid([fieldError('/body/name', R_NOTIFICATIONS.nameArea)]);
      const all = poly.coordinates[0]!;
      const lats = all.map((p) => p[1]);
      const lons = all.map((p) => p[0]);
      const centre = {
        lat: (Math.min(...lats) + Math.max(...lats)) / 2,
        lon: (Math.min(...lons) + Math.max(...lons)) / 2,
      };
      const where = locatePoint(centre.lat, centre.lon) ?? locatePoint(all[0]![1], all[0]![0]);
      if (!where) throw invalid([fieldError('/body/area', R_NOTIFICATIONS.areaOutside)]);
      values = {
        person_id: me.personId,
        municipality_code: where.municipality.code,
        place_code: null,
        name,
        area: JSON.stringify(poly),
        min_lat: Math.min(...lats),
        max_lat: Math.max(...lats),
        min_lon: Math.min(...lons),
        max_lon: Math.max(...lons),
        frequency: input.frequency,
        created_at: now,
      };
    }
    const row = await trx.insertInto('notification_follow').values(values).returningAll().executeTakeFirstOrThrow();
    return (await view(trx, [row as Selected]))[0]!;
  });
}

export async function changeFollow(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { frequency: 'instant' | 'daily' },
): Promise<Follow> {
  const me = requireSelf(actor);
  return inScope(ctx.db, { actor: me.personId }, async (trx) => {
    const row = await trx
      .updateTable('notification_follow')
      .set({ frequency: input.frequency })
      .where('person_id', '=', me.personId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Followed area');
    return (await view(trx, [row as Selected]))[0]!;
  });
}

export async function removeFollow(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const me = requireSelf(actor);
  await inScope(ctx.db, { actor: me.personId }, async (trx) => {
    const r = await trx
      .deleteFrom('notification_follow')
      .where('person_id', '=', me.personId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Followed area');
  });
}

/** Followers of the places, and of drawn areas that contain the point (platform-wide scope). */
export async function matchingAreaFollowers(trx: Trx, placeCodes: string[], point: { lat: number; lon: number }) {
  const rows = await followCandidates(trx, placeCodes, point);
  return rows.filter(
    (r) =>
      r.place_code !== null || (r.area !== null && containsPoint(packed(r.area as GeoPolygon), point.lon, point.lat)),
  );
}
