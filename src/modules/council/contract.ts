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
export type VoteProgress = Static<typeof S.VoteProgressSchema>;
export type LiveState = Static<typeof S.LiveStateSchema>;
export type Attendance = Static<typeof S.AttendanceSchema>;
export type RosterEntry = Static<typeof S.RosterEntrySchema>;
export type AgendaEntry = Static<typeof S.AgendaEntrySchema>;
export type RecordKind = Static<typeof S.RecordKindSchema>;
export type VoteResult = Static<typeof S.VoteResultSchema>;
export type Snapshot = Static<typeof S.SnapshotSchema>;
export type MyPlace = Static<typeof S.MyPlaceSchema>;
export type ClosedVote = Static<typeof S.ClosedVoteSchema>;
export type MinutesStatus = Static<typeof S.MinutesStatusSchema>;
