import type { Translations } from '../../components/LocalText';
export type { ChoiceResult, Explanation, Results } from '../../../../src/modules/participation/contract';

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
