import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { getRetention, setRetention } from './retention';

const TenantParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{4}$', description: 'EHAK code' }) });
const SESSION = [{ session: [] }];
const Retention = Type.Object({
  days: Type.Integer({
    minimum: 0,
    maximum: 3650,
    description: 'days after final results until the ballots are destroyed',
  }),
});

export function ballotBoxRoutes(app: Api, ctx: AppContext) {
  app.get(
    '/municipalities/:code/ballot-retention',
    {
      schema: {
        security: SESSION,
        summary: 'How long sealed ballots are kept after final results (officials)',
        params: TenantParams,
        response: { 200: Type.Object({ days: Type.Integer(), defaultDays: Type.Integer() }) },
      },
    },
    (request) => getRetention(ctx, request.actor, request.params.code),
  );
  app.put(
    '/municipalities/:code/ballot-retention',
    {
      schema: {
        security: SESSION,
        summary: 'Set how long sealed ballots are kept after final results (admins); audited',
        params: TenantParams,
        body: Type.Object({ days: Retention.properties.days }, { additionalProperties: false }),
        response: { 200: Retention },
      },
    },
    (request) => setRetention(ctx, request.actor, request.params.code, request.body.days),
  );
}
