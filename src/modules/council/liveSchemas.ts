import { Type } from 'typebox';
import { Office, RuleSchema, SittingFormat, SittingSummary } from './schemas';

/** TypeBox schemas of the live view's answers (liveState.ts, getMyPlace.ts, closeVote.ts). */
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const VoteKindSchema = Type.Union([Type.Literal('open'), Type.Literal('secret')]);
const CandidateRef = Type.Object({ id: Uuid, name: Type.String() });

/** Event `progress`: how many have voted so far and how many may (never how). */
export const VoteProgressSchema = Type.Object({ voteId: Uuid, voted: Type.Integer(), eligible: Type.Integer() });

/** Event `state`: the sitting, the council and the vote in progress. */
export const LiveStateSchema = Type.Object({
  sitting: Type.Object({
    id: Uuid,
    number: Type.Integer(),
    title: Type.String(),
    status: SittingSummary.properties.status,
    format: SittingFormat,
    startsAt: DateTime,
    place: Nullable(Type.String()),
    link: Type.Null({ description: 'The e-meeting link is never on the public stream (GET …/sittings/{id})' }),
    currentItemId: Nullable(Uuid),
    openedAt: Nullable(DateTime),
    closedAt: Nullable(DateTime),
  }),
  council: Type.Object({
    id: Uuid,
    name: Type.String(),
    seats: Type.Integer(),
    quorum: Type.Object({ num: Type.Integer(), den: Type.Integer(), needed: Type.Integer() }),
  }),
  vote: Nullable(
    Type.Object({
      id: Uuid,
      number: Type.Integer(),
      itemId: Uuid,
      kind: VoteKindSchema,
      question: Type.String(),
      rule: RuleSchema,
      openedAt: DateTime,
      candidates: Type.Array(CandidateRef),
      ...VoteProgressSchema.properties,
    }),
  ),
});

/** Event `attendance`: who is present (member id → room or online) and the quorum. */
export const AttendanceSchema = Type.Object({
  present: Type.Integer(),
  needed: Type.Integer(),
  seats: Type.Integer(),
  hasQuorum: Type.Boolean(),
  here: Type.Record(Type.String(), Type.Union([Type.Literal('room'), Type.Literal('online')])),
});

/** Event `roster`: the acting members. */
export const RosterEntrySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  faction: Nullable(Type.String()),
  office: Nullable(Office),
  status: Type.Union([
    Type.Literal('active'),
    Type.Literal('suspended'),
    Type.Literal('waiting'),
    Type.Literal('ended'),
  ]),
  substitute: Type.Boolean(),
});

/** Event `agenda`: items, their rules and candidates, and who recused from which. */
export const AgendaEntrySchema = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  title: Type.String(),
  kind: Type.Union([Type.Literal('decision'), Type.Literal('election')]),
  isPublic: Type.Boolean(),
  withdrawn: Type.Boolean(),
  rule: RuleSchema,
  recused: Type.Array(Uuid),
  candidates: Type.Array(CandidateRef),
});

export const RecordKindSchema = Type.Union([
  Type.Literal('for'),
  Type.Literal('against'),
  Type.Literal('abstain'),
  Type.Literal('took_part'),
  Type.Literal('not_voted'),
  Type.Literal('recused'),
  Type.Literal('absent'),
]);

/** Event `result`: a closed vote with its counts and (open votes) each member's vote. */
export const VoteResultSchema = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  itemId: Uuid,
  kind: VoteKindSchema,
  question: Type.String(),
  rule: RuleSchema,
  seats: Type.Integer(),
  presentAtStart: Type.Integer(),
  openedAt: DateTime,
  closedAt: Nullable(DateTime),
  for: Type.Integer(),
  against: Type.Integer(),
  abstain: Type.Integer(),
  notVoted: Type.Integer(),
  recused: Type.Integer(),
  absent: Type.Integer(),
  outcome: Type.Union([
    Type.Literal('adopted'),
    Type.Literal('rejected'),
    Type.Literal('elected'),
    Type.Literal('not_elected'),
  ]),
  needed: Type.Integer(),
  tie: Type.Boolean(),
  electedCandidateId: Nullable(Uuid),
  candidates: Type.Array(Type.Object({ id: Uuid, name: Type.String(), votes: Type.Integer() })),
  records: Type.Record(Type.String(), RecordKindSchema, { description: 'member id → record (open votes)' }),
});

/** GET …/state and the first event of GET …/live. */
export const SnapshotSchema = Type.Object({
  state: LiveStateSchema,
  attendance: AttendanceSchema,
  roster: Type.Array(RosterEntrySchema),
  agenda: Type.Array(AgendaEntrySchema),
  results: Type.Array(VoteResultSchema),
});

/** GET …/sittings/{id}/me: the logged-in person's place in the sitting. */
export const MyPlaceSchema = Type.Object({
  memberId: Nullable(Uuid),
  mandate: Nullable(RosterEntrySchema.properties.status),
  acting: Type.Boolean(),
  operator: Nullable(Type.Union([Type.Literal('chair'), Type.Literal('secretary')])),
  present: Type.Boolean(),
  mode: Nullable(Type.Union([Type.Literal('room'), Type.Literal('online')])),
  recusedItemIds: Type.Array(Uuid),
  currentVote: Nullable(
    Type.Object({
      id: Uuid,
      kind: VoteKindSchema,
      voted: Type.Boolean(),
      choice: Nullable(Type.String()),
      canVote: Type.Boolean(),
      reason: Nullable(Type.Union([Type.Literal('not_member'), Type.Literal('recused'), Type.Literal('not_present')])),
    }),
  ),
});

/** POST …/votes/{id}/close: the count (the full result follows on the live view as event `result`). */
export const ClosedVoteSchema = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  outcome: VoteResultSchema.properties.outcome,
  for: Type.Integer(),
  against: Type.Integer(),
  abstain: Type.Integer(),
  electedCandidateId: Nullable(Uuid),
  closedAt: DateTime,
});
