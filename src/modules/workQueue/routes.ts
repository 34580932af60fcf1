import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import type { WorkQueueProvider } from '../../platform/workQueue';
import { getWorkQueue } from './getWorkQueue';

const PlaceCode = Type.String({ pattern: '^[0-9]{4}$', description: 'EHAK code (4 digits)', examples: ['0793'] });
const Iso = Type.Union([Type.String(), Type.Null()]);
const Group = Type.Union([
  Type.Literal('handle'),
  Type.Literal('review'),
  Type.Literal('prepare'),
  Type.Literal('publish'),
]);
const Item = Type.Object({
  key: Type.String(),
  group: Group,
  count: Type.Integer(),
  overdue: Type.Integer(),
  since: Iso,
  due: Iso,
  link: Type.String(),
  subject: Type.Optional(Type.String()),
});
const Queue = Type.Object({
  municipalityCode: Type.String(),
  items: Type.Array(Item),
  totals: Type.Object({
    all: Type.Integer(),
    overdue: Type.Integer(),
    byGroup: Type.Object({
      handle: Type.Integer(),
      review: Type.Integer(),
      prepare: Type.Integer(),
      publish: Type.Integer(),
    }),
  }),
});

export function workQueueRoutes(app: Api, ctx: AppContext, providers: () => WorkQueueProvider[]) {
  app.get(
    '/municipalities/:code/work-queue',
    {
      schema: {
        security: [{ session: [] }],
        summary: 'What waits for the official in the municipality, across modules (officials)',
        params: Type.Object({ code: PlaceCode }),
        response: { 200: Queue },
      },
    },
    (request) => getWorkQueue(ctx, request.actor, request.params.code, providers()),
  );
}
