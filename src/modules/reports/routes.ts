import { Type } from 'typebox';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { readMultipart } from '../../platform/files/files';
import { fieldError, invalid } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import {
  Code,
  ReportId,
  CategoryCode,
  SubmitBody,
  SubmittedSchema,
  SummarySchema,
  ReportViewSchema,
  UpdateBody,
  AssignBody,
  MergeBody,
  ModerateBody,
  SurveyBody,
  CategorySchema,
  CategoryInput,
  EndpointSchema,
  EndpointBody,
  DeliverySchema,
  AnalyticsQuerySchema,
  OverviewSchema,
  Status,
} from './schemas';
import { submitReport, MAX_PHOTOS, MAX_PHOTO_BYTES, type SubmitInput } from './submitReport';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, idempotencyKeyOf, idempotentRequest } from './idempotency';
import { listCategories, saveCategory } from './categories';
import { getReport, reportPhoto } from './getReport';
import { listPublicReports, listReportsForOfficials, myReports, DEFAULT_WINDOW_DAYS } from './listReports';
import { findDuplicates } from './findDuplicates';
import { updateReport } from './changeStatus';
import { assignReport } from './assignReport';
import { mergeDuplicate } from './mergeDuplicate';
import { moderateReport } from './moderateReport';
import { supportReport } from './supportReport';
import { answerSurvey } from './answerSurvey';
import { listDeliveries, listEndpoints, resendDelivery, saveEndpoint } from './delivery';
import { analyticsHeat, analyticsOverview, overviewCsv, publicStatistics, type AnalyticsQuery } from './analytics';
import { canConfigure, canHandle } from './policy';
import { inScope } from '../../platform/db/database';

const SESSION = [{ session: [] }];
const Tenant = Type.Object({ code: Code });
const TenantReport = Type.Object({ code: Code, id: ReportId });
const IdempotencyHeaders = Type.Object({
  [IDEMPOTENCY_HEADER]: Type.Optional(
    Type.String({
      description:
        'Makes a retry safe (IETF draft-ietf-httpapi-idempotency-key-header): a unique value per report (a UUID); a retry with the same key and content gets the first answer again (header `Idempotent-Replayed: true`), the same key with other content 422',
    }),
  ),
});

