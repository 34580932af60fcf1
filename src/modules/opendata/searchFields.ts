import { sql, type RawBuilder } from 'kysely';
import { SolrSyntaxError, type QueryNode } from './solrQuery';
import { solrDate } from './solrDate';

/**
 * CKAN's Solr fields as columns of the published catalogue (`opendata_published`, or the same
 * columns with the caller's private datasets added): a parsed package_search query becomes one
 * SQL condition. Field types follow CKAN's Solr schema — `text` fields are tokenised (words),
 * `string` fields match whole values, dates take ranges and date math. Unknown fields are an
 * error, as in Solr ("undefined field").
 *
 * | field | column | kind |
 * | --- | --- | --- |
 * | `text` (the default field) | `search`: titles, name, tags, themes, places, descriptions, publisher, formats | words, each matching word beginnings (for Estonian's endings) |
 * | `title`, `notes` | `title_vector`, `notes_vector` (both languages) | words |
 * | `name`, `organization`, `license_id`, `frequency`, `origin`, `municipality_code` | columns | whole value |
 * | `tags`, `groups`, `res_format`, `spatial` | arrays | any element; groups are EU theme codes in lower case |
 * | `id`, `owner_org` | dataset id, organisation id | whole value |
 * | `metadata_modified`, `metadata_created` | timestamps | instants, ranges, date math |
 * | `capacity` (`public`/`private`), `state` (`active`), `dataset_type`, `type` (`dataset`), `entity_type` (`package`) | | whole value |
 */
export interface CompileContext {
  now: Date;
  /** owner_org (organisation UUID) → organisation name. */
  organizationIds: Map<string, string>;
}

type Cond = RawBuilder<unknown>;
const TRUE = sql`true`;
const FALSE = sql`false`;

type Field =
  | { kind: 'text'; column: 'search' | 'title_vector' | 'notes_vector'; prefix: boolean }
  | { kind: 'string'; column: string; array?: boolean; upper?: boolean; lower?: boolean }
  | { kind: 'date'; column: 'metadata_modified' | 'metadata_created' }
  | { kind: 'id' }
  | { kind: 'ownerOrg' }
  | { kind: 'capacity' }
  | { kind: 'constant'; value: string };

const FIELDS: Record<string, Field> = {
  text: { kind: 'text', column: 'search', prefix: true },
  title: { kind: 'text', column: 'title_vector', prefix: false },
  notes: { kind: 'text', column: 'notes_vector', prefix: false },
  name: { kind: 'string', column: 'name' },
  organization: { kind: 'string', column: 'organization' },
  license_id: { kind: 'string', column: 'license_id' },
  frequency: { kind: 'string', column: 'frequency', upper: true },
  origin: { kind: 'string', column: 'origin' },
  municipality_code: { kind: 'string', column: 'municipality_code' },
  tags: { kind: 'string', column: 'tags', array: true },
  groups: { kind: 'string', column: 'themes', array: true, upper: true },
  theme: { kind: 'string', column: 'themes', array: true, upper: true },
  res_format: { kind: 'string', column: 'formats', array: true },
  spatial: { kind: 'string', column: 'spatial', array: true },
  id: { kind: 'id' },
  owner_org: { kind: 'ownerOrg' },
  metadata_modified: { kind: 'date', column: 'metadata_modified' },
  metadata_created: { kind: 'date', column: 'metadata_created' },
  capacity: { kind: 'capacity' },
  state: { kind: 'constant', value: 'active' },
  dataset_type: { kind: 'constant', value: 'dataset' },
  type: { kind: 'constant', value: 'dataset' },
  entity_type: { kind: 'constant', value: 'package' },
};
export const SEARCHABLE_FIELDS = Object.keys(FIELDS);

function fieldOf(name: string | null): Field {
  const f = FIELDS[name ?? 'text'];
  if (!f) throw new SolrSyntaxError(`undefined field ${name}`);
  return f;
}

