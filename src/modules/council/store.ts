import { sql, type ColumnType, type Generated } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { RequiredTimestamp, Timestamp } from '../../platform/db/tables';

/** Kysely types of the council's tables (migrations 0300–0349). */
type Default<T> = ColumnType<T, T | undefined, T>;

export interface CouncilTable {
  municipality_code: string;
  id: Generated<string>;
  name: string;
  seats: number;
  term_start: string;
  term_end: string | null;
  quorum_num: Default<number>;
  quorum_den: Default<number>;
  /** Days before a sitting its convocation must reach the members (the council's rules; migration 0802). */
  notice_days: Default<number>;
  created_at: Generated<Date>;
}

export interface CouncilFactionTable {
  municipality_code: string;
  id: Generated<string>;
  council_id: string;
  name: string;
}

export type MemberKind = 'elected' | 'substitute';
export type MemberStatus = 'active' | 'suspended' | 'waiting' | 'ended';
export type Office = 'chair' | 'vice_chair';

export interface CouncilMemberTable {
  municipality_code: string;
  id: Generated<string>;
  council_id: string;
  person_id: string;
  kind: MemberKind;
  faction_id: string | null;
  list_position: number | null;
  status: MemberStatus;
  replaces_member_id: string | null;
  office: Office | null;
  created_at: Generated<Date>;
}

export type SittingFormat = 'in_person' | 'virtual' | 'hybrid';
export type SittingStatus = 'draft' | 'published' | 'open' | 'closed' | 'cancelled';

