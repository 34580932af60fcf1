import { Type, type Static } from 'typebox';

/**
 * The plan file (`kov-programme-plan/1`, documented in docs/programme.md). Structure is checked
 * here; the domain (known accounts and measure activities, years inside the plan, VAT rates for
 * every taxed year, initiatives that exist) is checked by `validatePlanDocument`, which reports
 * every problem at once with a JSON pointer.
 */
const Euros = Type.Number({ description: 'Euros without VAT; at most two decimals' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });

export const PlanFileSchema = Type.Object(
  {
    format: Type.Literal('kov-programme-plan/1'),
    plan: Type.Object(
      {
        id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }),
        title: Type.String({ minLength: 1, maxLength: 300 }),
        firstYear: Year,
        lastYear: Year,
        source: Type.Optional(Type.String({ maxLength: 2000 })),
        vat: Type.Object(
          {
            accounts: Type.Array(Type.Integer()),
            rates: Type.Array(
              Type.Object(
                { fromYear: Year, ratePercent: Type.Number({ minimum: 0, maximum: 100 }) },
                { additionalProperties: false },
              ),
              { minItems: 1 },
            ),
            rounding: Type.Optional(Type.Union([Type.Literal('euro'), Type.Literal('cent')])),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    initiatives: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[A-Za-z0-9._-]{1,20}$' }),
          name: Type.String({ minLength: 1, maxLength: 300 }),
          problem: Type.Optional(Type.String({ maxLength: 5000 })),
          activities: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 5000 }))),
          expectedResult: Type.Optional(Type.String({ maxLength: 5000 })),
          implementer: Type.Optional(Type.String({ maxLength: 200 })),
          partners: Type.Optional(Type.Array(Type.String({ maxLength: 200 }))),
          status: Type.Optional(
            Type.Union([
              Type.Literal('planned'),
              Type.Literal('in_progress'),
              Type.Literal('completed'),
              Type.Literal('cancelled'),
            ]),
          ),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    costLines: Type.Array(
      Type.Object(
        {
          initiative: Type.String(),
          measureActivity: Type.Integer(),
          account: Type.Integer(),
          year: Type.Integer(),
          amount: Euros,
        },
        { additionalProperties: false },
      ),
      { maxItems: 10_000 },
    ),
    statedTotals: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ pattern: '^[A-Za-z0-9._-]{1,60}$' }),
            label: Type.String({ minLength: 1, maxLength: 300 }),
            initiative: Type.Optional(Type.String()),
            measureActivity: Type.Optional(Type.Integer()),
            account: Type.Optional(Type.Integer()),
            withVat: Type.Boolean(),
            total: Type.Optional(Euros),
            byYear: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]{4}$' }), Euros)),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5000 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PlanFile = Static<typeof PlanFileSchema>;

const MoneySchema = Type.Object(
  { net: Type.Integer(), vat: Type.Integer(), gross: Type.Integer() },
  { description: 'cents: without VAT, VAT, with VAT' },
);
const BreakdownSchema = Type.Object({ total: MoneySchema, byYear: Type.Record(Type.String(), MoneySchema) });
const ScopeSchema = Type.Object({
  initiative: Type.Union([Type.String(), Type.Null()]),
  measureActivity: Type.Union([Type.Integer(), Type.Null()]),
  account: Type.Union([Type.Integer(), Type.Null()]),
  year: Type.Union([Type.Integer(), Type.Null()]),
});

export const InitiativeSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  problem: Type.String(),
  activities: Type.Record(Type.String(), Type.String()),
  expectedResult: Type.String(),
  implementer: Type.String(),
  partners: Type.Array(Type.String()),
  status: Type.String(),
  note: Type.String(),
});

export const PlanOverviewSchema = Type.Object({
  plan: Type.Object({
    id: Type.String(),
    title: Type.String(),
    firstYear: Type.Integer(),
    lastYear: Type.Integer(),
    source: Type.String(),
    vat: Type.Object({
      accounts: Type.Array(Type.Integer()),
      rates: Type.Array(Type.Object({ fromYear: Type.Integer(), rateBp: Type.Integer() })),
      rounding: Type.String(),
    }),
  }),
  measureActivities: Type.Record(Type.String(), Type.String()),
  accounts: Type.Record(Type.String(), Type.String()),
  initiatives: Type.Array(InitiativeSchema),
  costLines: Type.Array(
    Type.Object({
      initiative: Type.String(),
      measureActivity: Type.Integer(),
      account: Type.Integer(),
      year: Type.Integer(),
      amountCents: Type.Integer(),
      vatCents: Type.Integer(),
    }),
  ),
  totals: Type.Object({
    years: Type.Array(Type.Integer()),
    total: MoneySchema,
    byYear: Type.Record(Type.String(), MoneySchema),
    byMeasureActivity: Type.Record(Type.String(), BreakdownSchema),
    byAccount: Type.Record(Type.String(), BreakdownSchema),
    byInitiative: Type.Record(
      Type.String(),
      Type.Object({
        total: MoneySchema,
        byYear: Type.Record(Type.String(), MoneySchema),
        byAccount: Type.Record(Type.String(), BreakdownSchema),
      }),
    ),
  }),
  checks: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      scope: ScopeSchema,
      withVat: Type.Boolean(),
      statedCents: Type.Integer(),
      computedCents: Type.Integer(),
      differenceCents: Type.Integer(),
      ok: Type.Boolean(),
    }),
  ),
  inconsistencies: Type.Integer({ description: 'number of stated figures that the lines do not add up to' }),
  actuals: Type.Object({
    total: MoneySchema,
    byYear: Type.Record(Type.String(), MoneySchema),
    byInitiative: Type.Record(
      Type.String(),
      Type.Object({
        planned: MoneySchema,
        spent: MoneySchema,
        remainingGross: Type.Integer(),
        usedPercent: Type.Union([Type.Number(), Type.Null()]),
      }),
    ),
  }),
});

export const SpendingInput = Type.Object(
  {
    initiative: Type.String({ maxLength: 20 }),
    measureActivity: Type.Integer(),
    account: Type.Integer(),
    spentOn: Type.String({ format: 'date' }),
    amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }),
    vatCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000_00 })),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    reference: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type SpendingInput = Static<typeof SpendingInput>;

export const SpendingSchema = Type.Object({
  id: Type.String(),
  initiative: Type.String(),
  measureActivity: Type.Integer(),
  account: Type.Integer(),
  spentOn: Type.String(),
  amountCents: Type.Integer(),
  vatCents: Type.Integer(),
  description: Type.String(),
  reference: Type.String(),
  recordedAt: Type.String(),
});

export const VatRuleInput = Type.Object(
  {
    accounts: Type.Array(Type.Integer(), { maxItems: 3 }),
    rates: Type.Array(
      Type.Object(
        { fromYear: Year, ratePercent: Type.Number({ minimum: 0, maximum: 100 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    rounding: Type.Union([Type.Literal('euro'), Type.Literal('cent')]),
  },
  { additionalProperties: false },
);
export type VatRuleInput = Static<typeof VatRuleInput>;

export const InitiativePatch = Type.Object(
  {
    status: Type.Optional(
      Type.Union([
        Type.Literal('planned'),
        Type.Literal('in_progress'),
        Type.Literal('completed'),
        Type.Literal('cancelled'),
      ]),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    implementer: Type.Optional(Type.String({ maxLength: 200 })),
    partners: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 30 })),
    expectedResult: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
export type InitiativePatch = Static<typeof InitiativePatch>;

export { ScopeSchema, MoneySchema };
