/**
 * What the participation API answers, for the web app (which may import `contract.ts` files):
 * the types of the response schemas the routes declare (schemas.ts; results: resultSchemas.ts),
 * so a page reads the fields the server writes and a renamed field fails the web app's type check.
 */
import type { Static } from 'typebox';
import type * as S from './schemas';
import type * as R from './resultSchemas';

export type Vote = Static<typeof S.VoteSchema>;
export type VoteKind = Vote['kind'];
export type Phase = Vote['phase'];
export type Question = Static<typeof S.QuestionSchema>;
export type Choice = Static<typeof S.ChoiceSchema>;
export type VoteRules = Static<typeof S.VoteRulesSchema>;
export type BudgetRules = Static<typeof S.BudgetRulesSchema>;
export type ElderRules = Static<typeof S.ElderRulesSchema>;
export type District = Static<typeof S.DistrictSchema>;
export type MyVote = Static<typeof S.MyVoteSchema>;
export type MyStatus = Static<typeof S.MyVoteStatusSchema>;
export type CastResult = Static<typeof S.CastResult>;
export type Answer = Static<typeof S.BallotInput>['answers'][number];
export type Idea = Static<typeof S.IdeaSchema>;
export type Candidate = Static<typeof S.CandidateSchema>;
export type Turnout = Static<typeof S.TurnoutSchema>;
export type Sealing = Static<typeof S.SealingSchema>;
export type RuleComparison = Static<typeof S.RuleComparisonSchema>;
export type PbImportReport = Static<typeof S.PbImportReportSchema>;

export type Results = Static<typeof R.ResultsSchema>;
export type ChoiceResult = Static<typeof R.ChoiceResultSchema>;
export type Explanation = Static<typeof R.ExplanationSchema>;
