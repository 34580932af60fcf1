import { Type, type Static } from 'typebox';
import QRCode from 'qrcode';
import formbody from '@fastify/formbody';
import type { FastifyReply } from 'fastify';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { Problem } from '../../platform/http/problems';
import { defineApiScope, requireApiClient, apiKeyFrom } from '../../platform/auth/apiKeys';
import { requirePerson } from '../../platform/auth/actor';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { inScope } from '../../platform/db/database';
import { RDF_MEDIA_TYPES, rdfFormatFor } from '../../platform/rdf';
import { PlaceCode } from '../places';
import * as S from './schemas';
import * as Res from './responses';
import * as R from './reference';
import { adoptTemplate, createService, updateService } from './editService';
import {
  getPublicService,
  getService,
  getVersion,
  listPublicServices,
  listServices,
  listVersions,
} from './readServices';
import { serviceDivergence } from './divergence';
import { coverageMatrix, municipalityCoverage } from './coverage';
import { municipalityOverlap, nationalOverlap } from './overlap';
import { lifeEventPage, listLifeEvents } from './lifeEvents';
import { assessService, assessmentReport, latestAssessment } from './assessment';
import {
  answersCsv,
  compareMunicipalities,
  createDelivery,
  recordAnswer,
  resultsCsv,
  satisfactionResults,
  surveyUrl,
  type Intake,
} from './satisfaction';
import { generalData, updateGeneralData } from './generalData';
import { exportCatalogue } from './cpsvExport';
import { openNow, personalItems } from './personalItems';
import { findService } from './store';
import { EMBED_JS, FRAME_JS, SURVEY_CSS, SURVEY_TEXT, renderMessage, renderSurvey } from './surveyPage';
import { P_SERVICES } from './rules';
import { toSummary } from './views';
import { findPersonByCode } from '../../platform/auth/persons';

/** API key scopes of this module. */
export const SCOPE_SURVEYS = defineApiScope(
  'services:surveys',
  'Create satisfaction survey deliveries after a service was provided (back-office systems)',
);
export const SCOPE_STATE_CHANNEL = defineApiScope(
  'services:state-channel',
  'State channels (eesti.ee, the state app): municipal services and, for a person they authenticated, the person’s items',
);

const SESSION = [{ session: [] }];
const Code = Type.Object({ code: PlaceCode });
const CodeId = Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }) });
const LangQuery = Type.Optional(S.LangCode);
const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD (Europe/Tallinn)' });

const lang = (l: string | undefined): R.Lang => (l === 'ru' || l === 'en' ? l : 'et');
const labels = <K extends string>(o: Record<K, R.Label>) =>
  (Object.entries(o) as [K, R.Label][]).map(([code, label]) => ({ code, label }));

/** from/to as given, else the year up to today (Tallinn time). */
function defaultPeriod(ctx: AppContext, q: { from?: string | undefined; to?: string | undefined }) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Tallinn' }).format(ctx.now());
  const to = q.to ?? today;
  const from = q.from ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
  return { from, to };
}

function sendCsv(reply: FastifyReply, filename: string, body: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send('\uFEFF' + body);
}

