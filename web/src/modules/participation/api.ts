import type { Translations } from '../../components/LocalText';

/** Types of the participation API as the pages use them (see src/modules/participation/schemas.ts). */
export type VoteKind = 'poll' | 'elder' | 'budget';
export type Phase = 'draft' | 'proposals' | 'review' | 'scheduled' | 'open' | 'closed' | 'published';

export interface Choice {
  id: number;
  label: string;
  blank?: boolean;
  code?: 'yes' | 'no' | 'blank';
  ideaId?: string;
  costCents?: number;
  districtId?: number;
  candidateId?: string;
  translations?: Translations<'label'>;
}

export interface Question {
  id: number;
  text: string;
  kind: 'single' | 'multiple' | 'yesno';
  minChoices: number;
  maxChoices: number;
  choices: Choice[];
  translations?: Translations<'text'>;
}

export interface District {
  id: number;
  name: string;
  budgetCents: number;
  settlementCodes: string[];
  minVoters: number;
}

export interface BudgetRules {
  method: 'approval' | 'knapsack' | 'cumulative' | 'scoring' | 'ordinal';
  maxChoices: number;
  minChoices: number;
  ownDistrictOnly: boolean;
  minSpentPercent: number;
  points: number;
  maxPointsPerIdea: number;
  rule?: 'greedy' | 'equal-shares';
  greedy: 'skip' | 'stop';
  utility?: 'cost' | 'cardinality';
  completion?: 'add1' | 'none';
  minSupport: number;
  pooling: boolean;
  districts: District[];
}

/** The counting rules an official chooses from (wizard, Pabulib import), as one choice. */
export const COUNTINGS = ['greedy-skip', 'greedy-stop', 'es-cost', 'es-cardinality'] as const;
export type Counting = (typeof COUNTINGS)[number];

export function countingOf(r: { rule?: string | null; greedy?: string; utility?: string }): Counting {
  if (r.rule === 'equal-shares') return r.utility === 'cardinality' ? 'es-cardinality' : 'es-cost';
  return r.greedy === 'stop' ? 'greedy-stop' : 'greedy-skip';
}

export function countingRules(c: Counting): Pick<BudgetRules, 'rule' | 'greedy' | 'utility'> {
  if (c === 'es-cost' || c === 'es-cardinality')
    return { rule: 'equal-shares', greedy: 'skip', utility: c === 'es-cost' ? 'cost' : 'cardinality' };
  return { rule: 'greedy', greedy: c === 'greedy-stop' ? 'stop' : 'skip', utility: 'cost' };
}

export interface ElderRules {
  minTurnoutPercent: number;
  tieRule: 'lot' | 'oldest' | 'runoff';
  candidateMinAge: number;
}

export interface Vote {
  id: string;
  municipalityCode: string;
  kind: VoteKind;
  title: string;
  description: string;
  translations: Translations<'title' | 'description'>;
  status: Phase;
  phase: Phase;
  proposalsCloseAt: string | null;
  opensAt: string;
  closesAt: string;
  openedAt: string | null;
  closedAt: string | null;
  publishedAt: string | null;
  electorateId: string | null;
  electorateSize: number | null;
  ballot: { questions: Question[] };
  rules: { budget?: BudgetRules; elder?: ElderRules };
  imported: boolean;
  createdAt: string;
  updatedAt: string;
}

export type MyVote = Omit<Vote, 'ballot' | 'rules'> & { voted: boolean; channel: 'internet' | 'paper' | null };

export interface MyStatus {
  vote: Vote;
  eligible: boolean;
  reason: string | null;
  settlementCode: string | null;
  voted: boolean;
  channel: 'internet' | 'paper' | null;
  firstVotedAt: string | null;
}

export interface Answer {
  questionId: number;
  choiceIds: number[];
  points?: number[];
}

export interface CastResult {
  receipt: string;
  replaced: boolean;
  voteId: string;
}

export interface Idea {
  id: string;
  voteId: string;
  number: number;
  title: string;
  description: string;
  translations: Translations<'title' | 'description'>;
  settlementCode: string | null;
  districtId: number | null;
  location: { lat: number; lon: number } | null;
  estimatedCostCents: number | null;
  finalCostCents: number | null;
  status: 'submitted' | 'feasible' | 'infeasible' | 'merged' | 'withdrawn';
  reviewReason: string | null;
  mergedInto: string | null;
  photoIds: string[];
  implementationStatus: 'not_started' | 'planning' | 'in_progress' | 'done' | 'cancelled';
  implementationNote: string | null;
  submittedAt: string;
  mine?: boolean;
}

