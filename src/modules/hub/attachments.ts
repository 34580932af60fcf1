import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { forbidden, invalid, notFound } from '../../platform/http/problems';
import { readFile, readMultipart, storeFile } from '../../platform/files/files';
import { requireAuthor } from './policy';
import { ELVL, articleBySlug } from './store';
import { canEditArticle, readerScope } from './readArticles';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Adds files (templates, sample documents) to an article: its author or an ELVL editor. */
export async function attachToArticle(ctx: AppContext, actor: Actor, slug: string, request: FastifyRequest) {
  const author = requireAuthor(actor);
  const { files } = await readMultipart(request, { maxFileBytes: MAX_ATTACHMENT_BYTES, maxFiles: 5 });
  if (!files.length) throw invalid([{ pointer: '/body/file', detail: 'attach at least one file' }]);
  return inScope(ctx.db, { tenant: ELVL, actor: author.personId }, async (trx) => {
    const a = await articleBySlug(trx, slug, true);
    if (!a) throw notFound(`Article ${slug}`);
    if (!canEditArticle(author, a)) throw forbidden('Only the author or an ELVL editor may add files to this article');
    const stored = [];
    for (const f of files) {
      const meta = await storeFile(trx, {
        municipalityCode: ELVL,
        filename: f.filename,
        mediaType: f.mediaType || 'application/octet-stream',
        content: f.content,
        purpose: 'hub.attachment',
        uploadedBy: author.personId,
      });
      await trx
        .insertInto('hub_attachment')
        .values({ municipality_code: ELVL, article_id: a.id, file_id: meta.id, added_by: author.personId } as never)
        .execute();
      stored.push({
        id: meta.id,
        filename: meta.filename,
        mediaType: meta.mediaType,
        sizeBytes: meta.sizeBytes,
        url: `/api/v1/hub/articles/${slug}/attachments/${meta.id}`,
      });
    }
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: author.personId,
      action: 'hub.attachment.added',
      subject: `article:${a.id}`,
      details: { files: stored.map((s) => s.filename) },
    });
    return stored;
  });
}

/**
 * A file of an article, for whoever may read the article: the link is looked up in the reader's
 * own scope (the public's shows only public articles' files), the bytes then in ELVL's.
 */
export async function readAttachment(ctx: AppContext, actor: Actor, slug: string, fileId: string) {
  const linked = await inScope(ctx.db, readerScope(actor), async (trx) => {
    const a = await articleBySlug(trx, slug);
    if (!a || (a.status !== 'published' && !canEditArticle(actor, a))) return false;
    const link = await trx
      .selectFrom('hub_attachment')
      .select('file_id')
      .where('municipality_code', '=', ELVL)
      .where('article_id', '=', a.id)
      .where('file_id', '=', fileId)
      .executeTakeFirst();
    return Boolean(link);
  });
  if (!linked) throw notFound('File');
  const file = await inScope(ctx.db, { tenant: ELVL }, (trx) => readFile(trx, ELVL, fileId));
  if (!file) throw notFound('File');
  return file;
}
