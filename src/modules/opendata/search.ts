import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Db, type Trx } from '../../platform/db/database';
import { Problem, defineProblem } from '../../platform/http/problems';
import type { DatasetSnapshot } from './snapshot';
import { organizationName, stableUuid } from './vocab';
import { SolrSyntaxError, parseDismax, parseFq, parseQ } from './solrQuery';
import { compile } from './searchFields';
import { publishedColumns } from './publishing';

/**
 * Search over what is published, in CKAN's terms: `q` (free text, or `field:value` terms), `fq`
 * (filter terms: `organization:tartu-linn tags:eelarve res_format:CSV -license_id:CC0-1.0`),
 * `rows`, `start`, `sort`, and facet counts. Reads opendata_published only (platform-wide,
 * public data).
 */
export const P_SEARCH = defineProblem(
  'opendata-search-query',
  409,
  'Search query error',
  'The q or fq parameter is malformed, names a field the catalogue does not have, or holds a bad date (Solr syntax; see docs/opendata.md).',
);
export const P_SORT = defineProblem(
  'opendata-search-sort',
  400,
  'Invalid sort',
  'The sort parameter is a comma-separated list of "field asc|desc" (fields: score, metadata_modified, metadata_created, name, title_string, id).',
);

export const FACET_FIELDS = [
  'organization',
  'groups',
  'tags',
  'res_format',
  'license_id',
  'spatial',
  'frequency',
  'origin',
] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export interface SearchParams {
  q?: string | undefined;
  fq?: string | undefined;
  rows: number;
  start: number;
  sort?: string | undefined;
  facetFields?: string[];
  facetLimit?: number;
  facetMinCount?: number;
  /** `q` is words typed into a search box (DisMax, whatever it holds), not CKAN's q syntax. */
  plainText?: boolean;
  /** Unpublished datasets the caller may see (CKAN's include_private), searched with the published ones. */
  privateDatasets?: DatasetSnapshot[];
  /** For NOW in date math (searchPublished gives ctx.now()). */
  now?: Date;
}

export interface SearchHit {
  snapshot: DatasetSnapshot;
  private: boolean;
}

export interface SearchResult {
  count: number;
  sort: string;
  results: DatasetSnapshot[];
  hits: SearchHit[];
  facets: Record<string, { name: string; count: number }[]>;
}

export const DEFAULT_SORT = 'score desc, metadata_modified desc';
const SORT_COLUMNS: Record<string, string> = {
  score: 'score',
  metadata_modified: 'metadata_modified',
  metadata_created: 'metadata_created',
  name: 'name',
  title_string: 'title_et',
  id: 'dataset_id',
};

/** Solr's sort spec: `field dir, field dir`; a bad direction is CKAN's "Invalid sort", an unknown field Solr's error. */
function orderBy(sort: string | undefined, ranked: boolean): string[] {
  const spec = (sort ?? DEFAULT_SORT).trim() || DEFAULT_SORT;
  const keys: string[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*([A-Za-z_]+)\s+(\S+)\s*$/.exec(part);
    if (!m || !/^(asc|desc)$/i.test(m[2]!)) throw new Problem(P_SORT, 'Invalid "sort" parameter');
    const column = SORT_COLUMNS[m[1]!];
    if (!column)
      throw new Problem(
        P_SEARCH,
        `sort param field can't be found: ${m[1]} (sortable: ${Object.keys(SORT_COLUMNS).join(', ')})`,
      );
    // Without search words every score is the same: leave it out, so an index can serve the rest.
    if (column === 'score' && !ranked) continue;
    keys.push(`${column} ${m[2]!.toUpperCase()}`);
  }
  if (!keys.some((k) => k.startsWith('name '))) keys.push('name ASC');
  keys.push('dataset_id ASC');
  return keys;
}

const FACET_SQL: Record<FacetField, string> = {
  organization: "SELECT 'organization', o.organization",
  groups: "SELECT 'groups', lower(t) FROM unnest(o.themes) t",
  tags: "SELECT 'tags', t FROM unnest(o.tags) t",
  res_format: "SELECT 'res_format', t FROM unnest(o.formats) t",
  license_id: "SELECT 'license_id', o.license_id",
  spatial: "SELECT 'spatial', t FROM unnest(o.spatial) t",
  frequency: "SELECT 'frequency', o.frequency",
  origin: "SELECT 'origin', o.origin",
};

