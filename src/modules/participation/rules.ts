import type { Translations } from '../../platform/language/translations';
import { createHash } from 'node:crypto';
import { Problem, defineProblem, type FieldError } from '../../platform/http/problems';
import { equalShares, type EsExplanation } from './equalShares';
import * as Q from './rational';

/**
 * The rules of votes as pure functions (no database, no HTTP): what a ballot may contain, and how
 * counted ballots become results (poll counts, the village elder, participatory budget winners by
 * the greedy rule). Every rule is documented in docs/participation.md.
 */

export type VoteKind = 'poll' | 'elder' | 'budget';
export type QuestionKind = 'single' | 'multiple' | 'yesno';

export interface Choice {
  /** Unique within the vote: the number stored in ballots' selections. */
  id: number;
  label: string;
  /** The "blank" (no preference) choice of a question: chosen alone. */
  blank?: boolean;
  /** Choices the web app labels in the voter's language: yes, no, blank. */
  code?: 'yes' | 'no' | 'blank';
  /** Budget: the idea, its final cost and district. Elder: the candidate. */
  ideaId?: string;
  costCents?: number;
  districtId?: number;
  candidateId?: string;
  /** Russian and English labels (src/platform/language/translations.ts). */
  translations?: Translations<'label'>;
}

export interface Question {
  id: number;
  text: string;
  kind: QuestionKind;
  minChoices: number;
  maxChoices: number;
  choices: Choice[];
  translations?: Translations<'text'>;
}

export interface BallotSpec {
  questions: Question[];
}

export interface District {
  id: number;
  name: string;
  budgetCents: number;
  /** Settlement units of the district (empty: the whole municipality). */
  settlementCodes: string[];
  /** The district's result counts only with at least this many voters (0 = no minimum). */
  minVoters: number;
}

export interface BudgetRules {
  /** How voters vote. Scoring and ordinal ballots come only from imported Pabulib files. */
  method: 'approval' | 'knapsack' | 'cumulative' | 'scoring' | 'ordinal';
  /** Approval: at most this many ideas per voter (Tallinn 2, Tartu 3). */
  maxChoices: number;
  /** Approval/knapsack: at least this many ideas (default 1). */
  minChoices: number;
  /** Voters may choose only ideas of the district they live in. */
  ownDistrictOnly: boolean;
  /** Knapsack: the chosen ideas must cost at least this share of the district's budget (0–100). */
  minSpentPercent: number;
  /** Cumulative: points a voter spreads over ideas, and at most this many on one idea (0 = no limit). */
  points: number;
  maxPointsPerIdea: number;
  /** How winners are counted: the greedy rule, or the Method of Equal Shares (./equalShares). */
  rule: 'greedy' | 'equal-shares';
  /** Greedy variant: 'skip' an idea that does not fit and go on (Pabulib), or 'stop' at the first that does not fit. */
  greedy: 'skip' | 'stop';
  /** Equal shares: a voter's utility for an idea is its cost (the standard) or one (every idea alike), times her points. */
  utility: 'cost' | 'cardinality';
  /** Equal shares: the add-one completion then greedy for what is left (the standard), or none. */
  completion: 'add1' | 'none';
  /** An idea needs at least this many supporting voters to win (0 = none). */
  minSupport: number;
  /** Districts' unused money funds the best unfunded ideas city-wide. */
  pooling: boolean;
  districts: District[];
}

export interface ElderRules {
  /** The election is valid only with at least this share of the electorate voting (0–100). */
  minTurnoutPercent: number;
  /** A tie between the leading candidates: drawing of lots (seeded by the published receipts), the oldest candidate, or a new vote. */
  tieRule: 'lot' | 'oldest' | 'runoff';
  candidateMinAge: number;
}

export interface VoteRules {
  budget?: BudgetRules;
  elder?: ElderRules;
}

