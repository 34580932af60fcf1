import { Type, type Static } from 'typebox';
import { PlaceCode } from '../places';
import { TranslatedTextSchema, TranslationsSchema } from '../../platform/language/translationSchemas';

/** TypeBox schemas shared by the participation routes and use cases. */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const VoteKind = Type.Union([Type.Literal('poll'), Type.Literal('elder'), Type.Literal('budget')]);
export const VoteStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('proposals'),
  Type.Literal('review'),
  Type.Literal('scheduled'),
  Type.Literal('open'),
  Type.Literal('closed'),
  Type.Literal('published'),
]);

export const QuestionInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('yesno')]),
    choices: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
        maxItems: 100,
        description: 'Labels (single and multiple choice); yes/no questions get theirs',
      }),
    ),
    minChoices: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    maxChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    allowBlank: Type.Optional(Type.Boolean({ description: 'Offer a "blank" choice (no preference)' })),
    translations: Type.Optional(
      Type.Object(
        {
          text: Type.Optional(TranslatedTextSchema(1000)),
          choices: Type.Optional(
            Type.Array(TranslatedTextSchema(300), { maxItems: 100, description: 'In the order of `choices`' }),
          ),
        },
        { additionalProperties: false, description: 'Russian and English question text and choice labels' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type QuestionInput = Static<typeof QuestionInput>;

export const DistrictInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    budgetCents: Type.Integer({ minimum: 0, maximum: 1e13 }),
    settlementCodes: Type.Array(PlaceCode, {
      maxItems: 500,
      uniqueItems: true,
      description: 'Empty: the whole municipality (only as the single district)',
    }),
    minVoters: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);

export const BudgetRulesInput = Type.Object(
  {
    method: Type.Union([Type.Literal('approval'), Type.Literal('knapsack'), Type.Literal('cumulative')]),
    maxChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    minChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    ownDistrictOnly: Type.Optional(Type.Boolean()),
    minSpentPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    points: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    maxPointsPerIdea: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    rule: Type.Optional(
      Type.Union([Type.Literal('greedy'), Type.Literal('equal-shares')], {
        description: 'How winners are counted: the greedy rule (default) or the Method of Equal Shares',
      }),
    ),
    greedy: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('stop')])),
    utility: Type.Optional(
      Type.Union([Type.Literal('cost'), Type.Literal('cardinality')], {
        description: 'Equal shares: cost utilities (default) or cardinality utilities',
      }),
    ),
    completion: Type.Optional(
      Type.Union([Type.Literal('add1'), Type.Literal('none')], {
        description: 'Equal shares: the add-one completion then greedy (default), or none',
      }),
    ),
    minSupport: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    pooling: Type.Optional(Type.Boolean()),
    districts: Type.Array(DistrictInput, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type BudgetRulesInput = Static<typeof BudgetRulesInput>;

export const ElderRulesInput = Type.Object(
  {
    minTurnoutPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    tieRule: Type.Optional(Type.Union([Type.Literal('lot'), Type.Literal('oldest'), Type.Literal('runoff')])),
    candidateMinAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
  },
  { additionalProperties: false },
);

export const ElectorateChoice = Type.Union([
  Type.Object(
    { electorateId: Type.String({ format: 'uuid' }) },
    { additionalProperties: false, description: 'An electorate defined in the register module' },
  ),
  Type.Object(
    {
      scope: Type.Union([Type.Literal('municipality'), Type.Literal('settlements')]),
      settlementCodes: Type.Optional(Type.Array(PlaceCode, { maxItems: 1000, uniqueItems: true })),
      minAge: Type.Integer({ minimum: 0, maximum: 130 }),
    },
    {
      additionalProperties: false,
      description:
        'A new electorate for this vote: residents (of these settlement units) of at least minAge on the opening day, checked live against the register',
    },
  ),
]);
export type ElectorateChoice = Static<typeof ElectorateChoice>;

export const VoteInput = Type.Object(
  {
    kind: VoteKind,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    translations: Type.Optional(TranslationsSchema({ title: 300, description: 20_000 })),
    opensAt: DateTime,
    closesAt: DateTime,
    proposalsCloseAt: Type.Optional(Nullable(DateTime)),
    electorate: Type.Optional(Nullable(ElectorateChoice)),
    questions: Type.Optional(Type.Array(QuestionInput, { maxItems: 50, description: 'Poll questions' })),
    budget: Type.Optional(BudgetRulesInput),
    elder: Type.Optional(ElderRulesInput),
  },
  { additionalProperties: false },
);
export type VoteInput = Static<typeof VoteInput>;

export const ChoiceSchema = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  blank: Type.Optional(Type.Boolean()),
  code: Type.Optional(Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('blank')])),
  ideaId: Type.Optional(Type.String()),
  costCents: Type.Optional(Type.Integer()),
  districtId: Type.Optional(Type.Integer()),
  candidateId: Type.Optional(Type.String()),
  translations: Type.Optional(TranslationsSchema({ label: 300 })),
});
export const QuestionSchema = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('yesno')]),
  minChoices: Type.Integer(),
  maxChoices: Type.Integer(),
  choices: Type.Array(ChoiceSchema),
  translations: Type.Optional(TranslationsSchema({ text: 1000 })),
});

