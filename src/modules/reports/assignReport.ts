import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { fieldError, invalid } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import { canHandle } from './policy';
import { loadReport, nextClock, saveClock } from './reportState';
import { recordEvent } from './submitReport';
import { tellAssignee } from './tellPeople';

/**
 * Assigns a report to a department and/or an official of the municipality (who must hold an
 * editor or admin role there). Public: residents see who handles their report. Acknowledges.
 */
export async function assignReport(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: number,
  input: { department?: string | null; assigneePersonId?: string | null },
) {
  const official = canHandle(actor, municipalityCode);
  if (input.department === undefined && input.assigneePersonId === undefined)
    throw invalid([fieldError('/body/department', R_REPORTS.departmentOrAssignee)]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    if (input.assigneePersonId) {
      const ok = await trx
        .selectFrom('role_grant')
        .select('person_id')
        .where('municipality_code', '=', municipalityCode)
        .where('person_id', '=', input.assigneePersonId)
        .where('role', 'in', ['admin', 'editor'])
        .executeTakeFirst();
      if (!ok) throw invalid([fieldError('/body/assigneePersonId', R_REPORTS.assigneeNotOfficial)]);
    }
    const r = await loadReport(trx, municipalityCode, id, { lock: true });
    const at = ctx.now();
    const department = input.department === undefined ? r.department : input.department?.trim() || null;
    const assignee = input.assigneePersonId === undefined ? r.assignee_person_id : input.assigneePersonId;
    const eventId = await recordEvent(trx, {
      municipalityCode,
      reportId: id,
      at,
      kind: 'assigned',
      public: true,
      actorPersonId: official.personId,
      details: { department, assigneePersonId: assignee },
    });
    await saveClock(trx, r, nextClock(r, r.status, at, { acknowledges: true }), at, {
      department,
      assignee_person_id: assignee,
    });
    await tellAssignee(ctx, trx, r, assignee, official.personId);
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'report.assigned',
      subject: `report:${id}`,
      details: { department, assigneePersonId: assignee },
    });
    return { eventId, department, assigneePersonId: assignee };
  });
}
