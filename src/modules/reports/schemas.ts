import { Type, type Static } from 'typebox';
import { STATUSES } from './statuses';

export const Code = Type.String({
  pattern: '^[0-9]{4}$',
  description: 'EHAK code of the municipality (0000 = ELVL, national)',
});
export const ReportId = Type.Integer({ minimum: 1, maximum: 999_999_999_999 });
export const CategoryCode = Type.String({ pattern: '^[a-z0-9-]{2,40}$' });
export const Status = Type.Union(STATUSES.map((s) => Type.Literal(s)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Names = Type.Object({ et: Type.String(), en: Type.String(), ru: Type.String() });

export const AttributeSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
    datatype: Type.Union([
      Type.Literal('string'),
      Type.Literal('number'),
      Type.Literal('datetime'),
      Type.Literal('text'),
      Type.Literal('singlevaluelist'),
      Type.Literal('multivaluelist'),
    ]),
    required: Type.Boolean(),
    description: Type.String({ maxLength: 500 }),
    values: Type.Optional(
      Type.Array(
        Type.Object(
          { key: Type.String({ maxLength: 100 }), name: Type.String({ maxLength: 200 }) },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CategorySchema = Type.Object({
  code: Type.String(),
  name: Names,
  description: Type.String(),
  domain: Type.String(),
  department: Nullable(Type.String()),
  bodyCode: Nullable(Type.String()),
  slaDays: Nullable(Type.Integer()),
  attributes: Type.Array(AttributeSchema),
  open311Type: Type.Union([Type.Literal('realtime'), Type.Literal('batch')]),
  endpointId: Nullable(Type.String()),
  active: Type.Boolean(),
  position: Type.Integer(),
});

export const CategoryInput = Type.Object(
  {
    name: Type.Optional(
      Type.Object(
        {
          et: Type.String({ minLength: 1, maxLength: 100 }),
          en: Type.String({ minLength: 1, maxLength: 100 }),
          ru: Type.String({ minLength: 1, maxLength: 100 }),
        },
        { additionalProperties: false },
      ),
    ),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    domain: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    department: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    bodyCode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    slaDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 365 }))),
    attributes: Type.Optional(Type.Array(AttributeSchema, { maxItems: 20 })),
    open311Type: Type.Optional(Type.Union([Type.Literal('realtime'), Type.Literal('batch')])),
    endpointId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    active: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  },
  { additionalProperties: false },
);

const AttributeValues = Type.Record(
  Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
  Type.Union([Type.String({ maxLength: 1000 }), Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 })]),
);

