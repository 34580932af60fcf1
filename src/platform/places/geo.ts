import { readFileSync } from 'node:fs';
import path from 'node:path';
import Flatbush from 'flatbush';
import { RESOURCES_DIR, readEhak, type EhakUnit } from './ehak';

/**
 * Point → municipality and settlement unit, from the Land Board's boundary files shipped in
 * resources/ehak (2018-09-01) mapped onto today's EHAK (2025v5). Loaded once per process and
 * answered from memory: a Flatbush index over the bounding box of every polygon, then an
 * even-odd point-in-polygon test on the few candidates (about 10 µs a point).
 *
 * Mapping the 2018 boundaries onto EHAK 2025v5:
 * - municipalities keep their name; where the code changed since 2018 (e.g. Jõhvi 0251 → 0250,
 *   Saue 0726 → 0725) the name finds today's code;
 * - Toila vald (2018 code 0803) merged into Jõhvi vald (0250) in 2024: its area answers Jõhvi;
 * - a settlement unit whose code is not in EHAK 2025v5, or now belongs to another municipality,
 *   answers the municipality alone (`settlement: null`).
 * Points in no polygon are refused (at sea or outside Estonia), except within
 * `COAST_TOLERANCE_M` of a municipality's boundary: the files are simplified, and a report from
 * a pier or a beach must not be refused for a few metres of generalisation.
 */
export interface GeoPlace {
  code: string;
  name: string;
}

export interface GeoMatch {
  municipality: GeoPlace;
  /** The settlement unit (küla, alevik, linnaosa …), or null where the 2018 unit has no 2025 code. */
  settlement: GeoPlace | null;
  /** True when the point lies just outside every polygon but within the coast tolerance. */
  snapped: boolean;
}

/** Bounding box of Estonia with its islands (WGS84), a quick first refusal. */
export const ESTONIA_BBOX = { minLon: 21.5, minLat: 57.45, maxLon: 28.3, maxLat: 59.75 } as const;
export const COAST_TOLERANCE_M = 150;

/** Municipalities merged since the 2018 boundaries: 2018 name → EHAK 2025v5 name. */
export const MERGED_MUNICIPALITIES: Record<string, string> = { 'Toila vald': 'Jõhvi vald' };

type Ring = Float64Array; // x0,y0,x1,y1,… (lon, lat), closed
interface Polygon {
  rings: Ring[];
  bbox: [number, number, number, number];
  code: string;
}

export interface GeoIndex {
  locate(lat: number, lon: number): GeoMatch | null;
  /** The municipality's boundary as GeoJSON MultiPolygon coordinates ([lon, lat]). */
  municipalityGeometry(code: string): { type: 'MultiPolygon'; coordinates: number[][][][] } | undefined;
  /** [south, west, north, east] of a municipality. */
  municipalityBounds(code: string): [number, number, number, number] | undefined;
  /** A point inside the settlement unit (or municipality): for picking a place without a map. */
  pointInside(code: string): { lat: number; lon: number } | undefined;
  /** Settlement units of a municipality that have a boundary (for address pickers). */
  settlementsWithBoundary(municipalityCode: string): GeoPlace[];
  /** [south, west, north, east] of a municipality or settlement unit. */
  placeBounds(code: string): [number, number, number, number] | undefined;
  /** The polygons of a municipality or settlement unit: each a list of rings of [lon, lat] pairs. */
  polygonsOf(code: string): Float64Array[][];
  /** Whether the point lies in that municipality's or settlement unit's own polygons. */
  contains(code: string, lat: number, lon: number): boolean;
  /**
   * Boundary rings ([lon, lat] pairs) of the municipalities and settlement units whose box meets
   * the given one (for drawing map tiles).
   */
  ringsIn(
    south: number,
    west: number,
    north: number,
    east: number,
  ): { level: 'municipality' | 'settlement'; code: string; rings: Float64Array[] }[];
}

let cached: GeoIndex | undefined;

/** The process-wide index (built on first use from resources/ehak). */
export function geoIndex(): GeoIndex {
  cached ??= buildGeoIndex();
  return cached;
}

