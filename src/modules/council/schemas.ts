import { Type, type Static } from 'typebox';

/** TypeBox schemas of the council's API (bodies refuse unknown fields). */
const Uuid = Type.String({ format: 'uuid' });
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const DateTime = Type.String({ format: 'date-time' });
const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });

export const Fraction = Type.Object(
  { num: Type.Integer({ minimum: 1, maximum: 99 }), den: Type.Integer({ minimum: 2, maximum: 100 }) },
  { additionalProperties: false },
);

export const CouncilInput = Type.Object(
  {
    name: Text(200, 1),
    seats: Type.Integer({ minimum: 7, maximum: 79, description: 'The legal size of the composition (7–79)' }),
    termStart: DateOnly,
    termEnd: Type.Optional(Type.Union([DateOnly, Type.Null()])),
    quorum: Type.Optional(Fraction),
  },
  { additionalProperties: false },
);
export type CouncilInput = Static<typeof CouncilInput>;

export const CouncilUpdate = Type.Object(
  {
    name: Type.Optional(Text(200, 1)),
    termEnd: Type.Optional(Type.Union([DateOnly, Type.Null()])),
    quorum: Type.Optional(Fraction),
  },
  { additionalProperties: false },
);
export type CouncilUpdate = Static<typeof CouncilUpdate>;

export const FactionInput = Type.Object({ name: Text(200, 1) }, { additionalProperties: false });

export const MemberKind = Type.Union([Type.Literal('elected'), Type.Literal('substitute')]);
export const Office = Type.Union([Type.Literal('chair'), Type.Literal('vice_chair')]);

export const MemberInput = Type.Object(
  {
    idCode: Type.String({ pattern: '^[0-9]{11}$', description: 'Personal ID code; the person logs in through TARA' }),
    givenName: Type.Optional(Text(100, 1)),
    familyName: Type.Optional(Text(100, 1)),
    kind: MemberKind,
    factionId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    listPosition: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'Order of a substitute on their list' }),
    ),
  },
  { additionalProperties: false },
);
export type MemberInput = Static<typeof MemberInput>;

export const OfficeInput = Type.Object({ office: Type.Union([Office, Type.Null()]) }, { additionalProperties: false });

export const MandateChange = Type.Object(
  {
    action: Type.Union([Type.Literal('suspend'), Type.Literal('restore'), Type.Literal('end')], {
      description:
        'suspend: a substitute of the same list takes the seat until restore; end: the mandate ends and the substitute stays',
    }),
    substituteId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type MandateChange = Static<typeof MandateChange>;

export const SittingFormat = Type.Union([Type.Literal('in_person'), Type.Literal('virtual'), Type.Literal('hybrid')]);

export const SittingInput = Type.Object(
  {
    title: Text(300, 1),
    format: SittingFormat,
    startsAt: DateTime,
    place: Type.Optional(Type.Union([Text(300), Type.Null()])),
    link: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 500 }), Type.Null()])),
    secretaryId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    presidingMemberId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false },
);
export type SittingInput = Static<typeof SittingInput>;

export const SittingUpdate = Type.Object(
  {
    title: Type.Optional(Text(300, 1)),
    format: Type.Optional(SittingFormat),
    startsAt: Type.Optional(DateTime),
    place: Type.Optional(Type.Union([Text(300), Type.Null()])),
    link: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 500 }), Type.Null()])),
    secretaryId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    presidingMemberId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false },
);
export type SittingUpdate = Static<typeof SittingUpdate>;

export const SittingAction = Type.Object(
  {
    action: Type.Union([Type.Literal('publish'), Type.Literal('open'), Type.Literal('close'), Type.Literal('cancel')]),
  },
  { additionalProperties: false },
);

export const Majority = Type.Union([
  Type.Object({ kind: Type.Literal('cast') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('composition') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('qualified'),
      num: Type.Integer({ minimum: 1, maximum: 99 }),
      den: Type.Integer({ minimum: 2, maximum: 100 }),
      base: Type.Union([Type.Literal('composition'), Type.Literal('cast')]),
    },
    { additionalProperties: false },
  ),
]);
export type Majority = Static<typeof Majority>;

