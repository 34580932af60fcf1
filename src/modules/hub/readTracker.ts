import type { AppContext } from '../../platform/context';
import { hasRole, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { forbidden, notFound } from '../../platform/http/problems';
import { OFFICIAL_ROLES, requireOfficial } from './policy';
import { currentVersion, readCatalogue, readTrackerRows, sharesTo } from './eitsStore';
import { computeProgress, GROUPS_AT } from './progress';

/**
 * Who may read a municipality's tracker: its own officials (editors and admins may change it), or
 * officials of a municipality it is shared with (read only). Anyone else — other municipalities,
 * ELVL staff without a share — is refused; ELVL sees the cross-municipality overview instead.
 */
export async function trackerAccess(
  ctx: AppContext,
  actor: Actor,
  code: string,
): Promise<{ personId: string; readOnly: boolean }> {
  const official = requireOfficial(actor);
  if (hasRole(official, code, [...OFFICIAL_ROLES]))
    return { personId: official.personId, readOnly: !hasRole(official, code, ['admin', 'editor']) };
  const mine = [
    ...new Set(
      official.roles
        .filter((g) => (OFFICIAL_ROLES as readonly string[]).includes(g.role))
        .map((g) => g.municipalityCode),
    ),
  ];
  const shared = await inScope(ctx.db, { tenant: code, actor: official.personId }, (trx) => sharesTo(trx, code, mine));
  if (!shared.length) throw forbidden(`The E-ITS tracker of ${code} is not shared with your municipality`);
  return { personId: official.personId, readOnly: true };
}

export async function readTracker(ctx: AppContext, actor: Actor, code: string) {
  const access = await trackerAccess(ctx, actor, code);
  const version = await currentVersion(ctx.db);
  if (!version) throw notFound('An imported E-ITS catalogue');
  const catalogue = (await readCatalogue(ctx.db, version))!;
  const diff = await ctx.db
    .selectFrom('eits_catalogue')
    .select('diff')
    .where('version', '=', version)
    .executeTakeFirst();
  const changedNow = new Set([
    ...(diff?.diff.changed ?? []).map((c) => c.code),
    ...(diff?.diff.added ?? []).map((c) => c.code),
  ]);
  const rows = await inScope(ctx.db, { tenant: code, actor: access.personId }, (trx) => readTrackerRows(trx, code));
  const targetLevel = rows.tracker?.target_level ?? 'standard';
  const scope = new Map(rows.scope.map((s) => [s.module_code, s]));
  const states = new Map(rows.states.map((s) => [s.measure_code, s]));
  const excluded = new Set(rows.scope.filter((s) => !s.applies).map((s) => s.module_code));
  const progress = computeProgress({
    catalogue,
    targetLevel,
    excludedModules: excluded,
    status: new Map(rows.states.map((s) => [s.measure_code, s.status])),
  });
  const today = ctx.now().toISOString().slice(0, 10);
  const groups = GROUPS_AT[targetLevel];
  return {
    municipalityCode: code,
    catalogueVersion: version,
    targetLevel,
    readOnly: access.readOnly,
    progress: progress.overall,
    byLayer: progress.byLayer,
    modules: catalogue.modules.map((m) => ({
      code: m.code,
      layer: m.layer,
      title: m.title,
      applies: scope.get(m.code)?.applies ?? true,
      note: scope.get(m.code)?.note ?? '',
      progress: progress.byModule[m.code]!,
      measures: catalogue.measures
        .filter((x) => x.moduleCode === m.code)
        .map((x) => {
          const s = states.get(x.code);
          const status = s?.status ?? 'not_started';
          return {
            code: x.code,
            title: x.title,
            body: x.body,
            group: x.group,
            assignees: x.assignees,
            inScope: groups.includes(x.group),
            status,
            reason: s?.reason ?? '',
            responsibleRole: s?.responsible_role ?? '',
            responsiblePerson: s?.responsible_person ?? '',
            dueDate: s?.due_date ?? null,
            overdue: Boolean(
              s?.due_date && s.due_date < today && status !== 'implemented' && status !== 'not_applicable',
            ),
            evidence: s?.evidence ?? [],
            notes: s?.notes ?? '',
            updatedAt: s?.updated_at.toISOString() ?? null,
            changedSinceUpdate: changedNow.has(x.code) && s !== undefined && s.catalogue_version !== version,
          };
        }),
    })),
    audits: rows.audits.map((a) => ({
      id: a.id,
      auditDate: a.audit_date,
      kind: a.kind,
      auditor: a.auditor,
      summary: a.summary,
      nextAuditDue: a.next_audit_due,
      findings: rows.findings
        .filter((f) => f.audit_id === a.id)
        .map((f) => ({
          id: f.id,
          measureCode: f.measure_code,
          severity: f.severity,
          description: f.description,
          status: f.status,
          dueDate: f.due_date,
        })),
    })),
    sharedWith: rows.shares,
  };
}
