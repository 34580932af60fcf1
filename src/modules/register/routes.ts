import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { readMultipart } from '../../platform/files/files';
import { fieldError, invalid } from '../../platform/http/problems';
import { R_REGISTER } from './reasons';
import { requirePerson } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { PlaceCode } from '../places';
import { checkEligibility } from './eligibility';
import {
  createElectorate,
  deleteElectorate,
  exportVoterList,
  freezeElectorate,
  getElectorate,
  listElectorates,
  listVoters,
  previewDefinition,
  previewElectorate,
  updateElectorate,
} from './electorates';
import { importExtract } from './importExtract';
import { deleteElectorateList, listRejected, uploadElectorateList } from './lists';
import { canImportExtract } from './policy';
import { listImports, listRegisterQueries, myResidence } from './residence';
import {
  ElectorateInput,
  ElectorateSchema,
  EligibilitySchema,
  ImportSchema,
  PreviewSchema,
  QueryLogEntrySchema,
  ResidenceSchema,
  VoterSchema,
} from './schemas';

const SESSION = [{ session: [] }];
const Code = Type.Object({ code: PlaceCode });
const CodeId = Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }) });
const ListName = Type.Union([Type.Literal('include'), Type.Literal('exclude')]);
const MAX_LIST_BYTES = 20 * 1024 * 1024;
const MAX_EXTRACT_BYTES = 200 * 1024 * 1024;