/** Shorthand for `geoIndex().locate(lat, lon)`. */
export function locatePoint(lat: number, lon: number): GeoMatch | null {
  return geoIndex().locate(lat, lon);
}

export function insideEstoniaBbox(lat: number, lon: number): boolean {
  return (
    lat >= ESTONIA_BBOX.minLat && lat <= ESTONIA_BBOX.maxLat && lon >= ESTONIA_BBOX.minLon && lon <= ESTONIA_BBOX.maxLon
  );
}

function buildGeoIndex(): GeoIndex {
  const units = readEhak();
  const byCode = new Map<string, EhakUnit>(units.map((u) => [u.code, u]));
  const municipalityByName = new Map(units.filter((u) => u.level === 'municipality').map((u) => [u.name, u]));

  const municipalityCode2025 = (code2018: string, name2018: string): string => {
    const same = byCode.get(code2018);
    if (same && same.level === 'municipality' && same.name === name2018) return same.code;
    const target = municipalityByName.get(MERGED_MUNICIPALITIES[name2018] ?? name2018);
    if (!target)
      throw new Error(
        `geo: the 2018 municipality ${code2018} ${name2018} has no EHAK 2025v5 counterpart; add it to MERGED_MUNICIPALITIES`,
      );
    return target.code;
  };

  // Municipalities (GeoJSON).
  const muniDoc = JSON.parse(readFileSync(path.join(RESOURCES_DIR, 'ehak/omavalitsus-2018-09-01.geojson'), 'utf8')) as {
    features: {
      properties: { OKOOD: string; ONIMI: string };
      geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: any };
    }[];
  };
  const municipalities: Polygon[] = [];
  const geometryOf = new Map<string, number[][][][]>();
  for (const f of muniDoc.features) {
    const code = municipalityCode2025(f.properties.OKOOD, f.properties.ONIMI);
    const polys: number[][][][] = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const p of polys) municipalities.push(polygon(code, p));
    geometryOf.set(code, [...(geometryOf.get(code) ?? []), ...polys]);
  }

  // Settlement units (TopoJSON: quantised, delta-encoded arcs shared between neighbours).
  const topo = JSON.parse(readFileSync(path.join(RESOURCES_DIR, 'ehak/asustusyksus-2018-09-01.topojson'), 'utf8')) as {
    transform: { scale: [number, number]; translate: [number, number] };
    arcs: [number, number][][];
    objects: {
      asustusyksus: {
        geometries: {
          type: 'Polygon' | 'MultiPolygon';
          arcs: any;
          properties: { AKOOD: string; OKOOD: string; ONIMI: string };
        }[];
      };
    };
  };
  const arcs = decodeArcs(topo.arcs, topo.transform);
  const ringOf = (arcRefs: number[]): number[][] => {
    const out: number[][] = [];
    for (const ref of arcRefs) {
      const arc = ref >= 0 ? arcs[ref]! : [...arcs[~ref]!].reverse();
      // Consecutive arcs share their joining point.
      for (let i = out.length ? 1 : 0; i < arc.length; i++) out.push(arc[i]!);
    }
    return out;
  };
  const settlements: Polygon[] = [];
  const settlementsByMunicipality = new Map<string, Set<string>>();
  for (const g of topo.objects.asustusyksus.geometries) {
    const unit = byCode.get(g.properties.AKOOD);
    const parts: number[][][] = g.type === 'Polygon' ? [g.arcs] : g.arcs;
    // A code that is not a settlement unit of EHAK 2025v5 keeps its polygon with code '' so the
    // point still answers "no settlement" rather than falling through to a neighbour.
    const code = unit && unit.level === 'settlement' ? unit.code : '';
    for (const p of parts)
      settlements.push(
        polygon(
          code,
          (p as unknown as number[][]).map((r) => ringOf(r as unknown as number[])),
        ),
      );
    if (code && unit?.parent) {
      let s = settlementsByMunicipality.get(unit.parent);
      if (!s) settlementsByMunicipality.set(unit.parent, (s = new Set()));
      s.add(code);
    }
  }

  const muniIndex = indexOf(municipalities);
  const settleIndex = indexOf(settlements);
  const place = (code: string): GeoPlace => ({ code, name: byCode.get(code)?.name ?? code });
  const polysByCode = new Map<string, Polygon[]>();
  for (const [prefix, list] of [
    ['m', municipalities],
    ['s', settlements],
  ] as const)
    for (const p of list) {
      if (!p.code) continue;
      const key = `${prefix}${p.code}`;
      polysByCode.set(key, [...(polysByCode.get(key) ?? []), p]);
    }
  const polysOf = (code: string): Polygon[] =>
    polysByCode.get(`${byCode.get(code)?.level === 'municipality' ? 'm' : 's'}${code}`) ?? [];

  const containing = (polys: Polygon[], index: Flatbush, lon: number, lat: number): Polygon[] =>
    index
      .search(lon, lat, lon, lat)
      .map((i) => polys[i]!)
      .filter((p) => containsPoint(p, lon, lat));

  const locate = (lat: number, lon: number): GeoMatch | null => {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || !insideEstoniaBbox(lat, lon)) return null;
    const hits = containing(municipalities, muniIndex, lon, lat);
    let code: string | undefined;
    let snapped = false;
    if (hits.length) {
      // On a shared boundary the simplified polygons may both claim the point: lowest code wins,
      // so the answer is the same on every node and every run.
      code = hits.map((h) => h.code).sort()[0];
    } else {
      code = nearestWithin(municipalities, muniIndex, lon, lat, COAST_TOLERANCE_M);
      snapped = code !== undefined;
    }
    if (!code) return null;
    const s = containing(settlements, settleIndex, lon, lat)
      .map((p) => p.code)
      .filter((c) => c && byCode.get(c)?.parent === code)
      .sort()[0];
    return { municipality: place(code), settlement: s ? place(s) : null, snapped };
  };

  return {
    locate,
    municipalityGeometry(code) {
      const coordinates = geometryOf.get(code);
      return coordinates ? { type: 'MultiPolygon', coordinates } : undefined;
    },
    municipalityBounds(code) {
      return boundsOf(municipalities.filter((p) => p.code === code));
    },
    placeBounds(code) {
      return boundsOf(polysOf(code));
    },
    polygonsOf(code) {
      return polysOf(code).map((p) => p.rings);
    },
    contains(code, lat, lon) {
      return polysOf(code).some(
        (p) =>
          lon >= p.bbox[0] && lon <= p.bbox[2] && lat >= p.bbox[1] && lat <= p.bbox[3] && containsPoint(p, lon, lat),
      );
    },
    ringsIn(south, west, north, east) {
      return [
        ...muniIndex.search(west, south, east, north).map((i) => ({
          level: 'municipality' as const,
          code: municipalities[i]!.code,
          rings: municipalities[i]!.rings,
        })),
        ...settleIndex.search(west, south, east, north).map((i) => ({
          level: 'settlement' as const,
          code: settlements[i]!.code,
          rings: settlements[i]!.rings,
        })),
      ];
    },
    pointInside(code) {
      const unit = byCode.get(code);
      const polys =
        unit?.level === 'municipality'
          ? municipalities.filter((p) => p.code === code)
          : settlements.filter((p) => p.code === code);
      if (!polys.length) return undefined;
      const largest = polys.reduce((a, b) => (ringArea(b.rings[0]!) > ringArea(a.rings[0]!) ? b : a));
      const pt = interiorPoint(largest);
      return { lat: pt[1], lon: pt[0] };
    },
    settlementsWithBoundary(municipalityCode) {
      return [...(settlementsByMunicipality.get(municipalityCode) ?? [])]
        .map(place)
        .sort((a, b) => a.name.localeCompare(b.name, 'et'));
    },
  };
}