export interface Candidate {
  id: string;
  number: number;
  name: string;
  statement: string;
  translations: Translations<'statement'>;
  status: 'nominated' | 'approved' | 'rejected' | 'withdrawn';
  consented: boolean;
  reviewReason: string | null;
  isMe?: boolean;
}

export interface Turnout {
  voters: number;
  internet: number;
  paper: number;
  electorateSize: number | null;
  percent: number | null;
  bySettlement: { settlementCode: string | null; name: string | null; voters: number }[];
}

/** Officials: how long the sealed ballots are kept after the final results. */
export interface Sealing {
  retentionDays: number;
  finalAt: string | null;
  destroyAfter: string | null;
  destroyedAt: string | null;
}

export interface ChoiceResult {
  id: number;
  label: string;
  code?: 'yes' | 'no' | 'blank';
  votes: number;
  points: number;
  percent: number;
  costCents?: number;
  districtId?: number;
  selected?: boolean;
  pooled?: boolean;
  /** Budgets: why the idea was or was not funded. */
  explanation?: Explanation;
}

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
  place: number | null;
  moneyLeftCents: number | null;
  round: number | null;
  pricePerUnitCents: number | null;
  maxPaymentCents: number | null;
  supportersHadCents: number | null;
  payers: number | null;
  paidAllTheyHad: number | null;
}

export interface RuleComparison {
  voteId: string;
  ballots: number;
  variants: {
    rule: 'greedy' | 'equal-shares';
    greedy: 'skip' | 'stop';
    utility: 'cost' | 'cardinality';
    current: boolean;
    winners: number[];
    spentCents: number;
    votersWithFundedPercent: number;
    added: number[];
    removed: number[];
  }[];
}

export interface PbImportReport {
  imported: boolean;
  voteId: string | null;
  title: string;
  projects: number;
  votes: number;
  budgetCents: number;
  voteType: string;
  fileRule: string | null;
  counting: { rule: 'greedy' | 'equal-shares'; greedy: 'skip' | 'stop'; utility: 'cost' | 'cardinality' };
  countingNote: string | null;
  issues: { line: number; severity: 'error' | 'warning'; message: string }[];
  errors: number;
  warnings: number;
  winners: string[];
  matchesFileSelection: boolean | null;
  differences: string[];
  unsupported: string[];
}

export interface Results {
  status: 'closed' | 'published';
  publishedAt: string | null;
  voteId: string;
  kind: VoteKind;
  ballots: number;
  byChannel: { internet: number; paper: number; import: number };
  turnout: Turnout;
  questions: { id: number; text: string; kind: string; choices: ChoiceResult[] }[];
  elder?: {
    status: 'elected' | 'turnout-too-low' | 'tie-runoff' | 'no-votes';
    winnerChoiceId: number | null;
    tie: { choiceIds: number[]; rule: string; detail: string } | null;
    turnoutPercent: number | null;
  };
  budget?: {
    method: string;
    rule?: 'greedy' | 'equal-shares';
    greedy: string;
    utility?: 'cost' | 'cardinality';
    completion?: 'add1' | 'none';
    equalShares?:
      | {
          districtId: number;
          voters: number;
          baseShareCents: number;
          shareCents: number;
          steps: number;
          stepLimitReached: boolean;
        }[]
      | null;
    winners: { id: number; districtId: number; costCents: number; pooled: boolean }[];
    districts: {
      id: number;
      name: string;
      budgetCents: number;
      spentCents: number;
      voters: number;
      minVoters: number;
      valid: boolean;
    }[];
    pool: { amountCents: number; spentCents: number } | null;
  };
}

export interface ElectoratePreview {
  total: number;
  byBasis: { residence: number; includeList: number };
  excluded: number;
  bySettlement: { code: string | null; name: string | null; count: number }[];
  referenceDate: string;
  dataAsOf: string | null;
}

export interface Place {
  code: string;
  name: string;
  kind?: string;
}

export const votesApi = (code: string) => `/api/v1/municipalities/${code}/votes`;
export const voteApi = (code: string, id: string) => `${votesApi(code)}/${id}`;
export const votePath = (code: string, id: string) => `/haaletused/${code}/${id}`;
