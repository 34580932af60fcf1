import type { FastifyInstance } from 'fastify';
import { demoAddressBook, fold, type DemoAddress } from './demoAddresses';
import { fromLest97, toLest97 } from './lest97';
import { geoIndex } from './geo';
import { STAND_IN_PREFIX } from './mapConfig';

/**
 * A local stand-in for the Land Board (Maa- ja Ruumiamet) services the platform uses, for the demo
 * and the tests (no outside network here). Served on the platform's own server under
 * `/demo-maa-amet/` when `KOV_LAND_BOARD_STAND_IN` is on (the default outside production), like
 * the demo TARA under `/demo-tara/`. Production talks to the real services through the same
 * client code (`gazetteer.ts`, Leaflet's tile layer).
 *
 * - `GET /demo-maa-amet/inaadress/gazetteer?address=…&results=N` — In-ADS address search, the
 *   real service's JSON (`{ "addresses": [ { "pikkaadress", "aadresstekst", "ads_oid", "liikVal",
 *   "viitepunkt_x", "viitepunkt_y", … } ] }`), reference points in L-EST97.
 * - `GET /demo-maa-amet/inaadress/gazetteer?x=…&y=…&results=N` — reverse lookup by L-EST97
 *   coordinates: the nearest addresses within 250 m, nearest first.
 * - `GET /demo-maa-amet/tiles/{z}/{x}/{y}.svg` — a simple base map in Web Mercator XYZ tiles:
 *   municipality and settlement boundaries (Maa-amet 2018) and the synthetic demo streets with
 *   their names. SVG, not the real service's PNG, because it is drawn on request; the tile
 *   protocol (template URL, z/x/y) is the same, so `KOV_MAP_TILE_URL` switches to the real one.
 *
 * The addresses are the demo population's (`demoAddresses.ts`): every address a synthetic
 * resident of Tallinn, Tartu or Elva vald can live at, plus a few real landmarks.
 */
export function landBoardStandIn(app: FastifyInstance, opts: { warmUp?: boolean } = {}) {
  // Laying out the addresses takes a few seconds of CPU: the demo does it just after starting,
  // so the first resident's search does not wait (tests pay it on their first question).
  if (opts.warmUp)
    app.addHook('onListen', async () => {
      setTimeout(() => words(), 1000).unref();
    });
  app.get(`${STAND_IN_PREFIX}/inaadress/gazetteer`, { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const results = Math.max(1, Math.min(50, Number(q.results ?? 10) || 10));
    let found: DemoAddress[];
    if (q.x !== undefined || q.y !== undefined) {
      const x = Number(q.x);
      const y = Number(q.y);
      if (!Number.isFinite(x) || !Number.isFinite(y))
        return reply.code(400).send({ error: 'x and y must be L-EST97 coordinates' });
      const { lat, lon } = fromLest97(x, y);
      found = demoAddressBook().near(lat, lon, 250, results);
    } else {
      found = searchAddresses(q.address ?? '', results);
    }
    reply.header('cache-control', 'public, max-age=3600');
    return { addresses: found.map(toInAds) };
  });

  app.get(`${STAND_IN_PREFIX}/tiles/:z/:x/:y`, { schema: { hide: true } }, async (request, reply) => {
    const p = request.params as { z: string; x: string; y: string };
    const z = Number(p.z);
    const x = Number(p.x);
    const y = Number(p.y.replace(/\.svg$/, ''));
    if (![z, x, y].every(Number.isInteger) || z < 0 || z > 20 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z)
      return reply.code(404).send({ error: 'no such tile' });
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400');
    return drawTile(z, x, y);
  });
}

let wordIndex: { words: string[]; addresses: Map<string, number[]> } | undefined;
/** Distinct words of every address (with its settlement unit and municipality) → the addresses. */
function words() {
  if (!wordIndex) {
    const addresses = new Map<string, number[]>();
    demoAddressBook().addresses.forEach((a, i) => {
      for (const w of new Set(a.search.split(/[\s,-]+/))) {
        if (!w) continue;
        const list = addresses.get(w);
        if (list) list.push(i);
        else addresses.set(w, [i]);
      }
    });
    wordIndex = { words: [...addresses.keys()], addresses };
  }
  return wordIndex;
}

