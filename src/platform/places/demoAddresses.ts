import Flatbush from 'flatbush';
import { DEMO_FARMS, DEMO_MUNICIPALITIES, DEMO_STREETS, prng } from '../demo/population';
import { readEhak } from './ehak';
import { geoIndex } from './geo';

/**
 * The addresses the Land Board stand-in knows: every address the synthetic population lives at
 * in the demo municipalities (Tallinn, Tartu, Elva vald), laid out on the real boundaries, plus a
 * few real landmarks. In towns and city districts the demo streets (`DEMO_STREETS`) run straight
 * through the unit, houses 1–120 along them (odd on one side, even on the other); in villages the
 * farms `DEMO_FARMS` 1–40 lie scattered inside the village. Deterministic: the same addresses at
 * the same points on every machine. Not real street geometry — the real service is
 * `KOV_INADS_URL` in production.
 */
export interface DemoAddress {
  /** "Riia tn 45", "Tamme-12", "Raekoja plats 1". */
  address: string;
  /** "Tartu maakond, Tartu linn, Tartu linn, Riia tn 45". */
  fullAddress: string;
  adsOid: string;
  kind: 'EHITISHOONE';
  countyCode: string;
  countyName: string;
  municipalityCode: string;
  municipalityName: string;
  settlementCode: string;
  settlementName: string;
  lat: number;
  lon: number;
  /** Lower-case, without diacritics: what a query is matched against. */
  search: string;
}

export interface DemoStreet {
  name: string;
  settlementCode: string;
  /** The street's line, [lat, lon] pairs. */
  line: [number, number][];
}

export interface DemoAddressBook {
  addresses: DemoAddress[];
  streets: DemoStreet[];
  /** Addresses within `meters` of a point, nearest first. */
  near(lat: number, lon: number, meters: number, max?: number): DemoAddress[];
}

/** Real addresses of the demo municipalities (reference points rounded to about 10 m). */
const LANDMARKS: { settlement: string; address: string; lat: number; lon: number }[] = [
  { settlement: '0298', address: 'Vabaduse väljak 7', lat: 59.43394, lon: 24.74403 },
  { settlement: '0298', address: 'Raekoja plats 1', lat: 59.43733, lon: 24.74523 },
  { settlement: '8151', address: 'Raekoja plats 1', lat: 58.38034, lon: 26.72218 },
  { settlement: '8151', address: 'Ülikooli tn 18', lat: 58.38117, lon: 26.72001 },
  { settlement: '1586', address: 'Kesk tn 32', lat: 58.22248, lon: 26.42113 },
];

const M_PER_DEG_LAT = 111_320;
/** "Riia" → "Riia tn"; names that carry their own kind (mnt, pst, …) stay as they are. */
export const officialStreet = (name: string) =>
  /\s(mnt|pst|tee|puiestee|plats|väljak)$/.test(name) ? name : `${name} tn`;
/** Lower case without diacritics (õ→o, ä→a, š→s …), for matching what people type. */
export const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

let cached: DemoAddressBook | undefined;
export function demoAddressBook(): DemoAddressBook {
  cached ??= build();
  return cached;
}

