import type { Selectable, Updateable } from 'kysely';
import type { Trx } from '../../platform/db/database';
import { Problem, notFound } from '../../platform/http/problems';
import { RP } from './problems';
import { isClosed } from './statuses';
import { type ReportStatus, type ReportTable } from './store';

export type Report = Selectable<ReportTable>;

/** The timestamps and counters a status change sets. Pure: every rule of the clock is here. */
export interface Clock {
  status: ReportStatus;
  acknowledged_at: Date | null;
  first_closed_at: Date | null;
  closed_at: Date | null;
  reopen_count: number;
}

/**
 * A change of status at `at` by an official or a back-office system (which acknowledges the
 * report the first time). Entering the closed set stamps closed_at (and first_closed_at the first
 * time); leaving it is a reopening (reopen_count + 1, closed_at cleared); moving within either
 * set keeps those stamps. `duplicate` is reached only by merging.
 */
export function nextClock(
  r: Clock,
  to: ReportStatus,
  at: Date,
  opts: { acknowledges: boolean; merging?: boolean },
): Clock {
  if (to === 'duplicate' && !opts.merging)
    throw new Problem(RP.transition, 'Mark a duplicate by merging it into the original report');
  const next: Clock = { ...r, status: to };
  if (opts.acknowledges && !r.acknowledged_at) next.acknowledged_at = at;
  const wasClosed = isClosed(r.status);
  const nowClosed = isClosed(to);
  if (!wasClosed && nowClosed) {
    next.closed_at = at;
    next.first_closed_at = r.first_closed_at ?? at;
  } else if (wasClosed && !nowClosed) {
    next.closed_at = null;
    next.reopen_count = r.reopen_count + 1;
  }
  return next;
}

export async function loadReport(
  trx: Trx,
  municipalityCode: string,
  id: number,
  opts: { lock?: boolean } = {},
): Promise<Report> {
  let q = trx.selectFrom('report').selectAll().where('municipality_code', '=', municipalityCode).where('id', '=', id);
  if (opts.lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) throw notFound(`Report ${id}`);
  return r;
}

/** Writes the new clock and marks the report for the statistics job. */
export async function saveClock(trx: Trx, r: Report, c: Clock, at: Date, extra: Updateable<ReportTable> = {}) {
  await trx
    .updateTable('report')
    .set({
      status: c.status,
      acknowledged_at: c.acknowledged_at,
      first_closed_at: c.first_closed_at,
      closed_at: c.closed_at,
      reopen_count: c.reopen_count,
      updated_at: at,
      stats_dirty: true,
      ...extra,
    })
    .where('municipality_code', '=', r.municipality_code)
    .where('id', '=', r.id)
    .execute();
}
