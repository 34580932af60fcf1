import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { PlaceCode } from '../places/schemas';
import { AuditEntrySchema, GrantInput, RoleGrantSchema, RoleName } from './schemas';
import { grantRole } from './grantRole';
import { revokeRole } from './revokeRole';
import { listRoleGrants } from './listRoleGrants';
import { listAuditEntries } from './listAuditEntries';

const TenantParams = Type.Object({ code: PlaceCode });
const SESSION = [{ session: [] }];

export function accessRoutes(app: Api, ctx: AppContext) {
  app.get(
    '/municipalities/:code/roles',
    {
      schema: {
        security: SESSION,
        summary: 'Role grants in a municipality (admins)',
        params: TenantParams,
        response: { 200: Type.Array(RoleGrantSchema) },
      },
    },
    (request) => listRoleGrants(ctx, request.actor, request.params.code),
  );

  app.post(
    '/municipalities/:code/roles',
    {
      schema: {
        security: SESSION,
        summary: 'Grant a role (admins); audited',
        params: TenantParams,
        body: GrantInput,
        response: {
          200: Type.Object({
            personId: Type.String(),
            role: RoleName,
            created: Type.Boolean({ description: 'false if the person already had the role' }),
          }),
        },
      },
    },
    (request) => grantRole(ctx, request.actor, request.params.code, request.body),
  );

  app.delete(
    '/municipalities/:code/roles/:personId/:role',
    {
      schema: {
        security: SESSION,
        summary: 'Revoke a role (admins); audited',
        params: Type.Object({ code: PlaceCode, personId: Type.String({ format: 'uuid' }), role: RoleName }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await revokeRole(ctx, request.actor, request.params.code, request.params.personId, request.params.role);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/municipalities/:code/audit',
    {
      schema: {
        security: SESSION,
        summary: "The municipality's audit log, newest first (admins)",
        params: TenantParams,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Type.Array(AuditEntrySchema) },
      },
    },
    (request) =>
      listAuditEntries(ctx, request.actor, request.params.code, {
        limit: request.query.limit,
        beforeSeq: request.query.beforeSeq,
      }),
  );
}