export interface CouncilSittingTable {
  municipality_code: string;
  id: Generated<string>;
  council_id: string;
  number: number;
  title: string;
  format: SittingFormat;
  starts_at: RequiredTimestamp;
  place: string | null;
  link: string | null;
  status: Default<SittingStatus>;
  presiding_member_id: string | null;
  secretary_id: string | null;
  current_item_id: string | null;
  opened_at: Timestamp | null;
  closed_at: Timestamp | null;
  published_at: Timestamp | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type ItemKind = 'decision' | 'election';
export type MajorityKind = 'cast' | 'composition' | 'qualified';
export type QualifiedBase = 'composition' | 'cast';

export interface CouncilAgendaItemTable {
  municipality_code: string;
  id: Generated<string>;
  sitting_id: string;
  position: number;
  title: string;
  description: Default<string>;
  draft_decision: Default<string>;
  rapporteur: Default<string>;
  kind: ItemKind;
  is_public: Default<boolean>;
  majority: MajorityKind;
  qualified_num: number | null;
  qualified_den: number | null;
  qualified_base: QualifiedBase | null;
  withdrawn: Default<boolean>;
  minutes_note: Default<string>;
  created_at: Generated<Date>;
}

export interface CouncilCandidateTable {
  municipality_code: string;
  id: Generated<string>;
  item_id: string;
  position: number;
  name: string;
  person_id: string | null;
}

export interface CouncilDocumentTable {
  municipality_code: string;
  id: Generated<string>;
  item_id: string;
  file_id: string;
  title: string;
  is_public: Default<boolean>;
  uploaded_by: string | null;
  uploaded_at: Generated<Date>;
}

export interface CouncilAgendaChangeTable {
  municipality_code: string;
  seq: Generated<number>;
  sitting_id: string;
  item_id: string | null;
  action: string;
  details: ColumnType<Record<string, unknown>, string, string>;
  after_publication: boolean;
  actor_id: string | null;
  at: Generated<Date>;
}

export type AttendanceMode = 'room' | 'online';

export interface CouncilAttendanceTable {
  municipality_code: string;
  sitting_id: string;
  member_id: string;
  present: boolean;
  mode: AttendanceMode;
  since: Timestamp;
}

export interface CouncilAttendanceLogTable {
  municipality_code: string;
  seq: Generated<number>;
  sitting_id: string;
  member_id: string;
  present: boolean;
  mode: AttendanceMode;
  actor_id: string | null;
  at: Generated<Date>;
}

export interface CouncilRecusalTable {
  municipality_code: string;
  item_id: string;
  member_id: string;
  reason: Default<string>;
  declared_by: string | null;
  declared_at: Generated<Date>;
}

export type VoteKind = 'open' | 'secret';
export type VoteStatus = 'open' | 'closed';
export type Outcome = 'adopted' | 'rejected' | 'elected' | 'not_elected';
export type OpenChoice = 'for' | 'against' | 'abstain';

export interface CouncilVoteTable {
  municipality_code: string;
  id: Generated<string>;
  sitting_id: string;
  item_id: string;
  number: number;
  kind: VoteKind;
  question: string;
  majority: MajorityKind;
  qualified_num: number | null;
  qualified_den: number | null;
  qualified_base: QualifiedBase | null;
  seats: number;
  present_at_start: number;
  status: Default<VoteStatus>;
  opened_by: string | null;
  opened_at: Generated<Date>;
  closed_by: string | null;
  closed_at: Timestamp | null;
  votes_for: number | null;
  votes_against: number | null;
  votes_abstain: number | null;
  not_voted: number | null;
  recused: number | null;
  absent: number | null;
  outcome: Outcome | null;
  elected_candidate_id: string | null;
  ballot_box_id: string | null;
}

export interface CouncilVoteCandidateTable {
  municipality_code: string;
  vote_id: string;
  candidate_id: string;
  votes: number | null;
}

export interface CouncilOpenBallotTable {
  municipality_code: string;
  vote_id: string;
  member_id: string;
  choice: OpenChoice;
  changes: Default<number>;
  cast_at: Timestamp;
}

export type RecordKind = 'for' | 'against' | 'abstain' | 'took_part' | 'not_voted' | 'recused' | 'absent';

export interface CouncilVoteRecordTable {
  municipality_code: string;
  vote_id: string;
  member_id: string;
  record: RecordKind;
}

export interface CouncilMinutesTable {
  municipality_code: string;
  sitting_id: string;
  version: Default<number>;
  pdf_file_id: string;
  sha256: string;
  generated_by: string | null;
  generated_at: Timestamp;
  chair_signed_by: string | null;
  chair_signed_at: Timestamp | null;
  secretary_signed_by: string | null;
  secretary_signed_at: Timestamp | null;
}

declare module '../../platform/db/tables' {
  interface KovTables {
    council: CouncilTable;
    council_faction: CouncilFactionTable;
    council_member: CouncilMemberTable;
    council_sitting: CouncilSittingTable;
    council_agenda_item: CouncilAgendaItemTable;
    council_candidate: CouncilCandidateTable;
    council_document: CouncilDocumentTable;
    council_agenda_change: CouncilAgendaChangeTable;
    council_attendance: CouncilAttendanceTable;
    council_attendance_log: CouncilAttendanceLogTable;
    council_recusal: CouncilRecusalTable;
    council_vote: CouncilVoteTable;
    council_vote_candidate: CouncilVoteCandidateTable;
    council_open_ballot: CouncilOpenBallotTable;
    council_vote_record: CouncilVoteRecordTable;
    council_minutes: CouncilMinutesTable;
  }
}

/** Named reads of the council's open data (`council/openData.ts`): what the law makes public. */
export async function councilsOf(trx: Trx, municipalityCode: string) {
  return trx
    .selectFrom('council')
    .select(['id', 'name', 'term_start', 'term_end'])
    .where('municipality_code', '=', municipalityCode)
    .orderBy('term_start')
    .execute();
}

/** Closed votes on public agenda items of a council's closed sittings, in order. */
export async function closedPublicVotes(trx: Trx, municipalityCode: string, councilId: string) {
  return trx
    .selectFrom('council_vote as v')
    .innerJoin('council_sitting as s', (j) =>
      j.onRef('s.municipality_code', '=', 'v.municipality_code').onRef('s.id', '=', 'v.sitting_id'),
    )
    .innerJoin('council_agenda_item as i', (j) =>
      j.onRef('i.municipality_code', '=', 'v.municipality_code').onRef('i.id', '=', 'v.item_id'),
    )
    .select([
      's.number as sitting_number',
      's.starts_at as sitting_date',
      'i.title as item_title',
      'v.id as vote_id',
      'v.number as vote_number',
      'v.kind',
      'v.question',
      'v.majority',
      'v.votes_for',
      'v.votes_against',
      'v.votes_abstain',
      'v.not_voted',
      'v.recused',
      'v.absent',
      'v.outcome',
      'v.closed_at',
    ])
    .where('v.municipality_code', '=', municipalityCode)
    .where('s.council_id', '=', councilId)
    .where('v.status', '=', 'closed')
    .where('s.status', '=', 'closed')
    .where('i.is_public', '=', true)
    .orderBy('s.number')
    .orderBy('v.number')
    .execute();
}

/** Each member's record in open votes (named: members act in a public office), by family and given name. */
export async function openVoteRecords(trx: Trx, municipalityCode: string, voteIds: string[]) {
  if (voteIds.length === 0) return [];
  return trx
    .selectFrom('council_vote_record as r')
    .innerJoin('council_member as m', (j) =>
      j.onRef('m.municipality_code', '=', 'r.municipality_code').onRef('m.id', '=', 'r.member_id'),
    )
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .leftJoin('council_faction as f', (j) =>
      j.onRef('f.municipality_code', '=', 'm.municipality_code').onRef('f.id', '=', 'm.faction_id'),
    )
    .select(['r.vote_id', 'p.given_name', 'p.family_name', 'f.name as faction', 'r.record'])
    .where('r.municipality_code', '=', municipalityCode)
    .where('r.vote_id', 'in', voteIds)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
}

/** A council's members with faction, kind, status and office, by family and given name. */
export async function membersOf(trx: Trx, municipalityCode: string, councilId: string) {
  return trx
    .selectFrom('council_member as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .leftJoin('council_faction as f', (j) =>
      j.onRef('f.municipality_code', '=', 'm.municipality_code').onRef('f.id', '=', 'm.faction_id'),
    )
    .select(['p.given_name', 'p.family_name', 'f.name as faction', 'm.kind', 'm.status', 'm.office'])
    .where('m.municipality_code', '=', municipalityCode)
    .where('m.council_id', '=', councilId)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
}

/**
 * The council's work for its officials (work queue): draft sittings not yet published (due by
 * the notice deadline) and closed sittings whose minutes are not signed by both.
 */
export async function councilWorkRows(trx: Trx, municipalityCode: string, now: Date) {
  const r = await sql<{
    what: 'prepare' | 'minutes';
    sitting_id: string;
    title: string;
    number: number;
    since: Date;
    due: Date | null;
  }>`
    SELECT 'prepare' AS what, s.id AS sitting_id, s.title, s.number, s.created_at AS since,
           s.starts_at - make_interval(days => c.notice_days) AS due
      FROM council_sitting s JOIN council c ON c.municipality_code = s.municipality_code AND c.id = s.council_id
     WHERE s.municipality_code = ${municipalityCode} AND s.status = 'draft' AND s.starts_at > ${now}::timestamptz - interval '1 day'
    UNION ALL
    SELECT 'minutes', s.id, s.title, s.number, s.closed_at, NULL
      FROM council_sitting s
      LEFT JOIN council_minutes m ON m.municipality_code = s.municipality_code AND m.sitting_id = s.id
     WHERE s.municipality_code = ${municipalityCode} AND s.status = 'closed'
       AND (m.sitting_id IS NULL OR m.chair_signed_at IS NULL OR m.secretary_signed_at IS NULL)
     ORDER BY 6 NULLS LAST, 5`.execute(trx);
  return r.rows;
}