export async function registerRoutes(app: Api, ctx: AppContext) {
  await app.register(multipart, { limits: { fileSize: MAX_EXTRACT_BYTES, files: 1 } });

  app.get(
    '/register/me/residence',
    {
      schema: {
        security: SESSION,
        summary: "The logged-in resident's registered residence (current and earlier)",
        response: {
          200: Type.Object({
            source: Type.Union([Type.Literal('extract'), Type.Literal('xroad')]),
            asOf: Type.String(),
            current: Type.Union([ResidenceSchema, Type.Null()]),
            residences: Type.Array(ResidenceSchema),
          }),
        },
      },
    },
    (request) => myResidence(ctx, request.actor),
  );

  app.get(
    '/municipalities/:code/electorates',
    {
      schema: {
        security: SESSION,
        summary: 'Electorates of a municipality (officials)',
        params: Code,
        response: { 200: Type.Array(ElectorateSchema) },
      },
    },
    (request) => listElectorates(ctx, request.actor, request.params.code),
  );

  app.post(
    '/municipalities/:code/electorates',
    {
      schema: {
        security: SESSION,
        summary: 'Define an electorate (admins, editors); audited',
        params: Code,
        body: ElectorateInput,
        response: { 201: ElectorateSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createElectorate(ctx, request.actor, request.params.code, request.body)),
  );

  app.post(
    '/municipalities/:code/electorates/preview',
    {
      schema: {
        security: SESSION,
        summary: 'Size of an electorate definition by settlement unit, before saving it (officials)',
        params: Code,
        body: ElectorateInput,
        response: { 200: PreviewSchema },
      },
    },
    (request) => previewDefinition(ctx, request.actor, request.params.code, request.body),
  );

  app.get(
    '/municipalities/:code/electorates/:id',
    {
      schema: {
        security: SESSION,
        summary: 'An electorate (officials)',
        params: CodeId,
        response: { 200: ElectorateSchema },
      },
    },
    (request) => getElectorate(ctx, request.actor, request.params.code, request.params.id),
  );

  app.put(
    '/municipalities/:code/electorates/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Change a draft electorate (admins, editors); 409 once frozen or in use; audited',
        params: CodeId,
        body: ElectorateInput,
        response: { 200: ElectorateSchema },
      },
    },
    (request) => updateElectorate(ctx, request.actor, request.params.code, request.params.id, request.body),
  );

  app.delete(
    '/municipalities/:code/electorates/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Delete a draft electorate (admins, editors); audited',
        params: CodeId,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deleteElectorate(ctx, request.actor, request.params.code, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/municipalities/:code/electorates/:id/preview',
    {
      schema: {
        security: SESSION,
        summary: 'Size of an electorate in total and by settlement unit (officials)',
        params: CodeId,
        response: { 200: PreviewSchema },
      },
    },
    (request) => previewElectorate(ctx, request.actor, request.params.code, request.params.id),
  );

  app.post(
    '/municipalities/:code/electorates/:id/freeze',
    {
      schema: {
        security: SESSION,
        summary: 'Build and fix the voter list of a frozen-mode electorate (admins, editors); audited',
        params: CodeId,
        response: { 200: ElectorateSchema },
      },
    },
    (request) => freezeElectorate(ctx, request.actor, request.params.code, request.params.id),
  );

  app.put(
    '/municipalities/:code/electorates/:id/lists/:list',
    {
      schema: {
        security: SESSION,
        summary: `Upload the include or exclude list (multipart/form-data, one file: CSV with a column id_code, or one ID code per line; at most ${MAX_LIST_BYTES / 1024 / 1024} MB). A bad line rejects the file; errors name each line`,
        consumes: ['multipart/form-data'],
        params: Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }), list: ListName }),
        response: { 200: ElectorateSchema },
      },
    },
    async (request) => {
      requirePerson(request.actor);
      const { files } = await readMultipart(request, { maxFileBytes: MAX_LIST_BYTES, maxFiles: 1 });
      const file = files[0];
      if (!file) throw invalid([fieldError('/body/file', R_REGISTER.attachList)]);
      return uploadElectorateList(
        ctx,
        request.actor,
        request.params.code,
        request.params.id,
        request.params.list,
        file,
      );
    },
  );

  app.delete(
    '/municipalities/:code/electorates/:id/lists/:list',
    {
      schema: {
        security: SESSION,
        summary: 'Remove the include or exclude list of a draft electorate',
        params: Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }), list: ListName }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deleteElectorateList(ctx, request.actor, request.params.code, request.params.id, request.params.list);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/municipalities/:code/electorates/:id/voters',
    {
      schema: {
        security: SESSION,
        summary: 'A page of the frozen voter list, ID codes masked (admins, editors)',
        params: CodeId,
        querystring: Type.Object({
          offset: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          settlementCode: Type.Optional(PlaceCode),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), voters: Type.Array(VoterSchema) }) },
      },
    },
    (request) => listVoters(ctx, request.actor, request.params.code, request.params.id, request.query),
  );

  app.get(
    '/municipalities/:code/electorates/:id/voters.csv',
    {
      schema: {
        security: SESSION,
        summary:
          'The frozen voter list as CSV with full ID codes (admins, editors); its SHA-256 equals the stored one; audited',
        params: CodeId,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { csv, sha256, filename } = await exportVoterList(
        ctx,
        request.actor,
        request.params.code,
        request.params.id,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('x-content-sha256', sha256)
        .send(csv);
    },
  );

  app.get(
    '/municipalities/:code/electorates/:id/eligibility/me',
    {
      schema: {
        security: SESSION,
        summary: 'May the logged-in resident vote in this electorate, and if not, why',
        params: CodeId,
        response: { 200: EligibilitySchema },
      },
    },
    async (request) => {
      const me = requirePerson(request.actor);
      return inScope(ctx.db, { tenant: request.params.code, actor: me.personId }, (trx) =>
        checkEligibility(ctx, trx, {
          municipalityCode: request.params.code,
          electorateId: request.params.id,
          personId: me.personId,
          at: ctx.now(),
          purpose: 'self-check',
        }),
      );
    },
  );

  app.get(
    '/municipalities/:code/register/queries',
    {
      schema: {
        security: SESSION,
        summary:
          "The municipality's register query log, newest first (admins; full ID codes only for the municipality's own admins)",
        params: Code,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
          idCode: Type.Optional(Type.String({ pattern: '^[0-9]{11}$' })),
        }),
        response: { 200: Type.Array(QueryLogEntrySchema) },
      },
    },
    (request) =>
      listRegisterQueries(ctx, request.actor, request.params.code, {
        limit: request.query.limit,
        beforeId: request.query.beforeId,
        subjectIdCode: request.query.idCode,
      }),
  );

  app.get(
    '/municipalities/:code/register/imports',
    {
      schema: {
        security: SESSION,
        summary: 'Register extracts loaded for the municipality (admins)',
        params: Code,
        response: {
          200: Type.Object({ records: Type.Integer(), persons: Type.Integer(), imports: Type.Array(ImportSchema) }),
        },
      },
    },
    (request) => listImports(ctx, request.actor, request.params.code),
  );

  app.post(
    '/municipalities/:code/register/imports',
    {
      schema: {
        security: SESSION,
        summary: `Load a register extract (multipart/form-data, one CSV or JSON file, at most ${MAX_EXTRACT_BYTES / 1024 / 1024} MB; columns as for kov register import). Any bad row rejects the file (400, errors name each line); audited`,
        consumes: ['multipart/form-data'],
        params: Code,
        response: {
          200: Type.Object({
            status: Type.String(),
            rows: Type.Integer(),
            persons: Type.Integer(),
            newPersons: Type.Integer(),
            sha256: Type.String(),
            durationMs: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const admin = canImportExtract(request.actor, request.params.code);
      const { files } = await readMultipart(request, { maxFileBytes: MAX_EXTRACT_BYTES, maxFiles: 1 });
      const file = files[0];
      if (!file) throw invalid([fieldError('/body/file', R_REGISTER.attachExtract)]);
      const r = await importExtract(ctx, {
        municipalityCode: request.params.code,
        source: { content: file.content, filename: file.filename },
        importedBy: admin.personId,
      });
      if (r.status === 'rejected') throw listRejected(r.errors, r.filename);
      return {
        status: r.status,
        rows: r.rows,
        persons: r.persons,
        newPersons: r.newPersons,
        sha256: r.sha256,
        durationMs: r.durationMs,
      };
    },
  );
}