/** Words of a text value as the `simple` configuration indexes them (letters and digits, lower case). */
export function words(value: string): string[] {
  return value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A tsquery text over words (safe to hand to to_tsquery: letters and digits only). */
function tsquery(ws: string[], opts: { prefix: boolean; phrase: boolean }): string {
  return ws.map((w) => (opts.prefix ? `${w}:*` : w)).join(opts.phrase ? ' <-> ' : ' & ');
}

/** A Lucene wildcard as a LIKE pattern (`*` any run, `?` one character). */
function likePattern(pattern: string, lower: boolean): string {
  const p = lower ? pattern.toLowerCase() : pattern;
  return p
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}
function likeMatches(value: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    's',
  );
  return re.test(value);
}

const col = (name: string) => sql.ref(name);

export interface Compiled {
  where: Cond;
  /** The default-field words of positive clauses, to rank by (a tsquery text), or null. */
  rank: string | null;
}

export function compile(node: QueryNode, c: CompileContext): Compiled {
  const rankParts: string[] = [];

  function term(field: Field, value: string, phrase: boolean, positive: boolean): Cond | null {
    switch (field.kind) {
      case 'text': {
        const ws = words(value);
        if (ws.length === 0) return null; // analysed to nothing: the clause drops out, as in Solr
        const q = tsquery(ws, { prefix: field.prefix, phrase: phrase || ws.length > 1 });
        if (positive && field.column === 'search') rankParts.push(`(${q})`);
        return sql`${col(field.column)} @@ to_tsquery('simple', ${q})`;
      }
      case 'string': {
        const v = field.upper ? value.toUpperCase() : value;
        return field.array ? sql`${col(field.column)} @> ${[v]}::text[]` : sql`${col(field.column)} = ${v}`;
      }
      case 'date':
        return sql`${col(field.column)} = ${solrDate(value, c.now).toISOString()}::timestamptz`;
      case 'id':
        return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
          ? sql`dataset_id = ${value.toLowerCase()}::uuid`
          : FALSE;
      case 'ownerOrg': {
        const org = c.organizationIds.get(value.toLowerCase());
        return org ? sql`organization = ${org}` : FALSE;
      }
      case 'capacity':
        return value === 'public' ? sql`NOT private` : value === 'private' ? sql`private` : FALSE;
      case 'constant':
        return field.value === value ? TRUE : FALSE;
    }
  }

  function wildcard(field: Field, pattern: string, positive: boolean): Cond | null {
    switch (field.kind) {
      case 'text': {
        const stem = pattern.slice(0, -1);
        // A trailing * alone is a prefix: the index answers it.
        if (/^[^*?]+\*$/.test(pattern) && words(stem).length === 1 && words(stem)[0] === stem.toLowerCase()) {
          const q = `${words(stem)[0]}:*`;
          if (positive && field.column === 'search') rankParts.push(q);
          return sql`${col(field.column)} @@ to_tsquery('simple', ${q})`;
        }
        return sql`EXISTS (SELECT 1 FROM unnest(${col(field.column)}) u WHERE u.lexeme LIKE ${likePattern(pattern, true)})`;
      }
      case 'string': {
        const p = likePattern(field.upper ? pattern.toUpperCase() : pattern, false);
        return field.array
          ? sql`EXISTS (SELECT 1 FROM unnest(${col(field.column)}) t WHERE t LIKE ${p})`
          : sql`${col(field.column)} LIKE ${p}`;
      }
      case 'date':
        throw new SolrSyntaxError(`Invalid Date String:'${pattern}'`);
      case 'id':
        return sql`dataset_id::text LIKE ${likePattern(pattern.toLowerCase(), false)}`;
      case 'ownerOrg': {
        const orgs = [...c.organizationIds].filter(([id]) => likeMatches(id, pattern.toLowerCase())).map(([, o]) => o);
        return orgs.length ? sql`organization = ANY(${orgs}::text[])` : FALSE;
      }
      case 'capacity':
        return likeMatches('public', pattern)
          ? likeMatches('private', pattern)
            ? TRUE
            : sql`NOT private`
          : likeMatches('private', pattern)
            ? sql`private`
            : FALSE;
      case 'constant':
        return likeMatches(field.value, pattern) ? TRUE : FALSE;
    }
  }

  function range(field: Field, n: Extract<QueryNode, { kind: 'range' }>): Cond {
    const bound = (op: '>' | '<', inclusive: boolean) => sql.raw(`${op}${inclusive ? '=' : ''}`);
    switch (field.kind) {
      case 'date': {
        const parts: Cond[] = [];
        if (n.lower !== null)
          parts.push(
            sql`${col(field.column)} ${bound('>', n.lowerInclusive)} ${solrDate(n.lower, c.now).toISOString()}::timestamptz`,
          );
        if (n.upper !== null)
          parts.push(
            sql`${col(field.column)} ${bound('<', n.upperInclusive)} ${solrDate(n.upper, c.now).toISOString()}::timestamptz`,
          );
        return parts.length ? sql.join(parts, sql` AND `) : TRUE;
      }
      case 'string':
      case 'id': {
        const target = field.kind === 'id' ? sql`dataset_id::text` : field.array ? sql.ref('t') : col(field.column);
        const norm = (v: string) => (field.kind === 'string' && field.upper ? v.toUpperCase() : v);
        const parts: Cond[] = [];
        if (n.lower !== null) parts.push(sql`${target} COLLATE "C" ${bound('>', n.lowerInclusive)} ${norm(n.lower)}`);
        if (n.upper !== null) parts.push(sql`${target} COLLATE "C" ${bound('<', n.upperInclusive)} ${norm(n.upper)}`);
        if (field.kind === 'string' && field.array) {
          const inner = parts.length ? sql.join(parts, sql` AND `) : TRUE;
          return sql`EXISTS (SELECT 1 FROM unnest(${col(field.column)}) t WHERE ${inner})`;
        }
        return parts.length ? sql.join(parts, sql` AND `) : TRUE;
      }
      case 'text':
        if (n.lower === null && n.upper === null) return sql`length(${col(field.column)}) > 0`;
        throw new SolrSyntaxError('ranges on text fields are not supported; use words, phrases or wildcards');
      default:
        if (n.lower === null && n.upper === null) return TRUE;
        throw new SolrSyntaxError('ranges are supported on dates, names, identifiers and other whole-value fields');
    }
  }

  function walk(n: QueryNode, positive: boolean): Cond | null {
    switch (n.kind) {
      case 'all':
        return TRUE;
      case 'term':
        return term(fieldOf(n.field), n.value, n.phrase, positive);
      case 'wildcard':
        return wildcard(fieldOf(n.field), n.pattern, positive);
      case 'range':
        return range(fieldOf(n.field), n);
      case 'bool': {
        const must: Cond[] = [];
        const should: Cond[] = [];
        const mustNot: Cond[] = [];
        for (const cl of n.clauses) {
          const x = walk(cl.node, positive && cl.occur !== 'mustNot');
          if (x === null) continue;
          (cl.occur === 'must' ? must : cl.occur === 'should' ? should : mustNot).push(x);
        }
        if (must.length + should.length + mustNot.length === 0) return null;
        const conds = [...must];
        // Optional clauses: with a required one they only rank (Lucene), otherwise at least one
        // (or DisMax's minimum) must match.
        const min = n.minShouldMatch ?? (must.length === 0 ? 1 : 0);
        if (should.length && min > 0) {
          if (min >= should.length) conds.push(...should);
          else if (min === 1) conds.push(sql`(${sql.join(should, sql` OR `)})`);
          else
            // Any one of them first (which the indexes answer), then the count.
            conds.push(
              sql`(${sql.join(should, sql` OR `)})`,
              sql`(${sql.join(
                should.map((s) => sql`(${s})::int`),
                sql` + `,
              )}) >= ${min}`,
            );
        }
        for (const x of mustNot) conds.push(sql`NOT (${x})`);
        return conds.length ? sql`(${sql.join(conds, sql` AND `)})` : TRUE;
      }
    }
  }

  const where = walk(node, true) ?? TRUE;
  return { where, rank: rankParts.length ? rankParts.join(' | ') : null };
}
