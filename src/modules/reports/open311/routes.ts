import { Type } from 'typebox';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Api } from '../../../platform/module';
import type { AppContext } from '../../../platform/context';
import { ANONYMOUS } from '../../../platform/auth/actor';
import { authenticateApiKey, clientAllows, type ApiClient } from '../../../platform/auth/apiKeys';
import { inScope, type Trx } from '../../../platform/db/database';
import { Problem } from '../../../platform/http/problems';
import { readEhak } from '../../../platform/places/ehak';
import { categoriesOf, type Category } from '../categories';
import { DEFAULT_CATEGORIES } from '../taxonomy';
import { submitReport } from '../submitReport';
import { applyBackOfficeUpdate } from '../applyBackOfficeUpdate';
import { CLOSED_STATUSES, OPEN_STATUSES, fmsStatus, open311Status } from '../statuses';
import { placeName } from '../getReport';
import { type ReportStatus } from '../store';
import { render, renderErrors, renderObject, w3cDateTime, type Format, type Value } from './format';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) with FixMyStreet's
 * servicerequestupdates extension, nationally and per municipality:
 *
 *   /open311/v2/{discovery|services|requests|servicerequestupdates}.{json|xml}
 *   /open311/v2/services/{service_code}.{fmt}  /open311/v2/requests/{id}.{fmt}  /open311/v2/tokens/{token}.{fmt}
 *   /open311/v2/{municipality}/…   the same, for one municipality (EHAK code, e.g. 0793)
 *
 * Nationally, `jurisdiction_id` may name a municipality; new requests are routed by their point.
 * Writing (POST requests, POST servicerequestupdates) needs an `api_key` with the scope
 * `reports.open311` of the municipality (or a national ELVL key). Errors are the spec's list of
 * {code, description}: 400 for bad input, 403 for a bad key, 404 for what does not exist.
 */
export const OPEN311_PREFIX = '/open311/v2';
export const SPEC_URL = 'http://wiki.open311.org/GeoReport_v2';
const SCOPE = 'reports.open311';

class Open311Error extends Error {
  constructor(
    public readonly code: 400 | 403 | 404,
    public readonly description: string,
  ) {
    super(description);
  }
}

const formatOf = (request: FastifyRequest): Format => (/\.json(?:\?|$)/.test(request.url) ? 'json' : 'xml');
const FormatParam = Type.Union([Type.Literal('json'), Type.Literal('xml')]);
const MunicipalityParam = Type.String({ pattern: '^[0-9]{4}$' });

function send(reply: FastifyReply, doc: { body: string; type: string }, status = 200) {
  return reply.code(status).type(doc.type).header('cache-control', 'no-store').send(doc.body);
}

export async function open311Routes(app: Api, ctx: AppContext) {
  await app.register(
    async (o) => {
      await o.register(formbody);
      o.setErrorHandler((error: FastifyError | Problem | Open311Error, request, reply) => {
        const format = formatOf(request);
        let code: number;
        let description: string;
        if (error instanceof Open311Error) {
          code = error.code;
          description = error.description;
        } else if (error instanceof Problem) {
          code =
            error.status === 404
              ? 404
              : error.status === 401 || error.status === 403
                ? 403
                : error.status >= 500
                  ? 500
                  : 400;
          const fields = (error.extras.errors ?? []).map(
            (e) => `${e.pointer.replace(/^\/(body|query)\//, '')}: ${e.detail}`,
          );
          description = fields.length ? `${error.detail} (${fields.join('; ')})` : error.detail;
        } else if ((error as FastifyError).validation) {
          code = 400;
          description = (error as FastifyError)
            .validation!.map(
              (v) =>
                `${(v.instancePath || '').replace(/^\//, '') || (v.params as { missingProperty?: string; additionalProperty?: string }).missingProperty || (v.params as { additionalProperty?: string }).additionalProperty || 'request'}: ${v.message}`,
            )
            .join('; ');
        } else if ((error as FastifyError).statusCode && (error as FastifyError).statusCode! < 500) {
          code = (error as FastifyError).statusCode === 404 ? 404 : 400;
          description = error.message;
        } else {
          request.log.error({ err: error }, 'Open311 request failed');
          code = 500;
          description = `Internal error; quote request id ${request.id}`;
        }
        if (code >= 500 && error instanceof Problem) request.log.error({ err: error }, 'Open311 request failed');
        return send(reply, renderErrors(format, [{ code, description }]), code);
      });
      o.setNotFoundHandler((request, reply) =>
        send(
          reply,
          renderErrors(formatOf(request), [
            { code: 404, description: `No Open311 endpoint ${request.method} ${request.url.split('?')[0]}` },
          ]),
          404,
        ),
      );

      registerAll(o as Api, ctx, 'national');
      registerAll(o as Api, ctx, 'municipal');
    },
    { prefix: OPEN311_PREFIX },
  );
}

