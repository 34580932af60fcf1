import proj4 from 'proj4';

/**
 * L-EST97 (EPSG:3301), the Estonian national grid the Land Board's services speak (In-ADS
 * `viitepunkt_x` = easting, `viitepunkt_y` = northing, and its reverse lookup by `x`/`y`), and
 * WGS84 (EPSG:4326) latitude/longitude, the platform's own. The transformation is proj4's, with
 * the EPSG definition: Lambert conformal conic on GRS80, standard parallels 59°20′ and 58°,
 * origin 57°31′03.19415″ N 24° E, false easting 500 000 m, false northing 6 375 000 m.
 */
const LEST97 =
  '+proj=lcc +lat_1=59.33333333333334 +lat_2=58 +lat_0=57.51755393055556 +lon_0=24 +x_0=500000 +y_0=6375000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
const converter = proj4('EPSG:4326', LEST97);

/** WGS84 → L-EST97: `{ x: easting, y: northing }` in metres. */
export function toLest97(lat: number, lon: number): { x: number; y: number } {
  const [x, y] = converter.forward([lon, lat]);
  return { x: x!, y: y! };
}

/** L-EST97 → WGS84. */
export function fromLest97(x: number, y: number): { lat: number; lon: number } {
  const [lon, lat] = converter.inverse([x, y]);
  return { lat: lat!, lon: lon! };
}

/** Whether L-EST97 coordinates are within Estonia's grid extent (a sanity check on answers). */
export function plausibleLest97(x: number, y: number): boolean {
  return x >= 300_000 && x <= 800_000 && y >= 6_300_000 && y <= 6_700_000;
}
