import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { canReadPlan } from './policy';
import { ELVL, getPlan, listPlans as storedPlans, readInitiatives, readLines, readSpending, readStated } from './store';
import { ACCOUNTS, MEASURE_ACTIVITIES, checkConsistency, computeTotals, lineVatCents, type Money } from './rules';

export async function listPlans(ctx: AppContext, actor: Actor) {
  const reader = canReadPlan(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: reader.personId }, (trx) => storedPlans(trx));
}

/**
 * The plan with its totals by year, measure activity, account and initiative (with and without
 * VAT), the consistency checks of every stated figure, and actual spending against the plan.
 */
export async function planOverview(ctx: AppContext, actor: Actor, planId: string) {
  const reader = canReadPlan(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: reader.personId }, async (trx) => {
    const plan = await getPlan(trx, planId);
    if (!plan) throw notFound(`Plan ${planId}`);
    const [initiatives, lines, stated, spending] = await Promise.all([
      readInitiatives(trx, planId),
      readLines(trx, planId),
      readStated(trx, planId),
      readSpending(trx, planId),
    ]);
    const years: number[] = [];
    for (let y = plan.firstYear; y <= plan.lastYear; y++) years.push(y);
    const totals = computeTotals(plan.vat, lines, years);
    const checks = checkConsistency(plan.vat, lines, stated);

    const zero = (): Money => ({ net: 0, vat: 0, gross: 0 });
    const actualTotal = zero();
    const actualByYear: Record<string, Money> = Object.fromEntries(years.map((y) => [String(y), zero()]));
    const spentByInitiative: Record<string, Money> = {};
    for (const s of spending) {
      const y = s.spentOn.slice(0, 4);
      for (const m of [actualTotal, (actualByYear[y] ??= zero()), (spentByInitiative[s.initiative] ??= zero())]) {
        m.net += s.amountCents;
        m.vat += s.vatCents;
        m.gross += s.amountCents + s.vatCents;
      }
    }
    const byInitiative = Object.fromEntries(
      initiatives.map((i) => {
        const planned = totals.byInitiative[i.code]?.total ?? zero();
        const spent = spentByInitiative[i.code] ?? zero();
        return [
          i.code,
          {
            planned,
            spent,
            remainingGross: planned.gross - spent.gross,
            usedPercent: planned.gross ? Math.round((spent.gross / planned.gross) * 1000) / 10 : null,
          },
        ];
      }),
    );
    return {
      plan,
      measureActivities: Object.fromEntries(Object.entries(MEASURE_ACTIVITIES)),
      accounts: Object.fromEntries(Object.entries(ACCOUNTS)),
      initiatives,
      costLines: lines.map((l) => ({ ...l, vatCents: lineVatCents(plan.vat, l) })),
      totals,
      checks,
      inconsistencies: checks.filter((c) => !c.ok).length,
      actuals: { total: actualTotal, byYear: actualByYear, byInitiative },
    };
  });
}