type Mode = 'national' | 'municipal';

interface Where {
  /** A municipality, or undefined for all (national without jurisdiction_id). */
  municipality: string | undefined;
}

const municipalities = () =>
  new Set(
    readEhak()
      .filter((u) => u.level === 'municipality')
      .map((u) => u.code),
  );

function resolveJurisdiction(mode: Mode, params: { municipality?: string }, jurisdictionId: string | undefined): Where {
  const known = municipalities();
  if (mode === 'municipal') {
    const m = params.municipality!;
    if (!known.has(m)) throw new Open311Error(404, `No municipality ${m}`);
    if (jurisdictionId && jurisdictionId !== m)
      throw new Open311Error(400, `jurisdiction_id ${jurisdictionId} does not match this endpoint (${m})`);
    return { municipality: m };
  }
  if (jurisdictionId) {
    if (!known.has(jurisdictionId))
      throw new Open311Error(404, `No jurisdiction ${jurisdictionId}: use the EHAK code of a municipality`);
    return { municipality: jurisdictionId };
  }
  return { municipality: undefined };
}

function langOf(request: FastifyRequest): 'et' | 'en' | 'ru' {
  const l = (request.headers['accept-language'] ?? '').slice(0, 2).toLowerCase();
  return l === 'en' || l === 'ru' ? l : 'et';
}

function serviceOf(c: Category | (typeof DEFAULT_CATEGORIES)[number], lang: 'et' | 'en' | 'ru') {
  const isCat = 'name' in c;
  const name = isCat ? c.name[lang] : c[lang];
  const attrs = isCat ? c.attributes : (c.attributes ?? []);
  return {
    service_code: c.code,
    service_name: name,
    description: isCat && c.description ? c.description : name,
    metadata: attrs.length > 0,
    type: isCat ? c.open311Type : 'realtime',
    keywords: c.domain,
    group: c.domain,
  };
}

async function withKey(
  ctx: AppContext,
  apiKey: string | undefined,
  municipality: string | undefined,
  required: boolean,
): Promise<ApiClient | null> {
  if (!apiKey) {
    if (required) throw new Open311Error(400, 'api_key is required');
    return null;
  }
  const client = await authenticateApiKey(ctx, apiKey);
  if (!client) throw new Open311Error(403, 'Invalid api_key received -- the key is unknown or revoked');
  if (!clientAllows(client, municipality, SCOPE))
    throw new Open311Error(
      403,
      municipality
        ? `The api_key is not valid for jurisdiction ${municipality}`
        : `The api_key lacks the scope ${SCOPE}`,
    );
  return client;
}

function parseDate(value: string | undefined, name: string): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime()))
    throw new Open311Error(400, `${name} must be a W3C date-time, e.g. 2026-05-04T09:30:00+03:00`);
  return d;
}

interface RequestRow {
  municipality_code: string;
  id: number;
  status: ReportStatus;
  category_code: string;
  description: string;
  body_code: string | null;
  department: string | null;
  created_at: Date;
  updated_at: Date;
  sla_due_at: Date | null;
  address: string | null;
  lat: number;
  lon: number;
  token: string | null;
  status_notes: string | null;
  photo: number | null;
}

async function requestRows(trx: Trx, where: Where, filter: (q: any) => any): Promise<RequestRow[]> {
  let q = trx
    .selectFrom('report as r')
    .select([
      'r.municipality_code',
      'r.id',
      'r.status',
      'r.category_code',
      'r.description',
      'r.body_code',
      'r.department',
      'r.created_at',
      'r.updated_at',
      'r.sla_due_at',
      'r.address',
      'r.lat',
      'r.lon',
      'r.token',
    ])
    .select(
      sql<
        string | null
      >`(SELECT e.text FROM report_event e WHERE e.municipality_code = r.municipality_code AND e.report_id = r.id AND e.public AND e.kind IN ('status', 'update') AND e.text IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1)`.as(
        'status_notes',
      ),
    )
    .select(
      sql<
        number | null
      >`(SELECT min(p.position) FROM report_photo p WHERE p.municipality_code = r.municipality_code AND p.report_id = r.id AND NOT p.hidden)`.as(
        'photo',
      ),
    )
    .where('r.hidden', '=', false);
  if (where.municipality) q = q.where('r.municipality_code', '=', where.municipality);
  q = filter(q);
  return (await q.execute()) as RequestRow[];
}

