import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { fieldError, invalid } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import { canHandle } from './policy';
import { loadReport, nextClock, saveClock } from './reportState';
import { recordEvent } from './submitReport';
import { enqueueUpdateDelivery } from './delivery';
import { tellReporterOfUpdate } from './tellPeople';
import { STATUSES } from './statuses';
import type { ReportStatus } from './store';

export interface UpdateInput {
  /** New status (optional: a public update may leave the status as it is). */
  status?: ReportStatus;
  /** Text shown with the change: public update, or an internal note when `internal`. */
  text?: string;
  internal?: boolean;
}

/**
 * An official updates a report: a status change, a public update to the reporter and everyone,
 * or an internal note (never public). Each is one timestamped event; the first action
 * acknowledges the report. Audited.
 */
export async function updateReport(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: number,
  input: UpdateInput,
) {
  const official = canHandle(actor, municipalityCode);
  const text = input.text?.trim() || null;
  if (!input.status && !text) throw invalid([fieldError('/body/status', R_REPORTS.statusOrText)]);
  if (text && text.length > 4000)
    throw invalid([{ pointer: '/body/text', code: 'maxLength', limit: 4000, detail: 'at most 4000 characters' }]);
  if (input.status && !STATUSES.includes(input.status))
    throw invalid([
      { pointer: '/body/status', code: 'enum', allowed: [...STATUSES], detail: `one of ${STATUSES.join(', ')}` },
    ]);
  if (input.internal && input.status) throw invalid([fieldError('/body/internal', R_REPORTS.internalNoStatus)]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const r = await loadReport(trx, municipalityCode, id, { lock: true });
    const at = ctx.now();
    if (input.internal) {
      const eventId = await recordEvent(trx, {
        municipalityCode,
        reportId: id,
        at,
        kind: 'note',
        public: false,
        actorPersonId: official.personId,
        text,
      });
      await saveClock(trx, r, r, at);
      await appendAudit(trx, {
        municipalityCode,
        actorId: official.personId,
        action: 'report.note',
        subject: `report:${id}`,
        details: { eventId },
      });
      return { eventId, status: r.status };
    }
    const to = input.status ?? r.status;
    const clock = nextClock(r, to, at, { acknowledges: true });
    const changed = to !== r.status;
    const eventId = await recordEvent(trx, {
      municipalityCode,
      reportId: id,
      at,
      kind: changed ? 'status' : 'update',
      public: true,
      actorPersonId: official.personId,
      statusFrom: r.status,
      statusTo: to,
      text,
    });
    await saveClock(trx, r, clock, at);
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: changed ? 'report.status' : 'report.update',
      subject: `report:${id}`,
      details: { from: r.status, to, eventId },
    });
    await enqueueUpdateDelivery(ctx, trx, {
      municipalityCode,
      reportId: id,
      categoryCode: r.category_code,
      eventId,
      at,
    });
    await tellReporterOfUpdate(ctx, trx, r, { from: r.status, to, text, by: official.personId });
    await ctx.events.publishInTx(trx, `reports:${municipalityCode}`, { id, status: to });
    return { eventId, status: to };
  });
}
