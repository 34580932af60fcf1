import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound } from '../../platform/http/problems';
import { requireTrackerEditor } from './policy';
import { currentVersion } from './eitsStore';
import type { Group } from './catalogue';
import type { MeasureUpdate } from './schemas';

async function measureExists(ctx: AppContext, code: string) {
  const version = await currentVersion(ctx.db);
  if (!version) throw notFound('An imported E-ITS catalogue');
  const m = await ctx.db
    .selectFrom('eits_measure')
    .select(['code', 'module_code'])
    .where('version', '=', version)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!m) throw notFound(`Measure ${code} in catalogue ${version}`);
  return { version, moduleCode: m.module_code };
}

/** Sets a measure's status (not applicable needs a reason), responsibility, due date, evidence and notes. */
export async function updateMeasure(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  measureCode: string,
  input: MeasureUpdate,
) {
  const editor = requireTrackerEditor(actor, municipalityCode);
  if (input.status === 'not_applicable' && !input.reason?.trim())
    throw invalid([{ pointer: '/body/reason', detail: 'say why the measure does not apply' }]);
  const { version } = await measureExists(ctx, measureCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const before = await trx
      .selectFrom('eits_measure_state')
      .select(['status'])
      .where('municipality_code', '=', municipalityCode)
      .where('measure_code', '=', measureCode)
      .executeTakeFirst();
    const values = {
      status: input.status,
      reason: input.status === 'not_applicable' ? input.reason!.trim() : (input.reason ?? '').trim(),
      responsible_role: input.responsibleRole ?? '',
      responsible_person: input.responsiblePerson ?? '',
      due_date: input.dueDate ?? null,
      evidence: JSON.stringify(input.evidence ?? []),
      notes: input.notes ?? '',
      catalogue_version: version,
      updated_by: editor.personId,
      updated_at: new Date(),
    };
    const row = await trx
      .insertInto('eits_measure_state')
      .values({ municipality_code: municipalityCode, measure_code: measureCode, ...values })
      .onConflict((oc) => oc.columns(['municipality_code', 'measure_code']).doUpdateSet(values))
      .returning(['updated_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'eits.measure.updated',
      subject: `eits-measure:${measureCode}`,
      details: {
        from: before?.status ?? 'not_started',
        to: input.status,
        dueDate: input.dueDate ?? null,
        evidence: (input.evidence ?? []).length,
      },
    });
    return { measureCode, status: input.status, updatedAt: row.updated_at.toISOString() };
  });
}

/** Marks a module as applying or not (with a note) to the municipality. */
export async function setModuleScope(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  moduleCode: string,
  input: { applies: boolean; note?: string | undefined },
) {
  const editor = requireTrackerEditor(actor, municipalityCode);
  const version = await currentVersion(ctx.db);
  const m = version
    ? await ctx.db
        .selectFrom('eits_module')
        .select('code')
        .where('version', '=', version)
        .where('code', '=', moduleCode)
        .executeTakeFirst()
    : undefined;
  if (!m) throw notFound(`Module ${moduleCode} in the current catalogue`);
  if (!input.applies && !input.note?.trim())
    throw invalid([{ pointer: '/body/note', detail: 'say why the module does not apply' }]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const values = {
      applies: input.applies,
      note: input.note?.trim() ?? '',
      updated_by: editor.personId,
      updated_at: new Date(),
    };
    await trx
      .insertInto('eits_module_scope')
      .values({ municipality_code: municipalityCode, module_code: moduleCode, ...values })
      .onConflict((oc) => oc.columns(['municipality_code', 'module_code']).doUpdateSet(values))
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'eits.module.scoped',
      subject: `eits-module:${moduleCode}`,
      details: { applies: input.applies },
    });
    return { moduleCode, applies: input.applies };
  });
}

/** The protection level aimed at: which measure groups count (basic; basic + standard; all). */
export async function setTargetLevel(ctx: AppContext, actor: Actor, municipalityCode: string, level: Group) {
  const editor = requireTrackerEditor(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const values = { target_level: level, updated_by: editor.personId, updated_at: new Date() };
    await trx
      .insertInto('eits_tracker')
      .values({ municipality_code: municipalityCode, ...values })
      .onConflict((oc) => oc.column('municipality_code').doUpdateSet(values))
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'eits.level.set',
      subject: 'eits',
      details: { level },
    });
    return { targetLevel: level };
  });
}