function boundsOf(polys: Polygon[]): [number, number, number, number] | undefined {
  if (!polys.length) return undefined;
  return [
    Math.min(...polys.map((p) => p.bbox[1])),
    Math.min(...polys.map((p) => p.bbox[0])),
    Math.max(...polys.map((p) => p.bbox[3])),
    Math.max(...polys.map((p) => p.bbox[2])),
  ];
}

function decodeArcs(
  arcs: [number, number][][],
  t: { scale: [number, number]; translate: [number, number] },
): number[][][] {
  return arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
    });
  });
}

function polygon(code: string, rings: number[][][]): Polygon {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const packed = rings.map((r) => {
    const a = new Float64Array(r.length * 2);
    r.forEach(([x, y], i) => {
      a[i * 2] = x!;
      a[i * 2 + 1] = y!;
      if (x! < minX) minX = x!;
      if (x! > maxX) maxX = x!;
      if (y! < minY) minY = y!;
      if (y! > maxY) maxY = y!;
    });
    return a;
  });
  return { rings: packed, bbox: [minX, minY, maxX, maxY], code };
}

function indexOf(polys: Polygon[]): Flatbush {
  const index = new Flatbush(polys.length);
  for (const p of polys) index.add(p.bbox[0], p.bbox[1], p.bbox[2], p.bbox[3]);
  index.finish();
  return index;
}

