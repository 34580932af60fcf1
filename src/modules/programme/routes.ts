import { Type } from 'typebox';
import type { Api } from '../../platform/module';
import type { AppContext } from '../../platform/context';
import {
  InitiativePatch,
  InitiativeSchema,
  PlanFileSchema,
  PlanOverviewSchema,
  SpendingInput,
  SpendingSchema,
  VatRuleInput,
} from './schemas';
import { importPlan } from './importPlan';
import { importCostLines } from './importCostLines';
import { listPlans, planOverview } from './planOverview';
import { changeVatRule } from './changeVatRule';
import { updateInitiative } from './updateInitiative';
import { listSpending, recordSpending } from './recordSpending';

const SESSION = [{ session: [] }];
const PlanParams = Type.Object({ planId: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }) });
const ImportResult = Type.Object({
  planId: Type.String(),
  replaced: Type.Boolean(),
  initiatives: Type.Integer(),
  costLines: Type.Integer(),
  statedTotals: Type.Integer(),
  inconsistencies: Type.Integer(),
});

export function programmeRoutes(app: Api, ctx: AppContext) {
  app.get(
    '/programme/plans',
    {
      schema: {
        security: SESSION,
        summary: 'Action plans (officials)',
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              title: Type.String(),
              firstYear: Type.Integer(),
              lastYear: Type.Integer(),
              updatedAt: Type.String(),
            }),
          ),
        },
      },
    },
    (request) => listPlans(ctx, request.actor),
  );

  app.post(
    '/programme/plans',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        security: SESSION,
        summary:
          'Import or replace a plan from its file (format kov-programme-plan/1, see docs/programme.md); ELVL editors; all or nothing',
        // The structure is checked by the use case, which reports every error of the file at once.
        body: Type.Object({}, { additionalProperties: true }),
        response: { 200: ImportResult },
      },
    },
    (request) => importPlan(ctx, request.actor, request.body),
  );

  app.get(
    '/programme/plans/:planId',
    {
      schema: {
        security: SESSION,
        summary: 'A plan with totals (with and without VAT), consistency checks and actual spending',
        params: PlanParams,
        response: { 200: PlanOverviewSchema },
      },
    },
    (request) => planOverview(ctx, request.actor, request.params.planId),
  );

  app.put(
    '/programme/plans/:planId/cost-lines',
    {
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        security: SESSION,
        summary:
          'Replace the cost lines from CSV (columns initiative, measure_activity, account, year, amount); ELVL editors; all or nothing',
        params: PlanParams,
        body: Type.Object({ csv: Type.String({ maxLength: 2_000_000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ planId: Type.String(), removed: Type.Integer(), added: Type.Integer() }) },
      },
    },
    (request) => importCostLines(ctx, request.actor, request.params.planId, request.body.csv),
  );

  app.put(
    '/programme/plans/:planId/vat',
    {
      schema: {
        security: SESSION,
        summary: 'Change the VAT rule: taxed accounts, rate by year, rounding (ELVL editors)',
        params: PlanParams,
        body: VatRuleInput,
        response: {
          200: Type.Object({
            accounts: Type.Array(Type.Integer()),
            rates: Type.Array(Type.Object({ fromYear: Type.Integer(), rateBp: Type.Integer() })),
            rounding: Type.String(),
          }),
        },
      },
    },
    (request) => changeVatRule(ctx, request.actor, request.params.planId, request.body),
  );

  app.patch(
    '/programme/plans/:planId/initiatives/:initiative',
    {
      schema: {
        security: SESSION,
        summary: 'Update status, implementer, partners, expected result or note of an initiative (ELVL editors)',
        params: Type.Object({ planId: PlanParams.properties.planId, initiative: Type.String({ maxLength: 20 }) }),
        body: InitiativePatch,
        response: { 200: InitiativeSchema },
      },
    },
    (request) => updateInitiative(ctx, request.actor, request.params.planId, request.params.initiative, request.body),
  );

  app.get(
    '/programme/plans/:planId/spending',
    {
      schema: {
        security: SESSION,
        summary: 'Actual spending entered against the plan',
        params: PlanParams,
        response: { 200: Type.Array(SpendingSchema) },
      },
    },
    (request) => listSpending(ctx, request.actor, request.params.planId),
  );

  app.post(
    '/programme/plans/:planId/spending',
    {
      schema: {
        security: SESSION,
        summary: 'Enter actual spending (ELVL editors); audited',
        params: PlanParams,
        body: SpendingInput,
        response: { 201: SpendingSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordSpending(ctx, request.actor, request.params.planId, request.body)),
  );
}

export { PlanFileSchema };