export const DEFAULT_BUDGET_RULES: BudgetRules = {
  method: 'approval',
  maxChoices: 3,
  minChoices: 1,
  ownDistrictOnly: false,
  minSpentPercent: 0,
  points: 10,
  maxPointsPerIdea: 0,
  rule: 'greedy',
  greedy: 'skip',
  utility: 'cost',
  completion: 'add1',
  minSupport: 0,
  pooling: false,
  districts: [],
};
export const DEFAULT_ELDER_RULES: ElderRules = { minTurnoutPercent: 0, tieRule: 'lot', candidateMinAge: 18 };

// ---------------------------------------------------------------------------------------------
// Ballots

export const invalidBallot = defineProblem(
  'invalid-ballot',
  422,
  'The ballot is not valid',
  '`reason` says what is wrong (over-budget, under-minimum-spend, too-many-choices, too-few-choices, unknown-choice, duplicate-choice, missing-answer, blank-not-alone, not-own-district, points); `errors` points at the answer.',
);

export type BallotProblemReason =
  | 'over-budget'
  | 'under-minimum-spend'
  | 'too-many-choices'
  | 'too-few-choices'
  | 'unknown-choice'
  | 'duplicate-choice'
  | 'missing-answer'
  | 'blank-not-alone'
  | 'not-own-district'
  | 'points';

function bad(reason: BallotProblemReason, pointer: string, detail: string): Problem {
  const errors: FieldError[] = [{ pointer, detail }];
  return new Problem(invalidBallot, detail, { reason, errors });
}

export interface BallotInput {
  answers: { questionId: number; choiceIds: number[]; points?: number[] }[];
}

export interface ValidBallot {
  selections: number[];
  /** Points per selection (cumulative budgets), else null. */
  weights: number[] | null;
}

/** The district a settlement unit belongs to (null if none). */
export function districtOf(rules: BudgetRules, settlementCode: string | null): District | null {
  if (rules.districts.length === 1 && rules.districts[0]!.settlementCodes.length === 0) return rules.districts[0]!;
  if (!settlementCode) return null;
  return (
    rules.districts.find((d) => d.settlementCodes.includes(settlementCode)) ??
    rules.districts.find((d) => d.settlementCodes.length === 0) ??
    null
  );
}

const fmtEur = (cents: number) => `€${(cents / 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })}`;

/**
 * Checks a ballot against the vote's questions and rules; answers the selections to store or
 * throws an `invalid-ballot` problem naming the reason and the answer at fault.
 */
export function validateBallot(
  kind: VoteKind,
  spec: BallotSpec,
  rules: VoteRules,
  input: BallotInput,
  voter: { settlementCode: string | null },
): ValidBallot {
  const byQuestion = new Map<number, number>();
  input.answers.forEach((a, i) => {
    if (byQuestion.has(a.questionId))
      throw bad('duplicate-choice', `/body/answers/${i}/questionId`, `question ${a.questionId} is answered twice`);
    byQuestion.set(a.questionId, i);
  });
  for (const [qid, i] of byQuestion) {
    if (!spec.questions.some((q) => q.id === qid))
      throw bad('unknown-choice', `/body/answers/${i}/questionId`, `there is no question ${qid} in this vote`);
  }
  const selections: number[] = [];
  const weights: number[] = [];
  for (const q of spec.questions) {
    const i = byQuestion.get(q.id);
    if (i === undefined) throw bad('missing-answer', '/body/answers', `question ${q.id} ("${q.text}") is not answered`);
    const a = input.answers[i]!;
    const ptr = `/body/answers/${i}/choiceIds`;
    const seen = new Set<number>();
    for (const c of a.choiceIds) {
      if (seen.has(c)) throw bad('duplicate-choice', ptr, `choice ${c} is chosen twice`);
      seen.add(c);
      if (!q.choices.some((ch) => ch.id === c))
        throw bad('unknown-choice', ptr, `choice ${c} is not a choice of question ${q.id}`);
    }
    const chosen = a.choiceIds.map((c) => q.choices.find((ch) => ch.id === c)!);
    if (chosen.some((c) => c.blank)) {
      if (chosen.length !== 1) throw bad('blank-not-alone', ptr, 'the blank choice must be chosen alone');
      selections.push(chosen[0]!.id);
      continue;
    }
    if (kind === 'budget') {
      const r = rules.budget!;
      validateBudgetAnswer(r, chosen, a.points, voter, ptr, `/body/answers/${i}/points`);
      selections.push(...chosen.map((c) => c.id));
      if (r.method === 'cumulative') weights.push(...a.points!);
      continue;
    }
    const max = q.kind === 'multiple' ? q.maxChoices : 1;
    const min = q.kind === 'multiple' ? q.minChoices : 1;
    if (chosen.length > max)
      throw bad('too-many-choices', ptr, `choose at most ${max} for question ${q.id} (got ${chosen.length})`);
    if (chosen.length < min)
      throw bad('too-few-choices', ptr, `choose at least ${min} for question ${q.id} (got ${chosen.length})`);
    selections.push(...chosen.map((c) => c.id));
  }
  return { selections, weights: kind === 'budget' && rules.budget!.method === 'cumulative' ? weights : null };
}