/** The rules a vote was created with, as stored (defaults filled in by manageVotes/pabulibImport). */
export const DistrictSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  budgetCents: Type.Integer(),
  settlementCodes: Type.Array(Type.String()),
  minVoters: Type.Integer(),
});
export const BudgetRulesSchema = Type.Object({
  method: Type.Union([
    Type.Literal('approval'),
    Type.Literal('knapsack'),
    Type.Literal('cumulative'),
    Type.Literal('scoring'),
    Type.Literal('ordinal'),
  ]),
  maxChoices: Type.Integer(),
  minChoices: Type.Integer(),
  ownDistrictOnly: Type.Boolean(),
  minSpentPercent: Type.Number(),
  points: Type.Integer(),
  maxPointsPerIdea: Type.Integer(),
  // Optional: votes stored before the Method of Equal Shares have none of these three (greedy, cost, add1).
  rule: Type.Optional(Type.Union([Type.Literal('greedy'), Type.Literal('equal-shares')])),
  greedy: Type.Union([Type.Literal('skip'), Type.Literal('stop')]),
  utility: Type.Optional(Type.Union([Type.Literal('cost'), Type.Literal('cardinality')])),
  completion: Type.Optional(Type.Union([Type.Literal('add1'), Type.Literal('none')])),
  minSupport: Type.Integer(),
  pooling: Type.Boolean(),
  districts: Type.Array(DistrictSchema),
});
export const ElderRulesSchema = Type.Object({
  minTurnoutPercent: Type.Number(),
  tieRule: Type.Union([Type.Literal('lot'), Type.Literal('oldest'), Type.Literal('runoff')]),
  candidateMinAge: Type.Integer(),
});
export const VoteRulesSchema = Type.Object(
  { budget: Type.Optional(BudgetRulesSchema), elder: Type.Optional(ElderRulesSchema) },
  { description: 'Budget votes: `budget`; elder elections: `elder`; polls: neither' },
);

