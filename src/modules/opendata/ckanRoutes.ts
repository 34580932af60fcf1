import { sql } from 'kysely';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { Problem } from '../../platform/http/problems';
import { authenticateApiKey, type ApiClient } from '../../platform/auth/apiKeys';
import {
  FACET_FIELDS,
  P_SEARCH,
  P_SORT,
  findPublished,
  findPublishedResource,
  organizationTitles,
  organizations,
  publishedNames,
  searchPublished,
} from './search';
import { groupDict, licenseDict, organizationDict, packageDict, resourceDict } from './ckan';
import { privateReadable } from './policy';
import { privateDatasets } from './privateDatasets';
import { LICENCES, THEMES } from './vocab';

/**
 * The CKAN Action API v3 (read-only) at both paths CKAN serves it, `/api/3/action/…` and
 * `/api/action/…`, by GET (query string) and POST (JSON or form body), so harvesters
 * (ckanext-harvest, ckanext-dcat, the European Data Portal), the `ckanapi` client and portals read
 * the platform as a CKAN 2.10 site: package_list, package_show, package_search (Solr syntax in q
 * and fq, rows, start, sort, facets, include_private), resource_show, organization_list,
 * organization_show, group_list, group_show, tag_list, license_list, status_show, help_show.
 * Answers use CKAN's envelope `{help, success, result}`; errors
 * `{help, success: false, error: {__type, message}}` with CKAN's status codes and types (as
 * ckan/views/api.py makes them): 404 Not Found Error, 409 Validation Error, 409 Search Error (a
 * query Solr would refuse: syntax, unknown field, bad date), 400 Search Query Error (a bad sort),
 * 400 Bad Request (unknown action).
 */
class CkanError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

const HELP: Record<string, string> = {
  package_list:
    "Return a list of the names of the site's datasets (packages). :param limit: if given, the list of datasets will be broken into pages of at most limit datasets per page :type limit: int :param offset: when limit is given, the offset to start returning packages from :type offset: int :rtype: list of strings",
  package_show:
    'Return the metadata of a dataset (package) and its resources. :param id: the id or name of the dataset :type id: string',
  package_search:
    'Searches for packages satisfying a given search criteria. Parameters: q (words, or Solr syntax when it has a colon), fq (Solr syntax: field:value, "phrases", wildcards, [a TO b] ranges with date math such as NOW-1DAY, AND/OR/NOT, +/-, groups; fields: text, title, notes, name, id, tags, groups, organization, owner_org, res_format, license_id, metadata_modified, metadata_created, capacity, state, spatial, frequency, origin), sort (score desc, metadata_modified desc, name asc, title_string asc, id asc, …), rows (default 10, at most 1000), start, facet, facet.field (JSON list: organization, groups, tags, res_format, license_id, spatial, frequency, origin), facet.limit (default 50), facet.mincount, include_private (with an API key or login that may read the municipality’s unpublished datasets). Returns count, results, facets and search_facets.',
  organization_list:
    "Return a list of the names of the site's organizations. :param all_fields: return group dictionaries instead of just names :param sort: name asc (default), title asc, package_count desc :param limit, offset.",
  organization_show:
    "Return the details of an organization. :param id: the id or name of the organization :param include_datasets: include a list of the organization's datasets",
  group_list:
    "Return a list of the names of the site's groups (here: the EU data themes). :param all_fields: return group dictionaries",
  tag_list: "Return a list of the site's tags. :param query: a tag name query to search for",
  license_list: 'Return the list of licenses available for datasets on the site.',
  status_show: "Return a dictionary with information about the site's configuration.",
  help_show: 'Return the help string for a particular API action. :param name: action function name',
  resource_show: 'Return the metadata of a resource. :param id: the id of the resource :type id: string',
  group_show:
    'Return the details of a group (here: an EU data theme). :param id: the id or name of the group :param include_datasets: include a list of the group’s datasets',
};

type Params = Record<string, unknown>;

function params(request: FastifyRequest): Params {
  const q = (request.query ?? {}) as Params;
  const b = request.body && typeof request.body === 'object' ? (request.body as Params) : {};
  return { ...q, ...b };
}

