import { sql, type Generated, type Selectable } from 'kysely';
import type { Trx } from '../../platform/db/database';
import { prefixQuery, queryWords } from './search';

export const ELVL = '0000';

export interface ArticleTable {
  municipality_code: string;
  id: Generated<string>;
  slug: string;
  kind: string;
  visibility: 'officials' | 'public';
  status: 'draft' | 'published' | 'archived';
  topics: string[];
  eits_modules: string[];
  tags: string[];
  title: string;
  summary: string;
  body: string;
  version: number;
  author_id: string | null;
  author_municipality: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  published_at: Date | null;
}
export type ArticleRow = Selectable<ArticleTable>;

declare module '../../platform/db/tables' {
  interface KovTables {
    hub_article: ArticleTable;
    hub_article_version: {
      municipality_code: string;
      article_id: string;
      version: number;
      title: string;
      summary: string;
      body: string;
      kind: string;
      visibility: string;
      topics: string[];
      eits_modules: string[];
      tags: string[];
      change_note: string;
      edited_by: string | null;
      edited_at: Generated<Date>;
    };
    hub_attachment: {
      municipality_code: string;
      article_id: string;
      file_id: string;
      added_by: string | null;
      added_at: Generated<Date>;
    };
    hub_comment: {
      municipality_code: string;
      id: Generated<string>;
      article_id: string;
      author_id: string;
      author_municipality: string | null;
      body: string;
      created_at: Generated<Date>;
    };
    hub_helped: { municipality_code: string; article_id: string; person_id: string; marked_at: Generated<Date> };
  }
}

export interface ArticleFilter {
  q?: string | undefined;
  topic?: string | undefined;
  kind?: string | undefined;
  eitsModule?: string | undefined;
  limit: number;
  offset: number;
  /** Officials also see drafts they wrote; ELVL editors see all drafts. */
  draftsOf?: string | 'all' | undefined;
}

export interface ArticleSummary {
  id: string;
  slug: string;
  kind: string;
  visibility: string;
  status: string;
  topics: string[];
  eitsModules: string[];
  tags: string[];
  title: string;
  summary: string;
  snippet: string;
  version: number;
  helped: number;
  authorMunicipality: string | null;
  updatedAt: string;
}