export function reportRoutes(app: Api, ctx: AppContext) {
  /** Report intake, JSON or form: with an Idempotency-Key, a retry answers as the first request did. */
  const submitted = async (request: FastifyRequest, reply: FastifyReply, input: SubmitInput) => {
    const key = idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]);
    const idem = key === undefined ? undefined : idempotentRequest(request.actor, key, input);
    const answer = await submitReport(ctx, request.actor, input, idem);
    if (idem?.replayed) reply.header(REPLAYED_HEADER, 'true');
    return reply.code(201).send(answer);
  };

  // --- residents and the public ---
  app.get(
    '/municipalities/:code/report-categories',
    {
      schema: {
        summary: 'Active report categories of a municipality (the national taxonomy as the municipality set it up)',
        params: Tenant,
        response: { 200: Type.Array(CategorySchema) },
      },
    },
    (request) => listCategories(ctx, request.params.code),
  );

  app.get(
    '/report-bodies',
    {
      schema: {
        summary: 'Bodies other than municipalities that categories can be routed to',
        response: {
          200: Type.Array(
            Type.Object({ code: Type.String(), name: Type.String(), url: Type.Union([Type.String(), Type.Null()]) }),
          ),
        },
      },
    },
    () => inScope(ctx.db, {}, (trx) => trx.selectFrom('report_body').selectAll().orderBy('name').execute()),
  );

  app.post(
    '/reports',
    {
      config: { countAs: 'report_submitted' },
      schema: {
        summary: 'Report a problem (JSON, without photos). Routed by location to the municipality and settlement unit.',
        headers: IdempotencyHeaders,
        body: SubmitBody,
        response: { 201: SubmittedSchema },
      },
    },
    async (request, reply) => submitted(request, reply, { ...request.body, channel: 'web' }),
  );

  app.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_PHOTOS } });
    scoped.post(
      '/reports/form',
      {
        schema: {
          summary:
            'Report a problem with photos (multipart/form-data: the fields of POST /reports, `attributes` as JSON, files in `photos`)',
          consumes: ['multipart/form-data'],
          headers: IdempotencyHeaders,
          response: { 201: SubmittedSchema },
        },
        config: { countAs: 'report_submitted' },
        bodyLimit: MAX_PHOTOS * MAX_PHOTO_BYTES + 200_000,
      },
      async (request, reply) => {
        const { fields, files } = await readMultipart(request, { maxFileBytes: MAX_PHOTO_BYTES, maxFiles: MAX_PHOTOS });
        const num = (name: string) => {
          if (fields[name] === undefined || fields[name] === '') return undefined;
          const n = Number(fields[name]);
          if (!Number.isFinite(n)) throw invalid([fieldError(`/body/${name}`, R_REPORTS.notANumber)]);
          return n;
        };
        let attributes: Record<string, string | string[]> | undefined;
        if (fields.attributes) {
          try {
            attributes = JSON.parse(fields.attributes);
          } catch {
            throw invalid([fieldError('/body/attributes', R_REPORTS.notAnObject)]);
          }
        }
        if (!fields.categoryCode || !/^[a-z0-9-]{2,40}$/.test(fields.categoryCode))
          throw invalid([fieldError('/body/categoryCode', R_REPORTS.chooseCategory)]);
        return submitted(request, reply, {
          categoryCode: fields.categoryCode,
          description: fields.description ?? '',
          lat: num('lat'),
          lon: num('lon'),
          ...(fields.settlementCode ? { settlementCode: fields.settlementCode } : {}),
          ...(fields.address ? { address: fields.address } : {}),
          ...(attributes ? { attributes } : {}),
          ...(fields.name ? { name: fields.name } : {}),
          ...(fields.email ? { email: fields.email } : {}),
          ...(fields.phone ? { phone: fields.phone } : {}),
          showName: fields.showName === 'true' || fields.showName === 'on',
          channel: fields.channel === 'mobile' ? 'mobile' : 'web',
          photos: files.filter((f) => f.field === 'photos').map((f) => f.content),
        });
      },
    );
  });

  app.get(
    '/reports/duplicates',
    {
      schema: {
        summary: 'Open reports of the same category near a point (within 100 m, last 30 days): "is this your problem?"',
        querystring: Type.Object({
          municipality: Code,
          category: CategoryCode,
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          radius: Type.Optional(Type.Integer({ minimum: 10, maximum: 2000 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              categoryCode: Type.String(),
              status: Type.String(),
              description: Type.String(),
              distanceM: Type.Integer(),
              createdAt: Type.String(),
              meTooCount: Type.Integer(),
            }),
          ),
        },
      },
    },
    (request) =>
      findDuplicates(ctx, request.query.municipality, {
        categoryCode: request.query.category,
        lat: request.query.lat,
        lon: request.query.lon,
        ...(request.query.radius ? { radiusM: request.query.radius } : {}),
      }),
  );

  app.get(
    '/municipalities/:code/reports',
    {
      schema: {
        summary: `Public list (and map) of recent reports, the last ${DEFAULT_WINDOW_DAYS} days unless windowDays says otherwise`,
        params: Tenant,
        querystring: Type.Object({
          windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          category: Type.Optional(CategoryCode),
          state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
        response: { 200: Type.Array(SummarySchema) },
      },
    },
    (request) => listPublicReports(ctx, request.params.code, request.query),
  );

  app.get(
    '/municipalities/:code/reports/statistics',
    {
      schema: {
        summary:
          'Public statistics of the last 12 months: volume, time to acknowledge and close, % within SLA, satisfaction, backlog',
        params: Tenant,
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    (request) => publicStatistics(ctx, request.params.code),
  );

  app.get(
    '/reports/:id',
    {
      schema: {
        summary:
          'One report: its public page with status history and who handles it; more for its reporter and officials',
        params: Type.Object({ id: ReportId }),
        querystring: Type.Object({
          key: Type.Optional(
            Type.String({ maxLength: 100, description: 'The manage link secret of an anonymous reporter' }),
          ),
        }),
        response: { 200: ReportViewSchema },
      },
    },
    (request) =>
      getReport(ctx, request.actor, request.params.id, {
        ...(request.query.key ? { manageToken: request.query.key } : {}),
      }),
  );

  app.get(
    '/reports/:id/photos/:position',
    {
      schema: {
        summary: 'A photo of a report (metadata removed); `thumb=1` for the small one',
        params: Type.Object({ id: ReportId, position: Type.Integer({ minimum: 1, maximum: 20 }) }),
        // `thumb=1` is what the report view links (and what people type); `true` works as well.
        querystring: Type.Object({
          thumb: Type.Optional(
            Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')]),
          ),
        }),
      },
    },
    async (request, reply) => {
      const p = await reportPhoto(
        ctx,
        request.actor,
        request.params.id,
        request.params.position,
        request.query.thumb === '1' || request.query.thumb === 'true',
      );
      reply.header('cache-control', p.public ? 'public, max-age=3600' : 'private, no-store');
      reply.header('etag', `"${p.etag}"`);
      reply.header('content-disposition', 'inline');
      return reply.type(p.mediaType).send(p.content);
    },
  );

  app.post(
    '/reports/:id/support',
    {
      schema: {
        security: SESSION,
        summary: '"Me too": the problem affects me as well (once per person)',
        params: Type.Object({ id: ReportId }),
        response: { 200: Type.Object({ meTooCount: Type.Integer(), added: Type.Boolean() }) },
      },
    },
    async (request) => {
      const view = await getReport(ctx, request.actor, request.params.id);
      return supportReport(ctx, request.actor, view.municipalityCode, request.params.id);
    },
  );

  app.post(
    '/reports/:id/survey',
    {
      schema: {
        summary: 'The satisfaction questionnaire of a closed report (its reporter): fixed?, 1–5, comment, reopen',
        params: Type.Object({ id: ReportId }),
        body: SurveyBody,
        response: { 200: Type.Object({ closing: Type.Integer(), status: Type.String() }) },
      },
    },
    async (request) => {
      const view = await getReport(ctx, request.actor, request.params.id, {
        ...(request.body.manageToken ? { manageToken: request.body.manageToken } : {}),
      });
      return answerSurvey(ctx, request.actor, view.municipalityCode, request.params.id, request.body);
    },
  );

  app.get(
    '/me/reports',
    {
      schema: {
        security: SESSION,
        summary: 'My reports in every municipality',
        response: { 200: Type.Array(SummarySchema) },
      },
    },
    (request) => myReports(ctx, request.actor),
  );

  // --- officials ---
  app.get(
    '/municipalities/:code/reports/manage',
    {
      schema: {
        security: SESSION,
        summary: 'The work list of officials: every report with filters, newest first',
        params: Tenant,
        querystring: Type.Object({
          status: Type.Optional(Type.Array(Status, { maxItems: 10 })),
          state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
          category: Type.Optional(CategoryCode),
          settlement: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })),
          assignee: Type.Optional(Type.String({ format: 'uuid' })),
          text: Type.Optional(Type.String({ maxLength: 200 })),
          hidden: Type.Optional(Type.Boolean()),
          overdue: Type.Optional(Type.Boolean()),
          beforeId: Type.Optional(ReportId),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Array(SummarySchema) },
      },
    },
    (request) => listReportsForOfficials(ctx, request.actor, request.params.code, request.query),
  );

  app.get(
    '/municipalities/:code/reports/officials',
    {
      schema: {
        security: SESSION,
        summary: 'Officials a report can be assigned to',
        params: Tenant,
        response: { 200: Type.Array(Type.Object({ personId: Type.String(), name: Type.String() })) },
      },
    },
    async (request) => {
      const o = canHandle(request.actor, request.params.code);
      return inScope(ctx.db, { tenant: request.params.code, actor: o.personId }, async (trx) => {
        const rows = await trx
          .selectFrom('role_grant as g')
          .innerJoin('person as p', 'p.id', 'g.person_id')
          .select(['p.id', 'p.given_name', 'p.family_name'])
          .where('g.municipality_code', '=', request.params.code)
          .where('g.role', 'in', ['admin', 'editor'])
          .distinct()
          .execute();
        return rows
          .map((r) => ({ personId: r.id, name: [r.given_name, r.family_name].filter(Boolean).join(' ') || r.id }))
          .sort((a, b) => a.name.localeCompare(b.name, 'et'));
      });
    },
  );

  app.post(
    '/municipalities/:code/reports/:id/updates',
    {
      schema: {
        security: SESSION,
        summary: 'Change the status, post a public update or an internal note (editors, admins); audited',
        params: TenantReport,
        body: UpdateBody,
        response: { 200: Type.Object({ eventId: Type.Integer(), status: Type.String() }) },
      },
    },
    (request) => updateReport(ctx, request.actor, request.params.code, request.params.id, request.body),
  );

  app.post(
    '/municipalities/:code/reports/:id/assign',
    {
      schema: {
        security: SESSION,
        summary: 'Assign to a department and/or an official; audited',
        params: TenantReport,
        body: AssignBody,
        response: {
          200: Type.Object({
            eventId: Type.Integer(),
            department: Type.Union([Type.String(), Type.Null()]),
            assigneePersonId: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    (request) => assignReport(ctx, request.actor, request.params.code, request.params.id, request.body),
  );

  app.post(
    '/municipalities/:code/reports/:id/merge',
    {
      schema: {
        security: SESSION,
        summary: 'Merge a duplicate into its original (duplicate_of, me-too count); audited',
        params: TenantReport,
        body: MergeBody,
        response: { 200: Type.Object({ id: Type.Integer(), duplicateOf: Type.Integer(), meTooCount: Type.Integer() }) },
      },
    },
    (request) => mergeDuplicate(ctx, request.actor, request.params.code, request.params.id, request.body.duplicateOf),
  );

  app.post(
    '/municipalities/:code/reports/:id/moderate',
    {
      schema: {
        security: SESSION,
        summary: 'Hide, redact the text, hide photos; the original stays in the history; audited',
        params: TenantReport,
        body: ModerateBody,
        response: { 200: Type.Object({ changed: Type.Boolean(), eventId: Type.Union([Type.Integer(), Type.Null()]) }) },
      },
    },
    (request) => moderateReport(ctx, request.actor, request.params.code, request.params.id, request.body),
  );

  app.get(
    '/municipalities/:code/reports/:id/deliveries',
    {
      schema: {
        security: SESSION,
        summary: 'Delivery log of a report (webhooks, Open311), every attempt',
        params: TenantReport,
        response: { 200: Type.Array(DeliverySchema) },
      },
    },
    (request) => listDeliveries(ctx, request.actor, request.params.code, { reportId: request.params.id }),
  );

  app.get(
    '/municipalities/:code/report-deliveries',
    {
      schema: {
        security: SESSION,
        summary: 'Delivery log of the municipality, newest first',
        params: Tenant,
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Array(DeliverySchema) },
      },
    },
    (request) => listDeliveries(ctx, request.actor, request.params.code, request.query),
  );

  app.post(
    '/municipalities/:code/report-deliveries/:id/resend',
    {
      schema: {
        security: SESSION,
        summary: 'Send a delivery again (a new delivery marked as a re-send); audited',
        params: Type.Object({ code: Code, id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ deliveryId: Type.Integer() }) },
      },
    },
    (request) => resendDelivery(ctx, request.actor, request.params.code, request.params.id),
  );

  // --- configuration (admins) ---
  app.get(
    '/municipalities/:code/report-categories/all',
    {
      schema: {
        security: SESSION,
        summary: 'All categories, inactive included (admins)',
        params: Tenant,
        response: { 200: Type.Array(CategorySchema) },
      },
    },
    async (request) => {
      canConfigure(request.actor, request.params.code);
      return listCategories(ctx, request.params.code, { includeInactive: true });
    },
  );

  app.post(
    '/municipalities/:code/report-categories',
    {
      schema: {
        security: SESSION,
        summary: 'Add a category (admins); audited',
        params: Tenant,
        body: Type.Intersect([Type.Object({ code: CategoryCode }), CategoryInput]),
        response: { 201: CategorySchema },
      },
    },
    async (request, reply) => {
      const { code, ...input } = request.body as { code: string } & Record<string, unknown>;
      return reply
        .code(201)
        .send(await saveCategory(ctx, request.actor, request.params.code, code, input, { create: true }));
    },
  );

  app.patch(
    '/municipalities/:code/report-categories/:category',
    {
      schema: {
        security: SESSION,
        summary: 'Rename, route, set SLA, questions, delivery, deactivate a category (admins); audited',
        params: Type.Object({ code: Code, category: CategoryCode }),
        body: CategoryInput,
        response: { 200: CategorySchema },
      },
    },
    (request) =>
      saveCategory(ctx, request.actor, request.params.code, request.params.category, request.body, { create: false }),
  );

  app.get(
    '/municipalities/:code/report-endpoints',
    {
      schema: {
        security: SESSION,
        summary: 'Delivery endpoints (webhooks, Open311 back-offices) (admins)',
        params: Tenant,
        response: { 200: Type.Array(EndpointSchema) },
      },
    },
    (request) => listEndpoints(ctx, request.actor, request.params.code),
  );

  app.post(
    '/municipalities/:code/report-endpoints',
    {
      schema: {
        security: SESSION,
        summary: 'Add a delivery endpoint (admins); audited',
        params: Tenant,
        body: EndpointBody,
        response: { 201: EndpointSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await saveEndpoint(ctx, request.actor, request.params.code, request.body)),
  );

  app.put(
    '/municipalities/:code/report-endpoints/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Change a delivery endpoint (admins); audited',
        params: Type.Object({ code: Code, id: Type.String({ format: 'uuid' }) }),
        body: EndpointBody,
        response: { 200: EndpointSchema },
      },
    },
    (request) => saveEndpoint(ctx, request.actor, request.params.code, { ...request.body, id: request.params.id }),
  );

  // --- analytics (analysts, editors, admins; 0000 = national for ELVL) ---
  const analyticsQuery = (
    code: string,
    q: { from: string; to: string; category?: string[]; area?: string; status?: string[] },
  ): AnalyticsQuery => ({
    scope: code,
    from: q.from,
    to: q.to,
    ...(q.category?.length ? { categories: q.category } : {}),
    ...(q.area ? { area: q.area } : {}),
    ...(q.status?.length ? { status: q.status as AnalyticsQuery['status'] } : {}),
  });

  app.get(
    '/municipalities/:code/reports/analytics',
    {
      schema: {
        security: SESSION,
        summary:
          'Analytics: volume, categories, areas, channels, time to acknowledge/close (median, P90), % within SLA, reopen rate, satisfaction, backlog',
        params: Tenant,
        querystring: AnalyticsQuerySchema,
        response: { 200: OverviewSchema },
      },
    },
    (request) => analyticsOverview(ctx, request.actor, analyticsQuery(request.params.code, request.query)),
  );

  app.get(
    '/municipalities/:code/reports/analytics/heat',
    {
      schema: {
        security: SESSION,
        summary: 'Report density per grid cell for the heat layer',
        params: Tenant,
        querystring: AnalyticsQuerySchema,
        response: {
          200: Type.Object({
            cellLat: Type.Number(),
            cellLon: Type.Number(),
            cells: Type.Array(Type.Object({ lat: Type.Number(), lon: Type.Number(), n: Type.Integer() })),
          }),
        },
      },
    },
    (request) => analyticsHeat(ctx, request.actor, analyticsQuery(request.params.code, request.query)),
  );

  app.get(
    '/municipalities/:code/reports/analytics.csv',
    {
      schema: {
        security: SESSION,
        summary: 'The analytics as CSV (one table: summary, months, categories, areas or channels)',
        params: Tenant,
        querystring: Type.Intersect([
          AnalyticsQuerySchema,
          Type.Object({
            table: Type.Optional(
              Type.Union([
                Type.Literal('summary'),
                Type.Literal('months'),
                Type.Literal('categories'),
                Type.Literal('areas'),
                Type.Literal('channels'),
              ]),
            ),
          }),
        ]),
      },
    },
    async (request, reply) => {
      const q = request.query as {
        from: string;
        to: string;
        category?: string[];
        area?: string;
        status?: string[];
        table?: 'summary' | 'months' | 'categories' | 'areas' | 'channels';
      };
      const o = await analyticsOverview(ctx, request.actor, analyticsQuery(request.params.code, q));
      const table = q.table ?? 'summary';
      reply.header(
        'content-disposition',
        `attachment; filename="reports-${request.params.code}-${q.from}-${q.to}-${table}.csv"`,
      );
      return reply.type('text/csv; charset=utf-8').send('\ufeff' + overviewCsv(o, table));
    },
  );
}
