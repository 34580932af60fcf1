import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COAST_TOLERANCE_M, geoIndex, locatePoint } from './geo';
import { RESOURCES_DIR, readEhak } from './ehak';

const g = geoIndex();

test('points in several municipalities answer the municipality and the settlement unit of EHAK 2025v5', () => {
  const cases: [string, number, number, string, string | null][] = [
    ['Tallinn, Vabaduse väljak', 59.4337, 24.7446, '0784', '0298'], // Kesklinna linnaosa
    ['Tallinn, Mustamäe', 59.4036, 24.6839, '0784', '0482'],
    ['Tartu, Raekoja plats', 58.3804, 26.7225, '0793', '8151'], // Tartu linn
    ['Elva town', 58.2225, 26.4215, '0171', '1586'], // Elva linn
    ['Kuressaare', 58.2529, 22.4849, '0714', '3655'],
  ];
  for (const [label, lat, lon, municipality, settlement] of cases) {
    const m = locatePoint(lat, lon);
    assert.ok(m, `${label} is located`);
    assert.equal(m.municipality.code, municipality, label);
    assert.equal(m.settlement?.code ?? null, settlement, label);
    assert.equal(m.snapped, false);
  }
});

test('Toila vald (2018 code 0803) answers Jõhvi vald 0250; renumbered municipalities answer their 2025 code', () => {
  const toila = locatePoint(59.4219, 27.51);
  assert.equal(toila?.municipality.code, '0250');
  assert.equal(toila?.municipality.name, 'Jõhvi vald');
  assert.equal(toila?.settlement?.name, 'Toila alevik');
  // Jõhvi itself (0251 in 2018) and Saue (0726 in 2018).
  assert.equal(locatePoint(59.3592, 27.4211)?.municipality.code, '0250');
  assert.equal(locatePoint(59.3206, 24.5517)?.municipality.code, '0725');
  // Every municipality of EHAK 2025v5 has a boundary.
  for (const u of readEhak().filter((x) => x.level === 'municipality'))
    assert.ok(g.municipalityGeometry(u.code), `${u.code} ${u.name} has a boundary`);
  assert.equal(g.municipalityGeometry('0803'), undefined);
});

test('a settlement unit whose 2018 code is not in EHAK 2025v5 falls back to the municipality', () => {
  const topo = JSON.parse(readFileSync(path.join(RESOURCES_DIR, 'ehak/asustusyksus-2018-09-01.topojson'), 'utf8'));
  const codes = new Set(readEhak().map((u) => u.code));
  const gone = topo.objects.asustusyksus.geometries.find((x: any) => x.properties.AKOOD === '1042'); // Aasuvälja küla, Türi vald
  assert.ok(gone && !codes.has('1042'));
  // A point inside it: the Türi municipality interior test below uses the boundary; take the
  // centre of the unit's first arc's bounding box and check it lands in the unit's municipality.
  const arcs: number[][][] = topo.arcs;
  const t = topo.transform;
  const ref: number = gone.arcs[0][0];
  let x = 0;
  let y = 0;
  const pts = arcs[ref < 0 ? ~ref : ref]!.map(
    ([dx, dy]) => ((x += dx!), (y += dy!), [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]]),
  );
  const xs = pts.map((p) => p[0]!);
  const ys = pts.map((p) => p[1]!);
  // Walk a small grid over the unit's extent until a point reports Türi: none may report a settlement.
  let seen = 0;
  for (let i = 1; i < 10; i++) {
    for (let j = 1; j < 10; j++) {
      const lon = Math.min(...xs) + ((Math.max(...xs) - Math.min(...xs)) * i) / 10;
      const lat = Math.min(...ys) + ((Math.max(...ys) - Math.min(...ys)) * j) / 10;
      const m = locatePoint(lat, lon);
      if (m && m.municipality.code === '0834' && m.settlement === null) seen += 1;
    }
  }
  assert.ok(seen > 0, 'some point of Aasuvälja answers Türi vald without a settlement unit');
});

test('points at sea and outside Estonia are refused; a point just off the coast within the tolerance is kept', () => {
  for (const [label, lat, lon] of [
    ['Gulf of Finland', 59.8, 25.0],
    ['Baltic Sea west of Saaremaa', 58.3, 21.6],
    ['Lake Peipus', 58.7, 27.3],
    ['Riga', 56.95, 24.1],
    ['Helsinki', 60.17, 24.94],
    ['Pskov', 57.82, 28.33],
    ['Ivangorod', 59.373, 28.22],
    ['null island', 0, 0],
    ['not a number', Number.NaN, 24],
  ] as const) {
    assert.equal(locatePoint(lat, lon), null, label);
  }
  // Walk from Pirita beach out to sea: the first refused point lies beyond the tolerance.
  let last: ReturnType<typeof locatePoint> = null;
  let lat = 59.468;
  const lon = 24.83;
  for (; lat < 59.6; lat += 0.0002) {
    const m = locatePoint(lat, lon);
    if (!m) break;
    last = m;
  }
  assert.equal(last?.municipality.code, '0784');
  assert.equal(last?.snapped, true, 'the last accepted point was snapped to the coast');
  assert.ok(COAST_TOLERANCE_M <= 200);
});

test('a point on a shared boundary answers one of the two municipalities, the same every time', () => {
  const tartu = g.municipalityGeometry('0793')!.coordinates;
  const others = readEhak().filter((u) => u.level === 'municipality' && u.code !== '0793');
  const vertices = new Set(tartu.flat(2).map(([x, y]) => `${x},${y}`));
  let checked = 0;
  for (const o of others) {
    const shared = g
      .municipalityGeometry(o.code)!
      .coordinates.flat(2)
      .find(([x, y]) => vertices.has(`${x},${y}`));
    if (!shared) continue;
    const [lon, lat] = shared as [number, number];
    const a = locatePoint(lat, lon);
    assert.ok(
      a && ['0793', o.code].includes(a.municipality.code),
      `border point with ${o.name}: ${a?.municipality.code}`,
    );
    assert.deepEqual(locatePoint(lat, lon), a);
    checked += 1;
  }
  assert.ok(checked >= 2, `Tartu shares boundary vertices with ${checked} neighbours`);
});

test('a point inside every municipality locates back to it; lookups are fast enough for intake', () => {
  for (const u of readEhak().filter((x) => x.level === 'municipality')) {
    const p = g.pointInside(u.code)!;
    assert.equal(locatePoint(p.lat, p.lon)?.municipality.code, u.code, u.name);
  }
  const settlements = g.settlementsWithBoundary('0171');
  assert.ok(settlements.length > 50);
  const elva = settlements.find((s) => s.name === 'Elva linn')!;
  const p = g.pointInside(elva.code)!;
  assert.equal(locatePoint(p.lat, p.lon)?.settlement?.code, elva.code);
  const [s, w, n, e] = g.municipalityBounds('0793')!;
  assert.ok(s < 58.38 && n > 58.38 && w < 26.72 && e > 26.72);
});
