import { Type } from 'typebox';
import { RecordKindSchema } from './liveSchemas';
import { MemberKind, Office } from './schemas';

/** TypeBox schemas of the public archive's answers (archive.ts: decisions and voting records, also as open data). */
const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const VoteKindSchema = Type.Union([Type.Literal('open'), Type.Literal('secret')]);
const Outcome = Type.Union([
  Type.Literal('adopted'),
  Type.Literal('rejected'),
  Type.Literal('elected'),
  Type.Literal('not_elected'),
]);
const ArchiveCouncil = Type.Object({ id: Uuid, name: Type.String(), seats: Type.Integer() });
const SittingDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const DecisionSchema = Type.Object({
  voteId: Uuid,
  sittingId: Uuid,
  sittingNumber: Type.Integer(),
  sittingDate: SittingDate,
  sittingTitle: Type.String(),
  itemPosition: Type.Integer(),
  itemTitle: Type.String(),
  voteNumber: Type.Integer(),
  kind: VoteKindSchema,
  question: Type.String(),
  rule: Type.Union([Type.Literal('cast'), Type.Literal('composition'), Type.Literal('qualified')]),
  ruleText: Type.String(),
  for: Type.Integer(),
  against: Type.Integer(),
  abstain: Type.Integer(),
  notVoted: Type.Integer(),
  recused: Type.Integer(),
  absent: Type.Integer(),
  outcome: Outcome,
  elected: Nullable(Type.String({ description: 'The elected candidate (elections)' })),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
});

/** GET …/council/decisions and …/open-data/decisions.json. */
export const DecisionsSchema = Type.Object({ council: ArchiveCouncil, decisions: Type.Array(DecisionSchema) });

export const VotingRecordSchema = Type.Object({
  voteId: Uuid,
  sittingId: Uuid,
  sittingNumber: Type.Integer(),
  sittingDate: SittingDate,
  itemTitle: Type.String(),
  voteNumber: Type.Integer(),
  kind: VoteKindSchema,
  question: Type.String(),
  outcome: Outcome,
  memberId: Uuid,
  memberName: Type.String(),
  faction: Nullable(Type.String()),
  record: RecordKindSchema,
});

/** GET …/council/voting-records and …/open-data/voting-records.json (`member`: with `memberId`). */
export const VotingRecordsSchema = Type.Object({
  council: ArchiveCouncil,
  member: Nullable(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      faction: Nullable(Type.String()),
      status: Type.Union([
        Type.Literal('active'),
        Type.Literal('suspended'),
        Type.Literal('waiting'),
        Type.Literal('ended'),
      ]),
      kind: MemberKind,
      office: Nullable(Office),
    }),
  ),
  records: Type.Array(VotingRecordSchema),
});
