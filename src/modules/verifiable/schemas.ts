import { Type, type Static } from 'typebox';

const Hex64 = Type.String({
  pattern: '^[0-9a-f]{64}$',
  description: '32 bytes as 64 lowercase hex digits (a ristretto255 element or a little-endian scalar)',
});
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Kind = Type.Union(
  [Type.Literal('poll'), Type.Literal('referendum'), Type.Literal('elder'), Type.Literal('budget')],
  {
    description:
      'poll, referendum, village elder election, or an approval-style participatory budget (choose up to N projects). Knapsack budgets (a money limit) are not offered: no budget-range proof is built, so they stay on the standard ballot box.',
  },
);

export const QuestionInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 500 }),
    minSelections: Type.Integer({ minimum: 0, maximum: 64 }),
    maxSelections: Type.Integer({ minimum: 1, maximum: 64 }),
    choices: Type.Array(
      Type.Object({ label: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 64 },
    ),
  },
  { additionalProperties: false },
);

export const ElectionInput = Type.Object(
  {
    kind: Kind,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    questions: Type.Array(QuestionInput, { minItems: 1, maxItems: 16 }),
    trustees: Type.Array(
      Type.Object(
        { idCode: Type.String({ pattern: '^[0-9]{11}$' }), name: Type.String({ minLength: 1, maxLength: 120 }) },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 32,
        description: 'The election committee. No single trustee, and not the server, ever holds the private key.',
      },
    ),
    threshold: Type.Integer({
      minimum: 1,
      maximum: 32,
      description: 'Trustees needed to decrypt (k of n); k = n means all must take part',
    }),
    electorateId: Nullable(Type.String({ format: 'uuid' })),
    opensAt: DateTime,
    closesAt: DateTime,
  },
  { additionalProperties: false },
);
export type ElectionInput = Static<typeof ElectionInput>;

const QuestionView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  minSelections: Type.Integer(),
  maxSelections: Type.Integer(),
  choices: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
});

export const TrusteeView = Type.Object({
  index: Type.Integer(),
  name: Type.String(),
  isMe: Type.Boolean(),
  committed: Type.Boolean(),
  dealt: Type.Boolean(),
  confirmed: Type.Boolean(),
  complained: Type.Boolean(),
  decrypted: Type.Boolean(),
});

const Counts = Type.Object({ counts: Type.Array(Type.Integer()) });
/** The homomorphic product of the counted ballots per question and choice (store.ts TallyJson). */
export const TallyView = Type.Object({
  ballotsCounted: Type.Integer(),
  questions: Type.Array(Type.Object({ choices: Type.Array(Type.Object({ alpha: Hex64, beta: Hex64 })) })),
});
/** Paper ballots counted apart, per question and choice (store.ts PaperJson). */
export const PaperView = Type.Object({ ballots: Type.Integer(), questions: Type.Array(Counts) });
/** Decrypted counts of the encrypted ballots, totals with paper, the trustees who decrypted (store.ts ResultJson). */
export const ResultView = Type.Object({
  questions: Type.Array(Counts),
  totals: Type.Array(Counts),
  decryptedBy: Type.Array(Type.Integer()),
});
/** The parameters ballots are made and checked with (crypto/record.ts paramsOf). */
export const ElectionParamsView = Type.Object({
  voteId: Type.String(),
  fingerprint: Type.String(),
  publicKey: Type.String(),
  questions: Type.Array(
    Type.Object({ choices: Type.Integer(), minSelections: Type.Integer(), maxSelections: Type.Integer() }),
  ),
});

export const ElectionView = Type.Object({
  municipalityCode: Type.String(),
  id: Type.String({ format: 'uuid' }),
  kind: Kind,
  title: Type.String(),
  questions: Type.Array(QuestionView),
  threshold: Type.Integer(),
  electorateId: Nullable(Type.String()),
  opensAt: DateTime,
  closesAt: DateTime,
  status: Type.String(),
  phase: Type.String({
    description: 'draft, ceremony, ready, scheduled, open, closing (closing time passed), closed, tallied, published',
  }),
  ceremonyAttempt: Type.Integer(),
  ceremonyRound: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)], {
    description: '1–3: the round the ceremony is in; 4: done; 0: not started',
  }),
  ceremonyFailure: Nullable(Type.String()),
  fingerprint: Nullable(Type.String()),
  publicKey: Nullable(Type.String()),
  trustees: Type.Array(TrusteeView),
  board: Type.Object({
    counted: Type.Integer(),
    superseded: Type.Integer(),
    cancelled: Type.Integer(),
    audited: Type.Integer(),
  }),
  tally: Nullable(TallyView),
  paper: Nullable(PaperView),
  result: Nullable(ResultView),
  publishedAt: Nullable(DateTime),
  canManage: Type.Boolean(),
});

