import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Db, type Trx } from '../../platform/db/database';
import { Problem, defineProblem } from '../../platform/http/problems';
import type { DatasetSnapshot } from './snapshot';
import { organizationName } from './vocab';

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
  'The q or fq parameter names a field the catalogue cannot filter on, or is malformed.',
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
}

export interface SearchResult {
  count: number;
  sort: string;
  results: DatasetSnapshot[];
  facets: Record<string, { name: string; count: number }[]>;
}

interface Term {
  field: string | null;
  value: string;
  negate: boolean;
}

/** Splits `a "b c" field:value field:"x y" -field:z +w` into terms. */
export function parseTerms(input: string): Term[] {
  const terms: Term[] = [];
  const re = /([+-]?)(?:([A-Za-z_]+):)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const m of input.matchAll(re)) {
    const value = (m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1');
    if (!m[2] && /^(AND|OR|&&)$/.test(value)) continue;
    terms.push({ field: m[2] ?? null, value, negate: m[1] === '-' });
  }
  return terms;
}

const arr = (v: string[]) => sql`${v}::text[]`;

function filterFor(t: Term): RawBuilder<unknown> {
  const v = t.value;
  switch (t.field) {
    case 'organization':
      return sql`organization = ${v}`;
    case 'tags':
      return sql`tags @> ${arr([v])}`;
    case 'groups':
    case 'theme':
      return sql`themes @> ${arr([v.toUpperCase()])}`;
    case 'res_format':
      return sql`formats @> ${arr([v])}`;
    case 'license_id':
      return sql`license_id = ${v}`;
    case 'name':
      return sql`name = ${v}`;
    case 'id':
      if (!/^[0-9a-f-]{36}$/i.test(v)) return sql`false`;
      return sql`dataset_id = ${v}::uuid`;
    case 'spatial':
      return sql`spatial @> ${arr([v])}`;
    case 'frequency':
      return sql`frequency = ${v.toUpperCase()}`;
    case 'origin':
      return sql`origin = ${v}`;
    case 'municipality_code':
      return sql`municipality_code = ${v}`;
    default:
      throw new Problem(
        P_SEARCH,
        `Cannot search on the field "${t.field}". Fields: text, organization, tags, groups, res_format, license_id, name, id, spatial, frequency, origin, municipality_code.`,
      );
  }
}

/** Free text as a prefix tsquery: `eelar tartu` → `eelar:* & tartu:*`. */
function textQuery(words: { value: string; negate: boolean }[]): string | null {
  const parts: string[] = [];
  for (const w of words) {
    const tokens = w.value
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    for (const tok of tokens) parts.push(`${w.negate ? '!' : ''}${tok}:*`);
  }
  return parts.length ? parts.join(' & ') : null;
}

const SORTS: Record<string, string> = {
  'score desc, metadata_modified desc': 'score DESC, metadata_modified DESC, name',
  'score desc': 'score DESC, metadata_modified DESC, name',
  'metadata_modified desc': 'metadata_modified DESC, name',
  'metadata_modified asc': 'metadata_modified ASC, name',
  'metadata_created desc': 'metadata_created DESC, name',
  'metadata_created asc': 'metadata_created ASC, name',
  'name asc': 'name ASC',
  'name desc': 'name DESC',
  'title_string asc': 'title_et ASC, name',
  'title_string desc': 'title_et DESC, name',
};
export const DEFAULT_SORT = 'score desc, metadata_modified desc';

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

function whereOf(p: SearchParams) {
  const terms = [...parseTerms(p.q ?? ''), ...parseTerms(p.fq ?? '').map((t) => ({ ...t, field: t.field ?? 'text' }))];
  const words: { value: string; negate: boolean }[] = [];
  const conds: RawBuilder<unknown>[] = [];
  for (const t of terms) {
    if (t.value === '*:*' || (t.field === null && t.value === '*')) continue;
    if (t.field === null || t.field === 'text') {
      words.push(t);
      continue;
    }
    if (t.value === '*') continue;
    const f = filterFor(t);
    conds.push(t.negate ? sql`NOT (${f})` : f);
  }
  const tsq = textQuery(words);
  if (tsq) conds.push(sql`search @@ to_tsquery('simple', ${tsq})`);
  return { where: conds.length ? sql.join(conds, sql` AND `) : sql`true`, tsq };
}