export const ItemInput = Type.Object(
  {
    title: Text(500, 1),
    description: Type.Optional(Text(20_000)),
    draftDecision: Type.Optional(Text(50_000)),
    rapporteur: Type.Optional(Text(200)),
    kind: Type.Union([Type.Literal('decision'), Type.Literal('election')], {
      description: 'election: of persons, by secret ballot',
    }),
    isPublic: Type.Optional(Type.Boolean()),
    majority: Majority,
    candidates: Type.Optional(
      Type.Array(Type.Object({ name: Text(200, 1), personId: Type.Optional(Uuid) }, { additionalProperties: false }), {
        maxItems: 30,
      }),
    ),
    position: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInput>;

export const ItemUpdate = Type.Object(
  {
    title: Type.Optional(Text(500, 1)),
    description: Type.Optional(Text(20_000)),
    draftDecision: Type.Optional(Text(50_000)),
    rapporteur: Type.Optional(Text(200)),
    isPublic: Type.Optional(Type.Boolean()),
    majority: Type.Optional(Majority),
    candidates: Type.Optional(
      Type.Array(Type.Object({ name: Text(200, 1), personId: Type.Optional(Uuid) }, { additionalProperties: false }), {
        maxItems: 30,
      }),
    ),
    position: Type.Optional(Type.Integer({ minimum: 1 })),
    withdrawn: Type.Optional(Type.Literal(true)),
    minutesNote: Type.Optional(Text(20_000)),
  },
  { additionalProperties: false },
);
export type ItemUpdate = Static<typeof ItemUpdate>;

export const AttendanceInput = Type.Object(
  {
    present: Type.Boolean(),
    mode: Type.Optional(Type.Union([Type.Literal('room'), Type.Literal('online')])),
  },
  { additionalProperties: false },
);
export type AttendanceInput = Static<typeof AttendanceInput>;

export const RecusalInput = Type.Object(
  { memberId: Type.Optional(Uuid), reason: Type.Optional(Text(1000)) },
  { additionalProperties: false },
);
export type RecusalInput = Static<typeof RecusalInput>;

export const CurrentItemInput = Type.Object(
  { itemId: Type.Union([Uuid, Type.Null()]) },
  { additionalProperties: false },
);

export const StartVoteInput = Type.Object(
  {
    itemId: Uuid,
    question: Type.Optional(Text(1000, 1)),
    candidateIds: Type.Optional(
      Type.Array(Uuid, {
        minItems: 1,
        maxItems: 30,
        description: 'A later round may put only some candidates to the vote',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StartVoteInput = Static<typeof StartVoteInput>;

export const OpenChoice = Type.Union([Type.Literal('for'), Type.Literal('against'), Type.Literal('abstain')]);
export const BallotInput = Type.Object(
  {
    choice: Type.String({
      minLength: 1,
      maxLength: 40,
      description: "Open votes: for | against | abstain. Secret votes: a candidate's id, against, or abstain",
    }),
  },
  { additionalProperties: false },
);
export type BallotInput = Static<typeof BallotInput>;

export const SignInput = Type.Object(
  {
    as: Type.Union([Type.Literal('chair'), Type.Literal('secretary')]),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'The SHA-256 of the PDF being signed off' }),
  },
  { additionalProperties: false },
);
export type SignInput = Static<typeof SignInput>;

// ---------- answers

export const RuleSchema = Type.Object({
  kind: Type.Union([Type.Literal('cast'), Type.Literal('composition'), Type.Literal('qualified')]),
  num: Type.Optional(Type.Integer()),
  den: Type.Optional(Type.Integer()),
  base: Type.Optional(Type.String()),
});

export const MemberSchema = Type.Object({
  id: Uuid,
  personId: Uuid,
  name: Type.String(),
  kind: MemberKind,
  status: Type.Union([
    Type.Literal('active'),
    Type.Literal('suspended'),
    Type.Literal('waiting'),
    Type.Literal('ended'),
  ]),
  faction: Type.Union([Type.String(), Type.Null()]),
  factionId: Type.Union([Uuid, Type.Null()]),
  listPosition: Type.Union([Type.Integer(), Type.Null()]),
  office: Type.Union([Office, Type.Null()]),
  replacesMemberId: Type.Union([Uuid, Type.Null()]),
});

export const CouncilSchema = Type.Object({
  id: Uuid,
  municipalityCode: Type.String(),
  name: Type.String(),
  seats: Type.Integer(),
  termStart: Type.String(),
  termEnd: Type.Union([Type.String(), Type.Null()]),
  quorum: Type.Object({ num: Type.Integer(), den: Type.Integer(), needed: Type.Integer() }),
  factions: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  members: Type.Array(MemberSchema),
  acting: Type.Integer({ description: 'Members holding a seat now' }),
});

export const SittingSummary = Type.Object({
  id: Uuid,
  councilId: Uuid,
  number: Type.Integer(),
  title: Type.String(),
  format: SittingFormat,
  startsAt: DateTime,
  place: Type.Union([Type.String(), Type.Null()]),
  link: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([
    Type.Literal('draft'),
    Type.Literal('published'),
    Type.Literal('open'),
    Type.Literal('closed'),
    Type.Literal('cancelled'),
  ]),
});

export const DocumentSchema = Type.Object({
  id: Uuid,
  title: Type.String(),
  isPublic: Type.Boolean(),
  sizeBytes: Type.Integer(),
  filename: Type.String(),
  uploadedAt: DateTime,
});

export const ItemSchema = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  draftDecision: Type.String(),
  rapporteur: Type.String(),
  kind: Type.Union([Type.Literal('decision'), Type.Literal('election')]),
  isPublic: Type.Boolean(),
  withdrawn: Type.Boolean(),
  majority: RuleSchema,
  minutesNote: Type.String(),
  restricted: Type.Boolean({
    description: 'true when the item is closed and its texts and documents are hidden from you',
  }),
  candidates: Type.Array(Type.Object({ id: Uuid, name: Type.String(), position: Type.Integer() })),
  documents: Type.Array(DocumentSchema),
});

export const Notice = Type.Object(
  {
    days: Type.Integer({ description: "the council's notice period (its rules of procedure; KOKS)" }),
    deadline: DateTime,
    met: Type.Boolean({
      description:
        'whether the convocation went out by the deadline (for a draft: whether publishing now still meets it)',
    }),
  },
  { description: 'The convocation must reach the members at least the notice period before the sitting' },
);

export const SittingDetail = Type.Intersect([
  SittingSummary,
  Type.Object({
    councilName: Type.String(),
    presiding: Type.Union([Type.Object({ memberId: Uuid, name: Type.String() }), Type.Null()]),
    secretary: Type.Union([Type.Object({ personId: Uuid, name: Type.String() }), Type.Null()]),
    publishedAt: Type.Union([DateTime, Type.Null()]),
    openedAt: Type.Union([DateTime, Type.Null()]),
    closedAt: Type.Union([DateTime, Type.Null()]),
    notice: Notice,
    items: Type.Array(ItemSchema),
    changes: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        at: DateTime,
        action: Type.String(),
        itemId: Type.Union([Uuid, Type.Null()]),
        details: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
    you: Type.Object({
      manager: Type.Boolean(),
      operator: Type.Union([Type.Literal('chair'), Type.Literal('secretary'), Type.Null()]),
      memberId: Type.Union([Uuid, Type.Null()]),
    }),
  }),
]);

/** GET/POST …/minutes, POST …/minutes/sign: version, SHA-256 of the PDF and the sign-offs. */
export const MinutesStatusSchema = Type.Object({
  version: Type.Integer(),
  sha256: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
  chair: Type.Union([Type.Object({ name: Type.Union([Type.String(), Type.Null()]), at: Type.String() }), Type.Null()]),
  secretary: Type.Union([
    Type.Object({ name: Type.Union([Type.String(), Type.Null()]), at: Type.String() }),
    Type.Null(),
  ]),
  approved: Type.Boolean(),
});