/** Every word of the query must start a word of the address, its settlement unit or municipality. */
export function searchAddresses(query: string, max: number): DemoAddress[] {
  const tokens = fold(query)
    .replace(/[,.;-]/g, ' ')
    .split(/\s+/)
    .filter((t) => t && !['tn', 'tanav', 'mnt', 'maantee', 'pst', 'puiestee'].includes(t));
  if (!tokens.length) return [];
  const index = words();
  const all = demoAddressBook().addresses;
  let candidates: Set<number> | undefined;
  for (const t of tokens) {
    // A number must be the house number itself; a word may be the start of one.
    const matching = /^\d+$/.test(t) ? [t] : index.words.filter((w) => w.startsWith(t));
    const found = new Set<number>();
    for (const w of matching)
      for (const i of index.addresses.get(w) ?? []) if (!candidates || candidates.has(i)) found.add(i);
    candidates = found;
    if (!candidates.size) return [];
  }
  return [...candidates!]
    .map((i) => ({ a: all[i]!, score: fold(all[i]!.address).startsWith(tokens[0]!) ? 0 : 1 }))
    .sort((p, q) => p.score - q.score || p.a.address.localeCompare(q.a.address, 'et', { numeric: true }))
    .slice(0, max)
    .map((h) => h.a);
}

function toInAds(a: DemoAddress) {
  const { x, y } = toLest97(a.lat, a.lon);
  return {
    pikkaadress: a.fullAddress,
    aadresstekst: a.address,
    ads_oid: a.adsOid,
    liikVal: a.kind,
    maakond: a.countyName,
    omavalitsus: a.municipalityName,
    asustusyksus: a.settlementName,
    ehakmk: a.countyCode,
    ehakov: a.municipalityCode,
    ehak: a.settlementCode,
    viitepunkt_x: x.toFixed(2),
    viitepunkt_y: y.toFixed(2),
  };
}

