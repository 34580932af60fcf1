import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound } from '../../platform/http/problems';
import { loadReport, nextClock, saveClock } from './reportState';
import { recordEvent } from './submitReport';
import { statusFromFms } from './statuses';
import { tellReporterOfUpdate } from './tellPeople';

export interface BackOfficeUpdate {
  /** Our report id, or (from a back-office we push to) its own id when `byExternalId`. */
  serviceRequestId: string;
  byExternalId?: boolean;
  /** FixMyStreet status names: OPEN, INVESTIGATING, IN_PROGRESS, ACTION_SCHEDULED, FIXED, CLOSED, … */
  status?: string;
  description?: string;
  updatedDatetime?: string;
  /** The back-office's own id of this update: a repeat with the same id changes nothing. */
  updateId?: string;
  mediaUrl?: string;
  externalStatusCode?: string;
  /** Who sent it: an API client, or an Open311 endpoint we fetched from. */
  clientId?: string | null;
  endpointId?: string | null;
}

/**
 * A status change or public update from a municipal back-office (POST servicerequestupdates, or
 * fetched from its own Open311 server). Idempotent per `updateId`. The change is stamped with the
 * back-office's `updated_datetime` when that is plausible (not in the future, not before the
 * report), otherwise with the time it arrived. Audited as the client system.
 */
export async function applyBackOfficeUpdate(
  ctx: AppContext,
  municipalityCode: string,
  u: BackOfficeUpdate,
  base = '/body',
): Promise<{ updateId: string; duplicate: boolean }> {
  const status = u.status ? statusFromFms(u.status) : undefined;
  if (u.status && !status)
    throw invalid([
      {
        pointer: `${base}/status`,
        detail:
          'not a known status (OPEN, INVESTIGATING, IN_PROGRESS, ACTION_SCHEDULED, FIXED, CLOSED, DUPLICATE, NOT_COUNCILS_RESPONSIBILITY, NO_FURTHER_ACTION, INTERNAL_REFERRAL, REOPEN)',
      },
    ]);
  if (status === 'duplicate')
    throw invalid([
      { pointer: `${base}/status`, detail: 'DUPLICATE needs the original report: merge it in the platform' },
    ]);
  const text = u.description?.trim() || null;
  if (!status && !text) throw invalid([{ pointer: `${base}/description`, detail: 'give a status or a description' }]);
  if (text && text.length > 4000)
    throw invalid([{ pointer: `${base}/description`, detail: 'at most 4000 characters' }]);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    let id: number;
    if (u.byExternalId) {
      const row = await trx
        .selectFrom('report')
        .select('id')
        .where('municipality_code', '=', municipalityCode)
        .where('external_id', '=', u.serviceRequestId)
        .executeTakeFirst();
      if (!row) throw notFound(`Service request ${u.serviceRequestId}`);
      id = row.id;
    } else {
      if (!/^[0-9]{1,15}$/.test(u.serviceRequestId)) throw notFound(`Service request ${u.serviceRequestId}`);
      id = Number(u.serviceRequestId);
    }
    const r = await loadReport(trx, municipalityCode, id, { lock: true });
    if (u.updateId) {
      const seen = await trx
        .selectFrom('report_event')
        .select('id')
        .where('municipality_code', '=', municipalityCode)
        .where('report_id', '=', id)
        .where((eb) => eb(eb.ref('details', '->>').key('externalUpdateId'), '=', u.updateId!))
        .executeTakeFirst();
      if (seen) return { updateId: String(seen.id), duplicate: true };
    }
    const now = ctx.now();
    const claimed = u.updatedDatetime ? new Date(u.updatedDatetime) : undefined;
    const at =
      claimed &&
      !Number.isNaN(claimed.getTime()) &&
      claimed.getTime() <= now.getTime() + 5 * 60_000 &&
      claimed >= r.created_at
        ? claimed
        : now;
    const to = status ?? r.status;
    const eventId = await recordEvent(trx, {
      municipalityCode,
      reportId: id,
      at,
      kind: to !== r.status ? 'status' : 'update',
      public: true,
      actorClientId: u.clientId ?? u.endpointId ?? null,
      statusFrom: r.status,
      statusTo: to,
      text,
      details: {
        source: u.endpointId ? 'open311-fetch' : 'open311-post',
        receivedAt: now.toISOString(),
        ...(u.updateId ? { externalUpdateId: u.updateId } : {}),
        ...(u.mediaUrl ? { mediaUrl: u.mediaUrl } : {}),
        ...(u.externalStatusCode ? { externalStatusCode: u.externalStatusCode } : {}),
      },
    });
    await saveClock(trx, r, nextClock(r, to, at, { acknowledges: true }), at > r.updated_at ? at : r.updated_at);
    await appendAudit(trx, {
      municipalityCode,
      actorId: null,
      action: 'report.backoffice-update',
      subject: `report:${id}`,
      details: { from: r.status, to, eventId, client: u.clientId ?? null, endpoint: u.endpointId ?? null },
    });
    await tellReporterOfUpdate(ctx, trx, r, { from: r.status, to, text, by: '' });
    await ctx.events.publishInTx(trx, `reports:${municipalityCode}`, { id, status: to });
    return { updateId: String(eventId), duplicate: false };
  });
}
