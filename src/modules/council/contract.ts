/**
 * What the council API answers, for the web app (which may import `contract.ts` files): the types
 * of the response schemas the routes declare (schemas.ts).
 */
import type { Static } from 'typebox';
import type * as S from './schemas';

export type Rule = Static<typeof S.RuleSchema>;
export type Member = Static<typeof S.MemberSchema>;
export type Council = Static<typeof S.CouncilSchema>;
export type SittingSummary = Static<typeof S.SittingSummary>;
export type Item = Static<typeof S.ItemSchema>;
export type SittingDetail = Static<typeof S.SittingDetail>;