export function servicesRoutes(intake: Intake) {
  return async function routes(app: Api, ctx: AppContext) {
    // ---------------------------------------------------------------- reference
    app.get(
      '/services/reference',
      {
        schema: {
          summary: 'Code lists, life events, state services and standard principles (et/ru/en)',
          response: { 200: Res.ReferenceSchema },
        },
      },
      async () => ({
        fields: labels(R.FIELDS),
        targetGroups: labels(R.TARGET_GROUPS),
        serviceTypes: labels(R.SERVICE_TYPES),
        channelTypes: labels(R.CHANNEL_TYPES),
        outputTypes: labels(R.OUTPUT_TYPES),
        statuses: labels(R.STATUSES),
        feeTypes: labels(R.FEE_TYPES),
        stateRelations: labels(R.STATE_RELATIONS),
        lifeEvents: R.LIFE_EVENTS,
        stateServices: R.STATE_SERVICES,
        principles: [...R.STANDARD_PRINCIPLES],
        satisfactionLevels: [...R.SATISFACTION_LEVELS],
      }),
    );

    // ---------------------------------------------------------------- catalogue (officials)
    app.get(
      '/municipalities/:code/services',
      {
        schema: {
          security: SESSION,
          summary: "The municipality's catalogue with drafts (officials); for 0000 the national templates",
          params: Code,
          querystring: Type.Object({
            status: Type.Optional(S.ServiceStatus),
            lifeEvent: Type.Optional(Type.String({ maxLength: 60 })),
            field: Type.Optional(Type.String({ maxLength: 60 })),
            q: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: { 200: Type.Array(S.ServiceSummary) },
        },
      },
      (request) => listServices(ctx, request.actor, request.params.code, request.query),
    );
    app.post(
      '/municipalities/:code/services',
      {
        schema: {
          security: SESSION,
          summary: 'Create a service (editors); in 0000 a national template. Version 1 is kept',
          params: Code,
          body: S.ServiceInput,
          response: { 201: S.ServiceSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createService(ctx, request.actor, request.params.code, request.body)),
    );
    app.post(
      '/municipalities/:code/services/adopt',
      {
        schema: {
          security: SESSION,
          summary: "Adopt one of ELVL's templates (editors)",
          params: Code,
          body: Type.Object({ templateId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
          response: { 201: S.ServiceSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await adoptTemplate(ctx, request.actor, request.params.code, request.body.templateId)),
    );
    app.get(
      '/municipalities/:code/services/:id',
      {
        schema: {
          security: SESSION,
          summary: 'One service, current version (officials)',
          params: CodeId,
          response: { 200: S.ServiceSchema },
        },
      },
      (request) => getService(ctx, request.actor, request.params.code, request.params.id),
    );
    app.put(
      '/municipalities/:code/services/:id',
      {
        schema: {
          security: SESSION,
          summary: 'Save a new version (editors); 409 if baseVersion is not the current one',
          params: CodeId,
          body: S.ServiceUpdate,
          response: { 200: S.ServiceSchema },
        },
      },
      (request) => updateService(ctx, request.actor, request.params.code, request.params.id, request.body),
    );
    app.get(
      '/municipalities/:code/services/:id/versions',
      {
        schema: {
          security: SESSION,
          summary: 'Every version with who, when and what changed',
          params: CodeId,
          response: { 200: Type.Array(S.VersionSchema) },
        },
      },
      (request) => listVersions(ctx, request.actor, request.params.code, request.params.id),
    );
    app.get(
      '/municipalities/:code/services/:id/versions/:version',
      {
        schema: {
          security: SESSION,
          summary: 'One earlier version',
          params: Type.Object({
            code: PlaceCode,
            id: Type.String({ format: 'uuid' }),
            version: Type.String({ maxLength: 40, description: 'Version number (1, 2, …)' }),
          }),
          response: { 200: Res.VersionDetailSchema },
        },
      },
      (request) =>
        getVersion(
          ctx,
          request.actor,
          request.params.code,
          request.params.id,
          /^[0-9]{1,9}$/.test(request.params.version) ? Number(request.params.version) : NaN,
        ),
    );
    app.get(
      '/municipalities/:code/services/:id/divergence',
      {
        schema: {
          security: SESSION,
          summary: 'How an adopted service differs from its template',
          params: CodeId,
          response: { 200: Res.DivergenceSchema },
        },
      },
      (request) => serviceDivergence(ctx, request.actor, request.params.code, request.params.id),
    );
    app.get(
      '/municipalities/:code/services-coverage',
      {
        schema: {
          security: SESSION,
          summary: 'Which national templates the municipality has mapped',
          params: Code,
          response: { 200: Res.CoverageSchema },
        },
      },
      (request) => municipalityCoverage(ctx, request.actor, request.params.code),
    );
    app.get(
      '/municipalities/:code/services-overlap',
      {
        schema: {
          security: SESSION,
          summary: 'Municipal services that duplicate or depend on state services',
          params: Code,
          response: { 200: Res.OverlapSchema },
        },
      },
      (request) => municipalityOverlap(ctx, request.actor, request.params.code),
    );
    app.post(
      '/municipalities/:code/services/:id/assessments',
      {
        schema: {
          security: SESSION,
          summary: 'Service standard self-assessment (editors): score and gaps',
          params: CodeId,
          body: S.AssessmentInput,
          response: { 201: Res.AssessmentSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await assessService(ctx, request.actor, request.params.code, request.params.id, request.body)),
    );
    app.get(
      '/municipalities/:code/services/:id/assessment',
      {
        schema: {
          security: SESSION,
          summary: 'The latest self-assessment (null if none)',
          params: CodeId,
          response: { 200: Type.Union([Res.AssessmentSchema, Type.Null()]) },
        },
      },
      (request) => latestAssessment(ctx, request.actor, request.params.code, request.params.id),
    );
    app.get(
      '/municipalities/:code/services-assessment',
      {
        schema: {
          security: SESSION,
          summary: 'Standard check of the municipality: scores and gaps',
          params: Code,
          response: { 200: Res.AssessmentReportSchema },
        },
      },
      (request) => assessmentReport(ctx, request.actor, request.params.code),
    );
    app.put(
      '/municipalities/:code/general-data',
      {
        schema: {
          security: SESSION,
          summary: 'Set contacts and opening hours (editors); audited',
          params: Code,
          body: S.ProfileData,
          response: { 200: S.ProfileData },
        },
      },
      (request) => updateGeneralData(ctx, request.actor, request.params.code, request.body),
    );

    // ---------------------------------------------------------------- satisfaction (officials)
    app.get(
      '/municipalities/:code/services/:id/survey-link',
      {
        schema: {
          security: SESSION,
          summary: 'The survey of a service for a website (script, iframe), a service desk (link, QR code SVG)',
          params: CodeId,
          querystring: Type.Object({ channel: Type.Optional(S.ChannelType), lang: LangQuery }),
          response: {
            200: Type.Object({
              url: Type.String(),
              qrUrl: Type.String(),
              qrSvg: Type.String(),
              script: Type.String(),
              iframe: Type.String(),
            }),
          },
        },
      },
      async (request) => {
        const { code, id } = request.params;
        await getService(ctx, request.actor, code, id);
        const l = lang(request.query.lang);
        const channel = request.query.channel ?? 'service-desk';
        const url = surveyUrl(ctx, code, id, { channel, lang: l, source: 'link' });
        const qrUrl = surveyUrl(ctx, code, id, { channel, lang: l, source: 'qr' });
        const qrSvg = await QRCode.toString(qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
        const base = ctx.config.publicUrl;
        return {
          url,
          qrUrl,
          qrSvg,
          script: `<script src="${base}/survey/embed.js" data-municipality="${code}" data-service="${id}" data-channel="homepage" data-lang="${l}" async></script>`,
          iframe: `<iframe src="${surveyUrl(ctx, code, id, { channel: 'homepage', lang: l, source: 'embed' })}&amp;embed=1" title="${SURVEY_TEXT[l].title}" style="width:100%;max-width:42rem;height:34rem;border:0"></iframe>`,
        };
      },
    );
    app.post(
      '/municipalities/:code/survey-deliveries',
      {
        schema: {
          security: SESSION,
          summary:
            'Service delivered: create a single-use survey token and link (back-office systems with an API key of scope services:surveys in X-Api-Key, or editors)',
          params: Code,
          body: S.DeliveryInput,
          response: {
            201: Type.Object({
              token: Type.String(),
              url: Type.String(),
              expiresAt: Type.String({ format: 'date-time' }),
            }),
          },
        },
      },
      async (request, reply) => {
        const code = request.params.code;
        const by = apiKeyFrom(request)
          ? { client: await requireApiClient(ctx, request, { municipalityCode: code, scope: SCOPE_SURVEYS }) }
          : { actor: request.actor };
        return reply.code(201).send(await createDelivery(ctx, by, code, request.body));
      },
    );
    const ResultsQuery = Type.Object({
      from: Type.Optional(DateStr),
      to: Type.Optional(DateStr),
      serviceId: Type.Optional(Type.String({ format: 'uuid' })),
      channel: Type.Optional(S.ChannelType),
      groupBy: Type.Union(
        [
          Type.Literal('total'),
          Type.Literal('service'),
          Type.Literal('channel'),
          Type.Literal('month'),
          Type.Literal('service-channel'),
        ],
        { default: 'service' },
      ),
      format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
    });
    app.get(
      '/municipalities/:code/satisfaction',
      {
        schema: {
          security: SESSION,
          summary: 'Satisfaction index, level, satisfaction % per service, channel, month (JSON or CSV)',
          params: Code,
          querystring: ResultsQuery,
          response: { 200: Res.SatisfactionResultsSchema },
        },
      },
      async (request, reply) => {
        const q = request.query as Static<typeof ResultsQuery>;
        const period = defaultPeriod(ctx, q);
        const r = await satisfactionResults(ctx, request.actor, request.params.code, {
          ...period,
          groupBy: q.groupBy,
          ...(q.serviceId ? { serviceId: q.serviceId } : {}),
          ...(q.channel ? { channel: q.channel } : {}),
        });
        if (q.format === 'csv')
          return sendCsv(
            reply,
            `satisfaction-${request.params.code}-${period.from}-${period.to}-${q.groupBy}.csv`,
            resultsCsv([...r.rows, r.total]),
          );
        return r;
      },
    );
    app.get(
      '/municipalities/:code/satisfaction/answers.csv',
      {
        schema: {
          security: SESSION,
          summary:
            'The answers as CSV (no personal data is stored with them); the last year unless from/to say otherwise',
          params: Code,
          querystring: Type.Object({
            from: Type.Optional(DateStr),
            to: Type.Optional(DateStr),
            serviceId: Type.Optional(Type.String({ format: 'uuid' })),
          }),
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const q = request.query;
        const period = defaultPeriod(ctx, q);
        return sendCsv(
          reply,
          `answers-${request.params.code}-${period.from}-${period.to}.csv`,
          await answersCsv(ctx, request.actor, request.params.code, {
            ...period,
            ...(q.serviceId ? { serviceId: q.serviceId } : {}),
          }),
        );
      },
    );

    // ---------------------------------------------------------------- national (ELVL)
    app.get(
      '/services/coverage-matrix',
      {
        schema: {
          security: SESSION,
          summary: 'ELVL: every municipality × every template',
          response: { 200: Res.CoverageMatrixSchema },
        },
      },
      (request) => coverageMatrix(ctx, request.actor),
    );
    app.get(
      '/services/overlap',
      {
        schema: {
          security: SESSION,
          summary: 'ELVL: overlaps with state services in every municipality',
          response: { 200: Res.OverlapSchema },
        },
      },
      (request) => nationalOverlap(ctx, request.actor),
    );
    const CompareQuery = Type.Object({
      year: Type.Integer({ minimum: 2000, maximum: 2100 }),
      templateId: Type.Optional(Type.String({ format: 'uuid' })),
      field: Type.Optional(S.FieldCode),
      channel: Type.Optional(S.ChannelType),
      format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
    });
    app.get(
      '/satisfaction/comparison',
      {
        schema: {
          security: SESSION,
          summary: 'ELVL: satisfaction of municipalities compared for a year (from the monthly roll-up)',
          querystring: CompareQuery,
          response: { 200: Res.ComparisonSchema },
        },
      },
      async (request, reply) => {
        const q = request.query as Static<typeof CompareQuery>;
        const r = await compareMunicipalities(ctx, request.actor, {
          year: q.year,
          ...(q.templateId ? { templateId: q.templateId } : {}),
          ...(q.field ? { field: q.field } : {}),
          ...(q.channel ? { channel: q.channel } : {}),
        });
        if (q.format === 'csv')
          return sendCsv(reply, `satisfaction-comparison-${q.year}.csv`, resultsCsv([...r.municipalities, r.national]));
        return r;
      },
    );

    // ---------------------------------------------------------------- public
    const PublicQuery = Type.Object({
      q: Type.Optional(Type.String({ maxLength: 100 })),
      lifeEvent: Type.Optional(Type.String({ maxLength: 60 })),
      field: Type.Optional(Type.String({ maxLength: 60 })),
      lang: LangQuery,
    });
    app.get(
      '/public/municipalities/:code/services',
      {
        schema: {
          summary: "The municipality's services in use, searchable (public)",
          params: Code,
          querystring: PublicQuery,
          response: { 200: Type.Array(S.ServiceSummary) },
        },
      },
      async (request) => {
        const { q, lifeEvent, field } = request.query;
        if (lifeEvent && !R.lifeEventByCode.has(lifeEvent))
          throw new Problem(P_SERVICES.unknownLifeEvent, `There is no life or business event "${lifeEvent}"`);
        return (
          await listPublicServices(ctx, request.params.code, {
            ...(q ? { q } : {}),
            ...(lifeEvent ? { lifeEvent } : {}),
            ...(field ? { field } : {}),
          })
        ).map(toSummary);
      },
    );
    app.get(
      '/public/municipalities/:code/services/:id',
      {
        schema: {
          summary: 'One service in use, full description (public JSON)',
          params: CodeId,
          response: { 200: S.ServiceSchema },
        },
      },
      async (request) => {
        const row = await getPublicService(ctx, request.params.code, request.params.id);
        return {
          id: row.id,
          municipalityCode: row.municipality_code,
          identifier: row.identifier,
          version: row.version,
          status: row.status,
          templateId: row.template_id,
          templateVersion: row.template_version,
          data: row.data,
          updatedAt: row.updated_at.toISOString(),
          updatedBy: null,
        };
      },
    );
    app.get(
      '/public/municipalities/:code/life-events',
      {
        schema: {
          summary: 'Life and business events with the number of municipal services',
          params: Code,
          querystring: Type.Object({ lang: LangQuery }),
          response: { 200: Res.LifeEventListSchema },
        },
      },
      (request) => listLifeEvents(ctx, request.params.code, lang(request.query.lang)),
    );
    app.get(
      '/public/municipalities/:code/life-events/:event',
      {
        schema: {
          summary: 'A life-event page: municipal and state services step by step',
          params: Type.Object({ code: PlaceCode, event: Type.String({ maxLength: 60 }) }),
          querystring: Type.Object({ lang: LangQuery }),
          response: { 200: Res.LifeEventPageSchema },
        },
      },
      (request) => lifeEventPage(ctx, request.params.code, request.params.event, lang(request.query.lang)),
    );
    app.get(
      '/public/municipalities/:code/general-data',
      {
        schema: {
          summary: "The municipality's general data for Bürokratt: contacts, opening hours, services",
          params: Code,
          querystring: Type.Object({ lang: LangQuery }),
          response: { 200: Res.GeneralDataSchema },
        },
      },
      async (request, reply) => {
        reply.header('access-control-allow-origin', '*');
        return generalData(ctx, request.params.code, lang(request.query.lang));
      },
    );
    app.get(
      '/public/municipalities/:code/cpsv-ap',
      {
        schema: {
          summary:
            'The catalogue as CPSV-AP 3.2.0 RDF: Turtle (default) or JSON-LD (format=jsonld or Accept: application/ld+json)',
          params: Code,
          querystring: Type.Object({
            format: Type.Optional(Type.Union([Type.Literal('turtle'), Type.Literal('jsonld'), Type.Literal('ttl')])),
          }),
          produces: ['text/turtle', 'application/ld+json'],
        },
      },
      async (request, reply) => {
        const f =
          request.query.format === 'jsonld'
            ? 'jsonld'
            : request.query.format
              ? 'turtle'
              : rdfFormatFor(undefined, request.headers.accept);
        const format = f === 'jsonld' ? 'jsonld' : 'turtle';
        const { body } = await exportCatalogue(ctx, request.params.code, format);
        return reply
          .type(`${RDF_MEDIA_TYPES[format]}; charset=utf-8`)
          .header('access-control-allow-origin', '*')
          .send(body);
      },
    );

    // Answers from the embedded survey's own scripts or another site's form: CORS, no cookies.
    const cors = (reply: FastifyReply) => reply.header('access-control-allow-origin', '*').header('vary', 'origin');
    app.options('/public/municipalities/:code/survey-answers', { schema: { hide: true } }, (_request, reply) =>
      cors(reply)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400')
        .code(204)
        .send(),
    );
    app.post(
      '/public/municipalities/:code/survey-answers',
      {
        schema: {
          summary:
            'Record a satisfaction answer (public, CORS). With a delivery token: once per token. Without: rate-limited per address',
          params: Code,
          body: S.AnswerInput,
          response: { 201: Type.Object({ id: Type.Integer(), recorded: Type.Literal(true) }) },
        },
        config: { csrf: false },
        onSend: async (_request, reply) => {
          cors(reply);
        },
      },
      async (request, reply) => {
        const r = await recordAnswer(ctx, intake, request.params.code, request.body, { clientKey: request.ip });
        return reply.code(201).send(r);
      },
    );

    // ---------------------------------------------------------------- resident: "Minu vald"
    app.get(
      '/me/minu-vald',
      {
        schema: {
          security: SESSION,
          summary: "The logged-in person's items: surveys waiting, votes, reports (each kind from its module)",
          querystring: Type.Object({ lang: LangQuery }),
          response: { 200: S.PersonalItemsSchema },
        },
      },
      async (request) => {
        const person = requirePerson(request.actor);
        return { kinds: await personalItems(ctx, person.personId, lang(request.query.lang)) };
      },
    );

    app.get(
      '/now',
      {
        schema: {
          summary:
            "What is open now: the logged-in person's items (surveys, votes, reports, events; `mine`, null without a login) and what is open in the municipality (votes, council sittings; `open`), in one answer for the first view",
          querystring: Type.Object({
            lang: LangQuery,
            municipality: Type.Optional(PlaceCode),
          }),
          response: { 200: S.OpenNowSchema },
        },
      },
      async (request) => {
        const personId = request.actor.kind === 'person' ? request.actor.personId : null;
        return openNow(ctx, personId, request.query.municipality ?? null, lang(request.query.lang));
      },
    );

    // ---------------------------------------------------------------- machine API for state channels
    app.get(
      '/state-channel/municipalities/:code/services',
      {
        schema: {
          summary:
            'State channels (eesti.ee, state app): services of a municipality, in the asked language. API key (X-Api-Key) with scope services:state-channel',
          params: Code,
          querystring: Type.Object({ lang: LangQuery, lifeEvent: Type.Optional(Type.String({ maxLength: 60 })) }),
          response: { 200: Res.GeneralDataSchema },
        },
      },
      async (request) => {
        await requireApiClient(ctx, request, { scope: SCOPE_STATE_CHANNEL });
        const l = lang(request.query.lang);
        const le = request.query.lifeEvent;
        if (le && !R.lifeEventByCode.has(le))
          throw new Problem(P_SERVICES.unknownLifeEvent, `There is no life or business event "${le}"`);
        const data = await generalData(ctx, request.params.code, l);
        return { ...data, services: le ? data.services.filter((s) => s.lifeEvents.includes(le)) : data.services };
      },
    );
    app.post(
      '/state-channel/personal-items',
      {
        schema: {
          summary:
            'State channels: the items of a person the channel has authenticated (surveys, votes, reports). National API key (issued by ELVL) with scope services:state-channel',
          body: Type.Object(
            { personIdCode: Type.String({ pattern: '^[0-9]{11}$' }), lang: LangQuery },
            { additionalProperties: false },
          ),
          response: { 200: S.PersonalItemsSchema },
        },
        config: { csrf: false },
      },
      async (request) => {
        await requireApiClient(ctx, request, { municipalityCode: ELVL_TENANT, scope: SCOPE_STATE_CHANNEL });
        const personId = await findPersonByCode(ctx.db, request.body.personIdCode);
        if (!personId) return { kinds: {} };
        return { kinds: await personalItems(ctx, personId, lang(request.body.lang)) };
      },
    );
  };
}

// -------------------------------------------------------------------- the survey page (root)

const SurveyParams = Type.Object({ code: PlaceCode, id: Type.String({ format: 'uuid' }) });
const SurveyQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 5 })),
  channel: Type.Optional(Type.String({ maxLength: 20 })),
  source: Type.Optional(Type.String({ maxLength: 10 })),
  t: Type.Optional(Type.String({ maxLength: 100 })),
  embed: Type.Optional(Type.String({ maxLength: 2 })),
});
const FormBody = Type.Object({
  score: Type.Optional(Type.String({ maxLength: 2 })),
  effort: Type.Optional(Type.String({ maxLength: 2 })),
  comment: Type.Optional(Type.String({ maxLength: 5000 })),
  channel: Type.Optional(Type.String({ maxLength: 20 })),
  source: Type.Optional(Type.String({ maxLength: 10 })),
  t: Type.Optional(Type.String({ maxLength: 100 })),
});

export function surveyRoutes(intake: Intake) {
  return async function root(app: Api, ctx: AppContext) {
    await app.register(formbody);
    const EMBED = { embeddable: true } as const;
    app.get('/survey/embed.js', { schema: { hide: true }, config: EMBED }, (_r, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('access-control-allow-origin', '*')
        .send(EMBED_JS),
    );
    app.get('/survey/assets/frame.js', { schema: { hide: true }, config: EMBED }, (_r, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(FRAME_JS),
    );
    app.get('/survey/assets/survey.css', { schema: { hide: true }, config: EMBED }, (_r, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(SURVEY_CSS),
    );

    async function context(request: { params: Static<typeof SurveyParams>; query: Static<typeof SurveyQuery> }) {
      const { code, id } = request.params;
      const l = lang(request.query.lang);
      const tenant = await ctx.db.selectFrom('tenant').select('name').where('code', '=', code).executeTakeFirst();
      const service = tenant ? await inScope(ctx.db, { tenant: code }, (trx) => findService(trx, code, id)) : undefined;
      const usable = !!service && (service.status === 'active' || service.status === 'needs-change');
      const keep = (o: Record<string, string | undefined>) => {
        const u = new URLSearchParams();
        for (const [k, v] of Object.entries(o)) if (v) u.set(k, v);
        return u.toString();
      };
      const q = request.query;
      const channel = q.channel && q.channel in R.CHANNEL_TYPES ? q.channel : 'homepage';
      const source = q.source && ['embed', 'link', 'qr'].includes(q.source) ? q.source : 'link';
      const languages = Object.fromEntries(
        R.LANGS.map((x) => [x, `/survey/${code}/${id}?${keep({ ...q, lang: x })}`]),
      ) as Record<R.Lang, string>;
      return {
        code,
        id,
        l,
        tenant,
        service: usable ? service : undefined,
        channel,
        source,
        languages,
        action: `/survey/${code}/${id}?${keep({ lang: l, embed: q.embed })}`,
      };
    }
    const page = (reply: FastifyReply, status: number, html: string) =>
      reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);

    app.get(
      '/survey/:code/:id',
      { schema: { hide: true, params: SurveyParams, querystring: SurveyQuery }, config: EMBED },
      async (request, reply) => {
        const c = await context(request);
        const t = SURVEY_TEXT[c.l];
        if (!c.service || !c.tenant)
          return page(
            reply,
            404,
            renderMessage({
              lang: c.l,
              languages: c.languages,
              heading: t.errorTitle,
              text: t.notFound,
              kind: 'error',
            }),
          );
        return page(
          reply,
          200,
          renderSurvey({
            lang: c.l,
            municipalityName: c.tenant.name,
            serviceName: R.pick(c.service.data.name, c.l),
            action: c.action,
            hidden: { channel: c.channel, source: c.source, ...(request.query.t ? { t: request.query.t } : {}) },
            languages: c.languages,
          }),
        );
      },
    );

    app.post(
      '/survey/:code/:id',
      {
        schema: { hide: true, params: SurveyParams, querystring: SurveyQuery, body: FormBody },
        config: { ...EMBED, csrf: false },
      },
      async (request, reply) => {
        const c = await context(request);
        const t = SURVEY_TEXT[c.l];
        if (!c.service || !c.tenant)
          return page(
            reply,
            404,
            renderMessage({
              lang: c.l,
              languages: c.languages,
              heading: t.errorTitle,
              text: t.notFound,
              kind: 'error',
            }),
          );
        const body = request.body;
        const score = body.score ? Number(body.score) : NaN;
        const effort = body.effort ? Number(body.effort) : undefined;
        const channel = body.channel && body.channel in R.CHANNEL_TYPES ? body.channel : c.channel;
        const source =
          body.source && ['embed', 'link', 'qr'].includes(body.source)
            ? (body.source as 'embed' | 'link' | 'qr')
            : 'link';
        const values = {
          ...(Number.isInteger(score) ? { score } : {}),
          ...(effort ? { effort } : {}),
          ...(body.comment ? { comment: body.comment } : {}),
        };
        const again = (error: string, status: number) =>
          page(
            reply,
            status,
            renderSurvey({
              lang: c.l,
              municipalityName: c.tenant!.name,
              serviceName: R.pick(c.service!.data.name, c.l),
              action: c.action,
              hidden: { channel, source, ...(body.t ? { t: body.t } : {}) },
              languages: c.languages,
              error,
              values,
            }),
          );
        try {
          await recordAnswer(
            ctx,
            intake,
            c.code,
            {
              serviceId: c.id,
              channel: channel as S.AnswerInput['channel'],
              score,
              ...(effort !== undefined ? { effort } : {}),
              ...(body.comment ? { comment: body.comment } : {}),
              lang: c.l,
              source,
              ...(body.t ? { token: body.t } : {}),
            },
            { clientKey: request.ip, personId: request.actor.kind === 'person' ? request.actor.personId : undefined },
          );
        } catch (err) {
          if (!(err instanceof Problem)) throw err;
          const k = err.kind;
          if (k === P_SERVICES.tokenUsed)
            return page(
              reply,
              409,
              renderMessage({
                lang: c.l,
                languages: c.languages,
                heading: t.errorTitle,
                text: t.tokenUsed,
                kind: 'error',
              }),
            );
          if (k === P_SERVICES.tokenExpired)
            return page(
              reply,
              410,
              renderMessage({
                lang: c.l,
                languages: c.languages,
                heading: t.errorTitle,
                text: t.tokenExpired,
                kind: 'error',
              }),
            );
          if (k === P_SERVICES.tokenUnknown)
            return page(
              reply,
              404,
              renderMessage({
                lang: c.l,
                languages: c.languages,
                heading: t.errorTitle,
                text: t.tokenUnknown,
                kind: 'error',
              }),
            );
          if (k === P_SERVICES.rateLimited)
            return page(
              reply,
              429,
              renderMessage({
                lang: c.l,
                languages: c.languages,
                heading: t.errorTitle,
                text: t.rateLimited,
                kind: 'error',
              }),
            );
          if (err.status === 400)
            return again(Number.isInteger(score) && score >= 1 && score <= 5 ? err.detail : t.missingScore, 400);
          if (err.status === 404)
            return page(
              reply,
              404,
              renderMessage({
                lang: c.l,
                languages: c.languages,
                heading: t.errorTitle,
                text: t.notFound,
                kind: 'error',
              }),
            );
          throw err;
        }
        return page(
          reply,
          200,
          renderMessage({
            lang: c.l,
            languages: c.languages,
            heading: t.thanks,
            text: t.thanksMore,
            kind: 'ok',
            // No dead end: on to the service and "Minu vald" (not inside another site's frame).
            ...(source === 'embed'
              ? {}
              : {
                  onward: [
                    {
                      href: `${ctx.config.publicUrl}/teenused/${request.params.code}/${request.params.id}`,
                      label: t.toService,
                    },
                    { href: `${ctx.config.publicUrl}/minu-vald`, label: t.toMinuVald },
                  ],
                }),
          }),
        );
      },
    );
  };
}
