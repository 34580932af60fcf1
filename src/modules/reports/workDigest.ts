import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { notify } from '../notifications';
import { cachedCategories } from './categories';

/**
 * The officials' daily digest of the work queue (07:00): for every admin and editor of a
 * municipality, their open reports (how many overdue, the ten most urgent), the municipality's
 * unassigned open reports and yesterday's new ones. Sent only when there is something to say.
 */
export const WORK_DIGEST_JOB = 'reports.work-digest';

const tallinnDay = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Tallinn' }).format(d);

export async function sendWorkDigests(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const day = tallinnDay(now);
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const officials = await trx
      .selectFrom('role_grant as g')
      .innerJoin('tenant as t', 't.code', 'g.municipality_code')
      .select(['g.municipality_code', 'g.person_id', 't.name'])
      .distinct()
      .where('g.role', 'in', ['admin', 'editor'])
      .where('t.kind', '=', 'municipality')
      .execute();
    if (!officials.length) return 0;
    const codes = [...new Set(officials.map((o) => o.municipality_code))];
    const perMunicipality = await sql<{ municipality_code: string; unassigned: number; new_yesterday: number }>`
      SELECT municipality_code,
             count(*) FILTER (WHERE closed_at IS NULL AND assignee_person_id IS NULL)::int AS unassigned,
             count(*) FILTER (WHERE created_at >= ${now}::timestamptz - interval '1 day')::int AS new_yesterday
        FROM report
       WHERE municipality_code = ANY(${codes}::text[])
         AND (closed_at IS NULL OR created_at >= ${now}::timestamptz - interval '1 day')
       GROUP BY municipality_code`.execute(trx);
    const m = new Map(perMunicipality.rows.map((r) => [r.municipality_code, r]));
    const mine = await sql<{
      municipality_code: string;
      assignee_person_id: string;
      id: number;
      category_code: string;
      status: string;
      sla_due_at: Date | null;
    }>`
      SELECT municipality_code, assignee_person_id, id, category_code, status, sla_due_at
        FROM report
       WHERE closed_at IS NULL AND assignee_person_id IS NOT NULL AND municipality_code = ANY(${codes}::text[])
       ORDER BY sla_due_at NULLS LAST, id`.execute(trx);
    let sent = 0;
    for (const o of officials) {
      const open = mine.rows.filter(
        (r) => r.municipality_code === o.municipality_code && r.assignee_person_id === o.person_id,
      );
      const overdue = open.filter((r) => r.sla_due_at && r.sla_due_at < now).length;
      const stats = m.get(o.municipality_code);
      const unassigned = stats?.unassigned ?? 0;
      const newYesterday = stats?.new_yesterday ?? 0;
      if (!open.length && !unassigned && !newYesterday) continue;
      const categories = await cachedCategories(ctx, o.municipality_code);
      sent += await notify(ctx, trx, {
        to: o.person_id,
        topic: 'officials.digest',
        municipalityCode: o.municipality_code,
        params: {
          day,
          municipality: o.name,
          assigned: open.length,
          overdue,
          unassigned,
          newYesterday,
          items: open.slice(0, 10).map((r) => ({
            reportId: Number(r.id),
            category: categories.find((c) => c.code === r.category_code)?.name ?? r.category_code,
            status: r.status,
            dueAt: r.sla_due_at?.toISOString() ?? null,
            overdue: Boolean(r.sla_due_at && r.sla_due_at < now),
          })),
        },
        link: '/teated/haldus',
        dedupeKey: `work-digest:${day}:${o.municipality_code}`,
      });
    }
    return sent;
  });
}