/** The fields of a vote every answer about it has (the list of "my votes" leaves out ballot and rules). */
const voteFields = {
  id: Type.String({ format: 'uuid' }),
  municipalityCode: Type.String(),
  kind: VoteKind,
  title: Type.String(),
  description: Type.String(),
  translations: TranslationsSchema({ title: 300, description: 20_000 }),
  status: VoteStatus,
  phase: Type.Union(VoteStatus.anyOf, {
    description: 'The status as it is now: a scheduled vote whose opening time has passed is open',
  }),
  proposalsCloseAt: Nullable(Type.String()),
  opensAt: Type.String(),
  closesAt: Type.String(),
  openedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  publishedAt: Nullable(Type.String()),
  electorateId: Nullable(Type.String()),
  electorateSize: Nullable(Type.Integer()),
  imported: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const VoteSchema = Type.Object({
  ...voteFields,
  ballot: Type.Object({ questions: Type.Array(QuestionSchema) }),
  rules: VoteRulesSchema,
});

/** GET /participation/my-votes: a vote I may take part in, and whether I have voted (never what). */
export const MyVoteSchema = Type.Object({
  ...voteFields,
  voted: Type.Boolean(),
  channel: Nullable(Type.Union([Type.Literal('internet'), Type.Literal('paper')])),
});

export const BallotInput = Type.Object(
  {
    answers: Type.Array(
      Type.Object(
        {
          questionId: Type.Integer({ minimum: 1 }),
          choiceIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 }),
          points: Type.Optional(
            Type.Array(Type.Integer({ minimum: 0, maximum: 100000 }), {
              maxItems: 1000,
              description: 'Cumulative budgets: points per chosen idea, in the same order',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type BallotInput = Static<typeof BallotInput>;

export const CastResult = Type.Object({
  receipt: Type.String({ description: 'Keep it: the published ballot list shows it once the vote has closed' }),
  replaced: Type.Boolean({ description: 'An earlier ballot of yours was replaced (the last one counts)' }),
  voteId: Type.String(),
});

export const IdeaInput = Type.Object(
  {
    title: Type.String({ minLength: 3, maxLength: 200 }),
    description: Type.String({ minLength: 1, maxLength: 10_000 }),
    settlementCode: Type.Optional(Nullable(PlaceCode)),
    location: Type.Optional(
      Nullable(
        Type.Object(
          { lat: Type.Number({ minimum: 57.3, maximum: 59.9 }), lon: Type.Number({ minimum: 21.5, maximum: 28.3 }) },
          { additionalProperties: false },
        ),
      ),
    ),
    estimatedCostCents: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1e12 }))),
  },
  { additionalProperties: false },
);
export type IdeaInput = Static<typeof IdeaInput>;

export const IdeaReview = Type.Object(
  {
    status: Type.Union([
      Type.Literal('feasible'),
      Type.Literal('infeasible'),
      Type.Literal('merged'),
      Type.Literal('submitted'),
    ]),
    reason: Type.Optional(
      Type.String({ maxLength: 5000, description: 'Public reason (required for infeasible and merged)' }),
    ),
    finalCostCents: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1e12 }))),
    districtId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    mergedInto: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    translations: Type.Optional(TranslationsSchema({ title: 200, description: 10_000 })),
  },
  { additionalProperties: false },
);
export type IdeaReview = Static<typeof IdeaReview>;

export const ImplementationInput = Type.Object(
  {
    status: Type.Union([
      Type.Literal('not_started'),
      Type.Literal('planning'),
      Type.Literal('in_progress'),
      Type.Literal('done'),
      Type.Literal('cancelled'),
    ]),
    note: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);

export const IdeaSchema = Type.Object({
  id: Type.String(),
  voteId: Type.String(),
  number: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  translations: TranslationsSchema({ title: 200, description: 10_000 }),
  settlementCode: Nullable(Type.String()),
  districtId: Nullable(Type.Integer()),
  location: Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number() })),
  estimatedCostCents: Nullable(Type.Integer()),
  finalCostCents: Nullable(Type.Integer()),
  status: Type.Union([
    Type.Literal('submitted'),
    Type.Literal('feasible'),
    Type.Literal('infeasible'),
    Type.Literal('merged'),
    Type.Literal('withdrawn'),
  ]),
  reviewReason: Nullable(Type.String()),
  mergedInto: Nullable(Type.String()),
  photoIds: Type.Array(Type.String()),
  implementationStatus: Type.Union([
    Type.Literal('not_started'),
    Type.Literal('planning'),
    Type.Literal('in_progress'),
    Type.Literal('done'),
    Type.Literal('cancelled'),
  ]),
  implementationNote: Nullable(Type.String()),
  submittedAt: Type.String(),
  mine: Type.Optional(Type.Boolean()),
});

export const NominationInput = Type.Object(
  {
    idCode: Type.Optional(
      Type.String({ pattern: '^[0-9]{11}$', description: 'The nominee (omit to nominate yourself)' }),
    ),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Name shown on the ballot (default: from the person record)',
      }),
    ),
    statement: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
export type NominationInput = Static<typeof NominationInput>;

