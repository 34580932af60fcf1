import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { notFound } from '../../platform/http/problems';
import { canEditPlan } from './policy';
import { ELVL, deleteLines, getPlan, insertLines, readInitiatives } from './store';
import { parseCostLinesCsv } from './validatePlan';

/** Replaces a plan's cost lines from CSV (docs/programme.md); all or nothing. */
export async function importCostLines(ctx: AppContext, actor: Actor, planId: string, csv: string) {
  const editor = canEditPlan(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: editor.personId }, async (trx) => {
    const plan = await getPlan(trx, planId, true);
    if (!plan) throw notFound(`Plan ${planId}`);
    const initiatives = new Set((await readInitiatives(trx, planId)).map((i) => i.code));
    const lines = parseCostLinesCsv(csv, {
      initiatives,
      firstYear: plan.firstYear,
      lastYear: plan.lastYear,
      vat: plan.vat,
    });
    const removed = await deleteLines(trx, planId);
    await insertLines(trx, planId, lines);
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: editor.personId,
      action: 'programme.lines.imported',
      subject: `plan:${planId}`,
      details: { removed, added: lines.length },
    });
    return { planId, removed, added: lines.length };
  });
}
