import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { P, fieldError, invalid, refusal } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import { canHandle } from './policy';
import { loadReport, nextClock, saveClock } from './reportState';
import { recordEvent } from './submitReport';

/**
 * Merges a report into the original it duplicates: the duplicate is closed with status
 * `duplicate` and `duplicate_of`, and the original counts it (and its own "me too"s) as support.
 */
export async function mergeDuplicate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: number,
  originalId: number,
) {
  const official = canHandle(actor, municipalityCode);
  if (id === originalId) throw invalid([fieldError('/body/duplicateOf', R_REPORTS.duplicateOfItself)]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    // Lock both in id order so that two merges never deadlock.
    const [a, b] = id < originalId ? [id, originalId] : [originalId, id];
    const first = await loadReport(trx, municipalityCode, a, { lock: true });
    const second = await loadReport(trx, municipalityCode, b, { lock: true });
    const dup = first.id === id ? first : second;
    const orig = first.id === id ? second : first;
    if (dup.status === 'duplicate')
      throw refusal(P.conflict, R_REPORTS.alreadyDuplicate, { report: id, original: Number(dup.duplicate_of) });
    if (orig.status === 'duplicate')
      throw invalid([
        fieldError('/body/duplicateOf', R_REPORTS.originalIsDuplicate, {
          report: originalId,
          original: Number(orig.duplicate_of),
        }),
      ]);
    const at = ctx.now();
    const gained = 1 + dup.me_too_count;
    await recordEvent(trx, {
      municipalityCode,
      reportId: id,
      at,
      kind: 'merged',
      public: true,
      actorPersonId: official.personId,
      statusFrom: dup.status,
      statusTo: 'duplicate',
      details: { duplicateOf: originalId },
    });
    await saveClock(trx, dup, nextClock(dup, 'duplicate', at, { acknowledges: true, merging: true }), at, {
      duplicate_of: originalId,
    });
    await recordEvent(trx, {
      municipalityCode,
      reportId: originalId,
      at,
      kind: 'me_too',
      public: true,
      actorPersonId: official.personId,
      details: { mergedFrom: id, added: gained },
    });
    await trx
      .updateTable('report')
      .set((eb) => ({ me_too_count: eb('me_too_count', '+', gained), updated_at: at, stats_dirty: true }))
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', originalId)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'report.merged',
      subject: `report:${id}`,
      details: { duplicateOf: originalId },
    });
    return { id, duplicateOf: originalId, meTooCount: orig.me_too_count + gained };
  });
}
