import { Type } from 'typebox';
import type { Api, KovModule } from '../module';
import type { AppContext } from '../context';
import {
  apiScopes,
  issueApiKey,
  listApiClients,
  revokeApiKey,
  authenticateApiKey,
  apiKeyFrom,
  P_API_KEY,
} from './apiKeys';
import { Problem } from '../http/problems';

const Code = Type.String({
  pattern: '^[0-9]{4}$',
  description: 'EHAK code of the municipality (0000 = ELVL, national clients)',
});
const SESSION = [{ session: [] }];

export const ApiClientSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  municipalityCode: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  contact: Type.Union([Type.String(), Type.Null()]),
  keyPrefix: Type.String({ description: 'The public part of the key (kov_<prefix>_…), to recognise it in logs' }),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const IssueBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'The system, e.g. "Tartu linna dokumendihaldus"' }),
    scopes: Type.Array(Type.String({ maxLength: 80 }), { minItems: 1, maxItems: 20 }),
    contact: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);

/**
 * API clients of municipal IT systems: admins issue and revoke keys (audited); a system checks
 * its own key with GET /api/v1/api-clients/me. Listed in src/modules/index.ts like a module.
 */
export function apiClientRoutes(app: Api, ctx: AppContext) {
  app.get(
    '/api-scopes',
    {
      schema: {
        summary: 'Scopes an API key can hold',
        response: { 200: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })) },
      },
    },
    async () => apiScopes(),
  );

  app.get(
    '/municipalities/:code/api-clients',
    {
      schema: {
        security: SESSION,
        summary: "The municipality's API clients (admins)",
        params: Type.Object({ code: Code }),
        response: { 200: Type.Array(ApiClientSchema) },
      },
    },
    (request) => listApiClients(ctx, request.actor, request.params.code),
  );

  app.post(
    '/municipalities/:code/api-clients',
    {
      schema: {
        security: SESSION,
        summary: 'Issue an API key to a client system (admins); audited. The key is shown once.',
        params: Type.Object({ code: Code }),
        body: IssueBody,
        response: {
          201: Type.Object({
            client: ApiClientSchema,
            key: Type.String({ description: 'Shown only now: store it in the client system' }),
          }),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await issueApiKey(ctx, request.actor, request.params.code, request.body)),
  );

  app.delete(
    '/municipalities/:code/api-clients/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Revoke an API key (admins); audited',
        params: Type.Object({ code: Code, id: Type.String({ format: 'uuid' }) }),
        response: { 200: ApiClientSchema },
      },
    },
    (request) => revokeApiKey(ctx, request.actor, request.params.code, request.params.id),
  );

  app.get(
    '/api-clients/me',
    {
      schema: {
        summary: 'The client system an API key belongs to (send it as X-Api-Key)',
        response: {
          200: Type.Object({
            id: Type.String(),
            municipalityCode: Type.String(),
            name: Type.String(),
            scopes: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const key = apiKeyFrom(request);
      const client = key ? await authenticateApiKey(ctx, key) : null;
      if (!client)
        throw new Problem(
          P_API_KEY.invalid,
          key ? 'The API key is not valid (unknown, mistyped or revoked)' : 'No API key was sent',
        );
      return client;
    },
  );
}

export const apiClientsModule: KovModule = {
  name: 'api-clients',
  description: 'API keys of municipal IT systems (back-offices, state channels) for the machine APIs such as Open311.',
  api: apiClientRoutes,
};
