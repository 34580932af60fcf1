import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { P, Problem, forbidden, invalid, notFound } from '../../platform/http/problems';
import { readFile, readMultipart, storeFile } from '../../platform/files/files';
import { requireAuthor } from './policy';
import { ELVL, articleBySlug } from './store';
import { canEditArticle, readerScope } from './readArticles';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * The media types an article may carry (templates, sample documents), each recognised by its
 * content and name, never by what the uploader declares: HTML, SVG, scripts and anything unknown
 * are refused, so no attachment can be a page of this origin. Served as the type found here.
 */
const ZIP = (b: Buffer) => b.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'));
const TEXT = (b: Buffer) => {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};
const ATTACHMENT_TYPES: { type: string; ext: string[]; sniff: (b: Buffer) => boolean }[] = [
  { type: 'application/pdf', ext: ['pdf'], sniff: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/png', ext: ['png'], sniff: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  { type: 'image/jpeg', ext: ['jpg', 'jpeg'], sniff: (b) => b.subarray(0, 3).equals(Buffer.from('ffd8ff', 'hex')) },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: ['docx'], sniff: ZIP },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: ['xlsx'], sniff: ZIP },
  { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: ['pptx'], sniff: ZIP },
  { type: 'application/vnd.oasis.opendocument.text', ext: ['odt'], sniff: ZIP },
  { type: 'application/vnd.oasis.opendocument.spreadsheet', ext: ['ods'], sniff: ZIP },
  { type: 'application/zip', ext: ['zip'], sniff: ZIP },
  { type: 'text/csv', ext: ['csv'], sniff: TEXT },
  { type: 'text/plain', ext: ['txt', 'md'], sniff: TEXT },
];
export const ATTACHMENT_MEDIA_TYPES = ATTACHMENT_TYPES.map((t) => t.type);

/** The allowed media type of a file, from its name and content; 415 when it is none of them. */
export function sniffAttachment(filename: string, content: Buffer): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  const t = ATTACHMENT_TYPES.find((x) => x.ext.includes(ext) && x.sniff(content));
  if (!t)
    throw new Problem(
      P.unsupportedMediaType,
      `${filename}: not one of the files an article can carry (${ATTACHMENT_TYPES.flatMap((x) => x.ext).join(', ')}), or its content does not match its name`,
    );
  return t.type;
}

/** Adds files (templates, sample documents) to an article: its author or an ELVL editor. */
export async function attachToArticle(ctx: AppContext, actor: Actor, slug: string, request: FastifyRequest) {
  const author = requireAuthor(actor);
  const { files } = await readMultipart(request, { maxFileBytes: MAX_ATTACHMENT_BYTES, maxFiles: 5 });
  if (!files.length) throw invalid([{ pointer: '/body/file', detail: 'attach at least one file' }]);
  const types = files.map((f) => sniffAttachment(f.filename, f.content));
  return inScope(ctx.db, { tenant: ELVL, actor: author.personId }, async (trx) => {
    const a = await articleBySlug(trx, slug, true);
    if (!a) throw notFound(`Article ${slug}`);
    if (!canEditArticle(author, a)) throw forbidden('Only the author or an ELVL editor may add files to this article');
    const stored = [];
    for (const [i, f] of files.entries()) {
      const meta = await storeFile(trx, {
        municipalityCode: ELVL,
        filename: f.filename,
        mediaType: types[i]!,
        content: f.content,
        purpose: 'hub.attachment',
        uploadedBy: author.personId,
      });
      await trx
        .insertInto('hub_attachment')
        .values({ municipality_code: ELVL, article_id: a.id, file_id: meta.id, added_by: author.personId })
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