const COLUMNS = sql.raw(
  'municipality_code, dataset_id, name, organization, origin, title_et, title_en, tags, themes, formats, license_id, spatial, frequency, metadata_created, metadata_modified, snapshot, search, title_vector, notes_vector',
);

/**
 * What is searched: the published catalogue, and with `privateDatasets` those too — the same
 * columns made by the same expressions as for publishing (`publishedColumns`, the generated
 * vectors of migration 0602).
 */
function source(priv: DatasetSnapshot[] | undefined) {
  const published = sql`SELECT ${COLUMNS}, false AS private FROM opendata_published`;
  if (!priv?.length) return sql`(${published})`;
  const rows = priv.map((s) => {
    const v = publishedColumns(s);
    return sql`(${v.municipalityCode}, ${v.datasetId}::uuid, ${v.name}, ${v.organization}, ${v.origin}, ${v.titleEt}, ${v.titleEn}, ${v.tags}, ${v.themes}, ${v.formats}, ${v.licenseId}, ${v.spatial}, ${v.frequency}, ${v.created}::timestamptz, ${v.modified}::timestamptz, ${v.snapshot}::jsonb, ${v.search})`;
  });
  return sql`(${published} UNION ALL
    SELECT v.*, to_tsvector('simple', v.title_et || ' ' || v.title_en) AS title_vector,
      to_tsvector('simple', coalesce(v.snapshot #>> '{description,et}', '') || ' ' || coalesce(v.snapshot #>> '{description,en}', '')) AS notes_vector,
      true AS private
    FROM (VALUES ${sql.join(rows)}) AS v(municipality_code, dataset_id, name, organization, origin, title_et, title_en, tags, themes, formats, license_id, spatial, frequency, metadata_created, metadata_modified, snapshot, search))`;
}

/** The organisations' CKAN ids (owner_org) → names, for `owner_org:` queries. */
let orgIds: Promise<Map<string, string>> | undefined;
function organizationIds(db: Db | Trx): Promise<Map<string, string>> {
  orgIds ??= db
    .selectFrom('tenant')
    .select(['code', 'name'])
    .execute()
    .then((rows) => new Map(rows.map((r) => [stableUuid(`org:${r.code}`), organizationName(r.code, r.name)])));
  orgIds.catch(() => (orgIds = undefined));
  return orgIds;
}

/** q and fq parsed (CKAN's rules: DisMax for a q without a colon) and compiled to one condition. */
async function whereOf(db: Db | Trx, p: SearchParams) {
  let compiled;
  try {
    const q = p.plainText ? parseDismax(p.q ?? '') : parseQ(p.q ?? '');
    const fq = parseFq(p.fq ?? '');
    if (!p.now) throw new Error('searchIn needs p.now (the request clock)');
    const c = { now: p.now, organizationIds: await organizationIds(db) };
    const a = compile(q, c);
    const b = compile(fq, c);
    compiled = {
      where: sql`${a.where} AND ${b.where}`,
      rank: a.rank && b.rank ? `${a.rank} | ${b.rank}` : (a.rank ?? b.rank),
    };
  } catch (e) {
    if (e instanceof SolrSyntaxError) throw new Problem(P_SEARCH, e.message);
    throw e;
  }
  return compiled;
}

