import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Scope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { isElvlEditor, isOfficial, requireOfficial } from './policy';
import {
  ELVL,
  articleBySlug,
  attachmentsOf,
  commentsOf,
  helpedOf,
  searchArticles,
  type ArticleFilter,
  type ArticleRow,
} from './store';

/**
 * Officials read the hub in ELVL's scope; everyone else reads with no tenant scope at all, where
 * row-level security lets through only published public articles (migration 0700). The use case
 * decides the scope; the database guarantees what the public scope can see.
 */
export function readerScope(actor: Actor): Scope {
  return actor.kind === 'person' && isOfficial(actor)
    ? { tenant: ELVL, actor: actor.personId }
    : actor.kind === 'person'
      ? { actor: actor.personId }
      : {};
}

export const canEditArticle = (actor: Actor, a: Pick<ArticleRow, 'author_id'>) =>
  actor.kind === 'person' && isOfficial(actor) && (isElvlEditor(actor) || a.author_id === actor.personId);

function visibleTo(actor: Actor, a: ArticleRow) {
  if (a.status === 'published') return true;
  return canEditArticle(actor, a);
}

export async function listArticles(ctx: AppContext, actor: Actor, filter: Omit<ArticleFilter, 'draftsOf'>) {
  const official = actor.kind === 'person' && isOfficial(actor);
  const draftsOf = official ? (isElvlEditor(actor) ? 'all' : actor.personId) : undefined;
  return inScope(ctx.db, readerScope(actor), (trx) => searchArticles(trx, { ...filter, draftsOf }));
}

export async function readArticle(ctx: AppContext, actor: Actor, slug: string) {
  const official = actor.kind === 'person' && isOfficial(actor);
  return inScope(ctx.db, readerScope(actor), async (trx) => {
    const a = await articleBySlug(trx, slug);
    if (!a || !visibleTo(actor, a)) throw notFound(`Article ${slug}`);
    const personId = actor.kind === 'person' ? actor.personId : undefined;
    const [files, comments, helped] = await Promise.all([
      attachmentsOf(trx, a.id),
      official ? commentsOf(trx, a.id) : Promise.resolve([]),
      helpedOf(trx, a.id, official ? personId : undefined),
    ]);
    return {
      id: a.id,
      slug: a.slug,
      kind: a.kind,
      visibility: a.visibility,
      status: a.status,
      topics: a.topics,
      eitsModules: a.eits_modules,
      tags: a.tags,
      title: a.title,
      summary: a.summary,
      body: a.body,
      version: a.version,
      authorMunicipality: a.author_municipality,
      createdAt: a.created_at.toISOString(),
      updatedAt: a.updated_at.toISOString(),
      publishedAt: a.published_at?.toISOString() ?? null,
      attachments: files.map((f) => ({
        id: f.id,
        filename: f.filename,
        mediaType: f.media_type,
        sizeBytes: f.size_bytes,
        url: `/api/v1/hub/articles/${a.slug}/attachments/${f.id}`,
      })),
      comments: comments.map((c) => ({
        id: c.id,
        body: c.body,
        authorName: [c.given_name, c.family_name].filter(Boolean).join(' ') || '—',
        authorMunicipality: c.author_municipality,
        createdAt: c.created_at.toISOString(),
        mine: c.author_id === personId,
      })),
      helped,
      canEdit: canEditArticle(actor, a),
    };
  });
}

/** Every saved version of an article, newest first (officials). */
export async function listArticleVersions(ctx: AppContext, actor: Actor, slug: string) {
  const reader = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: reader.personId }, async (trx) => {
    const a = await articleBySlug(trx, slug);
    if (!a || !visibleTo(actor, a)) throw notFound(`Article ${slug}`);
    const rows = await trx
      .selectFrom('hub_article_version as v')
      .leftJoin('person as p', 'p.id', 'v.edited_by')
      .select([
        'v.version',
        'v.title',
        'v.summary',
        'v.body',
        'v.kind',
        'v.visibility',
        'v.topics',
        'v.eits_modules',
        'v.tags',
        'v.change_note',
        'v.edited_at',
        'p.given_name',
        'p.family_name',
      ])
      .where('v.municipality_code', '=', ELVL)
      .where('v.article_id', '=', a.id)
      .orderBy('v.version', 'desc')
      .execute();
    return rows.map((v) => ({
      version: v.version,
      title: v.title,
      summary: v.summary,
      body: v.body,
      kind: v.kind,
      visibility: v.visibility,
      topics: v.topics,
      eitsModules: v.eits_modules,
      tags: v.tags,
      changeNote: v.change_note,
      editedAt: v.edited_at.toISOString(),
      editorName: [v.given_name, v.family_name].filter(Boolean).join(' ') || '—',
    }));
  });
}
