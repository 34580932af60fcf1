import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { notFound } from '../../platform/http/problems';
import { placeStore, type Place } from './store';
import { MunicipalitySchema, PlaceCode, PlaceSchema } from './schemas';

export function placeRoutes(app: Api, ctx: AppContext) {
  const store = placeStore(ctx.db);

  const municipality = async (m: Place) => {
    const county = m.parentCode ? await store.get(m.parentCode) : undefined;
    return {
      code: m.code,
      name: m.name,
      kind: m.kind,
      county: { code: county?.code ?? '', name: county?.name ?? '' },
      settlementCount: (await store.settlementsOf(m.code)).length,
    };
  };

  app.get(
    '/municipalities',
    {
      schema: {
        summary: 'The 78 municipalities (EHAK 2025v5), the tenants of the platform',
        response: { 200: Type.Array(MunicipalitySchema) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      const list = (await store.byLevel('municipality')).sort((a, b) => a.name.localeCompare(b.name, 'et'));
      return Promise.all(list.map(municipality));
    },
  );

  app.get(
    '/municipalities/:code',
    {
      schema: {
        summary: 'One municipality',
        params: Type.Object({ code: PlaceCode }),
        response: { 200: MunicipalitySchema },
      },
    },
    async (request) => {
      const m = await store.get(request.params.code);
      if (!m || m.level !== 'municipality') throw notFound(`Municipality ${request.params.code}`);
      return municipality(m);
    },
  );

  app.get(
    '/municipalities/:code/settlements',
    {
      schema: {
        summary: 'Settlement units of a municipality (villages, small towns, city districts)',
        params: Type.Object({ code: PlaceCode }),
        response: { 200: Type.Array(PlaceSchema) },
      },
    },
    async (request, reply) => {
      const m = await store.get(request.params.code);
      if (!m || m.level !== 'municipality') throw notFound(`Municipality ${request.params.code}`);
      reply.header('cache-control', 'public, max-age=3600');
      return (await store.settlementsOf(m.code)).sort((a, b) => a.name.localeCompare(b.name, 'et'));
    },
  );

  app.get(
    '/places/:code',
    {
      schema: {
        summary: 'Any EHAK unit by code',
        params: Type.Object({ code: PlaceCode }),
        response: { 200: PlaceSchema },
      },
    },
    async (request) => {
      const p = await store.get(request.params.code);
      if (!p) throw notFound(`Place ${request.params.code}`);
      return p;
    },
  );
}
