import { createHash } from 'node:crypto';
import { Problem, defineProblem, type FieldError } from '../../platform/http/problems';

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
}

export interface Question {
  id: number;
  text: string;
  kind: QuestionKind;
  minChoices: number;
  maxChoices: number;
  choices: Choice[];
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
  method: 'approval' | 'knapsack' | 'cumulative';
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
  /** Greedy variant: 'skip' an idea that does not fit and go on (Pabulib), or 'stop' at the first that does not fit. */
  greedy: 'skip' | 'stop';
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
  greedy: 'skip',
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
// Participatory budget: the greedy rule

export interface Project {
  id: number;
  costCents: number;
  districtId: number;
  /** Votes (approval, knapsack) or points (cumulative). */
  score: number;
  /** Voters who chose the project. */
  supporters: number;
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
}

/**
 * The tie rule: more votes (points) first; equal votes: the cheaper project first (so more
 * projects are funded); equal cost too: the lower project number (earlier submission) first.
 */
export function greedyOrder(a: Project, b: Project): number {
  return b.score - a.score || a.costCents - b.costCents || a.id - b.id;
}

function greedyFill(
  candidates: Project[],
  budget: number,
  variant: 'skip' | 'stop',
): { chosen: Project[]; spent: number } {
  const chosen: Project[] = [];
  let spent = 0;
  for (const p of candidates) {
    if (spent + p.costCents <= budget) {
      chosen.push(p);
      spent += p.costCents;
    } else if (variant === 'stop') break;
  }
  return { chosen, spent };
}

/**
 * Winners of a participatory budget by the greedy rule, district by district: projects in the
 * tie rule's order; projects below the minimum support never win; with 'skip' a project that no
 * longer fits the district's remaining money is passed over and the next one considered, with
 * 'stop' funding ends at the first project that does not fit. A district with fewer voters than
 * its minimum gets no winners (its result does not count). With pooling, the money left over in
 * all districts (and the whole budget of districts whose result does not count) funds the best
 * remaining projects of counting districts, city-wide, by the same rule.
 */
export function selectBudgetWinners(
  projects: Project[],
  districts: (District & { voters: number })[],
  rules: Pick<BudgetRules, 'greedy' | 'minSupport' | 'pooling'>,
): BudgetOutcome {
  const ordered = [...projects].sort(greedyOrder);
  const eligible = ordered.filter((p) => p.supporters >= Math.max(1, rules.minSupport));
  const winners: BudgetOutcome['winners'] = [];
  const outDistricts: BudgetOutcome['districts'] = [];
  let left = 0;
  const fundedIds = new Set<number>();
  const validIds = new Set<number>();
  for (const d of districts) {
    const valid = d.voters >= d.minVoters;
    let spent = 0;
    if (valid) {
      validIds.add(d.id);
      const res = greedyFill(
        eligible.filter((p) => p.districtId === d.id),
        d.budgetCents,
        rules.greedy,
      );
      spent = res.spent;
      for (const p of res.chosen) {
        winners.push({ id: p.id, districtId: d.id, costCents: p.costCents, pooled: false });
        fundedIds.add(p.id);
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
    const res = greedyFill(rest, left, rules.greedy);
    for (const p of res.chosen)
      winners.push({ id: p.id, districtId: p.districtId, costCents: p.costCents, pooled: true });
    pool = { amountCents: left, spentCents: res.spent };
  }
  return { winners, districts: outDistricts, pool, order: ordered.map((p) => p.id) };
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