export const SubmitBody = Type.Object(
  {
    categoryCode: CategoryCode,
    description: Type.String({
      minLength: 1,
      maxLength: 20000,
      description: 'At most 4000 characters (checked with a clear message)',
    }),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    settlementCode: Type.Optional(
      Type.String({
        pattern: '^[0-9]{4}$',
        description: 'Instead of lat/lon: a settlement unit (the point is taken inside it)',
      }),
    ),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    attributes: Type.Optional(AttributeValues),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    showName: Type.Optional(
      Type.Boolean({ description: 'Show my name publicly with the report (off unless asked for)', default: false }),
    ),
    anonymous: Type.Optional(
      Type.Boolean({
        description: 'Deprecated and ignored: a name is public only with showName: true',
        deprecated: true,
      }),
    ),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBody>;

export const SubmittedSchema = Type.Object({
  id: Type.Integer(),
  municipalityCode: Type.String(),
  settlementCode: Nullable(Type.String()),
  categoryCode: Type.String(),
  bodyCode: Nullable(Type.String()),
  token: Nullable(Type.String()),
  manageToken: Type.String({ description: 'Secret to follow and rate the report without logging in; shown once' }),
  createdAt: Type.String({ format: 'date-time' }),
  slaDueAt: Nullable(Type.String({ format: 'date-time' })),
});

export const SummarySchema = Type.Object({
  id: Type.Integer(),
  municipalityCode: Type.String(),
  categoryCode: Type.String(),
  status: Type.String(),
  description: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  settlementName: Nullable(Type.String()),
  address: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  meTooCount: Type.Integer(),
  hidden: Type.Optional(Type.Boolean()),
  department: Type.Optional(Nullable(Type.String())),
  assigneePersonId: Type.Optional(Nullable(Type.String())),
  slaDueAt: Type.Optional(Nullable(Type.String())),
});

const HistorySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  kind: Type.String(),
  public: Type.Boolean(),
  statusFrom: Nullable(Type.String()),
  statusTo: Nullable(Type.String()),
  text: Nullable(Type.String()),
  by: Type.Object({ kind: Type.String(), name: Nullable(Type.String()) }),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const ReportViewSchema = Type.Object({
  id: Type.Integer(),
  municipalityCode: Type.String(),
  municipalityName: Type.String(),
  settlementCode: Nullable(Type.String()),
  settlementName: Nullable(Type.String()),
  categoryCode: Type.String(),
  categoryName: Names,
  domain: Type.String(),
  body: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  status: Type.String(),
  description: Type.String(),
  address: Nullable(Type.String()),
  lat: Type.Number(),
  lon: Type.Number(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  slaDueAt: Nullable(Type.String()),
  reporterName: Nullable(Type.String()),
  meTooCount: Type.Integer(),
  duplicateOf: Nullable(Type.Integer()),
  department: Nullable(Type.String()),
  assignee: Nullable(Type.Object({ personId: Type.String(), name: Type.String() })),
  photos: Type.Array(
    Type.Object({
      position: Type.Integer(),
      url: Type.String(),
      thumbUrl: Type.String(),
      width: Type.Integer(),
      height: Type.Integer(),
      hidden: Type.Boolean(),
    }),
  ),
  history: Type.Array(HistorySchema),
  viewer: Type.Object({
    isReporter: Type.Boolean(),
    isOfficial: Type.Boolean(),
    canRate: Type.Boolean(),
    ratedThisClosing: Type.Boolean(),
    supported: Type.Boolean(),
  }),
  internal: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const UpdateBody = Type.Object(
  {
    status: Type.Optional(Status),
    text: Type.Optional(Type.String({ maxLength: 20000 })),
    internal: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const AssignBody = Type.Object(
  {
    department: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    assigneePersonId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);
export const MergeBody = Type.Object({ duplicateOf: ReportId }, { additionalProperties: false });
export const ModerateBody = Type.Object(
  {
    hidden: Type.Optional(Type.Boolean()),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    photos: Type.Optional(
      Type.Array(
        Type.Object(
          { position: Type.Integer({ minimum: 1, maximum: 20 }), hidden: Type.Boolean() },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export const SurveyBody = Type.Object(
  {
    fixed: Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('dont_know')]),
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    reopen: Type.Optional(Type.Boolean()),
    manageToken: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const EndpointSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('webhook'), Type.Literal('open311')]),
  url: Type.String(),
  jurisdictionId: Nullable(Type.String()),
  active: Type.Boolean(),
  secretHint: Type.String(),
  createdAt: Type.String(),
});
export const EndpointBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Union([Type.Literal('webhook'), Type.Literal('open311')]),
    url: Type.String({ minLength: 8, maxLength: 500 }),
    secret: Type.String({
      minLength: 16,
      maxLength: 200,
      description: 'webhook: the HMAC key; open311: the api_key of the remote server',
    }),
    jurisdictionId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const DeliverySchema = Type.Object({
  id: Type.Integer(),
  reportId: Type.Integer(),
  endpointId: Type.String(),
  endpointName: Type.String(),
  topic: Type.String(),
  idempotencyKey: Type.String(),
  status: Type.String(),
  attempts: Type.Array(
    Type.Object({
      n: Type.Integer(),
      at: Type.String(),
      durationMs: Type.Integer(),
      httpStatus: Nullable(Type.Integer()),
      error: Nullable(Type.String()),
    }),
  ),
  nextAttemptAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const AnalyticsQuerySchema = Type.Object({
  from: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'First month, YYYY-MM' }),
  to: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'Last month, YYYY-MM' }),
  category: Type.Optional(Type.Array(CategoryCode, { maxItems: 50 })),
  area: Type.Optional(
    Type.String({ pattern: '^[0-9]{4}$', description: 'Settlement unit (or, nationally, a municipality)' }),
  ),
  status: Type.Optional(Type.Array(Status, { maxItems: 10 })),
});

const Duration = Type.Object({
  n: Type.Integer(),
  medianHours: Nullable(Type.Number()),
  p90Hours: Nullable(Type.Number()),
});
const DurationWithHistogram = Type.Object({
  n: Type.Integer(),
  medianHours: Nullable(Type.Number()),
  p90Hours: Nullable(Type.Number()),
  histogram: Type.Array(Type.Object({ upToHours: Nullable(Type.Number()), n: Type.Integer() })),
});

export const OverviewSchema = Type.Object({
  scope: Type.String(),
  from: Type.String(),
  to: Type.String(),
  source: Type.String(),
  totals: Type.Object({
    created: Type.Integer(),
    acknowledged: Type.Integer(),
    closed: Type.Integer(),
    hidden: Type.Integer(),
  }),
  volumeByMonth: Type.Array(Type.Object({ month: Type.String(), created: Type.Integer(), closed: Type.Integer() })),
  byCategory: Type.Array(
    Type.Object({
      code: Type.String(),
      domain: Type.String(),
      created: Type.Integer(),
      closed: Type.Integer(),
      slaPercent: Nullable(Type.Number()),
      acknowledge: Duration,
      close: Duration,
    }),
  ),
  byDomain: Type.Array(Type.Object({ domain: Type.String(), created: Type.Integer() })),
  byChannel: Type.Array(Type.Object({ channel: Type.String(), created: Type.Integer() })),
  byArea: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), created: Type.Integer(), closed: Type.Integer() }),
  ),
  timeToAcknowledge: DurationWithHistogram,
  timeToClose: DurationWithHistogram,
  sla: Type.Object({
    applicable: Type.Integer(),
    closedInSla: Type.Integer(),
    closedLate: Type.Integer(),
    openOverdue: Type.Integer(),
    percent: Nullable(Type.Number()),
  }),
  reopen: Type.Object({ closed: Type.Integer(), reopened: Type.Integer(), percent: Nullable(Type.Number()) }),
  satisfaction: Type.Object({
    answers: Type.Integer(),
    averageRating: Nullable(Type.Number()),
    fixedYes: Type.Integer(),
    fixedNo: Type.Integer(),
    fixedDontKnow: Type.Integer(),
  }),
  backlog: Type.Object({
    open: Type.Integer(),
    olderThan30Days: Type.Integer(),
    byAge: Type.Array(Type.Object({ label: Type.String(), n: Type.Integer() })),
  }),
});
