import type { AppContext } from '../../platform/context';
import type { Actor, PersonActor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { forbidden, invalid, notFound } from '../../platform/http/problems';
import { homeMunicipality, isElvlEditor, requireAuthor } from './policy';
import { ELVL, articleBySlug } from './store';
import { canEditArticle } from './readArticles';
import type { ArticleInput } from './schemas';

const FOLD: Record<string, string> = { õ: 'o', ä: 'a', ö: 'o', ü: 'u', š: 's', ž: 'z' };
export function slugify(title: string): string {
  const s = title
    .toLocaleLowerCase('et')
    .replace(/[õäöüšž]/g, (c) => FOLD[c] ?? c)
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return s.length >= 3 ? s : `artikkel-${s || 'x'}`;
}

function checkPublic(actor: PersonActor, input: ArticleInput) {
  if (input.visibility === 'public' && !isElvlEditor(actor))
    throw forbidden('Only ELVL editors may make an article public; choose visibility "officials"');
}

async function freeSlug(trx: Trx, base: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await articleBySlug(trx, slug))) return slug;
  }
  throw invalid([{ pointer: '/body/slug', detail: 'choose another slug' }]);
}

async function saveVersion(trx: Trx, articleId: string, version: number, input: ArticleInput, by: string) {
  await trx
    .insertInto('hub_article_version')
    .values({
      municipality_code: ELVL,
      article_id: articleId,
      version,
      title: input.title,
      summary: input.summary ?? '',
      body: input.body,
      kind: input.kind,
      visibility: input.visibility,
      topics: input.topics,
      eits_modules: input.eitsModules,
      tags: input.tags ?? [],
      change_note: input.changeNote ?? '',
      edited_by: by,
    })
    .execute();
}

/** A new article (version 1). Any official with an editor or admin role may write; it belongs to ELVL's hub. */
export async function createArticle(ctx: AppContext, actor: Actor, input: ArticleInput) {
  const author = requireAuthor(actor);
  checkPublic(author, input);
  return inScope(ctx.db, { tenant: ELVL, actor: author.personId }, async (trx) => {
    if (input.slug && (await articleBySlug(trx, input.slug)))
      throw invalid([{ pointer: '/body/slug', detail: `an article ${input.slug} exists already` }]);
    const slug = input.slug ?? (await freeSlug(trx, slugify(input.title)));
    const status = input.status ?? 'published';
    const row = await trx
      .insertInto('hub_article')
      .values({
        municipality_code: ELVL,
        slug,
        kind: input.kind,
        visibility: input.visibility,
        status,
        topics: input.topics,
        eits_modules: input.eitsModules,
        tags: input.tags ?? [],
        title: input.title,
        summary: input.summary ?? '',
        body: input.body,
        version: 1,
        author_id: author.personId,
        author_municipality: homeMunicipality(author),
        published_at: status === 'published' ? new Date() : null,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await saveVersion(trx, row.id, 1, input, author.personId);
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: author.personId,
      action: 'hub.article.created',
      subject: `article:${row.id}`,
      details: { slug, title: input.title, visibility: input.visibility, status },
    });
    return { id: row.id, slug, version: 1 };
  });
}

/** Saves a new version of an article; the previous versions stay readable. */
export async function reviseArticle(ctx: AppContext, actor: Actor, slug: string, input: ArticleInput) {
  const author = requireAuthor(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: author.personId }, async (trx) => {
    const a = await articleBySlug(trx, slug, true);
    if (!a) throw notFound(`Article ${slug}`);
    if (!canEditArticle(author, a)) throw forbidden('Only the author or an ELVL editor may change this article');
    if (input.visibility === 'public' && a.visibility !== 'public') checkPublic(author, input);
    const version = a.version + 1;
    const status = input.status ?? a.status;
    await trx
      .updateTable('hub_article')
      .set({
        kind: input.kind,
        visibility: input.visibility,
        status,
        topics: input.topics,
        eits_modules: input.eitsModules,
        tags: input.tags ?? a.tags,
        title: input.title,
        summary: input.summary ?? a.summary,
        body: input.body,
        version,
        updated_at: new Date(),
        published_at: status === 'published' ? (a.published_at ?? new Date()) : a.published_at,
      })
      .where('municipality_code', '=', ELVL)
      .where('id', '=', a.id)
      .execute();
    await saveVersion(
      trx,
      a.id,
      version,
      { ...input, tags: input.tags ?? a.tags, summary: input.summary ?? a.summary },
      author.personId,
    );
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: author.personId,
      action: 'hub.article.revised',
      subject: `article:${a.id}`,
      details: { slug, version, changeNote: input.changeNote ?? '', visibility: input.visibility, status },
    });
    return { id: a.id, slug, version };
  });
}