/** Even-odd rule over all rings, so holes (enclaves) are outside. */
export function containsPoint(p: { rings: Ring[] }, x: number, y: number): boolean {
  let inside = false;
  for (const r of p.rings) {
    const n = r.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = r[i * 2]!;
      const yi = r[i * 2 + 1]!;
      const xj = r[j * 2]!;
      const yj = r[j * 2 + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

const M_PER_DEG_LAT = 111_320;

/** The municipality whose boundary passes within `meters` of the point, if any (nearest first). */
function nearestWithin(
  polys: Polygon[],
  index: Flatbush,
  lon: number,
  lat: number,
  meters: number,
): string | undefined {
  const kx = M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
  const dLat = meters / M_PER_DEG_LAT;
  const dLon = meters / kx;
  let best: { code: string; d: number } | undefined;
  for (const i of index.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
    const p = polys[i]!;
    for (const r of p.rings) {
      for (let k = 0; k + 3 < r.length; k += 2) {
        const d = segmentDistance(
          (lon - r[k]!) * kx,
          (lat - r[k + 1]!) * M_PER_DEG_LAT,
          (r[k + 2]! - r[k]!) * kx,
          (r[k + 3]! - r[k + 1]!) * M_PER_DEG_LAT,
        );
        if (d <= meters && (!best || d < best.d || (d === best.d && p.code < best.code))) best = { code: p.code, d };
      }
    }
  }
  return best?.code;
}

/** Distance from point (px, py) to the segment from the origin to (sx, sy), in the same units. */
function segmentDistance(px: number, py: number, sx: number, sy: number): number {
  const len2 = sx * sx + sy * sy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * sx + py * sy) / len2));
  return Math.hypot(px - t * sx, py - t * sy);
}

function ringArea(r: Ring): number {
  let a = 0;
  const n = r.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) a += r[j * 2]! * r[i * 2 + 1]! - r[i * 2]! * r[j * 2 + 1]!;
  return Math.abs(a / 2);
}

/**
 * A point guaranteed inside the polygon: on the horizontal line through the middle of its
 * bounding box, the midpoint of the widest inside stretch (a cheap pole of inaccessibility).
 */
export function interiorPoint(p: { rings: Ring[]; bbox: [number, number, number, number] }): [number, number] {
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
    const y = p.bbox[1] + (p.bbox[3] - p.bbox[1]) * f;
    const xs: number[] = [];
    for (const r of p.rings) {
      const n = r.length / 2;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const xi = r[i * 2]!;
        const yi = r[i * 2 + 1]!;
        const xj = r[j * 2]!;
        const yj = r[j * 2 + 1]!;
        if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
    xs.sort((a, b) => a - b);
    let best: [number, number] | undefined;
    let width = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1]! - xs[i]! > width) {
        width = xs[i + 1]! - xs[i]!;
        best = [(xs[i]! + xs[i + 1]!) / 2, y];
      }
    }
    if (best && containsPoint(p, best[0], best[1])) return best;
  }
  return [p.rings[0]![0]!, p.rings[0]![1]!];
}