export const CandidateSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  name: Type.String(),
  statement: Type.String(),
  translations: TranslationsSchema({ statement: 5000 }),
  status: Type.Union([
    Type.Literal('nominated'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
    Type.Literal('withdrawn'),
  ]),
  consented: Type.Boolean(),
  reviewReason: Nullable(Type.String()),
  isMe: Type.Optional(Type.Boolean()),
});

export const TurnoutSchema = Type.Object({
  voters: Type.Integer(),
  internet: Type.Integer(),
  paper: Type.Integer(),
  electorateSize: Nullable(Type.Integer()),
  percent: Nullable(Type.Number()),
  bySettlement: Type.Array(
    Type.Object({ settlementCode: Nullable(Type.String()), name: Nullable(Type.String()), voters: Type.Integer() }),
  ),
});

export const SealingSchema = Type.Object(
  {
    retentionDays: Type.Integer({ description: 'days after the final results until the ballots are destroyed' }),
    finalAt: Nullable(Type.String({ description: 'when the results became final (published)' })),
    destroyAfter: Nullable(Type.String({ description: 'when the sealed ballots will be destroyed' })),
    destroyedAt: Nullable(Type.String({ description: 'when they were destroyed (counts and results remain)' })),
  },
  { description: 'How long the sealed ballots are kept (crypto-shredding)' },
);

const CountingSchema = Type.Object({
  rule: Type.Union([Type.Literal('greedy'), Type.Literal('equal-shares')]),
  greedy: Type.Union([Type.Literal('skip'), Type.Literal('stop')]),
  utility: Type.Union([Type.Literal('cost'), Type.Literal('cardinality')]),
});

export const PbImportReportSchema = Type.Object({
  imported: Type.Boolean(),
  voteId: Nullable(Type.String()),
  title: Type.String(),
  projects: Type.Integer(),
  votes: Type.Integer(),
  budgetCents: Type.Integer(),
  voteType: Type.String(),
  fileRule: Nullable(Type.String({ description: "The file's META rule" })),
  counting: CountingSchema,
  countingNote: Nullable(Type.String()),
  issues: Type.Array(
    Type.Object({
      line: Type.Integer(),
      severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
      message: Type.String(),
    }),
  ),
  errors: Type.Integer(),
  warnings: Type.Integer(),
  winners: Type.Array(Type.String(), { description: 'project_ids funded by the counting rule' }),
  matchesFileSelection: Nullable(Type.Boolean()),
  differences: Type.Array(Type.String()),
  unsupported: Type.Array(Type.String(), { description: 'project_ids nobody voted for: never funded' }),
});

export const RuleComparisonSchema = Type.Object({
  voteId: Type.String(),
  ballots: Type.Integer(),
  variants: Type.Array(
    Type.Object({
      rule: Type.Union([Type.Literal('greedy'), Type.Literal('equal-shares')]),
      greedy: Type.Union([Type.Literal('skip'), Type.Literal('stop')]),
      utility: Type.Union([Type.Literal('cost'), Type.Literal('cardinality')]),
      current: Type.Boolean({ description: "The vote's own rule" }),
      winners: Type.Array(Type.Integer(), { description: 'Funded idea numbers' }),
      spentCents: Type.Integer(),
      votersWithFundedPercent: Type.Number({ description: 'Voters with at least one funded idea among their choices' }),
      added: Type.Array(Type.Integer(), { description: "Funded by this rule, not by the vote's own" }),
      removed: Type.Array(Type.Integer(), { description: "Funded by the vote's own rule, not by this" }),
    }),
  ),
});

/** For the voter: may I vote, have I voted (and how) — never what. */
export const MyVoteStatusSchema = Type.Object({
  vote: VoteSchema,
  eligible: Type.Boolean(),
  reason: Nullable(
    Type.String({ description: "why not eligible (no-electorate, not-ready, or the register's reason)" }),
  ),
  settlementCode: Nullable(Type.String()),
  voted: Type.Boolean(),
  channel: Nullable(Type.Union([Type.Literal('internet'), Type.Literal('paper')])),
  firstVotedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type MyVoteStatus = Static<typeof MyVoteStatusSchema>;
