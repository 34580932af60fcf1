import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { notify } from '../notifications';
import { reportParams } from './tellPeople';

/**
 * Reports past their deadline (sla_due_at) and still open are told to their handler once (every
 * 15 minutes). Reports that became overdue more than two days ago are left to the daily work
 * digest (no flood of old backlog when this starts). Unassigned ones are in the digest too.
 */
export const OVERDUE_JOB = 'reports.overdue';

export async function notifyOverdue(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const rows = await trx
      .selectFrom('report')
      .selectAll()
      .where('closed_at', 'is', null)
      .where('sla_due_at', 'is not', null)
      .where('overdue_notified_at', 'is', null)
      .where('sla_due_at', '<', now)
      .where('sla_due_at', '>', new Date(now.getTime() - 2 * 86_400_000))
      .orderBy('sla_due_at')
      .limit(500)
      .forUpdate()
      .skipLocked()
      .execute();
    let told = 0;
    for (const r of rows) {
      if (!r.assignee_person_id) continue;
      await notify(ctx, trx, {
        to: r.assignee_person_id,
        topic: 'officials.overdue',
        municipalityCode: r.municipality_code,
        params: { ...(await reportParams(ctx, trx, { ...r, id: Number(r.id) })), dueAt: r.sla_due_at!.toISOString() },
        link: `/teated/${r.id}`,
        dedupeKey: `report-overdue:${r.id}`,
      });
      told += 1;
    }
    if (rows.length)
      await trx
        .updateTable('report')
        .set({ overdue_notified_at: now })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    return told;
  });
}
