import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, P, invalid, notFound } from '../../platform/http/problems';
import { readFile, storeFile } from '../../platform/files/files';
import { loadSitting, requireStatus, standing, visibleSitting } from './access';
import { canManageCouncil, isCouncilManager, isInsider } from './policy';

import { logAgendaChange } from './sittings';
import { notifySitting } from './notify';

/** Sitting documents are PDFs of at most this size. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** True for a PDF by its content (the header `%PDF-` within the first 1024 bytes), not by its name. */
export function looksLikePdf(content: Buffer): boolean {
  return content.subarray(0, 1024).includes(Buffer.from('%PDF-'));
}

export async function uploadDocument(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  itemId: string,
  file: { filename: string; mediaType: string; content: Buffer },
  meta: { title?: string; isPublic?: boolean },
) {
  const mgr = canManageCouncil(actor, code);
  if (file.content.length === 0) throw invalid([{ pointer: '/body/file', detail: 'the file is empty' }]);
  if (file.content.length > MAX_DOCUMENT_BYTES)
    throw new Problem(P.bodyTooLarge, `The file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
  if (file.mediaType !== 'application/pdf' || !looksLikePdf(file.content)) {
    throw new Problem(P.unsupportedMediaType, 'Sitting documents must be PDF files (application/pdf)');
  }
  const title = (meta.title ?? '').trim() || file.filename.replace(/\.pdf$/i, '');
  if (title.length > 300) throw invalid([{ pointer: '/body/title', detail: 'at most 300 characters' }]);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    requireStatus(s, ['draft', 'published', 'open'], 'add documents');
    const item = await trx
      .selectFrom('council_agenda_item')
      .select(['id', 'is_public'])
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .where('id', '=', itemId)
      .executeTakeFirst();
    if (!item) throw notFound(`Agenda item ${itemId}`);
    const stored = await storeFile(t, {
      municipalityCode: code,
      filename: file.filename,
      mediaType: 'application/pdf',
      content: file.content,
      purpose: 'council.document',
      uploadedBy: mgr.personId,
    });
    const row = await trx
      .insertInto('council_document')
      .values({
        municipality_code: code,
        item_id: itemId,
        file_id: stored.id,
        title,
        is_public: meta.isPublic ?? item.is_public,
        uploaded_by: mgr.personId,
      })
      .returning(['id', 'uploaded_at'])
      .executeTakeFirstOrThrow();
    await logAgendaChange(ctx, trx, s, mgr.personId, 'document.added', itemId, { documentId: row.id, title });
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.document-added',
      subject: `sitting:${sittingId}`,
      details: { itemId, documentId: row.id, sha256: stored.sha256, sizeBytes: stored.sizeBytes },
    });
    await notifySitting(ctx, trx, sittingId, ['agenda']);
    return {
      id: row.id,
      title,
      isPublic: meta.isPublic ?? item.is_public,
      sizeBytes: stored.sizeBytes,
      filename: stored.filename,
      uploadedAt: row.uploaded_at.toISOString(),
    };
  });
}

/**
 * A document, if the actor may read it: public documents of public items of a published
 * sitting for everybody; the rest for the council's members, its managers and the sitting's operators.
 */
export async function readDocument(ctx: AppContext, actor: Actor, code: string, sittingId: string, documentId: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await visibleSitting(trx, actor, code, sittingId);
    const doc = await trx
      .selectFrom('council_document as d')
      .innerJoin('council_agenda_item as i', (j) =>
        j.onRef('i.municipality_code', '=', 'd.municipality_code').onRef('i.id', '=', 'd.item_id'),
      )
      .select(['d.file_id', 'd.is_public', 'i.is_public as item_public', 'd.title'])
      .where('d.municipality_code', '=', code)
      .where('d.id', '=', documentId)
      .where('i.sitting_id', '=', sittingId)
      .executeTakeFirst();
    if (!doc) throw notFound(`Document ${documentId}`);
    if (!(doc.is_public && doc.item_public)) {
      const insider = isCouncilManager(actor, code) || isInsider(actor, code, await standing(trx, actor, s));
      if (!insider) throw notFound(`Document ${documentId}`);
    }
    const file = await readFile(t, code, doc.file_id);
    if (!file) throw notFound(`Document ${documentId}`);
    return file;
  });
}
