import { Type } from 'typebox';
import multipart from '@fastify/multipart';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { PlaceCode } from '../places';
import {
  ArticleInput,
  ArticleQuery,
  ArticleSchema,
  ArticleSummarySchema,
  AttachmentView,
  AuditInput,
  Level,
  MeasureCode,
  MeasureUpdate,
  ModuleCode,
  OfferInput,
  Progress,
  RequestInput,
  SessionInput,
  Slug,
  VersionSchema,
} from './schemas';
import { listArticleVersions, listArticles, readArticle } from './readArticles';
import { createArticle, reviseArticle } from './writeArticle';
import { commentOnArticle, markHelped } from './discussArticle';
import { ATTACHMENT_MEDIA_TYPES, MAX_ATTACHMENT_BYTES, attachToArticle, readAttachment } from './attachments';
import { importCatalogue } from './importCatalogue';
import { catalogueVersions, catalogueView } from './readCatalogue';
import { readTracker } from './readTracker';
import { setModuleScope, setTargetLevel, updateMeasure } from './updateTracker';
import { recordAudit, setFindingStatus } from './recordAudit';
import { shareTracker, trackersSharedWithMe } from './shareTracker';
import { trackerOverview } from './trackerOverview';
import { exportTrackerCsv } from './exportTracker';
import { listOffers, offerMentoring, updateOffer } from './offerMentoring';
import {
  askForMentor,
  listMentorSessions,
  listRequests,
  moveRequest,
  recordMentorSession,
  suggestMentors,
} from './mentorRequests';

const SESSION = [{ session: [] }];
/** Routes the public may call too (they then see only public content). */
const OPTIONAL_SESSION: Record<string, string[]>[] = [{ session: [] }, {}];
const Open = (props: Parameters<typeof Type.Object>[0] = {}) => Type.Object(props, { additionalProperties: true });
const SlugParams = Type.Object({ slug: Slug });
const TenantParams = Type.Object({ code: PlaceCode });
const Uuid = Type.String({ format: 'uuid' });

