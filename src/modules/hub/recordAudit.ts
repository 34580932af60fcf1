import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound, type FieldError } from '../../platform/http/problems';
import { requireTrackerEditor } from './policy';

import type { AuditInput } from './schemas';

/** Records an E-ITS audit (internal or external) with its findings, in one transaction. */
export async function recordAudit(ctx: AppContext, actor: Actor, municipalityCode: string, input: AuditInput) {
  const editor = requireTrackerEditor(actor, municipalityCode);
  const errors: FieldError[] = [];
  if (input.nextAuditDue && input.nextAuditDue <= input.auditDate)
    errors.push({ pointer: '/body/nextAuditDue', detail: 'must be after the audit date' });
  (input.findings ?? []).forEach((f, i) => {
    if (f.dueDate && f.dueDate < input.auditDate)
      errors.push({ pointer: `/body/findings/${i}/dueDate`, detail: 'is before the audit date' });
  });
  if (errors.length) throw invalid(errors);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const audit = await trx
      .insertInto('eits_audit')
      .values({
        municipality_code: municipalityCode,
        audit_date: input.auditDate,
        kind: input.kind,
        auditor: input.auditor ?? '',
        summary: input.summary ?? '',
        next_audit_due: input.nextAuditDue ?? null,
        created_by: editor.personId,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    for (const f of input.findings ?? []) {
      await trx
        .insertInto('eits_finding')
        .values({
          municipality_code: municipalityCode,
          audit_id: audit.id,
          measure_code: f.measureCode ?? null,
          severity: f.severity,
          description: f.description,
          due_date: f.dueDate ?? null,
        })
        .execute();
    }
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'eits.audit.recorded',
      subject: `eits-audit:${audit.id}`,
      details: { date: input.auditDate, kind: input.kind, findings: (input.findings ?? []).length },
    });
    return { id: audit.id };
  });
}

export async function setFindingStatus(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  findingId: string,
  status: 'open' | 'resolved',
) {
  const editor = requireTrackerEditor(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const r = await trx
      .updateTable('eits_finding')
      .set({ status, resolved_at: status === 'resolved' ? new Date() : null })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', findingId)
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw notFound(`Finding ${findingId}`);
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'eits.finding.status',
      subject: `eits-finding:${findingId}`,
      details: { status },
    });
    return { id: findingId, status };
  });
}
