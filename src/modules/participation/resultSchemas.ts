import { Type, type Static, type TSchema } from 'typebox';
import { TurnoutSchema, VoteKind } from './schemas';

/**
 * The results of a vote (results.ts `computeResults`, `getResults`, `publishResults`): counted
 * from the ballot box after closing, or the snapshot stored when they were published. Snapshots
 * published before the budget explanations and the Method of Equal Shares carry neither, so
 * those fields are optional here (the serializer would refuse a snapshot missing a required one).
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Int = Type.Integer();
const NullInt = Nullable(Type.Integer());
const Rule = Type.Enum(['greedy', 'equal-shares']);
const Utility = Type.Enum(['cost', 'cardinality']);
const Completion = Type.Enum(['add1', 'none']);

/** Budgets: why an idea was or was not funded (rules.ts `Explanation`). */
export const ExplanationSchema = Type.Object({
  rule: Rule,
  funded: Type.Boolean(),
  reason: Type.Enum([
    'funded',
    'completion',
    'pooled',
    'did-not-fit',
    'after-stop',
    'supporters-short',
    'no-support',
    'below-min-support',
    'district-invalid',
  ]),
  place: NullInt,
  moneyLeftCents: Nullable(Type.Number()),
  round: NullInt,
  pricePerUnitCents: Nullable(Type.Number()),
  maxPaymentCents: Nullable(Type.Number()),
  supportersHadCents: Nullable(Type.Number()),
  payers: NullInt,
  paidAllTheyHad: Type.Optional(NullInt),
});

export const ChoiceResultSchema = Type.Object({
  id: Int,
  label: Type.String(),
  code: Type.Optional(Type.Enum(['yes', 'no', 'blank'], { description: 'labelled by the web app' })),
  votes: Int,
  points: Type.Number(),
  percent: Type.Number({ description: 'of the ballots that answered the question, two decimals' }),
  costCents: Type.Optional(Int),
  districtId: Type.Optional(Int),
  selected: Type.Optional(Type.Boolean()),
  pooled: Type.Optional(Type.Boolean()),
  explanation: Type.Optional(ExplanationSchema),
});

export const ResultsSchema = Type.Object({
  status: Type.Enum(['closed', 'published']),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  voteId: Type.String(),
  kind: VoteKind,
  ballots: Int,
  byChannel: Type.Object({ internet: Int, paper: Int, import: Int }),
  turnout: TurnoutSchema,
  questions: Type.Array(
    Type.Object({ id: Int, text: Type.String(), kind: Type.String(), choices: Type.Array(ChoiceResultSchema) }),
  ),
  elder: Type.Optional(
    Type.Object({
      status: Type.Enum(['elected', 'turnout-too-low', 'tie-runoff', 'no-votes']),
      winnerChoiceId: NullInt,
      tie: Nullable(
        Type.Object({
          choiceIds: Type.Array(Int),
          rule: Type.Enum(['lot', 'oldest', 'runoff']),
          detail: Type.String(),
        }),
      ),
      turnoutPercent: Nullable(Type.Number()),
    }),
  ),
  budget: Type.Optional(
    Type.Object({
      method: Type.Enum(['approval', 'knapsack', 'cumulative', 'scoring', 'ordinal']),
      rule: Type.Optional(Rule),
      greedy: Type.Enum(['skip', 'stop']),
      utility: Type.Optional(Utility),
      completion: Type.Optional(Completion),
      winners: Type.Array(Type.Object({ id: Int, districtId: Int, costCents: Int, pooled: Type.Boolean() })),
      districts: Type.Array(
        Type.Object({
          id: Int,
          name: Type.String(),
          budgetCents: Int,
          spentCents: Int,
          voters: Int,
          minVoters: Int,
          valid: Type.Boolean(),
        }),
      ),
      pool: Nullable(Type.Object({ amountCents: Int, spentCents: Int })),
      equalShares: Type.Optional(
        Nullable(
          Type.Array(
            Type.Object({
              districtId: Int,
              voters: Int,
              baseShareCents: Type.Number(),
              shareCents: Type.Number(),
              steps: Int,
              stepLimitReached: Type.Boolean(),
              utility: Type.Optional(Utility),
              completion: Type.Optional(Completion),
            }),
          ),
        ),
      ),
      tieRule: Type.String(),
    }),
  ),
});
export type ResultsView = Static<typeof ResultsSchema>;
/** What `computeResults` counts: the results without their publication state. */
export type CountedResults = Omit<ResultsView, 'status' | 'publishedAt'>;