export async function hubRoutes(app: Api, ctx: AppContext) {
  await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 5 } });

  // Knowledge hub
  app.get(
    '/hub/articles',
    {
      schema: {
        security: OPTIONAL_SESSION,
        summary:
          'Search and list the hub (officials: all published; public: public articles only). Estonian inflections match (turvalisus → turvalisuse).',
        querystring: ArticleQuery,
        response: { 200: Type.Array(ArticleSummarySchema) },
      },
    },
    (request) => listArticles(ctx, request.actor, request.query),
  );
  app.post(
    '/hub/articles',
    {
      schema: {
        security: SESSION,
        summary:
          'Write an article, guide, template or standard solution (editors and admins of any municipality); audited',
        body: ArticleInput,
        response: { 201: Type.Object({ id: Type.String(), slug: Type.String(), version: Type.Integer() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await createArticle(ctx, request.actor, request.body)),
  );
  app.get(
    '/hub/articles/:slug',
    {
      schema: {
        security: OPTIONAL_SESSION,
        summary: 'One article with attachments, comments (officials) and "this helped" marks',
        params: SlugParams,
        response: { 200: ArticleSchema },
      },
    },
    (request) => readArticle(ctx, request.actor, request.params.slug),
  );
  app.put(
    '/hub/articles/:slug',
    {
      schema: {
        security: SESSION,
        summary: 'Save a new version (author or ELVL editor); audited',
        params: SlugParams,
        body: ArticleInput,
        response: { 200: Type.Object({ id: Type.String(), slug: Type.String(), version: Type.Integer() }) },
      },
    },
    (request) => reviseArticle(ctx, request.actor, request.params.slug, request.body),
  );
  app.get(
    '/hub/articles/:slug/versions',
    {
      schema: {
        security: SESSION,
        summary: 'Every version of an article, newest first (officials)',
        params: SlugParams,
        response: { 200: Type.Array(VersionSchema) },
      },
    },
    (request) => listArticleVersions(ctx, request.actor, request.params.slug),
  );
  app.post(
    '/hub/articles/:slug/comments',
    {
      schema: {
        security: SESSION,
        summary: 'Comment (officials)',
        params: SlugParams,
        body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String(), createdAt: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await commentOnArticle(ctx, request.actor, request.params.slug, request.body.body)),
  );
  app.put(
    '/hub/articles/:slug/helped',
    {
      schema: {
        security: SESSION,
        summary: 'Mark "this helped" (officials; once per person)',
        params: SlugParams,
        response: { 200: Type.Object({ count: Type.Integer(), mine: Type.Boolean() }) },
      },
    },
    (request) => markHelped(ctx, request.actor, request.params.slug, true),
  );
  app.delete(
    '/hub/articles/:slug/helped',
    {
      schema: {
        security: SESSION,
        summary: 'Take back "this helped"',
        params: SlugParams,
        response: { 200: Type.Object({ count: Type.Integer(), mine: Type.Boolean() }) },
      },
    },
    (request) => markHelped(ctx, request.actor, request.params.slug, false),
  );
  app.post(
    '/hub/articles/:slug/attachments',
    {
      schema: {
        security: SESSION,
        summary: `Attach files (multipart/form-data, at most 5 files of ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB); author or ELVL editor`,
        params: SlugParams,
        consumes: ['multipart/form-data'],
        response: { 201: Type.Array(AttachmentView) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await attachToArticle(ctx, request.actor, request.params.slug, request)),
  );
  app.get(
    '/hub/articles/:slug/attachments/:fileId',
    {
      schema: {
        security: OPTIONAL_SESSION,
        summary: 'Download an attachment (whoever may read the article)',
        params: Type.Object({ slug: Slug, fileId: Uuid }),
      },
    },
    async (request, reply) => {
      const f = await readAttachment(ctx, request.actor, request.params.slug, request.params.fileId);
      const ascii = f.filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
      // Files stored before the allow-list keep their bytes but are served as opaque data.
      return reply
        .type(ATTACHMENT_MEDIA_TYPES.includes(f.mediaType) ? f.mediaType : 'application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(f.content);
    },
  );

  // E-ITS catalogue
  app.get(
    '/eits/catalogue',
    {
      schema: {
        security: SESSION,
        summary: 'The E-ITS catalogue: modules with measures (current version unless named)',
        querystring: Type.Object({ version: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Open({ version: Type.String() }) },
      },
    },
    (request) => catalogueView(ctx, request.actor, request.query.version),
  );
  app.get(
    '/eits/catalogue/versions',
    {
      schema: {
        security: SESSION,
        summary: 'Imported catalogue versions with what changed from the version before',
        response: { 200: Type.Array(Open({ version: Type.String() })) },
      },
    },
    (request) => catalogueVersions(ctx, request.actor),
  );
  app.post(
    '/eits/catalogue/:version',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        security: SESSION,
        summary:
          "Import a catalogue version from RIA's file (the array /api/2/catalog/{version}/modules returns); ELVL admins; all or nothing; answers what changed",
        params: Type.Object({ version: Type.String({ pattern: '^[A-Za-z0-9._-]{1,40}$' }) }),
        querystring: Type.Object({ source: Type.Optional(Type.String({ maxLength: 200 })) }),
        body: Type.Unknown({ description: 'the catalogue file as RIA publishes it' }),
        response: { 201: Open({ version: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await importCatalogue(ctx, request.actor, request.params.version, request.body, request.query.source ?? ''),
        ),
  );

  // E-ITS tracker of a municipality
  const TrackerSchema = Open({
    municipalityCode: Type.String(),
    catalogueVersion: Type.String(),
    targetLevel: Type.String(),
    readOnly: Type.Boolean(),
    progress: Progress,
    byLayer: Type.Record(Type.String(), Progress),
    modules: Type.Array(Open()),
    audits: Type.Array(Open()),
    sharedWith: Type.Array(Type.String()),
  });
  app.get(
    '/municipalities/:code/eits',
    {
      schema: {
        security: SESSION,
        summary:
          "The municipality's E-ITS tracker with progress by layer and module (its officials, or a municipality it is shared with)",
        params: TenantParams,
        response: { 200: TrackerSchema },
      },
    },
    (request) => readTracker(ctx, request.actor, request.params.code),
  );
  app.get(
    '/municipalities/:code/eits/export.csv',
    { schema: { security: SESSION, summary: 'The tracker as CSV, one row per measure', params: TenantParams } },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="e-its-${request.params.code}.csv"`)
        .send(await exportTrackerCsv(ctx, request.actor, request.params.code)),
  );
  app.put(
    '/municipalities/:code/eits/level',
    {
      schema: {
        security: SESSION,
        summary: 'Set the protection level aimed at (editors)',
        params: TenantParams,
        body: Type.Object({ targetLevel: Level }, { additionalProperties: false }),
        response: { 200: Type.Object({ targetLevel: Type.String() }) },
      },
    },
    (request) => setTargetLevel(ctx, request.actor, request.params.code, request.body.targetLevel),
  );
  app.put(
    '/municipalities/:code/eits/modules/:module',
    {
      schema: {
        security: SESSION,
        summary: 'Mark a module as applying or not, with a note (editors)',
        params: Type.Object({ code: PlaceCode, module: ModuleCode }),
        body: Type.Object(
          { applies: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ moduleCode: Type.String(), applies: Type.Boolean() }) },
      },
    },
    (request) => setModuleScope(ctx, request.actor, request.params.code, request.params.module, request.body),
  );
  app.put(
    '/municipalities/:code/eits/measures/:measure',
    {
      schema: {
        security: SESSION,
        summary: "Update a measure's status, responsibility, due date and evidence (editors); audited",
        params: Type.Object({ code: PlaceCode, measure: MeasureCode }),
        body: MeasureUpdate,
        response: { 200: Type.Object({ measureCode: Type.String(), status: Type.String(), updatedAt: Type.String() }) },
      },
    },
    (request) => updateMeasure(ctx, request.actor, request.params.code, request.params.measure, request.body),
  );
  app.post(
    '/municipalities/:code/eits/audits',
    {
      schema: {
        security: SESSION,
        summary: 'Record an audit with its findings (editors)',
        params: TenantParams,
        body: AuditInput,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordAudit(ctx, request.actor, request.params.code, request.body)),
  );
  app.put(
    '/municipalities/:code/eits/findings/:findingId',
    {
      schema: {
        security: SESSION,
        summary: 'Open or resolve an audit finding (editors)',
        params: Type.Object({ code: PlaceCode, findingId: Uuid }),
        body: Type.Object(
          { status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ id: Type.String(), status: Type.String() }) },
      },
    },
    (request) =>
      setFindingStatus(ctx, request.actor, request.params.code, request.params.findingId, request.body.status),
  );
  app.put(
    '/municipalities/:code/eits/shares/:with',
    {
      schema: {
        security: SESSION,
        summary: 'Share the tracker (read only) with another municipality (admins)',
        params: Type.Object({ code: PlaceCode, with: PlaceCode }),
        response: { 200: Type.Object({ sharedWith: Type.String(), shared: Type.Boolean() }) },
      },
    },
    (request) => shareTracker(ctx, request.actor, request.params.code, request.params.with, true),
  );
  app.delete(
    '/municipalities/:code/eits/shares/:with',
    {
      schema: {
        security: SESSION,
        summary: 'Stop sharing the tracker (admins)',
        params: Type.Object({ code: PlaceCode, with: PlaceCode }),
        response: { 200: Type.Object({ sharedWith: Type.String(), shared: Type.Boolean() }) },
      },
    },
    (request) => shareTracker(ctx, request.actor, request.params.code, request.params.with, false),
  );
  app.get(
    '/eits/shared-with-me',
    {
      schema: {
        security: SESSION,
        summary: 'Trackers other municipalities share with mine',
        response: { 200: Type.Array(Open()) },
      },
    },
    (request) => trackersSharedWithMe(ctx, request.actor),
  );
  app.get(
    '/eits/overview',
    {
      schema: {
        security: SESSION,
        summary: 'Progress across municipalities: named for ELVL staff, anonymised for everyone',
        querystring: Type.Object({ anonymise: Type.Boolean({ default: true }) }),
        response: { 200: Open({ anonymised: Type.Boolean(), municipalities: Type.Array(Open()) }) },
      },
    },
    (request) => trackerOverview(ctx, request.actor, request.query.anonymise),
  );

  // Mentor network
  app.get(
    '/mentors/offers',
    { schema: { security: SESSION, summary: 'Mentoring offers (officials)', response: { 200: Type.Array(Open()) } } },
    (request) => listOffers(ctx, request.actor),
  );
  app.post(
    '/mentors/offers',
    {
      schema: {
        security: SESSION,
        summary: 'Offer to mentor on E-ITS modules',
        body: OfferInput,
        response: { 201: Open() },
      },
    },
    async (request, reply) => reply.code(201).send(await offerMentoring(ctx, request.actor, request.body)),
  );
  app.patch(
    '/mentors/offers/:id',
    {
      schema: {
        security: SESSION,
        summary: 'Change or pause an offer (its mentor or an ELVL coordinator)',
        params: Type.Object({ id: Uuid }),
        body: Type.Partial(OfferInput, { additionalProperties: false }),
        response: { 200: Open() },
      },
    },
    (request) => updateOffer(ctx, request.actor, request.params.id, request.body),
  );
  app.get(
    '/mentors/requests',
    {
      schema: {
        security: SESSION,
        summary: 'Requests for help: own, matched to my offers, and open ones',
        response: { 200: Type.Array(Open()) },
      },
    },
    (request) => listRequests(ctx, request.actor),
  );
  app.post(
    '/mentors/requests',
    {
      schema: {
        security: SESSION,
        summary: 'Ask for a mentor (an official of the requesting municipality)',
        body: RequestInput,
        response: { 201: Type.Object({ id: Type.String(), status: Type.String() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await askForMentor(ctx, request.actor, request.body)),
  );
  app.get(
    '/mentors/requests/:id/suggestions',
    {
      schema: {
        security: SESSION,
        summary: 'Suggested mentors (module overlap, county, load)',
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Array(Open()) },
      },
    },
    (request) => suggestMentors(ctx, request.actor, request.params.id),
  );
  app.post(
    '/mentors/requests/:id/:step',
    {
      schema: {
        security: SESSION,
        summary: 'Move a request: match (with offerId), accept, decline, cancel, complete',
        params: Type.Object({
          id: Uuid,
          step: Type.Union([
            Type.Literal('match'),
            Type.Literal('accept'),
            Type.Literal('decline'),
            Type.Literal('cancel'),
            Type.Literal('complete'),
          ]),
        }),
        body: Type.Optional(Type.Object({ offerId: Type.Optional(Uuid) }, { additionalProperties: false })),
        response: { 200: Type.Object({ id: Type.String(), status: Type.String() }) },
      },
    },
    (request) => moveRequest(ctx, request.actor, request.params.id, request.params.step, request.body?.offerId),
  );
  app.get(
    '/mentors/requests/:id/sessions',
    {
      schema: {
        security: SESSION,
        summary: 'Sessions held',
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Array(Open()) },
      },
    },
    (request) => listMentorSessions(ctx, request.actor, request.params.id),
  );
  app.post(
    '/mentors/requests/:id/sessions',
    {
      schema: {
        security: SESSION,
        summary: 'Record a session held (the mentor or the municipality)',
        params: Type.Object({ id: Uuid }),
        body: SessionInput,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordMentorSession(ctx, request.actor, request.params.id, request.body)),
  );
}