function requestOf(
  ctx: AppContext,
  r: RequestRow,
  cats: Map<string, Category[]>,
  bodies: Map<string, string>,
  lang: 'et' | 'en' | 'ru',
): { [k: string]: Value } {
  const cat = cats.get(r.municipality_code)?.find((c) => c.code === r.category_code);
  const days = cat?.slaDays;
  return {
    service_request_id: String(r.id),
    status: open311Status(r.status),
    status_notes: r.status_notes,
    service_name: cat?.name[lang] ?? r.category_code,
    service_code: r.category_code,
    description: r.description,
    agency_responsible: r.body_code
      ? (bodies.get(r.body_code) ?? r.body_code)
      : r.department
        ? `${placeName(r.municipality_code)}: ${r.department}`
        : placeName(r.municipality_code),
    service_notice: days
      ? lang === 'en'
        ? `Target: handled within ${days} days`
        : lang === 'ru'
          ? `Цель: решение в течение ${days} дней`
          : `Eesmärk: lahendada ${days} päeva jooksul`
      : null,
    requested_datetime: w3cDateTime(r.created_at),
    updated_datetime: w3cDateTime(r.updated_at),
    expected_datetime: w3cDateTime(r.sla_due_at),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.photo ? `${ctx.config.publicUrl}/api/v1/reports/${r.id}/photos/${r.photo}` : null,
  };
}

async function lookups(trx: Trx, rows: { municipality_code: string }[]) {
  const cats = new Map<string, Category[]>();
  for (const m of new Set(rows.map((r) => r.municipality_code))) cats.set(m, await categoriesOf(trx, m));
  const bodies = new Map(
    (await trx.selectFrom('report_body').select(['code', 'name']).execute()).map((b) => [b.code, b.name]),
  );
  return { cats, bodies };
}

const ATTRIBUTE_KEY = /^attribute\[([a-z0-9_-]{1,40})\](\[\])?$/;

/** Form fields of POST requests: the spec's, plus `attribute[code]` (and `attribute[code][]`). */
const PostRequestBody = Type.Unsafe<Record<string, string | string[]>>({
  type: 'object',
  properties: {
    api_key: { type: 'string', maxLength: 200 },
    jurisdiction_id: { type: 'string', maxLength: 20 },
    service_code: { type: 'string', maxLength: 60 },
    lat: { type: ['string', 'number'] },
    long: { type: ['string', 'number'] },
    address_string: { type: 'string', maxLength: 300 },
    address_id: { type: 'string', maxLength: 60 },
    email: { type: 'string', maxLength: 200 },
    device_id: { type: 'string', maxLength: 200 },
    account_id: { type: 'string', maxLength: 200 },
    first_name: { type: 'string', maxLength: 100 },
    last_name: { type: 'string', maxLength: 100 },
    phone: { type: 'string', maxLength: 40 },
    description: { type: 'string', maxLength: 20000 },
    media_url: { type: ['string', 'array'] },
  },
  patternProperties: {
    '^attribute\\[[a-z0-9_-]{1,40}\\](\\[\\])?$': { type: ['string', 'array'], items: { type: 'string' } },
  },
  additionalProperties: false,
});

const PostUpdateBody = Type.Unsafe<Record<string, string>>({
  type: 'object',
  properties: {
    api_key: { type: 'string', maxLength: 200 },
    jurisdiction_id: { type: 'string', maxLength: 20 },
    service_request_id: { type: 'string', maxLength: 60 },
    service_request_id_ext: { type: 'string', maxLength: 60 },
    update_id: { type: 'string', maxLength: 100 },
    update_id_ext: { type: 'string', maxLength: 100 },
    status: { type: 'string', maxLength: 60 },
    external_status_code: { type: 'string', maxLength: 60 },
    description: { type: 'string', maxLength: 20000 },
    updated_datetime: { type: 'string', maxLength: 40 },
    first_name: { type: 'string', maxLength: 100 },
    last_name: { type: 'string', maxLength: 100 },
    title: { type: 'string', maxLength: 100 },
    email: { type: 'string', maxLength: 200 },
    phone: { type: 'string', maxLength: 40 },
    media_url: { type: 'string', maxLength: 1000 },
    service_code: { type: 'string', maxLength: 60 },
    public_anonymity_required: { type: 'string', maxLength: 10 },
    email_alerts_requested: { type: 'string', maxLength: 10 },
  },
  additionalProperties: false,
});