/** The SQL of a search's count (with the published set's stamp) and page (also for EXPLAIN in benchmarks). */
export function searchQuery(p: SearchParams) {
  const { where, tsq } = whereOf(p);
  const sortKey = (p.sort ?? DEFAULT_SORT).trim().toLowerCase().replace(/\s+/g, ' ');
  let order = SORTS[sortKey];
  if (!order) throw new Problem(P_SEARCH, `Cannot sort by "${p.sort}". Use one of: ${Object.keys(SORTS).join('; ')}.`);
  // Without search words every score is 0: order by the rest, which an index can serve.
  if (!tsq) order = order.replace(/^score DESC, /, '');
  const score = tsq ? `ts_rank(search, to_tsquery('simple', ${"'" + tsq.replace(/'/g, "''") + "'"}))` : '0';
  const orderSql = sql.raw(order.replace(/\bscore\b/, score));
  const stampSql = sql`(SELECT count(*)::text || '|' || coalesce(max(metadata_modified)::text, '') FROM opendata_published)`;
  if (tsq) {
    // Text search: match (and rank) once, then count and page from the matches.
    const rankOrder = sql.raw(
      order.replace(/\bscore\b/, 'm.score').replace(/\b(metadata_modified|metadata_created|name|title_et)\b/g, 'm.$1'),
    );
    return {
      single: sql<{ count: number; stamp: string; results: DatasetSnapshot[] | null }>`
        WITH m AS MATERIALIZED (
          SELECT municipality_code, dataset_id, name, title_et, metadata_created, metadata_modified, ${sql.raw(score)} AS score
          FROM opendata_published WHERE ${where}
        ), pg AS (SELECT * FROM m ORDER BY ${rankOrder} LIMIT ${p.rows} OFFSET ${p.start})
        SELECT (SELECT count(*)::int FROM m) AS count, ${stampSql} AS stamp,
          (SELECT json_agg(o.snapshot ORDER BY ${sql.raw(order.replace(/\bscore\b/, 'm.score').replace(/\b(metadata_modified|metadata_created|name|title_et)\b/g, 'm.$1'))})
           FROM pg m JOIN opendata_published o USING (municipality_code, dataset_id)) AS results`,
    };
  }
  return {
    // The stamp (how many published, latest change) tells whether cached facet counts still hold.
    count: sql<{ count: number; stamp: string }>`
      SELECT (SELECT count(*)::int FROM opendata_published WHERE ${where}) AS count,
             (SELECT count(*)::text || '|' || coalesce(max(metadata_modified)::text, '') FROM opendata_published) AS stamp`,
    page: sql<{
      snapshot: DatasetSnapshot;
    }>`SELECT snapshot FROM opendata_published WHERE ${where} ORDER BY ${orderSql} LIMIT ${p.rows} OFFSET ${p.start}`,
  };
}

/** The SQL of the facet counts of a search, in one pass over the matching rows. */
export function facetQuery(p: SearchParams, fields: FacetField[]) {
  const { where } = whereOf(p);
  const facetLimit = Math.max(1, Math.min(p.facetLimit ?? 50, 1000));
  const minCount = Math.max(1, p.facetMinCount ?? 1);
  const parts = fields.map((f) => FACET_SQL[f]);
  return sql<{ field: string; name: string; count: number }>`
    SELECT field, v AS name, n AS count FROM (
      SELECT field, v, count(*)::int AS n, row_number() OVER (PARTITION BY field ORDER BY count(*) DESC, v) AS rn
      FROM opendata_published o CROSS JOIN LATERAL (${sql.raw(parts.join(' UNION ALL '))}) x(field, v)
      WHERE ${where} AND v IS NOT NULL
      GROUP BY field, v
    ) c WHERE rn <= ${facetLimit} AND n >= ${minCount} ORDER BY field, n DESC, v`;
}

/**
 * Facet counts are the costly part of a search (a pass over every matching row) and the same
 * few are asked again and again (the catalogue's landing page, a publisher's page). They are
 * kept per query while the published set is unchanged (same count and latest change).
 */
const facetCache = new Map<string, { stamp: string; facets: SearchResult['facets'] }>();
const FACET_CACHE_ENTRIES = 500;

/**
 * Runs a search. What is published is public (the table's SELECT policy lets anyone read it), so
 * the queries need no tenant scope or transaction and go out side by side.
 */
export async function searchIn(db: Db | Trx, p: SearchParams): Promise<SearchResult> {
  const q = searchQuery(p);
  const facetFields = [
    ...new Set((p.facetFields ?? []).filter((f): f is FacetField => (FACET_FIELDS as readonly string[]).includes(f))),
  ];
  const key = JSON.stringify([p.q ?? '', p.fq ?? '', facetFields, p.facetLimit ?? 50, p.facetMinCount ?? 1]);
  const cached = facetFields.length ? facetCache.get(key) : undefined;
  // Facets nobody asked for before are counted at the same time as the page.
  const facetRows = facetFields.length && !cached ? facetQuery(p, facetFields).execute(db) : undefined;
  facetRows?.catch(() => {}); // awaited below; this only keeps an early failure elsewhere from leaving it unhandled
  let count: number;
  let stamp: string;
  let results: DatasetSnapshot[];
  if ('single' in q && q.single) {
    const r = (await q.single.execute(db)).rows[0]!;
    ({ count, stamp } = r);
    results = r.results ?? [];
  } else {
    const [c, page] = await Promise.all([
      q.count!.execute(db),
      p.rows > 0 ? q.page!.execute(db) : Promise.resolve({ rows: [] as { snapshot: DatasetSnapshot }[] }),
    ]);
    ({ count, stamp } = c.rows[0]!);
    results = page.rows.map((x) => x.snapshot);
  }
  let facets: SearchResult['facets'] = {};
  if (facetFields.length) {
    if (cached && cached.stamp === stamp) facets = cached.facets;
    else {
      facets = Object.fromEntries(facetFields.map((f) => [f, [] as { name: string; count: number }[]]));
      for (const x of (await (facetRows ?? facetQuery(p, facetFields).execute(db))).rows)
        facets[x.field]!.push({ name: x.name, count: x.count });
      facetCache.delete(key);
      facetCache.set(key, { stamp, facets });
      while (facetCache.size > FACET_CACHE_ENTRIES) facetCache.delete(facetCache.keys().next().value!);
    }
  }
  return { count, sort: p.sort ?? DEFAULT_SORT, results, facets };
}

export async function searchPublished(ctx: AppContext, p: SearchParams): Promise<SearchResult> {
  // Read-heavy and public: a replica within the staleness bound may answer.
  return searchIn(ctx.readDb, p);
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
