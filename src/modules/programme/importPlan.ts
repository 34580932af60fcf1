import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { canEditPlan } from './policy';
import { ELVL, replacePlan } from './store';
import { validatePlanDocument } from './validatePlan';
import { checkConsistency } from './rules';

/**
 * Imports (or replaces) a whole plan from its file: every error is reported at once and nothing
 * is stored unless the whole file is valid. Returns what was stored and how many stated figures
 * the lines do not add up to.
 */
export async function importPlan(ctx: AppContext, actor: Actor, doc: unknown) {
  const editor = canEditPlan(actor);
  return storePlanFile(ctx, doc, editor.personId);
}

/** The import itself, also used by the demo seed and the CLI (actor null: the operator). */
export async function storePlanFile(ctx: AppContext, doc: unknown, actorId: string | null) {
  const plan = validatePlanDocument(doc);
  const checks = checkConsistency(plan.vat, plan.costLines, plan.statedTotals);
  return inScope(ctx.db, { tenant: ELVL, ...(actorId ? { actor: actorId } : {}) }, async (trx) => {
    const replaced = await replacePlan(trx, plan);
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId,
      action: replaced ? 'programme.plan.replaced' : 'programme.plan.imported',
      subject: `plan:${plan.id}`,
      details: {
        initiatives: plan.initiatives.length,
        costLines: plan.costLines.length,
        statedTotals: plan.statedTotals.length,
      },
    });
    return {
      planId: plan.id,
      replaced,
      initiatives: plan.initiatives.length,
      costLines: plan.costLines.length,
      statedTotals: plan.statedTotals.length,
      inconsistencies: checks.filter((c) => !c.ok).length,
    };
  });
}
