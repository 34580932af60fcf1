import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { fieldError, invalid } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import { canHandle } from './policy';
import { loadReport } from './reportState';
import { recordEvent } from './submitReport';

export interface ModerationInput {
  /** Hide the whole report from the public (or show it again). */
  hidden?: boolean;
  /** Replace the public description (e.g. personal data removed); the original stays in the history. */
  description?: string;
  /** Hide or show photos by position. */
  photos?: { position: number; hidden: boolean }[];
  reason: string;
}

/**
 * Moderation: hide a report, redact its text, hide a photo. Each action is an internal event
 * keeping what was there before, so the history shows who changed what, when and why. Audited.
 */
export async function moderateReport(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: number,
  input: ModerationInput,
) {
  const official = canHandle(actor, municipalityCode);
  if (!input.reason?.trim()) throw invalid([fieldError('/body/reason', R_REPORTS.sayWhy)]);
  if (input.hidden === undefined && input.description === undefined && !input.photos?.length)
    throw invalid([fieldError('/body', R_REPORTS.nothingToChange)]);
  if (input.description !== undefined && (!input.description.trim() || input.description.length > 4000))
    throw invalid([
      input.description.trim()
        ? { pointer: '/body/description', code: 'maxLength', limit: 4000, detail: '1 to 4000 characters' }
        : { pointer: '/body/description', code: 'required', detail: '1 to 4000 characters' },
    ]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const r = await loadReport(trx, municipalityCode, id, { lock: true });
    const at = ctx.now();
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (input.hidden !== undefined && input.hidden !== r.hidden) {
      before.hidden = r.hidden;
      after.hidden = input.hidden;
    }
    if (input.description !== undefined && input.description.trim() !== r.description) {
      before.description = r.description;
      after.description = input.description.trim();
    }
    const photoChanges: { position: number; hidden: boolean }[] = [];
    for (const p of input.photos ?? []) {
      const photo = await trx
        .selectFrom('report_photo')
        .select(['position', 'hidden'])
        .where('municipality_code', '=', municipalityCode)
        .where('report_id', '=', id)
        .where('position', '=', p.position)
        .executeTakeFirst();
      if (!photo) throw invalid([fieldError('/body/photos', R_REPORTS.noPhoto, { position: p.position })]);
      if (photo.hidden !== p.hidden) {
        photoChanges.push(p);
        await trx
          .updateTable('report_photo')
          .set({ hidden: p.hidden })
          .where('municipality_code', '=', municipalityCode)
          .where('report_id', '=', id)
          .where('position', '=', p.position)
          .execute();
      }
    }
    if (photoChanges.length) after.photos = photoChanges;
    if (!Object.keys(after).length) return { changed: false, eventId: null };
    const eventId = await recordEvent(trx, {
      municipalityCode,
      reportId: id,
      at,
      kind: 'moderated',
      public: false,
      actorPersonId: official.personId,
      text: input.reason.trim(),
      details: { before, after },
    });
    await trx
      .updateTable('report')
      .set({
        ...(after.hidden !== undefined ? { hidden: after.hidden as boolean } : {}),
        ...(after.description !== undefined ? { description: after.description as string } : {}),
        updated_at: at,
        stats_dirty: true,
      })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'report.moderated',
      subject: `report:${id}`,
      details: { reason: input.reason.trim(), changed: Object.keys(after), eventId },
    });
    return { changed: true, eventId };
  });
}
