import { Type } from 'typebox';
import type { Api, KovModule } from '../module';
import { notFound } from '../http/problems';
import type { AppContext } from '../context';
import { geoIndex } from './geo';
import { InAdsGazetteer, type AddressHit, type Gazetteer } from './gazetteer';
import { landBoardStandIn } from './landBoardStandIn';

/**
 * Maps and addresses for the web app: the base map's settings (`ctx.config.maps`, see
 * `mapConfig.ts`), municipality boundaries, and official addresses through the In-ADS gazetteer
 * (`gazetteer.ts`): search by text and the address of a point. With the stand-in on
 * (`landBoardStandIn.ts`), the Land Board's services are answered by this server itself.
 */
export interface MapSettings {
  tileUrl: string | null;
  attribution: string;
  maxZoom: number;
}

const Bounds = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: '[south, west, north, east]',
});

const Located = Type.Object({
  municipality: Type.Object({ code: Type.String(), name: Type.String() }),
  settlement: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  snapped: Type.Boolean(),
});

const AddressSchema = Type.Object({
  address: Type.String({ description: 'The address itself: "Riia tn 45", "Tamme-12"' }),
  fullAddress: Type.String({ description: 'County, municipality, settlement unit and address' }),
  adsOid: Type.Union([Type.String(), Type.Null()], { description: "The address object's ADS id" }),
  lat: Type.Number(),
  lon: Type.Number(),
  place: Type.Union([Located, Type.Null()], {
    description: 'The municipality and settlement unit the point lies in (by the boundaries)',
  }),
});

export function mapRoutes(app: Api, ctx: AppContext) {
  const { maps } = ctx.config;
  const settings: MapSettings = { tileUrl: maps.tileUrl, attribution: maps.attribution, maxZoom: maps.maxZoom };
  const gazetteer: Gazetteer = new InAdsGazetteer(maps.gazetteerUrl, { timeoutMs: maps.gazetteerTimeoutMs });
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
          200: Type.Union([Located, Type.Null()]),
        },
      },
    },
    async (request) => geoIndex().locate(request.query.lat, request.query.lon),
  );
  addressRoutes(app, gazetteer);
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

function addressRoutes(app: Api, gazetteer: Gazetteer) {
  const withPlace = (h: AddressHit) => ({
    address: h.address,
    fullAddress: h.fullAddress,
    adsOid: h.adsOid,
    lat: h.lat,
    lon: h.lon,
    place: geoIndex().locate(h.lat, h.lon),
  });
  app.get(
    '/map/addresses',
    {
      schema: {
        summary: 'Official addresses matching a text (In-ADS gazetteer); an empty list when none exists',
        querystring: Type.Object({
          q: Type.String({ minLength: 2, maxLength: 200 }),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
        }),
        response: { 200: Type.Array(AddressSchema) },
      },
    },
    async (request, reply) => {
      const hits = await gazetteer.search(request.query.q, request.query.limit ?? 8);
      reply.header('cache-control', 'public, max-age=300');
      return hits.map(withPlace);
    },
  );
  app.get(
    '/map/addresses/at',
    {
      schema: {
        summary:
          'The official address nearest to a point and the municipality it lies in (place null: at sea or outside Estonia; address null: no address nearby)',
        querystring: Type.Object({
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lon: Type.Number({ minimum: -180, maximum: 180 }),
        }),
        response: {
          200: Type.Object({
            place: Type.Union([Located, Type.Null()]),
            address: Type.Union([AddressSchema, Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { lat, lon } = request.query;
      const place = geoIndex().locate(lat, lon);
      // Outside Estonia there is no Estonian address to ask for.
      if (!place) return { place: null, address: null };
      const hit = await gazetteer.reverse(lat, lon);
      return { place, address: hit ? withPlace(hit) : null };
    },
  );
}

export const mapModule: KovModule = {
  name: 'map',
  description:
    "Map settings (tile source), municipality boundaries and official addresses (the Land Board's In-ADS gazetteer) for maps in the web app.",
  api: mapRoutes,
  root: (app, ctx) => {
    if (ctx.config.maps.standIn) landBoardStandIn(app, { warmUp: ctx.config.mode === 'demo' });
  },
};