/** The SQL of a search's count and page (also for EXPLAIN in benchmarks). */
export async function searchQuery(db: Db | Trx, p: SearchParams) {
  const { where, rank } = await whereOf(db, p);
  const order = orderBy(p.sort, rank !== null);
  const src = source(p.privateDatasets);
  if (rank) {
    // Text search: match (and rank) once, then count and page from the matches.
    const orderSql = sql.raw(order.join(', '));
    return {
      single: sql<{ count: number; results: SearchHit[] | null }>`
        WITH m AS MATERIALIZED (
          SELECT municipality_code, dataset_id, name, title_et, metadata_created, metadata_modified, private, snapshot,
                 ts_rank(search, to_tsquery('simple', ${rank})) AS score
          FROM ${src} o WHERE ${where}
        ), pg AS (SELECT * FROM m ORDER BY ${orderSql} LIMIT ${p.rows} OFFSET ${p.start})
        SELECT (SELECT count(*)::int FROM m) AS count,
          (SELECT json_agg(json_build_object('snapshot', snapshot, 'private', private) ORDER BY ${orderSql}) FROM pg) AS results`,
    };
  }
  const orderSql = sql.raw(order.join(', '));
  return {
    count: sql<{ count: number }>`SELECT count(*)::int AS count FROM ${src} o WHERE ${where}`,
    page: sql<SearchHit>`SELECT snapshot, private FROM ${src} o WHERE ${where} ORDER BY ${orderSql} LIMIT ${p.rows} OFFSET ${p.start}`,
  };
}

/** The SQL of the facet counts of a search, in one pass over the matching rows. */
async function facetQuery(db: Db | Trx, p: SearchParams, fields: FacetField[]) {
  const { where } = await whereOf(db, p);
  const facetLimit = Math.max(1, Math.min(p.facetLimit ?? 50, 1000));
  const minCount = Math.max(1, p.facetMinCount ?? 1);
  const parts = fields.map((f) => FACET_SQL[f]);
  return sql<{ field: string; name: string; count: number }>`
    SELECT field, v AS name, n AS count FROM (
      SELECT field, v, count(*)::int AS n, row_number() OVER (PARTITION BY field ORDER BY count(*) DESC, v) AS rn
      FROM ${source(p.privateDatasets)} o CROSS JOIN LATERAL (${sql.raw(parts.join(' UNION ALL '))}) x(field, v)
      WHERE ${where} AND v IS NOT NULL
      GROUP BY field, v
    ) c WHERE rn <= ${facetLimit} AND n >= ${minCount} ORDER BY field, n DESC, v`;
}

/**
 * Facet counts are the costly part of a search (a pass over every matching row) and the same
 * few are asked again and again (the catalogue's landing page, a publisher's page). They are
 * kept per query while the published set is unchanged (same count and latest change); queries
 * with date math relative to NOW, or with private datasets, are not kept.
 */
const facetCache = new Map<string, { stamp: string; facets: SearchResult['facets'] }>();
const FACET_CACHE_ENTRIES = 500;
const stampSql = sql<{
  stamp: string;
}>`SELECT count(*)::text || '|' || coalesce(max(metadata_modified)::text, '') AS stamp FROM opendata_published`;

/**
 * Runs a search. What is published is public (the table's SELECT policy lets anyone read it), so
 * the queries need no tenant scope or transaction and go out side by side.
 */
export async function searchIn(db: Db | Trx, p: SearchParams): Promise<SearchResult> {
  const q = await searchQuery(db, p);
  const facetFields = [
    ...new Set((p.facetFields ?? []).filter((f): f is FacetField => (FACET_FIELDS as readonly string[]).includes(f))),
  ];
  const cacheable = facetFields.length > 0 && !p.privateDatasets?.length && !/NOW/.test(`${p.q ?? ''} ${p.fq ?? ''}`);
  const key = JSON.stringify([
    p.plainText ?? false,
    p.q ?? '',
    p.fq ?? '',
    facetFields,
    p.facetLimit ?? 50,
    p.facetMinCount ?? 1,
  ]);
  const cached = cacheable ? facetCache.get(key) : undefined;
  const stamp = cacheable ? stampSql.execute(db).then((r) => r.rows[0]!.stamp) : undefined;
  // Facets nobody asked for before are counted at the same time as the page.
  const facetRows = facetFields.length && !cached ? (await facetQuery(db, p, facetFields)).execute(db) : undefined;
  facetRows?.catch(() => {}); // awaited below; this only keeps an early failure elsewhere from leaving it unhandled
  stamp?.catch(() => {});
  let count: number;
  let hits: SearchHit[];
  if ('single' in q && q.single) {
    const r = (await q.single.execute(db)).rows[0]!;
    count = r.count;
    hits = r.results ?? [];
  } else {
    const [c, page] = await Promise.all([
      q.count!.execute(db),
      p.rows > 0 ? q.page!.execute(db) : Promise.resolve({ rows: [] as SearchHit[] }),
    ]);
    count = c.rows[0]!.count;
    hits = page.rows;
  }
  let facets: SearchResult['facets'] = {};
  if (facetFields.length) {
    const now = stamp ? await stamp : undefined;
    if (cached && cached.stamp === now) facets = cached.facets;
    else {
      facets = Object.fromEntries(facetFields.map((f) => [f, [] as { name: string; count: number }[]]));
      for (const x of (await (facetRows ?? (await facetQuery(db, p, facetFields)).execute(db))).rows)
        facets[x.field]!.push({ name: x.name, count: x.count });
      if (cacheable && now !== undefined) {
        facetCache.delete(key);
        facetCache.set(key, { stamp: now, facets });
        while (facetCache.size > FACET_CACHE_ENTRIES) facetCache.delete(facetCache.keys().next().value!);
      }
    }
  }
  return { count, sort: p.sort ?? DEFAULT_SORT, results: hits.map((h) => h.snapshot), hits, facets };
}

