import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_BUDGET_RULES,
  DEFAULT_ELDER_RULES,
  electElder,
  selectBudgetWinners,
  validateBallot,
  type BallotSpec,
  type BudgetRules,
  type Project,
} from './rules';

const poll: BallotSpec = {
  questions: [
    {
      id: 1,
      text: 'Park?',
      kind: 'yesno',
      minChoices: 1,
      maxChoices: 1,
      choices: [
        { id: 1, label: 'Yes' },
        { id: 2, label: 'No' },
        { id: 3, label: 'Blank', blank: true },
      ],
    },
    {
      id: 2,
      text: 'Which?',
      kind: 'multiple',
      minChoices: 1,
      maxChoices: 2,
      choices: [
        { id: 4, label: 'A' },
        { id: 5, label: 'B' },
        { id: 6, label: 'C' },
      ],
    },
  ],
};
const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (e: any) {
    return e.extras?.reason as string;
  }
  return 'ok';
};

test('poll ballots: one choice, min–max, blank alone, unknown and missing answers', () => {
  assert.deepEqual(
    validateBallot(
      'poll',
      poll,
      {},
      {
        answers: [
          { questionId: 1, choiceIds: [1] },
          { questionId: 2, choiceIds: [4, 6] },
        ],
      },
      { settlementCode: null },
    ),
    { selections: [1, 4, 6], weights: null },
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'poll',
        poll,
        {},
        {
          answers: [
            { questionId: 1, choiceIds: [1, 2] },
            { questionId: 2, choiceIds: [4] },
          ],
        },
        { settlementCode: null },
      ),
    ),
    'too-many-choices',
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'poll',
        poll,
        {},
        {
          answers: [
            { questionId: 1, choiceIds: [1] },
            { questionId: 2, choiceIds: [4, 5, 6] },
          ],
        },
        { settlementCode: null },
      ),
    ),
    'too-many-choices',
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'poll',
        poll,
        {},
        {
          answers: [
            { questionId: 1, choiceIds: [] },
            { questionId: 2, choiceIds: [4] },
          ],
        },
        { settlementCode: null },
      ),
    ),
    'too-few-choices',
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'poll',
        poll,
        {},
        {
          answers: [
            { questionId: 1, choiceIds: [9] },
            { questionId: 2, choiceIds: [4] },
          ],
        },
        { settlementCode: null },
      ),
    ),
    'unknown-choice',
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'poll',
        poll,
        {},
        {
          answers: [
            { questionId: 1, choiceIds: [4] },
            { questionId: 2, choiceIds: [4] },
          ],
        },
        { settlementCode: null },
      ),
    ),
    'unknown-choice',
  );
  assert.equal(
    reason(() =>
      validateBallot('poll', poll, {}, { answers: [{ questionId: 1, choiceIds: [1] }] }, { settlementCode: null }),
    ),
    'missing-answer',
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'poll',
        poll,
        {},
        {
          answers: [
            { questionId: 1, choiceIds: [1, 3] },
            { questionId: 2, choiceIds: [4] },
          ],
        },
        { settlementCode: null },
      ),
    ),
    'blank-not-alone',
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'poll',
        poll,
        {},
        {
          answers: [
            { questionId: 1, choiceIds: [3] },
            { questionId: 2, choiceIds: [4, 4] },
          ],
        },
        { settlementCode: null },
      ),
    ),
    'duplicate-choice',
  );
});

