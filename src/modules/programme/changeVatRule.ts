import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { notFound, type FieldError } from '../../platform/http/problems';
import { canEditPlan } from './policy';
import { ELVL, getPlan, readLines, updateVat } from './store';
import { checkVatRule, reject } from './validatePlan';
import { vatRateBp } from './rules';
import type { VatRuleInput } from './schemas';

/** Changes which accounts carry VAT, the rate by year and the rounding; every cost line must still have a rate. */
export async function changeVatRule(ctx: AppContext, actor: Actor, planId: string, input: VatRuleInput) {
  const editor = canEditPlan(actor);
  const errors: FieldError[] = [];
  const rule = checkVatRule(input, '/body', errors);
  if (errors.length) throw reject(errors, 'The VAT rule');
  return inScope(ctx.db, { tenant: ELVL, actor: editor.personId }, async (trx) => {
    const plan = await getPlan(trx, planId, true);
    if (!plan) throw notFound(`Plan ${planId}`);
    const untaxed = (await readLines(trx, planId)).filter(
      (l) => rule.accounts.includes(l.account) && vatRateBp(rule, l.year) === undefined,
    );
    if (untaxed.length)
      throw reject(
        [
          {
            pointer: '/body/rates',
            detail: `no rate covers ${[...new Set(untaxed.map((l) => l.year))].join(', ')}, which have cost lines on taxed accounts`,
          },
        ],
        'The VAT rule',
      );
    await updateVat(trx, planId, rule);
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: editor.personId,
      action: 'programme.vat.changed',
      subject: `plan:${planId}`,
      details: { before: plan.vat, after: rule },
    });
    return rule;
  });
}
