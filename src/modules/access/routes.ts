import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { PlaceCode } from '../places';
import { AuditEntrySchema, GrantInput, RoleGrantSchema, RoleName } from './schemas';
import { grantRole } from './grantRole';
import { revokeRole } from './revokeRole';
import { listRoleGrants } from './listRoleGrants';
import { listAuditEntries } from './listAuditEntries';
import { checkpointPublicKey, latestCheckpoint } from './auditCheckpoint';

const CheckpointSchema = Type.Object({
  kind: Type.Literal('kov-audit-checkpoint'),
  version: Type.Literal(1),
  at: Type.String({ format: 'date-time' }),
  keyId: Type.String(),
  heads: Type.Array(Type.Object({ m: Type.String(), seq: Type.Integer(), hash: Type.String() })),
  signature: Type.String(),
});

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

  // ---------- public: the signed audit checkpoint, for anyone to keep and check against later
  app.get(
    '/audit/checkpoint',
    {
      schema: {
        summary:
          "The latest signed checkpoint of the audit chains (head of every municipality's chain, Ed25519); `kov audit verify --checkpoint FILE` checks a database against it",
        response: { 200: CheckpointSchema },
      },
    },
    () => latestCheckpoint(ctx),
  );
  app.get(
    '/audit/checkpoint/key',
    {
      schema: {
        summary: 'The Ed25519 public key audit checkpoints are signed with (PEM)',
        response: { 200: Type.Object({ keyId: Type.String(), publicKeyPem: Type.String() }) },
      },
    },
    () => checkpointPublicKey(ctx),
  );
}