const districts = [
  { id: 1, name: 'North', budgetCents: 100_00, settlementCodes: ['1001'], minVoters: 0 },
  { id: 2, name: 'South', budgetCents: 50_00, settlementCodes: ['1002'], minVoters: 0 },
];
const budgetSpec: BallotSpec = {
  questions: [
    {
      id: 1,
      text: 'Ideas',
      kind: 'multiple',
      minChoices: 1,
      maxChoices: 4,
      choices: [
        { id: 1, label: 'N1', costCents: 60_00, districtId: 1 },
        { id: 2, label: 'N2', costCents: 50_00, districtId: 1 },
        { id: 3, label: 'S1', costCents: 30_00, districtId: 2 },
        { id: 4, label: 'S2', costCents: 20_00, districtId: 2 },
      ],
    },
  ],
};
const rules = (r: Partial<BudgetRules>) => ({ budget: { ...DEFAULT_BUDGET_RULES, districts, ...r } });
const pick = (ids: number[], points?: number[]) => ({
  answers: [{ questionId: 1, choiceIds: ids, ...(points ? { points } : {}) }],
});

test('budget ballots: approval max N and own district, knapsack budget and minimum spend, cumulative points', () => {
  assert.equal(
    reason(() =>
      validateBallot('budget', budgetSpec, rules({ maxChoices: 2 }), pick([1, 2, 3]), { settlementCode: '1001' }),
    ),
    'too-many-choices',
  );
  assert.equal(
    reason(() =>
      validateBallot('budget', budgetSpec, rules({ maxChoices: 2, ownDistrictOnly: true }), pick([1, 3]), {
        settlementCode: '1001',
      }),
    ),
    'not-own-district',
  );
  assert.equal(
    reason(() =>
      validateBallot('budget', budgetSpec, rules({ maxChoices: 2, ownDistrictOnly: true }), pick([1, 2]), {
        settlementCode: '1001',
      }),
    ),
    'ok',
  );
  assert.equal(
    reason(() =>
      validateBallot('budget', budgetSpec, rules({ method: 'knapsack' }), pick([1, 2]), { settlementCode: null }),
    ),
    'over-budget',
  );
  assert.equal(
    reason(() =>
      validateBallot('budget', budgetSpec, rules({ method: 'knapsack' }), pick([1, 3, 4]), { settlementCode: null }),
    ),
    'ok',
  );
  assert.equal(
    reason(() =>
      validateBallot('budget', budgetSpec, rules({ method: 'knapsack', minSpentPercent: 70 }), pick([2]), {
        settlementCode: null,
      }),
    ),
    'under-minimum-spend',
  );
  assert.deepEqual(
    validateBallot('budget', budgetSpec, rules({ method: 'cumulative', points: 5 }), pick([1, 3], [3, 2]), {
      settlementCode: null,
    }),
    { selections: [1, 3], weights: [3, 2] },
  );
  assert.equal(
    reason(() =>
      validateBallot('budget', budgetSpec, rules({ method: 'cumulative', points: 5 }), pick([1, 3], [4, 2]), {
        settlementCode: null,
      }),
    ),
    'points',
  );
  assert.equal(
    reason(() =>
      validateBallot(
        'budget',
        budgetSpec,
        rules({ method: 'cumulative', points: 5, maxPointsPerIdea: 2 }),
        pick([1], [3]),
        { settlementCode: null },
      ),
    ),
    'points',
  );
});

const P = (id: number, costCents: number, score: number, districtId = 1, supporters = score): Project => ({
  id,
  costCents,
  score,
  districtId,
  supporters,
});

