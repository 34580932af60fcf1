import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testConfig, testPlatform } from '../../../test/support/app';
import { mapModule } from './map';
import { parseGazetteerAnswer, InAdsGazetteer } from './gazetteer';
import { fromLest97, toLest97 } from './lest97';
import { LAND_BOARD_GAZETTEER, LAND_BOARD_TILES, loadMapConfig } from './mapConfig';
import { Problem } from '../http/problems';

const near = (a: number, b: number, metres: number) => Math.abs(a - b) * 111_000 <= metres;

test('L-EST97 ↔ WGS84 with proj4: Tartu town hall square round-trips within a centimetre and lies on the grid', () => {
  const { x, y } = toLest97(58.38034, 26.72218);
  // Tartu is about 659 km east and 6 474 km north on the Estonian grid.
  assert.ok(x > 650_000 && x < 670_000, `x ${x}`);
  assert.ok(y > 6_470_000 && y < 6_480_000, `y ${y}`);
  const back = fromLest97(x, y);
  assert.ok(near(back.lat, 58.38034, 0.01) && near(back.lon, 26.72218, 0.01));
});

test('an In-ADS answer is read by its L-EST97 reference point; items without one are skipped; an error answer throws', () => {
  const { x, y } = toLest97(58.38117, 26.72001);
  const hits = parseGazetteerAnswer({
    addresses: [
      {
        pikkaadress: 'Tartu maakond, Tartu linn, Tartu linn, Ülikooli tn 18',
        aadresstekst: 'Ülikooli tn 18',
        ads_oid: 'ME00712345',
        liikVal: 'EHITISHOONE',
        viitepunkt_x: x.toFixed(2),
        viitepunkt_y: y.toFixed(2),
      },
      { pikkaadress: 'Somewhere', viitepunkt_x: 'n/a', viitepunkt_y: '1' },
      { pikkaadress: 'Far away', viitepunkt_x: '100', viitepunkt_y: '200' },
    ],
  });
  assert.equal(hits.length, 1);
  assert.equal(hits[0]!.address, 'Ülikooli tn 18');
  assert.equal(hits[0]!.adsOid, 'ME00712345');
  assert.ok(near(hits[0]!.lat, 58.38117, 0.05) && near(hits[0]!.lon, 26.72001, 0.05));
  assert.deepEqual(parseGazetteerAnswer({}), []);
  assert.throws(() => parseGazetteerAnswer({ error: 'bad request' }), /bad request/);
  assert.throws(() => parseGazetteerAnswer([]), /not a JSON object/);
});

test('production defaults: the Land Board base map and the real In-ADS gazetteer, no stand-in; "none" turns tiles off', () => {
  const problems: string[] = [];
  const prod = { maps: loadMapConfig({}, problems, { production: true, publicUrl: 'https://kov.example.ee' }) };
  assert.deepEqual(problems, []);
  assert.equal(prod.maps.tileUrl, LAND_BOARD_TILES);
  assert.equal(prod.maps.gazetteerUrl, LAND_BOARD_GAZETTEER);
  assert.equal(prod.maps.standIn, false);
  assert.ok(prod.maps.tileOrigins.includes('https://tiles.maaamet.ee'));
  assert.match(prod.maps.attribution, /Maa- ja Ruumiamet/);
  const demo = testConfig();
  assert.equal(demo.maps.standIn, true);
  assert.match(demo.maps.tileUrl!, /\/demo-maa-amet\/tiles\/\{z\}\/\{x\}\/\{y\}\.svg$/);
  assert.equal(testConfig({ KOV_MAP_TILE_URL: 'none' }).maps.tileUrl, null);
  assert.throws(() => testConfig({ KOV_MAP_TILE_URL: 'ftp://x/{z}' }), /KOV_MAP_TILE_URL/);
});

