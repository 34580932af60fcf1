import { Type, type Static } from 'typebox';
import { PlaceCode } from '../places';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const ElectorateScope = Type.Union(
  [Type.Literal('municipality'), Type.Literal('settlements'), Type.Literal('list')],
  {
    description:
      'municipality: its residents; settlements: residents of the chosen settlement units; list: only the people on the include list',
  },
);
export const ResidenceAt = Type.Union([Type.Literal('reference-date'), Type.Literal('voting-time')], {
  description: 'Residence counts on the reference date, or on the day the person votes (live mode only)',
});
export const ElectorateMode = Type.Union([Type.Literal('live'), Type.Literal('frozen')], {
  description:
    'live: checked against the register when the person votes; frozen: a voter list built once at the cut-off',
});

export const ElectorateInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    scope: ElectorateScope,
    settlementCodes: Type.Optional(
      Type.Array(PlaceCode, {
        maxItems: 1000,
        uniqueItems: true,
        description: 'EHAK codes of settlement units of the municipality (scope settlements)',
      }),
    ),
    minAge: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 130 }))),
    maxAge: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 130 }))),
    referenceDate: IsoDate,
    residenceAt: ResidenceAt,
    mode: ElectorateMode,
  },
  { additionalProperties: false },
);
export type ElectorateInput = Static<typeof ElectorateInput>;

const ListInfo = Nullable(
  Type.Object({
    filename: Type.String(),
    entries: Type.Integer(),
    sha256: Type.String(),
    uploadedAt: Type.String({ format: 'date-time' }),
  }),
);

export const ElectorateSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  municipalityCode: Type.String(),
  name: Type.String(),
  scope: ElectorateScope,
  settlementCodes: Type.Array(Type.String()),
  minAge: Nullable(Type.Integer()),
  maxAge: Nullable(Type.Integer()),
  referenceDate: Type.String(),
  residenceAt: ResidenceAt,
  mode: ElectorateMode,
  state: Type.Union([Type.Literal('draft'), Type.Literal('frozen'), Type.Literal('locked')], {
    description: 'draft: editable; frozen: voter list built; locked: in use by an open vote',
  }),
  frozen: Nullable(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      size: Type.Integer(),
      sha256: Type.String({ description: 'SHA-256 (hex) of the exported voter list CSV' }),
    }),
  ),
  lockedAt: Nullable(Type.String({ format: 'date-time' })),
  lockedReason: Nullable(Type.String()),
  lists: Type.Object({ include: ListInfo, exclude: ListInfo }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type ElectorateView = Static<typeof ElectorateSchema>;

export const PreviewSchema = Type.Object({
  total: Type.Integer(),
  byBasis: Type.Object({ residence: Type.Integer(), includeList: Type.Integer() }),
  excluded: Type.Integer({ description: 'people the exclude list removed' }),
  bySettlement: Type.Array(
    Type.Object({ code: Nullable(Type.String()), name: Nullable(Type.String()), count: Type.Integer() }),
  ),
  referenceDate: Type.String(),
  dataAsOf: Nullable(Type.String({ format: 'date-time', description: 'when the register extract used was loaded' })),
});
export type Preview = Static<typeof PreviewSchema>;

export const EligibilitySchema = Type.Union([
  Type.Object({
    eligible: Type.Literal(true),
    municipalityCode: Type.String(),
    settlementCode: Nullable(Type.String()),
    basis: Type.Union([Type.Literal('residence'), Type.Literal('include-list')]),
    mode: ElectorateMode,
  }),
  Type.Object({
    eligible: Type.Literal(false),
    reason: Type.Union([
      Type.Literal('not-resident'),
      Type.Literal('wrong-settlement'),
      Type.Literal('under-age'),
      Type.Literal('over-age'),
      Type.Literal('not-on-list'),
      Type.Literal('excluded'),
    ]),
    mode: ElectorateMode,
  }),
]);

export const ResidenceSchema = Type.Object({
  municipalityCode: Type.String(),
  municipalityName: Nullable(Type.String()),
  settlementCode: Nullable(Type.String()),
  settlementName: Nullable(Type.String()),
  address: Type.String(),
  adsAdrId: Nullable(Type.Integer()),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  status: Nullable(Type.String()),
  current: Type.Boolean(),
});

export const VoterSchema = Type.Object({
  personId: Type.String(),
  idCodeMasked: Type.String(),
  givenName: Nullable(Type.String()),
  familyName: Nullable(Type.String()),
  settlementCode: Nullable(Type.String()),
  basis: Type.Union([Type.Literal('residence'), Type.Literal('include-list')]),
});

export const QueryLogEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  askedBy: Nullable(
    Type.Object({
      personId: Type.String(),
      name: Nullable(Type.String()),
      idCode: Type.String({ description: 'full for the municipality\u2019s admins, masked otherwise' }),
    }),
  ),
  subject: Type.Object({ personId: Type.String(), name: Nullable(Type.String()), idCode: Type.String() }),
  purpose: Type.String(),
  reference: Nullable(Type.String()),
  source: Type.Union([Type.Literal('xroad'), Type.Literal('extract')]),
  service: Nullable(Type.String()),
  outcome: Type.Union([
    Type.Literal('found'),
    Type.Literal('not-found'),
    Type.Literal('timeout'),
    Type.Literal('error'),
    Type.Literal('malformed'),
  ]),
  durationMs: Type.Integer(),
  messageId: Nullable(Type.String()),
  detail: Nullable(Type.String()),
});

export const ImportSchema = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  format: Type.String(),
  sha256: Type.String(),
  rows: Type.Integer(),
  persons: Type.Integer(),
  importedAt: Type.String({ format: 'date-time' }),
});