function int(p: Params, name: string, def: number, min: number, max: number): number {
  const v = p[name];
  if (v === undefined || v === '') return def;
  const n = typeof v === 'number' ? v : Number(String(v));
  if (!Number.isInteger(n) || n < min)
    throw new CkanError(409, 'Validation Error', 'Validation Error', {
      [name]: [n < min ? `Must be a natural number` : 'Invalid integer'],
    });
  return Math.min(n, max);
}
function bool(p: Params, name: string, def: boolean): boolean {
  const v = p[name];
  if (v === undefined || v === '') return def;
  return v === true || /^(true|1|yes|on)$/i.test(String(v));
}
function str(p: Params, name: string): string | undefined {
  const v = p[name];
  return v === undefined || v === null ? undefined : String(v);
}
function jsonList(p: Params, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v)) return v.map(String);
  try {
    const parsed = JSON.parse(String(v));
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    /* below */
  }
  throw new CkanError(409, 'Validation Error', 'Validation Error', { [name]: ['Must be a JSON list of strings'] });
}

export function ckanRoutes(app: Api, ctx: AppContext) {
  const base = ctx.config.publicUrl;
  const help = (action: string) => `${base}/api/3/action/help_show?name=${action}`;
  const prefixes = ['/api/3/action', '/api/action'];
  const ok = (reply: FastifyReply, action: string, result: unknown) =>
    reply.header('access-control-allow-origin', '*').send({ help: help(action), success: true, result });

  app.setErrorHandler((error, request, reply) => {
    const action = (request.params as { action?: string })?.action ?? request.url.split('?')[0]!.split('/').pop() ?? '';
    let e: CkanError;
    if (error instanceof CkanError) e = error;
    else if (error instanceof Problem && error.kind === P_SEARCH)
      e = new CkanError(409, 'Search Error', `Search error: ${error.detail}`);
    else if (error instanceof Problem && error.kind === P_SORT)
      e = new CkanError(400, 'Search Query Error', `Search Query is invalid: ${error.detail}`);
    else if (error instanceof Problem)
      e = new CkanError(
        error.status,
        error.status === 404 ? 'Not Found Error' : error.status === 403 ? 'Authorization Error' : 'Validation Error',
        error.detail,
      );
    else if ((error as { validation?: unknown }).validation)
      e = new CkanError(409, 'Validation Error', (error as Error).message);
    else if ((error as { statusCode?: number }).statusCode && (error as { statusCode: number }).statusCode < 500)
      e = new CkanError((error as { statusCode: number }).statusCode, 'Bad Request', (error as Error).message);
    else {
      request.log.error({ err: error }, 'CKAN API error');
      e = new CkanError(500, 'Internal Server Error', 'Internal server error');
    }
    return reply
      .code(e.status)
      .header('access-control-allow-origin', '*')
      .type('application/json; charset=utf-8')
      .send({ help: help(action), success: false, error: { __type: e.type, message: e.message, ...e.fields } });
  });

  const Envelope = Type.Object(
    { help: Type.String(), success: Type.Boolean(), result: Type.Unknown() },
    { description: 'CKAN envelope' },
  );
  const route = (
    action: string,
    summary: string,
    handler: (p: Params, request: FastifyRequest) => Promise<unknown>,
  ) => {
    for (const prefix of prefixes) {
      const schema = {
        summary: `CKAN ${action}: ${summary}`,
        ...(prefix === '/api/action' ? { hide: true } : {}),
        querystring: Type.Record(Type.String(), Type.Unknown()),
        response: { 200: Envelope },
      };
      app.get(`${prefix}/${action}`, { schema }, async (request, reply) =>
        ok(reply, action, await handler(params(request), request)),
      );
      app.post(
        `${prefix}/${action}`,
        { schema: { ...schema, body: Type.Optional(Type.Record(Type.String(), Type.Unknown())) } },
        async (request, reply) => ok(reply, action, await handler(params(request), request)),
      );
    }
  };

  /**
   * Whose unpublished datasets the caller may see: a CKAN client sends its key as CKAN expects it
   * (`Authorization: <key>`, `X-CKAN-API-Key`; also `Authorization: Bearer`, `X-Api-Key`), or a
   * logged-in official's session. An unknown key is treated as no key, as CKAN does.
   */
  const readable = async (request: FastifyRequest) => {
    const h = request.headers;
    const raw = [h['x-ckan-api-key'], h['x-api-key'], h.authorization].find(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    const key = raw?.replace(/^Bearer\s+/i, '').trim();
    const client: ApiClient | null = key ? await authenticateApiKey(ctx, key) : null;
    return privateReadable(request.actor, client);
  };
  /** The private dataset by id or name, if the caller may read it. */
  const privateOne = async (request: FastifyRequest, idOrName: string) => {
    const r = await readable(request);
    return (await privateDatasets(ctx, r, { idOrName }))[0];
  };

  app.get(
    '/api/3',
    { schema: { summary: 'CKAN API version', response: { 200: Type.Object({ version: Type.Integer() }) } } },
    async () => ({ version: 3 }),
  );

  route('package_list', 'names of every published dataset', async (p) =>
    publishedNames(ctx, int(p, 'limit', 100000, 0, 100000), int(p, 'offset', 0, 0, 10_000_000)),
  );

  route('package_show', 'one dataset by id or name', async (p, request) => {
    const id = str(p, 'id') ?? str(p, 'name');
    if (!id) throw new CkanError(409, 'Validation Error', 'Validation Error', { id: ['Missing value'] });
    const s = await findPublished(ctx, id);
    if (s) return packageDict(s, base);
    // An unpublished dataset only for those who may read it; for others it does not exist.
    const priv = await privateOne(request, id);
    if (!priv) throw new CkanError(404, 'Not Found Error', 'Not found');
    return packageDict(priv, base, { private: true });
  });

  route('resource_show', 'one resource (file or link) by id', async (p, request) => {
    const id = str(p, 'id');
    if (!id) throw new CkanError(409, 'Validation Error', 'Validation Error', { id: ['Missing value'] });
    const found = await findPublishedResource(ctx, id);
    if (found) return resourceDict(found.dataset, found.resource, found.position, base);
    const r = await readable(request);
    for (const s of await privateDatasets(ctx, r)) {
      const i = s.distributions.findIndex((x) => x.id === id);
      if (i >= 0) {
        const pkg = packageDict(s, base, { private: true });
        return pkg.resources[i];
      }
    }
    throw new CkanError(404, 'Not Found Error', 'Not found');
  });

  route('package_search', 'search with q, fq, rows, start, sort, facets and include_private', async (p, request) => {
    const rows = int(p, 'rows', 10, 0, 1000);
    const start = int(p, 'start', 0, 0, 10_000_000);
    const facet = bool(p, 'facet', true);
    const fields = facet ? (jsonList(p, 'facet.field') ?? []) : [];
    const unknown = fields.filter((f) => !(FACET_FIELDS as readonly string[]).includes(f));
    if (unknown.length)
      throw new CkanError(
        409,
        'Search Query Error',
        `Cannot facet on ${unknown.join(', ')}; facet fields: ${FACET_FIELDS.join(', ')}`,
      );
    const limitRaw = int(p, 'facet.limit', 50, -1, 1000);
    const priv = bool(p, 'include_private', false) ? await privateDatasets(ctx, await readable(request)) : [];
    const r = await searchPublished(ctx, {
      privateDatasets: priv,
      q: str(p, 'q'),
      fq: str(p, 'fq'),
      rows,
      start,
      sort: str(p, 'sort'),
      facetFields: fields,
      facetLimit: limitRaw < 0 ? 1000 : limitRaw,
      facetMinCount: int(p, 'facet.mincount', 1, 0, 1_000_000),
    });
    const orgTitles = fields.includes('organization') ? await organizationTitles(ctx) : new Map<string, string>();
    const display = (field: string, name: string) =>
      field === 'organization'
        ? (orgTitles.get(name) ?? name)
        : field === 'groups'
          ? (THEMES[name.toUpperCase() as keyof typeof THEMES]?.et ?? name)
          : name;
    return {
      count: r.count,
      sort: r.sort,
      facets: Object.fromEntries(
        Object.entries(r.facets).map(([f, items]) => [f, Object.fromEntries(items.map((i) => [i.name, i.count]))]),
      ),
      results: r.hits.map((h) => packageDict(h.snapshot, base, { private: h.private })),
      search_facets: Object.fromEntries(
        Object.entries(r.facets).map(([f, items]) => [
          f,
          { title: f, items: items.map((i) => ({ name: i.name, display_name: display(f, i.name), count: i.count })) },
        ]),
      ),
    };
  });

  route('organization_list', 'every catalogue as an organization', async (p) => {
    let orgs = await organizations(ctx);
    const only = jsonList(p, 'organizations');
    if (only) orgs = orgs.filter((o) => only.includes(o.name));
    const sort = (str(p, 'sort') ?? 'name asc').toLowerCase();
    if (sort.startsWith('title')) orgs.sort((a, b) => a.title.localeCompare(b.title, 'et'));
    else if (sort.startsWith('package_count'))
      orgs.sort((a, b) => b.packageCount - a.packageCount || a.name.localeCompare(b.name));
    if (sort.endsWith('desc') && !sort.startsWith('package_count')) orgs.reverse();
    const offset = int(p, 'offset', 0, 0, 100000);
    const limit = int(p, 'limit', 1000, 0, 1000);
    const page = orgs.slice(offset, offset + limit);
    return bool(p, 'all_fields', false) ? page.map((o) => organizationDict(o, base)) : page.map((o) => o.name);
  });

  route('organization_show', 'one catalogue (organization), optionally with its datasets', async (p) => {
    const id = str(p, 'id');
    if (!id) throw new CkanError(409, 'Validation Error', 'Validation Error', { id: ['Missing value'] });
    const orgs = await organizations(ctx);
    const o = orgs.find((x) => x.name === id || organizationDict(x, base).id === id || x.code === id);
    if (!o) throw new CkanError(404, 'Not Found Error', 'Not found');
    const dict: Record<string, unknown> = organizationDict(o, base);
    if (bool(p, 'include_datasets', false)) {
      const r = await searchPublished(ctx, { fq: `organization:"${o.name}"`, rows: 1000, start: 0, sort: 'name asc' });
      dict.packages = r.results.map((s) => packageDict(s, base));
    }
    return dict;
  });

  route('group_list', 'the EU data themes as groups', async (p) => {
    const counts = await inScope(
      ctx.readDb,
      { tenant: '*' },
      async (trx) =>
        (
          await sql<{
            t: string;
            n: number;
          }>`SELECT unnest(themes) AS t, count(*)::int AS n FROM opendata_published GROUP BY 1`.execute(trx)
        ).rows,
    );
    const n = new Map(counts.map((c) => [c.t, c.n]));
    const codes = Object.keys(THEMES);
    return bool(p, 'all_fields', false)
      ? codes.map((c) => groupDict(c, n.get(c) ?? 0))
      : codes.map((c) => c.toLowerCase());
  });

  route('group_show', 'one EU data theme as a group, optionally with its datasets', async (p) => {
    const id = str(p, 'id');
    if (!id) throw new CkanError(409, 'Validation Error', 'Validation Error', { id: ['Missing value'] });
    const code = Object.keys(THEMES).find((c) => c.toLowerCase() === id.toLowerCase() || groupDict(c).id === id);
    if (!code) throw new CkanError(404, 'Not Found Error', 'Group not found');
    const r = await searchPublished(ctx, {
      fq: `groups:${code.toLowerCase()}`,
      rows: bool(p, 'include_datasets', false) ? 1000 : 0,
      start: 0,
      sort: 'name asc',
    });
    const dict: Record<string, unknown> = groupDict(code, r.count);
    if (bool(p, 'include_datasets', false)) dict.packages = r.results.map((s) => packageDict(s, base));
    return dict;
  });

  route('tag_list', 'tags of published datasets', async (p) => {
    const query = str(p, 'query');
    return inScope(ctx.readDb, { tenant: '*' }, async (trx) => {
      const r = await sql<{ t: string }>`SELECT DISTINCT unnest(tags) AS t FROM opendata_published ORDER BY 1`.execute(
        trx,
      );
      return r.rows.map((x) => x.t).filter((t) => !query || t.toLowerCase().includes(query.toLowerCase()));
    });
  });

  route('license_list', 'licences datasets may have', async () => LICENCES.map((l) => licenseDict(l.id)));

  route('status_show', 'about this site', async () => ({
    site_title: 'KOV platvorm — avaandmed',
    site_description: 'Open data of Estonian municipalities on the KOV Platform (CKAN-compatible read API)',
    site_url: base,
    ckan_version: '2.10.0',
    error_emails_to: null,
    locale_default: 'et',
    extensions: ['kov-platform-opendata', 'dcat', 'fluent'],
  }));

  route('help_show', 'the help text of an action', async (p) => {
    const name = str(p, 'name');
    if (!name || !HELP[name]) throw new CkanError(404, 'Not Found Error', `Action function not found: ${name ?? ''}`);
    return HELP[name];
  });

  const unknownAction = async (request: FastifyRequest) => {
    throw new CkanError(
      400,
      'Bad Request',
      `Bad request - Action name not known: ${(request.params as { action: string }).action}`,
    );
  };
  const anyAction = { schema: { hide: true, params: Type.Object({ action: Type.String({ maxLength: 100 }) }) } };
  for (const prefix of prefixes) {
    app.get(`${prefix}/:action`, anyAction, unknownAction);
    app.post(`${prefix}/:action`, anyAction, unknownAction);
  }
}