test('address search, the address of a point, at sea and abroad, through the API and the In-ADS stand-in over HTTP', async () => {
  const p = await testPlatform({ listen: true, modules: [mapModule] });
  const get = async (path: string) => {
    const res = await fetch(`${p.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as never };
  };

  // A real landmark of the demo address book.
  const found = await get(`/api/v1/map/addresses?q=${encodeURIComponent('Raekoja plats 1 Tartu')}`);
  assert.equal(found.status, 200);
  const hits = found.body as {
    address: string;
    fullAddress: string;
    lat: number;
    lon: number;
    place: { municipality: { code: string }; settlement: { code: string } | null } | null;
  }[];
  assert.equal(hits[0]!.address, 'Raekoja plats 1');
  assert.equal(hits[0]!.fullAddress, 'Tartu maakond, Tartu linn, Tartu linn, Raekoja plats 1');
  assert.equal(hits[0]!.place?.municipality.code, '0793');
  assert.equal(hits[0]!.place?.settlement?.code, '8151');
  // Through L-EST97 and back: within a metre of the reference point.
  assert.ok(near(hits[0]!.lat, 58.38034, 1) && near(hits[0]!.lon, 26.72218, 2), JSON.stringify(hits[0]));

  // A synthetic street address: every hit lies in the municipality the boundaries say.
  const riia = (await get(`/api/v1/map/addresses?q=${encodeURIComponent('Riia 45 Tartu')}`)).body as typeof hits;
  assert.ok(riia.length >= 1);
  for (const h of riia) {
    assert.match(h.address, /^Riia tn 45$/);
    assert.equal(h.place?.municipality.code, '0793', h.fullAddress);
    assert.ok(h.fullAddress.includes(', Tartu linn, '), h.fullAddress);
  }

  // The point of an address answers that address back (reverse lookup in L-EST97).
  const at = await get(`/api/v1/map/addresses/at?lat=${riia[0]!.lat}&lon=${riia[0]!.lon}`);
  assert.equal(at.status, 200);
  const atBody = at.body as { place: { municipality: { code: string } }; address: { address: string } | null };
  assert.equal(atBody.address?.address, 'Riia tn 45');
  assert.equal(atBody.place.municipality.code, '0793');

  // Nothing matches: an empty list, not an error.
  assert.deepEqual((await get(`/api/v1/map/addresses?q=${encodeURIComponent('Olematu tänav 999')}`)).body, []);
  // At sea (Gulf of Finland) and abroad (Riga): no place, no address.
  assert.deepEqual((await get('/api/v1/map/addresses/at?lat=59.75&lon=24.6')).body, { place: null, address: null });
  assert.deepEqual((await get('/api/v1/map/addresses/at?lat=56.9496&lon=24.1052')).body, {
    place: null,
    address: null,
  });
  // Bad input: a clear problem, not a 500.
  const short = await get('/api/v1/map/addresses?q=a');
  assert.equal(short.status, 400);
  assert.match(short.type, /application\/problem\+json/);
  const noLat = await get('/api/v1/map/addresses/at?lat=north&lon=24');
  assert.equal(noLat.status, 400);

  // The settings point the web app at the stand-in's tiles, and a tile draws the demo streets.
  const settings = (await get('/api/v1/map/settings')).body as { tileUrl: string; attribution: string };
  assert.equal(settings.tileUrl, `${p.url}/demo-maa-amet/tiles/{z}/{x}/{y}.svg`);
  assert.match(settings.attribution, /Maa-amet/);
  const [tx, ty] = tileOf(riia[0]!.lat, riia[0]!.lon, 16);
  const tile = await fetch(`${p.url}/demo-maa-amet/tiles/16/${tx}/${ty}.svg`);
  assert.equal(tile.status, 200);
  assert.match(tile.headers.get('content-type') ?? '', /image\/svg\+xml/);
  const svg = await tile.text();
  assert.match(svg, /^<svg /);
  assert.match(svg, /Riia tn/);
  assert.equal((await fetch(`${p.url}/demo-maa-amet/tiles/3/99/0.svg`)).status, 404);
});

const tileOf = (lat: number, lon: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * 2 ** z),
    Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
  ];
};

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gazetteer`, server };
}

test('the address service down, slow or garbled: 503 address-service-unavailable (problem+json), never a 500', async () => {
  const garbled = await serve((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<html>maintenance</html>');
  });
  const failing = await serve((_req, res) => {
    res.statusCode = 502;
    res.end();
  });
  const silent = await serve(() => {
    /* never answers */
  });
  try {
    for (const url of [garbled.url, failing.url]) {
      const g = new InAdsGazetteer(url, { timeoutMs: 2000 });
      await assert.rejects(g.search('Riia 45'), (e: unknown) => e instanceof Problem && e.kind.status === 503);
    }
    const slow = new InAdsGazetteer(silent.url, { timeoutMs: 200 });
    await assert.rejects(slow.reverse(58.38, 26.72), (e: unknown) => e instanceof Problem && /in time/.test(e.message));

    const p = await testPlatform({ listen: true, modules: [mapModule], env: { KOV_INADS_URL: garbled.url } });
    const res = await fetch(`${p.url}/api/v1/map/addresses?q=Riia+45`);
    assert.equal(res.status, 503);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const body = (await res.json()) as { type: string };
    assert.match(body.type, /address-service-unavailable/);
  } finally {
    for (const s of [garbled, failing, silent]) s.server.closeAllConnections();
    for (const s of [garbled, failing, silent]) s.server.close();
  }
});
