/**
 * What the council API answers, for the web app (which may import `contract.ts` files): the types
 * of the response schemas the routes declare (schemas.ts, liveSchemas.ts, archiveSchemas.ts).
 */
import type { Static } from 'typebox';
import type * as S from './schemas';
import type * as L from './liveSchemas';
import type * as A from './archiveSchemas';

export type Rule = Static<typeof S.RuleSchema>;
export type Member = Static<typeof S.MemberSchema>;
export type Council = Static<typeof S.CouncilSchema>;
export type SittingSummary = Static<typeof S.SittingSummary>;
export type Item = Static<typeof S.ItemSchema>;
export type SittingDetail = Static<typeof S.SittingDetail>;
export type VoteProgress = Static<typeof L.VoteProgressSchema>;
export type LiveState = Static<typeof L.LiveStateSchema>;
export type Attendance = Static<typeof L.AttendanceSchema>;
export type RosterEntry = Static<typeof L.RosterEntrySchema>;
export type AgendaEntry = Static<typeof L.AgendaEntrySchema>;
export type RecordKind = Static<typeof L.RecordKindSchema>;
export type VoteResult = Static<typeof L.VoteResultSchema>;
export type Snapshot = Static<typeof L.SnapshotSchema>;
export type MyPlace = Static<typeof L.MyPlaceSchema>;
export type ClosedVote = Static<typeof L.ClosedVoteSchema>;
export type MinutesStatus = Static<typeof S.MinutesStatusSchema>;
export type Decision = Static<typeof A.DecisionSchema>;
export type Decisions = Static<typeof A.DecisionsSchema>;
export type VotingRecord = Static<typeof A.VotingRecordSchema>;
export type VotingRecords = Static<typeof A.VotingRecordsSchema>;
