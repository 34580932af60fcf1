import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { fieldError, invalid, notFound, type FieldError } from '../../platform/http/problems';
import { R_PROGRAMME } from './reasons';
import { canEditPlan, canReadPlan } from './policy';
import { ELVL, getPlan, insertSpending, readInitiatives, readSpending } from './store';
import { ACCOUNTS, MEASURE_ACTIVITIES } from './rules';
import type { SpendingInput } from './schemas';

/** Actual spending entered against the plan: an invoice or payroll amount with its VAT. */
export async function recordSpending(ctx: AppContext, actor: Actor, planId: string, input: SpendingInput) {
  const editor = canEditPlan(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: editor.personId }, async (trx) => {
    const plan = await getPlan(trx, planId);
    if (!plan) throw notFound(`Plan ${planId}`);
    const errors: FieldError[] = [];
    const codes = (await readInitiatives(trx, planId)).map((i) => i.code);
    if (!codes.includes(input.initiative))
      errors.push({
        pointer: '/body/initiative',
        code: 'enum',
        allowed: codes,
        detail: `unknown initiative "${input.initiative}"; the plan has ${codes.join(', ')}`,
      });
    if (!MEASURE_ACTIVITIES[input.measureActivity])
      errors.push({
        pointer: '/body/measureActivity',
        code: 'enum',
        allowed: Object.keys(MEASURE_ACTIVITIES).map(Number),
        detail: `unknown measure activity ${input.measureActivity}; SF measure activities are 1–4`,
      });
    if (!ACCOUNTS[input.account])
      errors.push({
        pointer: '/body/account',
        code: 'enum',
        allowed: Object.keys(ACCOUNTS).map(Number),
        detail: `unknown account ${input.account}; known accounts are 15, 50, 55`,
      });
    const year = Number(input.spentOn.slice(0, 4));
    if (year < plan.firstYear || year > plan.lastYear)
      errors.push(
        fieldError('/body/spentOn', R_PROGRAMME.outsidePlanYears, { first: plan.firstYear, last: plan.lastYear }),
      );
    if (input.account === 50 && (input.vatCents ?? 0) > 0)
      errors.push(fieldError('/body/vatCents', R_PROGRAMME.personnelNoVat));
    if (errors.length) throw invalid(errors);
    const s = await insertSpending(
      trx,
      planId,
      {
        initiative: input.initiative,
        measureActivity: input.measureActivity,
        account: input.account,
        spentOn: input.spentOn,
        amountCents: input.amountCents,
        vatCents: input.vatCents ?? 0,
        description: input.description,
        reference: input.reference ?? '',
      },
      editor.personId,
    );
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: editor.personId,
      action: 'programme.spending.recorded',
      subject: `plan:${planId}/spending:${s.id}`,
      details: { initiative: s.initiative, amountCents: s.amountCents, vatCents: s.vatCents },
    });
    return s;
  });
}

export async function listSpending(ctx: AppContext, actor: Actor, planId: string) {
  const reader = canReadPlan(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: reader.personId }, async (trx) => {
    if (!(await getPlan(trx, planId))) throw notFound(`Plan ${planId}`);
    return readSpending(trx, planId);
  });
}