// ————— crypto messages —————

const Branch = Type.Object({ a: Hex64, b: Hex64, c: Hex64, s: Hex64 }, { additionalProperties: false });
export const BallotBody = Type.Object(
  {
    answers: Type.Array(
      Type.Object(
        {
          choices: Type.Array(
            Type.Object(
              { alpha: Hex64, beta: Hex64, proof: Type.Array(Branch, { maxItems: 2 }) },
              { additionalProperties: false },
            ),
            { maxItems: 64 },
          ),
          selections: Type.Array(Branch, { maxItems: 65 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 16 },
    ),
  },
  { additionalProperties: false, description: 'An encrypted ballot (docs/verifiable-voting.md, "Ballot")' },
);

export const CastBody = Type.Object({ ballot: BallotBody }, { additionalProperties: false });

export const AuditBody = Type.Object(
  {
    ballot: BallotBody,
    reveal: Type.Object(
      {
        answers: Type.Array(
          Type.Object(
            {
              choices: Type.Array(
                Type.Object(
                  { m: Type.Union([Type.Literal(0), Type.Literal(1)]), r: Hex64 },
                  { additionalProperties: false },
                ),
                { maxItems: 64 },
              ),
            },
            { additionalProperties: false },
          ),
          { maxItems: 16 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Knowledge = Type.Object({ a: Hex64, s: Hex64 }, { additionalProperties: false });
const Index = Type.Integer({ minimum: 1, maximum: 32 });

export const CommitmentBody = Type.Object(
  {
    index: Index,
    transportKey: Hex64,
    transportProof: Knowledge,
    commitments: Type.Array(Hex64, { minItems: 1, maxItems: 32 }),
    commitmentProof: Knowledge,
  },
  { additionalProperties: false },
);
export const DealBody = Type.Object(
  {
    index: Index,
    shares: Type.Array(
      Type.Object({ to: Index, ephemeral: Hex64, ciphertext: Hex64, tag: Hex64 }, { additionalProperties: false }),
      { maxItems: 31 },
    ),
  },
  { additionalProperties: false },
);
export const ConfirmationBody = Type.Object(
  {
    publicShare: Type.Optional(
      Type.Object({ index: Index, publicShare: Hex64, proof: Knowledge }, { additionalProperties: false }),
    ),
    complaint: Type.Optional(
      Type.Object(
        { against: Index, reason: Type.String({ minLength: 1, maxLength: 500 }) },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'Exactly one of publicShare (the shares were right) or complaint (a dealer’s share was wrong)',
  },
);
export const DecryptionBody = Type.Object(
  {
    index: Index,
    decryptions: Type.Array(
      Type.Array(
        Type.Object(
          { factor: Hex64, proof: Type.Object({ a: Hex64, b: Hex64, s: Hex64 }, { additionalProperties: false }) },
          { additionalProperties: false },
        ),
        { maxItems: 64 },
      ),
      { maxItems: 16 },
    ),
  },
  { additionalProperties: false },
);

export const PaperVoterBody = Type.Object(
  { idCode: Type.String({ pattern: '^[0-9]{11}$' }) },
  { additionalProperties: false },
);
export const PaperBallotsBody = Type.Object(
  {
    ballots: Type.Array(
      Type.Object(
        {
          answers: Type.Array(Type.Array(Type.Integer({ minimum: 0, maximum: 63 }), { maxItems: 64 }), {
            maxItems: 16,
          }),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 10000,
        description:
          'Paper ballots counted at service points: per question, the indices (0-based) of the chosen choices',
      },
    ),
  },
  { additionalProperties: false },
);