/** Published articles (RLS decides whether officials-only ones are visible at all), newest or best match first. */
export async function searchArticles(
  trx: Trx,
  f: ArticleFilter,
  mode: 'all' | 'any' | 'fuzzy' = 'all',
): Promise<ArticleSummary[]> {
  const tsq = f.q && mode !== 'fuzzy' ? prefixQuery(f.q, mode === 'any') : undefined;
  const words = f.q ? queryWords(f.q).join(' ') : '';
  let query = trx
    .selectFrom('hub_article as a')
    .select([
      'a.id',
      'a.slug',
      'a.kind',
      'a.visibility',
      'a.status',
      'a.topics',
      'a.eits_modules',
      'a.tags',
      'a.title',
      'a.summary',
      'a.version',
      'a.updated_at',
      'a.published_at',
      'a.author_municipality',
      sql<number>`(SELECT count(*)::int FROM hub_helped h WHERE h.municipality_code = a.municipality_code AND h.article_id = a.id)`.as(
        'helped',
      ),
    ]);
  if (f.draftsOf === 'all') query = query.where('a.status', '!=', 'archived');
  else if (f.draftsOf)
    query = query.where((eb) =>
      eb.or([
        eb('a.status', '=', 'published'),
        eb.and([eb('a.status', '=', 'draft'), eb('a.author_id', '=', f.draftsOf as string)]),
      ]),
    );
  else query = query.where('a.status', '=', 'published');
  if (f.topic) query = query.where(sql<boolean>`${f.topic} = ANY(a.topics)`);
  if (f.kind) query = query.where('a.kind', '=', f.kind);
  if (f.eitsModule) query = query.where(sql<boolean>`${f.eitsModule} = ANY(a.eits_modules)`);
  if (tsq) {
    // Matches come through the GIN index (hub_article_matches, migration 0721): under row-level
    // security a plain `a.search @@ …` filter reads every article.
    query = query
      .where(
        sql<boolean>`(a.municipality_code, a.id) IN (SELECT m.municipality_code, m.id FROM hub_article_matches(to_tsquery('hub_et', ${tsq})) m)`,
      )
      .orderBy(sql`ts_rank(a.search, to_tsquery('hub_et', ${tsq})) + word_similarity(${words}, a.title)`, 'desc');
  } else if (mode === 'fuzzy' && words) {
    // Typos: titles with a word similar to the query's (pg_trgm), best first.
    query = query.where(sql<boolean>`${words} <% a.title`).orderBy(sql`word_similarity(${words}, a.title)`, 'desc');
  }
  const rows = await query.orderBy('a.updated_at', 'desc').limit(f.limit).offset(f.offset).execute();
  // Every word is required; when that finds nothing, any word will do (best matches first); when
  // no word matches at all, the query may be misspelt: titles with similar words.
  if (!rows.length && f.offset === 0 && f.q && words) {
    if (mode === 'all' && queryWords(f.q).length > 1) return searchArticles(trx, f, 'any');
    if (mode !== 'fuzzy') return searchArticles(trx, f, 'fuzzy');
  }
  // Headlines are costly: only for the page of results, after ranking.
  const snippets = new Map<string, string>();
  if (tsq && rows.length) {
    const h = await sql<{ id: string; snippet: string }>`
      SELECT id, ts_headline('hub_et', body, to_tsquery('hub_et', ${tsq}), 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=«, StopSel=»') AS snippet
      FROM hub_article WHERE municipality_code = ${ELVL} AND id = ANY(${rows.map((r) => r.id)}::uuid[])`.execute(trx);
    for (const r of h.rows) snippets.set(r.id, r.snippet);
  }
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    kind: r.kind,
    visibility: r.visibility,
    status: r.status,
    topics: r.topics,
    eitsModules: r.eits_modules,
    tags: r.tags,
    title: r.title,
    summary: r.summary,
    snippet: snippets.get(r.id) ?? '',
    version: r.version,
    helped: Number(r.helped),
    authorMunicipality: r.author_municipality,
    updatedAt: r.updated_at.toISOString(),
  }));
}

export async function articleBySlug(trx: Trx, slug: string, lock = false) {
  let q = trx.selectFrom('hub_article').selectAll().where('municipality_code', '=', ELVL).where('slug', '=', slug);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function attachmentsOf(trx: Trx, articleId: string) {
  return trx
    .selectFrom('hub_attachment as h')
    .innerJoin('stored_file as f', (j) =>
      j.onRef('f.municipality_code', '=', 'h.municipality_code').onRef('f.id', '=', 'h.file_id'),
    )
    .select(['f.id', 'f.filename', 'f.media_type', 'f.size_bytes', 'h.added_at'])
    .where('h.municipality_code', '=', ELVL)
    .where('h.article_id', '=', articleId)
    .orderBy('h.added_at')
    .execute();
}

export async function commentsOf(trx: Trx, articleId: string) {
  return trx
    .selectFrom('hub_comment as c')
    .innerJoin('person as p', 'p.id', 'c.author_id')
    .select(['c.id', 'c.body', 'c.created_at', 'c.author_municipality', 'c.author_id', 'p.given_name', 'p.family_name'])
    .where('c.municipality_code', '=', ELVL)
    .where('c.article_id', '=', articleId)
    .orderBy('c.created_at')
    .execute();
}

export async function helpedOf(trx: Trx, articleId: string, personId: string | undefined) {
  const r = await trx
    .selectFrom('hub_helped')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<boolean>`coalesce(bool_or(person_id = ${personId ?? null}::uuid), false)`.as('mine'),
    ])
    .where('municipality_code', '=', ELVL)
    .where('article_id', '=', articleId)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), mine: Boolean(r.mine) };
}