test('greedy winners with and without skipping, minimum support, ties, district minimum voters and pooling', () => {
  const projects = [P(1, 60, 10), P(2, 50, 9), P(3, 30, 8), P(4, 10, 2), P(5, 40, 7, 2), P(6, 40, 7, 2)];
  const ds = [
    { ...districts[0]!, budgetCents: 100, voters: 20 },
    { ...districts[1]!, budgetCents: 50, voters: 20 },
  ];
  const skip = selectBudgetWinners(projects, ds, { greedy: 'skip', minSupport: 0, pooling: false });
  assert.deepEqual(
    skip.winners.map((w) => w.id),
    [1, 3, 4, 5],
  );
  const stop = selectBudgetWinners(projects, ds, { greedy: 'stop', minSupport: 0, pooling: false });
  assert.deepEqual(
    stop.winners.map((w) => w.id),
    [1, 5],
  );
  // Tie between 5 and 6 (same votes, same cost): the lower number first.
  assert.ok(skip.order.indexOf(5) < skip.order.indexOf(6));
  const minSupport = selectBudgetWinners(projects, ds, { greedy: 'skip', minSupport: 3, pooling: false });
  assert.ok(!minSupport.winners.some((w) => w.id === 4));
  const lowTurnout = selectBudgetWinners(projects, [ds[0]!, { ...ds[1]!, minVoters: 100 }], {
    greedy: 'skip',
    minSupport: 0,
    pooling: true,
  });
  assert.equal(lowTurnout.districts[1]!.valid, false);
  assert.ok(!lowTurnout.winners.some((w) => w.districtId === 2));
  // Pool: North's 0 left + South's 50 (did not count) funds the best unfunded North project that fits (2 costs 50).
  assert.deepEqual(
    lowTurnout.winners.filter((w) => w.pooled).map((w) => w.id),
    [2],
  );
  assert.deepEqual(lowTurnout.pool, { amountCents: 50, spentCents: 50 });
});

test('greedy: never overspends a district, and the tie rule is cheaper first', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ cost: fc.integer({ min: 1, max: 100 }), score: fc.integer({ min: 0, max: 20 }) }), {
        maxLength: 30,
      }),
      fc.integer({ min: 0, max: 500 }),
      fc.constantFrom<'skip' | 'stop'>('skip', 'stop'),
      (ps, budget, greedy) => {
        const projects = ps.map((p, i) => P(i + 1, p.cost, p.score));
        const r = selectBudgetWinners(
          projects,
          [{ id: 1, name: 'x', budgetCents: budget, settlementCodes: [], minVoters: 0, voters: 1 }],
          { greedy, minSupport: 0, pooling: true },
        );
        const spent = r.winners.reduce((a, w) => a + w.costCents, 0);
        return spent <= budget && r.districts[0]!.spentCents <= budget;
      },
    ),
  );
  const tie = selectBudgetWinners(
    [P(1, 80, 5), P(2, 30, 5)],
    [{ id: 1, name: 'x', budgetCents: 100, settlementCodes: [], minVoters: 0, voters: 1 }],
    { greedy: 'skip', minSupport: 0, pooling: false },
  );
  assert.deepEqual(tie.order, [2, 1]);
});

test('village elder: most votes, minimum turnout, tie rules', () => {
  const counts = [
    { choiceId: 1, votes: 5, birthDate: '1970-01-01' },
    { choiceId: 2, votes: 5, birthDate: '1960-01-01' },
    { choiceId: 3, votes: 1, birthDate: '1950-01-01' },
  ];
  assert.equal(
    electElder(counts, 11, 100, { ...DEFAULT_ELDER_RULES, minTurnoutPercent: 20 }, []).status,
    'turnout-too-low',
  );
  assert.equal(electElder(counts, 11, 100, { ...DEFAULT_ELDER_RULES, tieRule: 'oldest' }, []).winnerChoiceId, 2);
  assert.equal(electElder(counts, 11, 100, { ...DEFAULT_ELDER_RULES, tieRule: 'runoff' }, []).status, 'tie-runoff');
  const lot1 = electElder(counts, 11, 100, { ...DEFAULT_ELDER_RULES, tieRule: 'lot' }, ['B', 'A']);
  const lot2 = electElder(counts, 11, 100, { ...DEFAULT_ELDER_RULES, tieRule: 'lot' }, ['A', 'B']);
  assert.equal(lot1.winnerChoiceId, lot2.winnerChoiceId, 'the draw depends only on the published receipts');
  assert.ok([1, 2].includes(lot1.winnerChoiceId!));
  assert.equal(
    electElder([{ choiceId: 1, votes: 3, birthDate: null }], 3, 10, DEFAULT_ELDER_RULES, []).winnerChoiceId,
    1,
  );
});
