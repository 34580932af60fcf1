/**
 * Map and address settings (environment, read by src/config.ts):
 *
 * | variable | default | |
 * | --- | --- | --- |
 * | `KOV_MAP_TILE_URL` | the Land Board's base map (production) or the stand-in's (demo, tests) | Leaflet template with `{z}`, `{x}` and `{y}` or `{-y}` (TMS); `none`: no tiles, boundaries only |
 * | `KOV_MAP_TILE_ATTRIBUTION` | the source's | shown on every map |
 * | `KOV_MAP_MAX_ZOOM` | 18 | |
 * | `KOV_MAP_TILE_ORIGINS` | — | more origins for the CSP `img-src` (the tile URL's own is added) |
 * | `KOV_INADS_URL` | https://inaadress.maaamet.ee/inaadress/gazetteer (production), the stand-in's (otherwise) | In-ADS gazetteer: address search and reverse lookup |
 * | `KOV_INADS_TIMEOUT_MS` | 4000 (20000 with the stand-in, which lays out its addresses on the first question) | |
 * | `KOV_LAND_BOARD_STAND_IN` | on outside production | serve the stand-in (gazetteer and simple tiles) under `/demo-maa-amet/` |
 */
export interface MapConfig {
  tileUrl: string | null;
  attribution: string;
  maxZoom: number;
  /** Origins the browser may load tiles from (CSP img-src). */
  tileOrigins: string[];
  gazetteerUrl: string;
  gazetteerTimeoutMs: number;
  /** Serve the Land Board stand-in (`landBoardStandIn.ts`) on this server. */
  standIn: boolean;
}

/** Where the stand-in answers, on the platform's own server. */
export const STAND_IN_PREFIX = '/demo-maa-amet';
/** The Land Board's base map in Web Mercator, addressed as TMS (y counted from the bottom). */
export const LAND_BOARD_TILES = 'https://tiles.maaamet.ee/tm/tms/1.0.0/kaart@GMC/{z}/{x}/{-y}.png';
export const LAND_BOARD_ATTRIBUTION = 'Aluskaart © Maa- ja Ruumiamet';
export const LAND_BOARD_GAZETTEER = 'https://inaadress.maaamet.ee/inaadress/gazetteer';

type Env = Record<string, string | undefined>;

export function loadMapConfig(
  env: Env,
  problems: string[],
  opts: { production: boolean; publicUrl: string },
): MapConfig {
  const flag = env.KOV_LAND_BOARD_STAND_IN?.trim().toLowerCase();
  let standIn = !opts.production;
  if (flag) {
    if (['1', 'true', 'yes', 'on'].includes(flag)) standIn = true;
    else if (['0', 'false', 'no', 'off'].includes(flag)) standIn = false;
    else problems.push(`KOV_LAND_BOARD_STAND_IN must be true or false, got "${env.KOV_LAND_BOARD_STAND_IN}"`);
  }
  const standInBase = `${opts.publicUrl}${STAND_IN_PREFIX}`;

  const rawTiles = env.KOV_MAP_TILE_URL?.trim();
  let tileUrl: string | null =
    rawTiles === 'none' ? null : rawTiles || (standIn ? `${standInBase}/tiles/{z}/{x}/{y}.svg` : LAND_BOARD_TILES);
  if (tileUrl && !/^https?:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{-?y\}/.test(tileUrl)) {
    problems.push(
      `KOV_MAP_TILE_URL must be an http(s) URL template with {z}, {x} and {y} (or {-y}), or none, got "${tileUrl}"`,
    );
    tileUrl = null;
  }
  const attribution =
    env.KOV_MAP_TILE_ATTRIBUTION?.trim() ||
    (!tileUrl
      ? ''
      : tileUrl.startsWith(standInBase)
        ? 'Demokaart: piirid © Maa-amet 2018, tänavad sünteetilised'
        : tileUrl.includes('maaamet.ee')
          ? LAND_BOARD_ATTRIBUTION
          : tileUrl.includes('openstreetmap')
            ? '© OpenStreetMap contributors'
            : '');
  const maxZoomRaw = Number(env.KOV_MAP_MAX_ZOOM ?? 18);
  const maxZoom = Number.isInteger(maxZoomRaw) && maxZoomRaw > 0 && maxZoomRaw <= 22 ? maxZoomRaw : 18;
  const extra = (env.KOV_MAP_TILE_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const own = tileUrl ? /^(https?:\/\/[^/]+)/.exec(tileUrl)?.[1] : undefined;
  // `{s}` subdomains become a CSP wildcard: https://{s}.tile.example.org → https://*.tile.example.org
  const tileOrigins = [...new Set([...(own ? [own.replace(/\{s\}/g, '*')] : []), ...extra])];

  const gazetteerUrl =
    env.KOV_INADS_URL?.trim() || (standIn ? `${standInBase}/inaadress/gazetteer` : LAND_BOARD_GAZETTEER);
  if (!/^https?:\/\/[^/]+/.test(gazetteerUrl))
    problems.push(`KOV_INADS_URL must be an http(s) URL, got "${gazetteerUrl}"`);
  const defaultTimeout = gazetteerUrl.startsWith(standInBase) ? 20_000 : 4000;
  const timeoutRaw = Number(env.KOV_INADS_TIMEOUT_MS ?? defaultTimeout);
  const gazetteerTimeoutMs =
    Number.isInteger(timeoutRaw) && timeoutRaw >= 100 && timeoutRaw <= 60_000 ? timeoutRaw : defaultTimeout;
  if (env.KOV_INADS_TIMEOUT_MS && gazetteerTimeoutMs !== timeoutRaw)
    problems.push(`KOV_INADS_TIMEOUT_MS must be a whole number from 100 to 60000, got "${env.KOV_INADS_TIMEOUT_MS}"`);
  return { tileUrl, attribution, maxZoom, tileOrigins, gazetteerUrl, gazetteerTimeoutMs, standIn };
}