function build(): DemoAddressBook {
  const geo = geoIndex();
  const units = readEhak();
  const byCode = new Map(units.map((u) => [u.code, u]));
  const addresses: DemoAddress[] = [];
  const streets: DemoStreet[] = [];
  let serial = 0;
  const add = (settlementCode: string, address: string, lat: number, lon: number) => {
    const s = byCode.get(settlementCode)!;
    const m = byCode.get(s.parent!)!;
    const c = byCode.get(m.parent!)!;
    const fullAddress = `${c.name}, ${m.name}, ${s.name}, ${address}`;
    serial += 1;
    addresses.push({
      address,
      fullAddress,
      adsOid: `ME${String(90_000_000 + serial).padStart(8, '0')}`,
      kind: 'EHITISHOONE',
      countyCode: c.code,
      countyName: c.name,
      municipalityCode: m.code,
      municipalityName: m.name,
      settlementCode: s.code,
      settlementName: s.name,
      lat: Math.round(lat * 1e6) / 1e6,
      lon: Math.round(lon * 1e6) / 1e6,
      search: fold(`${address} ${s.name} ${m.name}`),
    });
  };
  const inUnit = (code: string, lat: number, lon: number) => geo.contains(code, lat, lon);

  for (const l of LANDMARKS) add(l.settlement, l.address, l.lat, l.lon);

  for (const municipalityCode of DEMO_MUNICIPALITIES) {
    for (const unit of geo.settlementsWithBoundary(municipalityCode)) {
      const kind = byCode.get(unit.code)?.kind;
      const bounds = geo.placeBounds(unit.code)!;
      const centre = geo.pointInside(unit.code)!;
      const rand = prng(Number(unit.code) * 7919 + 17);
      if (kind === 'küla') {
        // Farms scattered inside the village.
        const [s, w, n, e] = bounds;
        for (const farm of DEMO_FARMS)
          for (let no = 1; no <= 40; no++) {
            for (let tries = 0; tries < 30; tries++) {
              const lat = s + rand() * (n - s);
              const lon = w + rand() * (e - w);
              if (inUnit(unit.code, lat, lon)) {
                add(unit.code, `${farm}-${no}`, lat, lon);
                break;
              }
            }
          }
        continue;
      }
      // Towns and districts: each street a straight line through the unit (in metres around its
      // centre); houses along the longest stretch of it inside the unit's boundary, found by
      // crossing the line with every boundary edge.
      const kx = M_PER_DEG_LAT * Math.cos((centre.lat * Math.PI) / 180);
      const toLatLon = (x: number, y: number): [number, number] => [
        centre.lat + y / M_PER_DEG_LAT,
        centre.lon + x / kx,
      ];
      const edges: number[] = [];
      for (const polygon of geo.polygonsOf(unit.code))
        for (const ring of polygon)
          for (let i = 0; i + 3 < ring.length; i += 2)
            edges.push(
              (ring[i]! - centre.lon) * kx,
              (ring[i + 1]! - centre.lat) * M_PER_DEG_LAT,
              (ring[i + 2]! - centre.lon) * kx,
              (ring[i + 3]! - centre.lat) * M_PER_DEG_LAT,
            );
      const diag = Math.hypot((bounds[2] - bounds[0]) * M_PER_DEG_LAT, (bounds[3] - bounds[1]) * kx);
      for (const name of DEMO_STREETS) {
        const angle = rand() * Math.PI;
        const offset = (rand() - 0.5) * diag * 0.35;
        const dx = Math.cos(angle);
        const dy = Math.sin(angle);
        const ox = -dy * offset;
        const oy = dx * offset;
        const stretch = longestInside(edges, ox, oy, dx, dy);
        if (!stretch || stretch[1] - stretch[0] < 120) continue;
        const [from, to] = stretch;
        const length = to - from;
        const official = officialStreet(name);
        const at = (d: number, side: number) =>
          toLatLon(ox + dx * (from + d) - dy * side, oy + dy * (from + d) + dx * side);
        streets.push({ name: official, settlementCode: unit.code, line: [at(0, 0), at(length, 0)] });
        // 120 numbers: 60 on each side, spaced to fit the stretch (at most 20 m apart).
        const spacing = Math.min(20, length / 61);
        for (let no = 1; no <= 120; no++) {
          const [lat, lon] = at(Math.ceil(no / 2) * spacing, no % 2 ? 8 : -8);
          add(unit.code, `${official} ${no}`, lat, lon);
        }
      }
    }
  }

  const index = new Flatbush(addresses.length);
  for (const a of addresses) index.add(a.lon, a.lat, a.lon, a.lat);
  index.finish();
  return {
    addresses,
    streets,
    near(lat, lon, meters, max = 5) {
      const kx = M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
      const dist = (a: DemoAddress) => Math.hypot((a.lat - lat) * M_PER_DEG_LAT, (a.lon - lon) * kx);
      return index
        .search(lon - meters / kx, lat - meters / M_PER_DEG_LAT, lon + meters / kx, lat + meters / M_PER_DEG_LAT)
        .map((i) => addresses[i]!)
        .filter((a) => dist(a) <= meters)
        .sort((a, b) => dist(a) - dist(b))
        .slice(0, max);
    },
  };
}

/**
 * The longest interval [t0, t1] of the line (ox, oy) + t·(dx, dy) inside the polygon whose edges
 * are given as x1, y1, x2, y2 quadruples (even-odd: crossings sorted along the line pair up).
 */
function longestInside(edges: number[], ox: number, oy: number, dx: number, dy: number): [number, number] | undefined {
  const ts: number[] = [];
  for (let i = 0; i < edges.length; i += 4) {
    const ax = edges[i]!;
    const ay = edges[i + 1]!;
    const ex = edges[i + 2]! - ax;
    const ey = edges[i + 3]! - ay;
    const den = dx * ey - dy * ex;
    if (Math.abs(den) < 1e-12) continue;
    // Solve o + t·d = a + u·e for t and u; the edge is crossed when 0 ≤ u < 1.
    const u = ((ax - ox) * dy - (ay - oy) * dx) / den;
    if (u < 0 || u >= 1) continue;
    ts.push(((ax - ox) * ey - (ay - oy) * ex) / den);
  }
  ts.sort((a, b) => a - b);
  let best: [number, number] | undefined;
  for (let i = 0; i + 1 < ts.length; i += 2)
    if (!best || ts[i + 1]! - ts[i]! > best[1] - best[0]) best = [ts[i]!, ts[i + 1]!];
  return best;
}
