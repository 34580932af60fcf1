import { Type } from 'typebox';
import type { Api, KovModule } from '../module';
import { notFound } from '../http/problems';
import { geoIndex } from './geo';

/**
 * Map settings for the web app's MapView and municipality boundaries to draw on it.
 *
 * Tiles come from a configurable source: `KOV_MAP_TILE_URL` (a Leaflet URL template such as
 * `https://tile.openstreetmap.org/{z}/{x}/{y}.png`) with `KOV_MAP_TILE_ATTRIBUTION`. Without it no
 * tile is fetched at all (no third-party request, nothing to break offline): the map draws the
 * municipality's boundary on a plain background, and every page offers a non-map alternative. The
 * tile origin is added to the Content-Security-Policy `img-src` automatically, with any extra
 * origins in `KOV_MAP_TILE_ORIGINS` (comma-separated).
 */
export interface MapSettings {
  tileUrl: string | null;
  attribution: string;
  maxZoom: number;
}

type Env = Record<string, string | undefined>;

export function loadMapSettings(env: Env = process.env): MapSettings {
  const tileUrl = env.KOV_MAP_TILE_URL?.trim() || null;
  if (tileUrl && !/^https?:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{y\}/.test(tileUrl)) {
    throw new Error(`KOV_MAP_TILE_URL must be an http(s) URL template with {z}, {x} and {y}, got "${tileUrl}"`);
  }
  const maxZoom = Number(env.KOV_MAP_MAX_ZOOM ?? 19);
  return {
    tileUrl,
    attribution:
      env.KOV_MAP_TILE_ATTRIBUTION?.trim() ||
      (tileUrl?.includes('openstreetmap') ? '© OpenStreetMap contributors' : ''),
    maxZoom: Number.isInteger(maxZoom) && maxZoom > 0 && maxZoom <= 22 ? maxZoom : 19,
  };
}

/** Origins the browser may load map tiles from (for the CSP img-src). */
export function mapTileOrigins(env: Env = process.env): string[] {
  const extra = (env.KOV_MAP_TILE_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const url = env.KOV_MAP_TILE_URL?.trim();
  const m = url ? /^(https?:\/\/[^/]+)/.exec(url) : null;
  // `{s}` subdomains become a CSP wildcard: https://{s}.tile.example.org → https://*.tile.example.org
  const own = m ? [m[1]!.replace(/\{s\}/g, '*')] : [];
  return [...new Set([...own, ...extra])];
}

const Bounds = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: '[south, west, north, east]',
});

export function mapRoutes(app: Api) {
  const settings = loadMapSettings();
  app.get(
    '/map/settings',
    {
      schema: {
        summary: 'Map tile source for the web app (null: no tiles, boundaries only)',
        response: {
          200: Type.Object({
            tileUrl: Type.Union([Type.String(), Type.Null()]),
            attribution: Type.String(),
            maxZoom: Type.Integer(),
          }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return settings;
    },
  );
  app.get(
    '/map/municipalities/:code/boundary',
    {
      schema: {
        summary: "A municipality's boundary as GeoJSON (Maa-amet 2018, mapped to EHAK 2025v5)",
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{4}$' }) }),
        response: {
          200: Type.Object({
            type: Type.Literal('Feature'),
            properties: Type.Object({ code: Type.String(), bounds: Bounds }),
            geometry: Type.Object({
              type: Type.Literal('MultiPolygon'),
              coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))),
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const g = geoIndex();
      const geometry = g.municipalityGeometry(request.params.code);
      if (!geometry) throw notFound(`Boundary of municipality ${request.params.code}`);
      reply.header('cache-control', 'public, max-age=86400');
      return {
        type: 'Feature' as const,
        properties: { code: request.params.code, bounds: g.municipalityBounds(request.params.code)! },
        geometry,
      };
    },
  );
  app.get(
    '/map/locate',
    {
      schema: {
        summary: 'The municipality and settlement unit of a point (null at sea or outside Estonia)',
        querystring: Type.Object({
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lon: Type.Number({ minimum: -180, maximum: 180 }),
        }),
        response: {
          200: Type.Union([
            Type.Object({
              municipality: Type.Object({ code: Type.String(), name: Type.String() }),
              settlement: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
              snapped: Type.Boolean(),
            }),
            Type.Null(),
          ]),
        },
      },
    },
    async (request) => geoIndex().locate(request.query.lat, request.query.lon),
  );
  app.get(
    '/map/municipalities/:code/places',
    {
      schema: {
        summary: 'Settlement units of a municipality with a point inside each: the non-map way to choose a place',
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{4}$' }) }),
        response: {
          200: Type.Array(
            Type.Object({ code: Type.String(), name: Type.String(), lat: Type.Number(), lon: Type.Number() }),
          ),
        },
      },
    },
    async (request, reply) => {
      const g = geoIndex();
      if (!g.municipalityGeometry(request.params.code)) throw notFound(`Municipality ${request.params.code}`);
      reply.header('cache-control', 'public, max-age=86400');
      const list = g.settlementsWithBoundary(request.params.code).map((s) => ({ ...s, ...g.pointInside(s.code)! }));
      if (list.length) return list;
      // A municipality whose settlement units all changed code since 2018: the municipality itself.
      const own = g.pointInside(request.params.code)!;
      return [
        {
          code: request.params.code,
          name: g.locate(own.lat, own.lon)?.municipality.name ?? request.params.code,
          ...own,
        },
      ];
    },
  );
}

export const mapModule: KovModule = {
  name: 'map',
  description: 'Map settings (tile source) and municipality boundaries for maps in the web app.',
  api: mapRoutes,
};