export async function searchPublished(ctx: AppContext, p: SearchParams): Promise<SearchResult> {
  // Read-heavy and public: a replica within the staleness bound may answer.
  return searchIn(ctx.readDb, { now: ctx.now(), ...p });
}

/** The current published snapshot by CKAN name or dataset id. */
export async function findPublished(ctx: AppContext, idOrName: string): Promise<DatasetSnapshot | undefined> {
  return inScope(ctx.readDb, { tenant: '*' }, async (trx) => {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
    const r = await sql<{
      snapshot: DatasetSnapshot;
    }>`SELECT snapshot FROM opendata_published WHERE ${isUuid ? sql`dataset_id = ${idOrName}::uuid` : sql`name = ${idOrName}`} LIMIT 1`.execute(
      trx,
    );
    return r.rows[0]?.snapshot;
  });
}

/** The published dataset holding a distribution (CKAN resource_show), with the distribution and its position. */
export async function findPublishedResource(ctx: AppContext, resourceId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(resourceId)) return undefined;
  const id = resourceId.toLowerCase();
  const r = await sql<{ snapshot: DatasetSnapshot }>`
    SELECT snapshot FROM opendata_published WHERE snapshot -> 'distributions' @> ${JSON.stringify([{ id }])}::jsonb LIMIT 1`.execute(
    ctx.db,
  );
  const s = r.rows[0]?.snapshot;
  if (!s) return undefined;
  const position = s.distributions.findIndex((x) => x.id === id);
  return { dataset: s, resource: s.distributions[position]!, position };
}

/** Names of every published dataset (CKAN package_list), by name. */
export async function publishedNames(ctx: AppContext, limit: number, offset: number): Promise<string[]> {
  return inScope(ctx.readDb, { tenant: '*' }, async (trx) => {
    const r = await sql<{
      name: string;
    }>`SELECT name FROM opendata_published ORDER BY name LIMIT ${limit} OFFSET ${offset}`.execute(trx);
    return r.rows.map((x) => x.name);
  });
}

export interface Organization {
  code: string;
  name: string;
  title: string;
  packageCount: number;
}

let titles: Promise<Map<string, string>> | undefined;
/** CKAN organisation name → title (the tenants' names, which do not change while the platform runs). */
export function organizationTitles(ctx: AppContext): Promise<Map<string, string>> {
  titles ??= ctx.db
    .selectFrom('tenant')
    .select(['code', 'name'])
    .execute()
    .then((rows) => new Map(rows.map((r) => [organizationName(r.code, r.name), r.name])));
  titles.catch(() => (titles = undefined));
  return titles;
}

/** Every catalogue (the 78 municipalities and ELVL) as CKAN organisations, with their dataset counts. */
export async function organizations(ctx: AppContext): Promise<Organization[]> {
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const r = await sql<{ code: string; name: string; n: number }>`
      SELECT t.code, t.name, (SELECT count(*)::int FROM opendata_published p WHERE p.municipality_code = t.code) AS n
      FROM tenant t ORDER BY t.code`.execute(trx);
    return r.rows
      .map((x) => ({ code: x.code, name: organizationName(x.code, x.name), title: x.name, packageCount: x.n }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}