const TILE = 256;
const lon2x = (lon: number, z: number) => ((lon + 180) / 360) * 2 ** z * TILE;
const lat2y = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z * TILE;
};
const x2lon = (x: number, z: number) => (x / (2 ** z * TILE)) * 360 - 180;
const y2lat = (y: number, z: number) => {
  const n = Math.PI - (2 * Math.PI * y) / (2 ** z * TILE);
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
};
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One 256×256 Web Mercator tile as SVG: land (municipalities), boundaries, streets and names. */
export function drawTile(z: number, tx: number, ty: number): string {
  const ox = tx * TILE;
  const oy = ty * TILE;
  const west = x2lon(ox, z);
  const east = x2lon(ox + TILE, z);
  const north = y2lat(oy, z);
  const south = y2lat(oy + TILE, z);
  const pad = (east - west) * 0.05;
  const px = (lon: number) => (lon2x(lon, z) - ox).toFixed(1);
  const py = (lat: number) => (lat2y(lat, z) - oy).toFixed(1);
  const pathOf = (ring: Float64Array) => {
    // Simplify: skip vertices closer than half a pixel to the previous one.
    const minStep = ((east - west) / TILE) * 0.5;
    let d = '';
    let lastLon = Infinity;
    let lastLat = Infinity;
    for (let i = 0; i < ring.length; i += 2) {
      const lon = ring[i]!;
      const lat = ring[i + 1]!;
      if (i > 0 && i < ring.length - 2 && Math.abs(lon - lastLon) < minStep && Math.abs(lat - lastLat) < minStep)
        continue;
      d += `${i === 0 ? 'M' : 'L'}${px(lon)} ${py(lat)}`;
      lastLon = lon;
      lastLat = lat;
    }
    return `${d}Z`;
  };
  const rings = geoIndex().ringsIn(south - pad, west - pad, north + pad, east + pad);
  const land = rings.filter((r) => r.level === 'municipality');
  const units = rings.filter((r) => r.level === 'settlement');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">`,
    `<rect width="256" height="256" fill="#cfe2ee"/>`,
  ];
  if (land.length)
    parts.push(
      `<path fill="#f4f1ea" fill-rule="evenodd" d="${land.map((r) => r.rings.map(pathOf).join('')).join('')}"/>`,
    );
  if (z >= 11 && units.length)
    parts.push(
      `<path fill="none" stroke="#9a8fb0" stroke-width="1" stroke-dasharray="4 3" d="${units.map((r) => r.rings.map(pathOf).join('')).join('')}"/>`,
    );
  if (land.length)
    parts.push(
      `<path fill="none" stroke="#7b6a99" stroke-width="${z >= 10 ? 2 : 1}" d="${land.map((r) => r.rings.map(pathOf).join('')).join('')}"/>`,
    );
  if (z >= 13) {
    const streets = demoAddressBook().streets.filter((s) => {
      const lats = s.line.map((p) => p[0]);
      const lons = s.line.map((p) => p[1]);
      return (
        Math.max(...lats) >= south - pad &&
        Math.min(...lats) <= north + pad &&
        Math.max(...lons) >= west - pad &&
        Math.min(...lons) <= east + pad
      );
    });
    const d = streets.map((s) => s.line.map((p, i) => `${i ? 'L' : 'M'}${px(p[1])} ${py(p[0])}`).join('')).join('');
    if (d) {
      parts.push(
        `<path fill="none" stroke="#c9c1b1" stroke-width="${z >= 16 ? 9 : 6}" stroke-linecap="round" d="${d}"/>`,
      );
      parts.push(
        `<path fill="none" stroke="#ffffff" stroke-width="${z >= 16 ? 7 : 4}" stroke-linecap="round" d="${d}"/>`,
      );
    }
    if (z >= 15)
      for (const s of streets) {
        const [a, b] = s.line;
        const ax = lon2x(a![1], z) - ox;
        const ay = lat2y(a![0], z) - oy;
        const bx = lon2x(b![1], z) - ox;
        const by = lat2y(b![0], z) - oy;
        // The name where the street crosses this tile, upright.
        const t0 = clipT(ax, ay, bx, by);
        if (!t0) continue;
        const t = (t0[0] + t0[1]) / 2;
        const cx = ax + (bx - ax) * t;
        const cy = ay + (by - ay) * t;
        let angle = (Math.atan2(by - ay, bx - ax) * 180) / Math.PI;
        if (angle > 90) angle -= 180;
        if (angle < -90) angle += 180;
        parts.push(
          `<text x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" transform="rotate(${angle.toFixed(1)} ${cx.toFixed(1)} ${cy.toFixed(1)})" font-family="sans-serif" font-size="11" fill="#333" text-anchor="middle" dominant-baseline="central">${esc(s.name)}</text>`,
        );
      }
  }
  if (z >= 17) {
    const near = demoAddressBook().near((north + south) / 2, (east + west) / 2, 400, 400);
    for (const a of near) {
      const x = lon2x(a.lon, z) - ox;
      const y = lat2y(a.lat, z) - oy;
      if (x < -10 || y < -10 || x > 266 || y > 266) continue;
      const no = /(\d+)$/.exec(a.address)?.[1] ?? '';
      parts.push(
        `<rect x="${(x - 6).toFixed(1)}" y="${(y - 6).toFixed(1)}" width="12" height="12" fill="#e3d9c6" stroke="#b5a98f"/>`,
        `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="sans-serif" font-size="8" fill="#444" text-anchor="middle" dominant-baseline="central">${no}</text>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The part [t0, t1] of the segment a→b (t from 0 to 1) inside the 256×256 tile, if any. */
function clipT(ax: number, ay: number, bx: number, by: number): [number, number] | undefined {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  for (const [p, q] of [
    [-dx, ax],
    [dx, TILE - ax],
    [-dy, ay],
    [dy, TILE - ay],
  ] as const) {
    if (p === 0) {
      if (q < 0) return undefined;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return undefined;
  }
  return [t0, t1];
}
