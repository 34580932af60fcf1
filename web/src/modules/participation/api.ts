/** Types of the participation API: `Static<>` of the server's response schemas (its contract.ts). */
import type { BudgetRules } from '../../../../src/modules/participation/contract';
export type {
  Answer,
  BudgetRules,
  Candidate,
  CastResult,
  Choice,
  ChoiceResult,
  District,
  ElderRules,
  Explanation,
  Idea,
  MyStatus,
  MyVote,
  PbImportReport,
  Phase,
  Question,
  Results,
  RuleComparison,
  Sealing,
  Turnout,
  Vote,
  VoteKind,
} from '../../../../src/modules/participation/contract';

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