function validateBudgetAnswer(
  r: BudgetRules,
  chosen: Choice[],
  points: number[] | undefined,
  voter: { settlementCode: string | null },
  ptr: string,
  pointsPtr: string,
) {
  if (r.ownDistrictOnly) {
    const own = districtOf(r, voter.settlementCode);
    const foreign = chosen.find((c) => c.districtId !== own?.id);
    if (foreign)
      throw bad(
        'not-own-district',
        ptr,
        own
          ? `you may choose only ideas of your district (${own.name}); "${foreign.label}" is in another`
          : 'you may choose only ideas of your own district, and your residence is in none of the districts',
      );
  }
  if (r.method === 'cumulative') {
    if (!points || points.length !== chosen.length)
      throw bad('points', pointsPtr, 'give points for each chosen idea (as many points as ideas)');
    if (points.some((p) => !Number.isInteger(p) || p < 1))
      throw bad('points', pointsPtr, 'points are whole numbers of at least 1');
    if (r.maxPointsPerIdea > 0 && points.some((p) => p > r.maxPointsPerIdea))
      throw bad('points', pointsPtr, `at most ${r.maxPointsPerIdea} points for one idea`);
    const sum = points.reduce((a, b) => a + b, 0);
    if (sum > r.points) throw bad('points', pointsPtr, `you have ${r.points} points to give, and gave ${sum}`);
    if (chosen.length === 0) throw bad('too-few-choices', ptr, 'give points to at least one idea');
    return;
  }
  if (chosen.length < Math.max(1, r.minChoices))
    throw bad('too-few-choices', ptr, `choose at least ${Math.max(1, r.minChoices)} idea(s)`);
  if (r.method === 'approval') {
    if (chosen.length > r.maxChoices)
      throw bad('too-many-choices', ptr, `choose at most ${r.maxChoices} ideas (got ${chosen.length})`);
    return;
  }
  // Knapsack: within each district's budget (and spending at least the minimum share, if set).
  const byDistrict = new Map<number, number>();
  for (const c of chosen)
    byDistrict.set(c.districtId ?? 0, (byDistrict.get(c.districtId ?? 0) ?? 0) + (c.costCents ?? 0));
  for (const [id, spent] of byDistrict) {
    const d = r.districts.find((x) => x.id === id);
    if (!d) continue;
    if (spent > d.budgetCents)
      throw bad(
        'over-budget',
        ptr,
        `the chosen ideas cost ${fmtEur(spent)}, more than the budget of ${d.name} (${fmtEur(d.budgetCents)})`,
      );
    if (r.minSpentPercent > 0 && spent * 100 < d.budgetCents * r.minSpentPercent) {
      throw bad(
        'under-minimum-spend',
        ptr,
        `the chosen ideas must use at least ${r.minSpentPercent}% of the budget of ${d.name} (${fmtEur(Math.ceil((d.budgetCents * r.minSpentPercent) / 100))}); they cost ${fmtEur(spent)}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Participatory budget: the greedy rule and the Method of Equal Shares

export interface Project {
  id: number;
  costCents: number;
  districtId: number;
  /** Votes (approval, knapsack) or points (cumulative, scoring, ordinal). */
  score: number;
  /** Voters who chose the project. */
  supporters: number;
}

/** A counted ballot as the counting rules read it (from the ballot box, in memory). */
export interface BudgetBallot {
  selections: readonly number[];
  weights: readonly number[] | null;
}

/**
 * Why a project was or was not funded, for people to follow (API, page, CSV). Greedy: its
 * place in the order and the money left at its turn. Equal shares: the round in which it was
 * bought, what one supporter (approval) or one point (cumulative) paid, and what its supporters
 * still had — or, if it was not bought, what they had when it fell out of reach.
 */
export interface Explanation {
  rule: 'greedy' | 'equal-shares';
  funded: boolean;
  reason:
    | 'funded'
    | 'completion'
    | 'pooled'
    | 'did-not-fit'
    | 'after-stop'
    | 'supporters-short'
    | 'no-support'
    | 'below-min-support'
    | 'district-invalid';
  /** Greedy: place in the order (1 = first); equal shares' completion: place in its greedy order. */
  place: number | null;
  /** The money left when its turn came (greedy, completion, pool). */
  moneyLeftCents: number | null;
  /** Equal shares: the round it was bought in (funded), or in which its supporters' money fell short. */
  round: number | null;
  /** Equal shares: what one supporter (approval) or one point (points ballots) paid. */
  pricePerUnitCents: number | null;
  maxPaymentCents: number | null;
  /** Equal shares: what its supporters still had (before paying, or when it fell out of reach). */
  supportersHadCents: number | null;
  payers: number | null;
  paidAllTheyHad: number | null;
}

export interface EqualSharesSummary {
  districtId: number;
  voters: number;
  /** Each voter's share: the budget divided equally, and after the add-one completion's raises. */
  baseShareCents: number;
  shareCents: number;
  steps: number;
  stepLimitReached: boolean;
  utility: 'cost' | 'cardinality';
  completion: 'add1' | 'none';
}

export interface BudgetOutcome {
  winners: { id: number; districtId: number; costCents: number; pooled: boolean }[];
  districts: {
    id: number;
    budgetCents: number;
    spentCents: number;
    voters: number;
    minVoters: number;
    valid: boolean;
  }[];
  pool: { amountCents: number; spentCents: number } | null;
  /** The order in which projects were considered (the tie rule applied). */
  order: number[];
  explanations: Map<number, Explanation>;
  equalShares: EqualSharesSummary[] | null;
}

/**
 * The tie rule: more votes (points) first; equal votes: the cheaper project first (so more
 * projects are funded); equal cost too: the lower project number (earlier submission) first.
 */
export function greedyOrder(a: Project, b: Project): number {
  return b.score - a.score || a.costCents - b.costCents || a.id - b.id;
}

const blank = (rule: Explanation['rule'], funded: boolean, reason: Explanation['reason']): Explanation => ({
  rule,
  funded,
  reason,
  place: null,
  moneyLeftCents: null,
  round: null,
  pricePerUnitCents: null,
  maxPaymentCents: null,
  supportersHadCents: null,
  payers: null,
  paidAllTheyHad: null,
});

function greedyFill(
  candidates: Project[],
  budget: number,
  variant: 'skip' | 'stop',
  explain: (p: Project, e: { funded: boolean; place: number; moneyLeftCents: number; stopped: boolean }) => void,
): { chosen: Project[]; spent: number } {
  const chosen: Project[] = [];
  let spent = 0;
  let stopped = false;
  candidates.forEach((p, i) => {
    const fits = !stopped && spent + p.costCents <= budget;
    explain(p, { funded: fits, place: i + 1, moneyLeftCents: budget - spent, stopped });
    if (fits) {
      chosen.push(p);
      spent += p.costCents;
    } else if (variant === 'stop') stopped = true;
  });
  return { chosen, spent };
}

/**
 * Winners of a participatory budget, district by district. Greedy rule: projects in the tie
 * rule's order; with 'skip' a project that no longer fits the district's remaining money is
 * passed over and the next one considered, with 'stop' funding ends at the first project that
 * does not fit. Equal shares (`rule: 'equal-shares'`, needs the ballots): the district's budget
 * is divided among the voters who voted for any of its projects (with one district for the whole
 * municipality: every voter), see ./equalShares. Either way projects nobody supports, or below the
 * minimum support, never win; a district with fewer voters than its minimum gets no winners (its
 * result does not count); with pooling, the money left over in all districts (and the whole
 * budget of districts whose result does not count) funds the best remaining projects of counting
 * districts, city-wide, by the greedy rule.
 */
export function selectBudgetWinners(
  projects: Project[],
  districts: (District & { voters: number })[],
  rules: Pick<BudgetRules, 'greedy' | 'minSupport' | 'pooling'> &
    Partial<Pick<BudgetRules, 'rule' | 'utility' | 'completion'>>,
  ballots?: readonly BudgetBallot[],
): BudgetOutcome {
  const rule = rules.rule ?? 'greedy';
  if (rule === 'equal-shares' && !ballots) throw new Error('equal shares counts the ballots themselves');
  const ordered = [...projects].sort(greedyOrder);
  const minSupport = Math.max(1, rules.minSupport);
  const eligible = ordered.filter((p) => p.supporters >= minSupport);
  const explanations = new Map<number, Explanation>();
  for (const p of ordered)
    if (p.supporters < minSupport)
      explanations.set(p.id, blank(rule, false, p.supporters === 0 ? 'no-support' : 'below-min-support'));
  const winners: BudgetOutcome['winners'] = [];
  const outDistricts: BudgetOutcome['districts'] = [];
  const summaries: EqualSharesSummary[] = [];
  let left = 0;
  const fundedIds = new Set<number>();
  const validIds = new Set<number>();
  for (const d of districts) {
    const valid = d.voters >= d.minVoters;
    let spent = 0;
    const mine = eligible.filter((p) => p.districtId === d.id);
    if (!valid) for (const p of mine) explanations.set(p.id, blank(rule, false, 'district-invalid'));
    else if (rule === 'greedy') {
      validIds.add(d.id);
      const res = greedyFill(mine, d.budgetCents, rules.greedy, (p, e) =>
        explanations.set(p.id, {
          ...blank('greedy', e.funded, e.funded ? 'funded' : e.stopped ? 'after-stop' : 'did-not-fit'),
          place: e.place,
          moneyLeftCents: e.moneyLeftCents,
        }),
      );
      spent = res.spent;
      for (const p of res.chosen) {
        winners.push({ id: p.id, districtId: d.id, costCents: p.costCents, pooled: false });
        fundedIds.add(p.id);
      }
    } else {
      validIds.add(d.id);
      const ids = new Set(projects.filter((p) => p.districtId === d.id).map((p) => p.id));
      const whole = districts.length === 1 && d.settlementCodes.length === 0;
      const own: BudgetBallot[] = [];
      for (const b of ballots!) {
        if (whole) {
          own.push(b);
          continue;
        }
        const k = b.selections.flatMap((s, i) => (ids.has(s) ? [i] : []));
        if (k.length)
          own.push({
            selections: k.map((i) => b.selections[i]!),
            weights: b.weights ? k.map((i) => b.weights![i]!) : null,
          });
      }
      const r = equalShares(
        projects
          .filter((p) => p.districtId === d.id)
          .map((p) => ({ id: p.id, costCents: p.costCents, votes: p.supporters, score: p.score })),
        own,
        {
          budgetCents: d.budgetCents,
          utility: rules.utility ?? 'cost',
          completion: rules.completion ?? 'add1',
          minSupport: rules.minSupport,
        },
      );
      summaries.push({
        districtId: d.id,
        voters: r.voters,
        baseShareCents: own.length ? Q.round(Q.q(d.budgetCents, own.length)) : 0,
        shareCents: Q.round(r.share),
        steps: r.steps,
        stepLimitReached: r.stepLimitReached,
        utility: rules.utility ?? 'cost',
        completion: rules.completion ?? 'add1',
      });
      for (const [id, e] of r.explanations) explanations.set(id, fromEqualShares(e));
      spent = r.spentCents;
      const cost = new Map(mine.map((p) => [p.id, p.costCents]));
      for (const id of r.winners) {
        winners.push({ id, districtId: d.id, costCents: cost.get(id)!, pooled: false });
        fundedIds.add(id);
      }
    }
    left += d.budgetCents - spent;
    outDistricts.push({
      id: d.id,
      budgetCents: d.budgetCents,
      spentCents: spent,
      voters: d.voters,
      minVoters: d.minVoters,
      valid,
    });
  }
  let pool: BudgetOutcome['pool'] = null;
  if (rules.pooling) {
    const rest = eligible.filter((p) => !fundedIds.has(p.id) && validIds.has(p.districtId));
    const res = greedyFill(rest, left, rules.greedy, (p, e) => {
      if (e.funded)
        explanations.set(p.id, {
          ...(explanations.get(p.id) ?? blank(rule, true, 'pooled')),
          funded: true,
          reason: 'pooled',
          place: e.place,
          moneyLeftCents: e.moneyLeftCents,
        });
    });
    for (const p of res.chosen)
      winners.push({ id: p.id, districtId: p.districtId, costCents: p.costCents, pooled: true });
    pool = { amountCents: left, spentCents: res.spent };
  }
  return {
    winners,
    districts: outDistricts,
    pool,
    order: ordered.map((p) => p.id),
    explanations,
    equalShares: rule === 'equal-shares' ? summaries : null,
  };
}

function fromEqualShares(e: EsExplanation): Explanation {
  const cents = (x: Q.Q | null) => (x === null ? null : Q.round(x));
  if (e.status === 'funded' && e.phase === 'equal-shares')
    return {
      ...blank('equal-shares', true, 'funded'),
      round: e.round,
      pricePerUnitCents: cents(e.pricePerUnit),
      maxPaymentCents: cents(e.maxPayment),
      supportersHadCents: cents(e.supportersHad),
      payers: e.payers,
      paidAllTheyHad: e.paidAllTheyHad,
    };
  if (e.status === 'funded')
    return { ...blank('equal-shares', true, 'completion'), place: e.place, moneyLeftCents: cents(e.moneyLeft) };
  return {
    ...blank('equal-shares', false, e.reason),
    round: e.round,
    supportersHadCents: cents(e.supportersHad),
    moneyLeftCents: cents(e.moneyLeft),
  };
}

/** What the other counting rules would fund with the same ballots (officials compare before publishing). */
export interface RuleComparison {
  rule: 'greedy' | 'equal-shares';
  greedy: 'skip' | 'stop';
  utility: 'cost' | 'cardinality';
  /** The vote's own rule. */
  current: boolean;
  winners: number[];
  spentCents: number;
  /** Share of the voters (0–100) with at least one funded project among their choices. */
  votersWithFundedPercent: number;
  /** Against the vote's own rule: projects this rule funds in addition, and the ones it does not fund. */
  added: number[];
  removed: number[];
}

export const COUNTING_VARIANTS: Pick<RuleComparison, 'rule' | 'greedy' | 'utility'>[] = [
  { rule: 'greedy', greedy: 'skip', utility: 'cost' },
  { rule: 'greedy', greedy: 'stop', utility: 'cost' },
  { rule: 'equal-shares', greedy: 'skip', utility: 'cost' },
  { rule: 'equal-shares', greedy: 'skip', utility: 'cardinality' },
];

export function compareRules(
  projects: Project[],
  districts: (District & { voters: number })[],
  rules: BudgetRules,
  ballots: readonly BudgetBallot[],
): RuleComparison[] {
  const isCurrent = (v: (typeof COUNTING_VARIANTS)[number]) =>
    v.rule === rules.rule && (v.rule === 'greedy' ? v.greedy === rules.greedy : v.utility === rules.utility);
  const variants = COUNTING_VARIANTS.some(isCurrent)
    ? COUNTING_VARIANTS
    : [{ rule: rules.rule, greedy: rules.greedy, utility: rules.utility }, ...COUNTING_VARIANTS];
  const outcomes = variants.map((v) => {
    const o = selectBudgetWinners(projects, districts, { ...rules, ...v }, ballots);
    return { v, ids: o.winners.map((w) => w.id), spent: o.winners.reduce((a, w) => a + w.costCents, 0) };
  });
  const mine = outcomes.find((o) => isCurrent(o.v))!;
  const mineSet = new Set(mine.ids);
  return outcomes.map(({ v, ids, spent }) => {
    const set = new Set(ids);
    let happy = 0;
    for (const b of ballots) if (b.selections.some((s) => set.has(s))) happy++;
    return {
      ...v,
      current: isCurrent(v),
      winners: ids,
      spentCents: spent,
      votersWithFundedPercent: ballots.length ? Math.round((happy / ballots.length) * 10000) / 100 : 0,
      added: ids.filter((id) => !mineSet.has(id)),
      removed: mine.ids.filter((id) => !set.has(id)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Village elder

export interface ElderOutcome {
  status: 'elected' | 'turnout-too-low' | 'tie-runoff' | 'no-votes';
  winnerChoiceId: number | null;
  /** How a tie was broken, if there was one. */
  tie: { choiceIds: number[]; rule: ElderRules['tieRule']; detail: string } | null;
  turnoutPercent: number | null;
}

/**
 * The elected elder: the candidate with most votes, if turnout reached the minimum. A tie is
 * broken by the configured rule: 'lot' draws from the tied candidates with a seed everyone can
 * recompute (SHA-256 of the sorted published receipt codes), 'oldest' elects the oldest, and
 * 'runoff' elects nobody (a new vote is needed).
 */
export function electElder(
  counts: { choiceId: number; votes: number; birthDate: string | null }[],
  voters: number,
  electorateSize: number | null,
  rules: ElderRules,
  receipts: string[],
): ElderOutcome {
  const turnoutPercent = electorateSize ? Math.round((voters / electorateSize) * 10000) / 100 : null;
  if (rules.minTurnoutPercent > 0 && (turnoutPercent ?? 0) < rules.minTurnoutPercent)
    return { status: 'turnout-too-low', winnerChoiceId: null, tie: null, turnoutPercent };
  const best = Math.max(0, ...counts.map((c) => c.votes));
  if (best === 0) return { status: 'no-votes', winnerChoiceId: null, tie: null, turnoutPercent };
  const top = counts.filter((c) => c.votes === best).sort((a, b) => a.choiceId - b.choiceId);
  if (top.length === 1) return { status: 'elected', winnerChoiceId: top[0]!.choiceId, tie: null, turnoutPercent };
  const ids = top.map((c) => c.choiceId);
  if (rules.tieRule === 'runoff')
    return {
      status: 'tie-runoff',
      winnerChoiceId: null,
      tie: { choiceIds: ids, rule: 'runoff', detail: 'tie: a new vote between the tied candidates is needed' },
      turnoutPercent,
    };
  if (rules.tieRule === 'oldest') {
    const oldest = [...top].sort(
      (a, b) => String(a.birthDate).localeCompare(String(b.birthDate)) || a.choiceId - b.choiceId,
    )[0]!;
    return {
      status: 'elected',
      winnerChoiceId: oldest.choiceId,
      tie: { choiceIds: ids, rule: 'oldest', detail: 'tie broken in favour of the oldest candidate' },
      turnoutPercent,
    };
  }
  const seed = createHash('sha256')
    .update([...receipts].sort().join('\n'))
    .digest();
  const index = seed.readUInt32BE(0) % top.length;
  return {
    status: 'elected',
    winnerChoiceId: ids[index]!,
    tie: {
      choiceIds: ids,
      rule: 'lot',
      detail: `tie broken by lot: SHA-256 of the sorted receipt list (${seed.toString('hex').slice(0, 16)}…), first 4 bytes mod ${top.length} = ${index}`,
    },
    turnoutPercent,
  };
}