function registerAll(o: Api, ctx: AppContext, mode: Mode) {
  const pre = mode === 'municipal' ? '/:municipality' : '';
  const params = (extra: Record<string, ReturnType<typeof Type.String>> = {}) =>
    Type.Object({
      ...(mode === 'municipal' ? { municipality: MunicipalityParam } : {}),
      ...extra,
      format: FormatParam,
    });
  const tag = { tags: ['open311'] };
  const scopeLabel =
    mode === 'municipal' ? ' (one municipality)' : ' (national; jurisdiction_id = municipality EHAK code)';

  o.get(
    `${pre}/discovery.:format`,
    { schema: { ...tag, summary: `Open311 discovery${scopeLabel}`, params: params() } },
    async (request, reply) => {
      const p = request.params as { municipality?: string; format: Format };
      const where = resolveJurisdiction(mode, p, undefined);
      const url = `${ctx.config.publicUrl}${OPEN311_PREFIX}${where.municipality ? `/${where.municipality}` : ''}`;
      return send(
        reply,
        renderObject(p.format, 'discovery', {
          changeset: '2026-01-01T00:00:00+02:00',
          contact: `${where.municipality ? placeName(where.municipality) : 'ELVL'} — KOV platvorm, Anna Teada. API keys from the municipality’s administrators.`,
          key_service: `${ctx.config.publicUrl}/admin/api-clients`,
          endpoints: [
            {
              specification: SPEC_URL,
              url,
              changeset: '2026-01-01T00:00:00+02:00',
              type: 'production',
              formats: ['text/xml', 'application/json'],
            },
          ],
        }),
      );
    },
  );

  o.get(
    `${pre}/services.:format`,
    {
      schema: {
        ...tag,
        summary: `Open311 service list (report categories)${scopeLabel}`,
        params: params(),
        querystring: Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; format: Format };
      const where = resolveJurisdiction(mode, p, request.query.jurisdiction_id);
      const lang = langOf(request);
      const list = where.municipality
        ? (await inScope(ctx.db, { tenant: where.municipality }, (trx) => categoriesOf(trx, where.municipality!)))
            .filter((c) => c.active)
            .map((c) => serviceOf(c, lang))
        : DEFAULT_CATEGORIES.map((c) => serviceOf(c, lang));
      return send(reply, render(p.format, 'services', list));
    },
  );

  o.get(
    `${pre}/services/:service.:format`,
    {
      schema: {
        ...tag,
        summary: `Open311 service definition (extra questions as attributes)${scopeLabel}`,
        params: params({ service: Type.String({ maxLength: 60 }) }),
        querystring: Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; service: string; format: Format };
      const where = resolveJurisdiction(mode, p, request.query.jurisdiction_id);
      const cat = where.municipality
        ? (await inScope(ctx.db, { tenant: where.municipality }, (trx) => categoriesOf(trx, where.municipality!))).find(
            (c) => c.code === p.service && c.active,
          )
        : DEFAULT_CATEGORIES.find((c) => c.code === p.service);
      if (!cat) throw new Open311Error(404, `No service ${p.service}`);
      const attrs = 'name' in cat ? cat.attributes : (cat.attributes ?? []);
      return send(
        reply,
        renderObject(p.format, 'service_definition', {
          service_code: cat.code,
          attributes: attrs.map((a, i) => ({
            variable: true,
            code: a.code,
            datatype: a.datatype,
            required: a.required,
            datatype_description: a.datatype === 'datetime' ? 'W3C date-time' : null,
            order: i + 1,
            description: a.description,
            ...(a.values?.length ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
          })),
        }),
      );
    },
  );

  o.post(
    `${pre}/requests.:format`,
    {
      schema: {
        ...tag,
        summary: `Open311 create service request (api_key needed)${scopeLabel}`,
        params: params(),
        body: PostRequestBody,
      },
      config: { csrf: false },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; format: Format };
      const b = request.body as Record<string, string | string[] | number>;
      const str = (k: string) =>
        typeof b[k] === 'string' ? (b[k] as string) : typeof b[k] === 'number' ? String(b[k]) : undefined;
      const where = resolveJurisdiction(mode, p, str('jurisdiction_id'));
      if (!str('service_code')) throw new Open311Error(400, 'service_code is required');
      const client = await withKey(ctx, str('api_key'), where.municipality, true);
      const num = (k: string) => {
        const v = str(k);
        if (v === undefined || v === '') return undefined;
        const n = Number(v);
        if (!Number.isFinite(n)) throw new Open311Error(400, `${k} must be a number`);
        return n;
      };
      const lat = num('lat');
      const lon = num('long');
      if ((lat === undefined || lon === undefined) && !str('address_string'))
        throw new Open311Error(400, 'give the location: lat and long, or address_string');
      if ((lat === undefined || lon === undefined) && !where.municipality)
        throw new Open311Error(
          400,
          'lat and long are required nationally (address_string alone cannot be routed); use the municipality’s endpoint or jurisdiction_id',
        );
      const attributes: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(b)) {
        const m = ATTRIBUTE_KEY.exec(k);
        if (m) attributes[m[1]!] = Array.isArray(v) ? v.map(String) : String(v);
      }
      const name = [str('first_name'), str('last_name')].filter(Boolean).join(' ');
      // A national key may report anywhere; a municipality's key only there (checked after routing).
      const submitted = await submitReport(ctx, ANONYMOUS, {
        ...(where.municipality
          ? { municipalityCode: where.municipality }
          : client && client.municipalityCode !== '0000'
            ? { municipalityCode: client.municipalityCode }
            : {}),
        categoryCode: str('service_code')!,
        description: str('description') ?? '',
        ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}),
        ...(str('address_string') ? { address: str('address_string')! } : {}),
        attributes,
        ...(name ? { name } : {}),
        ...(str('email') ? { email: str('email')! } : {}),
        ...(str('phone') ? { phone: str('phone')! } : {}),
        channel: 'open311',
        ...(client ? { apiClientId: client.id } : {}),
        pointerBase: '/body',
      }).catch((err) => {
        // Open311 names the fields by their own names.
        if (err instanceof Problem && err.kind.slug === 'report-unknown-category')
          throw new Open311Error(400, `service_code ${str('service_code')} is not a service of this jurisdiction`);
        if (err instanceof Problem && err.kind.slug === 'report-wrong-municipality')
          throw new Open311Error(client && !where.municipality ? 403 : 400, err.detail);
        throw err;
      });
      const cat = await inScope(ctx.db, { tenant: submitted.municipalityCode }, (trx) =>
        categoriesOf(trx, submitted.municipalityCode),
      );
      const days = cat.find((c) => c.code === submitted.categoryCode)?.slaDays;
      const notice = `${placeName(submitted.municipalityCode)}${days ? `: ${days} päeva` : ''}`;
      const item = submitted.token
        ? { token: submitted.token, service_notice: notice, account_id: null }
        : { service_request_id: String(submitted.id), service_notice: notice, account_id: null };
      return send(reply, render(p.format, 'service_requests', [item]));
    },
  );

  o.get(
    `${pre}/requests.:format`,
    {
      schema: {
        ...tag,
        summary: `Open311 service requests (default: the last 90 days, at most 1000)${scopeLabel}`,
        params: params(),
        querystring: Type.Object({
          jurisdiction_id: Type.Optional(Type.String({ maxLength: 20 })),
          service_request_id: Type.Optional(Type.String({ maxLength: 2000 })),
          service_code: Type.Optional(Type.String({ maxLength: 1000 })),
          start_date: Type.Optional(Type.String({ maxLength: 40 })),
          end_date: Type.Optional(Type.String({ maxLength: 40 })),
          status: Type.Optional(Type.String({ maxLength: 20 })),
          api_key: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; format: Format };
      const q = request.query;
      const where = resolveJurisdiction(mode, p, q.jurisdiction_id);
      if (q.api_key) await withKey(ctx, q.api_key, where.municipality, false);
      const lang = langOf(request);
      const ids = q.service_request_id
        ? q.service_request_id
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
      if (ids.some((s) => !/^[0-9]{1,15}$/.test(s)))
        throw new Open311Error(400, 'service_request_id takes numbers separated by commas');
      const statuses = q.status ? q.status.split(',').map((s) => s.trim().toLowerCase()) : [];
      if (statuses.some((s) => s !== 'open' && s !== 'closed'))
        throw new Open311Error(400, 'status is open, closed or open,closed');
      const end = parseDate(q.end_date, 'end_date') ?? ctx.now();
      const start = parseDate(q.start_date, 'start_date') ?? new Date(end.getTime() - 90 * 86_400_000);
      if (start > end) throw new Open311Error(400, 'start_date is after end_date');
      const codes = q.service_code
        ? q.service_code
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
      const rows = await inScope(ctx.db, { tenant: where.municipality ?? '*' }, async (trx) => {
        const list = await requestRows(trx, where, (qb) => {
          if (ids.length) return qb.where('r.id', 'in', ids.map(Number)).orderBy('r.id');
          let x = qb.where('r.created_at', '>=', start).where('r.created_at', '<=', end);
          if (codes.length) x = x.where('r.category_code', 'in', codes);
          if (statuses.length === 1)
            x = x.where('r.status', 'in', (statuses[0] === 'open' ? OPEN_STATUSES : CLOSED_STATUSES) as ReportStatus[]);
          return x.orderBy('r.created_at', 'desc').limit(1000);
        });
        return { list, ...(await lookups(trx, list)) };
      });
      return send(
        reply,
        render(
          p.format,
          'service_requests',
          rows.list.map((r) => requestOf(ctx, r, rows.cats, rows.bodies, lang)),
        ),
      );
    },
  );

  o.get(
    `${pre}/requests/:id.:format`,
    {
      schema: {
        ...tag,
        summary: `Open311 one service request${scopeLabel}`,
        params: params({ id: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({
          jurisdiction_id: Type.Optional(Type.String({ maxLength: 20 })),
          api_key: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; id: string; format: Format };
      const where = resolveJurisdiction(mode, p, request.query.jurisdiction_id);
      if (!/^[0-9]{1,15}$/.test(p.id)) throw new Open311Error(404, `No service request ${p.id}`);
      const rows = await inScope(ctx.db, { tenant: where.municipality ?? '*' }, async (trx) => {
        const list = await requestRows(trx, where, (qb) => qb.where('r.id', '=', Number(p.id)));
        return { list, ...(await lookups(trx, list)) };
      });
      if (!rows.list.length) throw new Open311Error(404, `No service request ${p.id}`);
      return send(
        reply,
        render(
          p.format,
          'service_requests',
          rows.list.map((r) => requestOf(ctx, r, rows.cats, rows.bodies, langOf(request))),
        ),
      );
    },
  );

  o.get(
    `${pre}/tokens/:token.:format`,
    {
      schema: {
        ...tag,
        summary: `Open311 service request id from a token (batch services)${scopeLabel}`,
        params: params({ token: Type.String({ maxLength: 60 }) }),
        querystring: Type.Object({
          jurisdiction_id: Type.Optional(Type.String({ maxLength: 20 })),
          api_key: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; token: string; format: Format };
      const where = resolveJurisdiction(mode, p, request.query.jurisdiction_id);
      if (!/^[0-9a-f-]{36}$/i.test(p.token)) throw new Open311Error(404, `No token ${p.token}`);
      const row = await inScope(ctx.db, { tenant: where.municipality ?? '*' }, async (trx) => {
        let q = trx.selectFrom('report').select(['id', 'token']).where('token', '=', p.token.toLowerCase());
        if (where.municipality) q = q.where('municipality_code', '=', where.municipality);
        return q.executeTakeFirst();
      });
      if (!row) throw new Open311Error(404, `No token ${p.token}`);
      return send(
        reply,
        render(p.format, 'service_requests', [{ service_request_id: String(row.id), token: row.token }]),
      );
    },
  );

  o.get(
    `${pre}/servicerequestupdates.:format`,
    {
      schema: {
        ...tag,
        summary: `FixMyStreet servicerequestupdates: public status changes and updates (default: the last 24 hours)${scopeLabel}`,
        params: params(),
        querystring: Type.Object({
          jurisdiction_id: Type.Optional(Type.String({ maxLength: 20 })),
          api_key: Type.Optional(Type.String({ maxLength: 200 })),
          start_date: Type.Optional(Type.String({ maxLength: 40 })),
          end_date: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; format: Format };
      const q = request.query;
      const where = resolveJurisdiction(mode, p, q.jurisdiction_id);
      if (q.api_key) await withKey(ctx, q.api_key, where.municipality, false);
      if (Boolean(q.start_date) !== Boolean(q.end_date))
        throw new Open311Error(400, 'give both start_date and end_date, or neither');
      const end = parseDate(q.end_date, 'end_date') ?? ctx.now();
      const start = parseDate(q.start_date, 'start_date') ?? new Date(end.getTime() - 86_400_000);
      if (start > end) throw new Open311Error(400, 'start_date is after end_date');
      const rows = await inScope(ctx.db, { tenant: where.municipality ?? '*' }, async (trx) => {
        let qb = trx
          .selectFrom('report_event as e')
          .innerJoin('report as r', (j) =>
            j.onRef('r.municipality_code', '=', 'e.municipality_code').onRef('r.id', '=', 'e.report_id'),
          )
          .select(['e.id', 'e.report_id', 'e.at', 'e.status_to', 'e.text', 'e.details', 'r.status'])
          .where('e.public', '=', true)
          .where('e.kind', 'in', ['status', 'update', 'merged'])
          .where('r.hidden', '=', false)
          .where('e.at', '>=', start)
          .where('e.at', '<=', end);
        if (where.municipality) qb = qb.where('e.municipality_code', '=', where.municipality);
        return qb.orderBy('e.at').orderBy('e.id').limit(1000).execute();
      });
      return send(
        reply,
        render(
          p.format,
          'service_request_updates',
          rows.map((e) => ({
            update_id: String(e.id),
            service_request_id: String(e.report_id),
            status: fmsStatus((e.status_to ?? e.status) as ReportStatus),
            updated_datetime: w3cDateTime(e.at),
            description: e.text ?? '',
            media_url: ((e.details as Record<string, unknown>)?.mediaUrl as string | undefined) ?? null,
            external_status_code:
              ((e.details as Record<string, unknown>)?.externalStatusCode as string | undefined) ?? null,
          })),
        ),
      );
    },
  );

  o.post(
    `${pre}/servicerequestupdates.:format`,
    {
      schema: {
        ...tag,
        summary: `FixMyStreet servicerequestupdates: a back-office posts a status change or update (api_key needed)${scopeLabel}`,
        params: params(),
        body: PostUpdateBody,
      },
      config: { csrf: false },
    },
    async (request, reply) => {
      const p = request.params as { municipality?: string; format: Format };
      const b = request.body as Record<string, string>;
      const where = resolveJurisdiction(mode, p, b.jurisdiction_id);
      const srid = b.service_request_id;
      if (!srid) throw new Open311Error(400, 'service_request_id is required');
      if (!b.status && !b.description) throw new Open311Error(400, 'status or description is required');
      if (!/^[0-9]{1,15}$/.test(srid)) throw new Open311Error(404, `No service request ${srid}`);
      // The report names its municipality; the key must be valid there.
      const m =
        where.municipality ??
        (
          await inScope(ctx.db, { tenant: '*' }, (trx) =>
            trx.selectFrom('report').select('municipality_code').where('id', '=', Number(srid)).executeTakeFirst(),
          )
        )?.municipality_code;
      const client = await withKey(ctx, b.api_key, m, true);
      if (!m) throw new Open311Error(404, `No service request ${srid}`);
      const result = await applyBackOfficeUpdate(ctx, m, {
        serviceRequestId: srid,
        ...(b.status ? { status: b.status } : {}),
        ...(b.description ? { description: b.description } : {}),
        ...(b.updated_datetime ? { updatedDatetime: b.updated_datetime } : {}),
        ...(b.update_id || b.update_id_ext ? { updateId: b.update_id ?? b.update_id_ext } : {}),
        ...(b.media_url ? { mediaUrl: b.media_url } : {}),
        ...(b.external_status_code ? { externalStatusCode: b.external_status_code } : {}),
        clientId: client!.id,
      }).catch((err) => {
        if (err instanceof Problem && err.status === 404) throw new Open311Error(404, `No service request ${srid}`);
        throw err;
      });
      return send(reply, render(p.format, 'service_request_updates', [{ update_id: result.updateId }]));
    },
  );
}
