import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import { Problem, defineProblem } from '../../platform/http/problems';
import type { DatasetSnapshot } from './snapshot';
import { organizationName } from './vocab';

/**
 * Search over what is published, in CKAN's terms: `q` (free text, or `field:value` terms), `fq`
 * (filter terms: `organization:tartu-linn tags:eelarve res_format:CSV -license_id:CC0-1.0`),
 * `rows`, `start`, `sort`, and facet counts. Reads opendata_published only (platform-wide,
 * public data).
 */
export const P_SEARCH = defineProblem('opendata-search-query', 409, 'Search query error', 'The q or fq parameter names a field the catalogue cannot filter on, or is malformed.');

export const FACET_FIELDS = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'spatial', 'frequency', 'origin'] as const;
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
      throw new Problem(P_SEARCH, `Cannot search on the field "${t.field}". Fields: text, organization, tags, groups, res_format, license_id, name, id, spatial, frequency, origin, municipality_code.`);
  }
}

/** Free text as a prefix tsquery: `eelar tartu` → `eelar:* & tartu:*`. */
function textQuery(words: { value: string; negate: boolean }[]): string | null {
  const parts: string[] = [];
  for (const w of words) {
    const tokens = w.value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
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
  organization: 'SELECT organization AS v FROM f',
  groups: 'SELECT lower(unnest(themes)) AS v FROM f',
  tags: 'SELECT unnest(tags) AS v FROM f',
  res_format: 'SELECT unnest(formats) AS v FROM f',
  license_id: 'SELECT license_id AS v FROM f',
  spatial: 'SELECT unnest(spatial) AS v FROM f',
  frequency: 'SELECT frequency AS v FROM f',
  origin: 'SELECT origin AS v FROM f',
};

export async function searchIn(trx: Trx, p: SearchParams): Promise<SearchResult> {
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
  const where = conds.length ? sql.join(conds, sql` AND `) : sql`true`;
  const sortKey = (p.sort ?? DEFAULT_SORT).trim().toLowerCase().replace(/\s+/g, ' ');
  const order = SORTS[sortKey];
  if (!order) throw new Problem(P_SEARCH, `Cannot sort by "${p.sort}". Use one of: ${Object.keys(SORTS).join('; ')}.`);
  const facetFields = (p.facetFields ?? []).filter((f): f is FacetField => (FACET_FIELDS as readonly string[]).includes(f));
  const facetLimit = Math.max(1, Math.min(p.facetLimit ?? 50, 1000));
  const minCount = Math.max(1, p.facetMinCount ?? 1);
  const score = tsq ? sql`ts_rank(search, to_tsquery('simple', ${tsq}))` : sql`0::real`;
  const facetUnion = facetFields.length
    ? sql.raw(facetFields.map((f) => `SELECT '${f}'::text AS field, v FROM (${FACET_SQL[f]}) s${f}`).join(' UNION ALL '))
    : sql.raw(`SELECT NULL::text AS field, NULL::text AS v WHERE false`);

  const { rows } = await sql<{ count: number; results: DatasetSnapshot[] | null; facets: { field: string; name: string; count: number }[] | null }>`
    WITH f AS MATERIALIZED (
      SELECT municipality_code, dataset_id, name, organization, origin, title_et, tags, themes, formats, license_id, spatial, frequency,
             metadata_created, metadata_modified, ${score} AS score
      FROM opendata_published WHERE ${where}
    ),
    page AS (SELECT municipality_code, dataset_id, row_number() OVER (ORDER BY ${sql.raw(order)}) AS pos FROM f ORDER BY ${sql.raw(order)} LIMIT ${p.rows} OFFSET ${p.start}),
    counted AS (
      SELECT field, v, count(*)::int AS n, row_number() OVER (PARTITION BY field ORDER BY count(*) DESC, v) AS rn
      FROM (${facetUnion}) u WHERE v IS NOT NULL GROUP BY field, v
    )
    SELECT (SELECT count(*)::int FROM f) AS count,
      (SELECT json_agg(p.snapshot ORDER BY page.pos) FROM page JOIN opendata_published p USING (municipality_code, dataset_id)) AS results,
      (SELECT json_agg(json_build_object('field', field, 'name', v, 'count', n) ORDER BY field, n DESC, v) FROM counted WHERE rn <= ${facetLimit} AND n >= ${minCount}) AS facets`.execute(trx);
  const r = rows[0]!;
  const facets: SearchResult['facets'] = Object.fromEntries(facetFields.map((f) => [f, [] as { name: string; count: number }[]]));
  for (const x of r.facets ?? []) facets[x.field]!.push({ name: x.name, count: x.count });
  return { count: r.count, sort: p.sort ?? DEFAULT_SORT, results: r.results ?? [], facets };
}

export async function searchPublished(ctx: AppContext, p: SearchParams): Promise<SearchResult> {
  return inScope(ctx.db, { tenant: '*' }, (trx) => searchIn(trx, p));
}

/** The current published snapshot by CKAN name or dataset id. */
export async function findPublished(ctx: AppContext, idOrName: string): Promise<DatasetSnapshot | undefined> {
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
    const r = await sql<{ snapshot: DatasetSnapshot }>`SELECT snapshot FROM opendata_published WHERE ${isUuid ? sql`dataset_id = ${idOrName}::uuid` : sql`name = ${idOrName}`} LIMIT 1`.execute(trx);
    return r.rows[0]?.snapshot;
  });
}

/** Names of every published dataset (CKAN package_list), by name. */
export async function publishedNames(ctx: AppContext, limit: number, offset: number): Promise<string[]> {
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const r = await sql<{ name: string }>`SELECT name FROM opendata_published ORDER BY name LIMIT ${limit} OFFSET ${offset}`.execute(trx);
    return r.rows.map((x) => x.name);
  });
}

export interface Organization {
  code: string;
  name: string;
  title: string;
  packageCount: number;
}

/** Every catalogue (the 78 municipalities and ELVL) as CKAN organisations, with their dataset counts. */
export async function organizations(ctx: AppContext): Promise<Organization[]> {
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const r = await sql<{ code: string; name: string; n: number }>`
      SELECT t.code, t.name, (SELECT count(*)::int FROM opendata_published p WHERE p.municipality_code = t.code) AS n
      FROM tenant t ORDER BY t.code`.execute(trx);
    return r.rows.map((x) => ({ code: x.code, name: organizationName(x.code, x.name), title: x.name, packageCount: x.n })).sort((a, b) => a.name.localeCompare(b.name));
  });
}
