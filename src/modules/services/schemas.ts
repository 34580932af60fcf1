import { Type, type Static, type TSchema } from 'typebox';
import {
  CHANNEL_TYPES,
  FEE_TYPES,
  FIELDS,
  OUTPUT_TYPES,
  SERVICE_TYPES,
  STATE_RELATIONS,
  STATUSES,
  TARGET_GROUPS,
  STANDARD_PRINCIPLES,
} from './reference';

const union = <K extends string>(values: readonly K[], description?: string) =>
  Type.Enum([...values] as K[], description ? { description } : {});
const keysOf = <O extends object>(o: O) => Object.keys(o) as (keyof O & string)[];
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const LangCode = union(['et', 'ru', 'en'] as const);

/** Text in Estonian (required) and optionally Russian and English. */
const LangText = (max: number, description: string) =>
  Type.Object(
    {
      et: Type.String({ minLength: 1, maxLength: max }),
      ru: Type.Optional(Type.String({ maxLength: max })),
      en: Type.Optional(Type.String({ maxLength: max })),
    },
    { additionalProperties: false, description },
  );

export const ServiceStatus = union(
  keysOf(STATUSES),
  'being-created, active, needs-change, archived (the state catalogue’s statuses)',
);
export const FieldCode = union(keysOf(FIELDS), 'Municipal task (KOKS §6)');
export const ChannelType = union(keysOf(CHANNEL_TYPES));

export const ChannelMetrics = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    timesProvided: Type.Integer({
      minimum: 0,
      description: 'Times the service was provided through this channel in the year',
    }),
    adminCostCents: Type.Integer({ minimum: 0, description: 'Administrative cost of one provision, euro cents' }),
    clientTimeHours: Type.Number({
      minimum: 0,
      maximum: 10000,
      description: 'Time the client spends on one provision, hours',
    }),
  },
  { additionalProperties: false },
);

export const Channel = Type.Object(
  {
    type: ChannelType,
    address: Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'URL, e-mail address, phone number or street address',
    }),
    openingHours: Type.Optional(Type.String({ maxLength: 200, description: 'e.g. "E–R 9–17"' })),
    processingTime: Type.Optional(
      Type.String({
        pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
        description: 'ISO 8601 duration, e.g. P10D',
      }),
    ),
    metrics: Type.Optional(Type.Array(ChannelMetrics, { maxItems: 30 })),
  },
  { additionalProperties: false },
);

export const LegalReference = Type.Object(
  {
    law: Type.String({
      minLength: 2,
      maxLength: 200,
      description: 'Name of the act, e.g. "Sotsiaalhoolekande seadus"',
    }),
    section: Type.String({ minLength: 1, maxLength: 60, description: 'Section, e.g. "§ 131", "§ 6 lg 1 p 5"' }),
    url: Type.String({
      maxLength: 500,
      description: 'Link to the act in Riigi Teataja (https://www.riigiteataja.ee/…) or EUR-Lex',
    }),
  },
  { additionalProperties: false },
);

export const StateServiceLink = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 80 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ maxLength: 500 }),
    relation: union(keysOf(STATE_RELATIONS), 'related, depends-on, duplicates'),
  },
  { additionalProperties: false },
);

export const EventLink = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'A life or business event code (GET /services/reference)',
    }),
    step: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 20,
        description: 'Which step of the event’s page the service belongs to (1-based)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ServiceData = Type.Object(
  {
    name: LangText(80, 'Name, at most 80 characters (state catalogue rule)'),
    description: LangText(245, 'Short description, at most 245 characters (state catalogue rule)'),
    targetGroups: Type.Array(union(keysOf(TARGET_GROUPS)), { minItems: 1, maxItems: 10, uniqueItems: true }),
    field: FieldCode,
    serviceType: union(keysOf(SERVICE_TYPES)),
    competentAuthority: Type.Optional(
      Type.String({ maxLength: 200, description: 'Defaults to the municipality’s government' }),
    ),
    channels: Type.Array(Channel, { maxItems: 10 }),
    feeType: union(keysOf(FEE_TYPES)),
    costs: Type.Array(
      Type.Object(
        { description: Type.String({ minLength: 1, maxLength: 200 }), valueCents: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
    evidence: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: 20,
      description: 'Documents or data the applicant must provide',
    }),
    outputs: Type.Array(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 200 }), type: union(keysOf(OUTPUT_TYPES)) },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
    legalBasis: Type.Array(LegalReference, { maxItems: 10 }),
    requirements: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
      maxItems: 20,
      description: 'Pre-conditions',
    }),
    lifeEvents: Type.Array(EventLink, { maxItems: 10 }),
    stateServices: Type.Array(StateServiceLink, { maxItems: 20 }),
    owner: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 120 }),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
        phone: Type.Optional(Type.String({ maxLength: 40 })),
      },
      { additionalProperties: false },
    ),
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type ServiceData = Static<typeof ServiceData>;

export const ServiceInput = Type.Object(
  {
    data: ServiceData,
    status: Type.Optional(ServiceStatus),
    identifier: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,40}$' })),
    changeNote: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ServiceInput = Static<typeof ServiceInput>;

export const ServiceUpdate = Type.Object(
  {
    data: ServiceData,
    status: ServiceStatus,
    /** The version the editor started from: a stale save is refused (409). */
    baseVersion: Type.Integer({ minimum: 1 }),
    changeNote: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ServiceUpdate = Static<typeof ServiceUpdate>;

export const ServiceSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  municipalityCode: Type.String(),
  identifier: Type.String(),
  version: Type.Integer(),
  status: ServiceStatus,
  templateId: Nullable(Type.String()),
  templateVersion: Nullable(Type.Integer()),
  data: ServiceData,
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Nullable(Type.String()),
});
export type ServiceView = Static<typeof ServiceSchema>;

export const ServiceSummary = Type.Object({
  id: Type.String(),
  municipalityCode: Type.String(),
  identifier: Type.String(),
  version: Type.Integer(),
  status: ServiceStatus,
  field: Type.String(),
  name: Type.Object({ et: Type.String(), ru: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
  description: Type.Object({ et: Type.String(), ru: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
  templateId: Nullable(Type.String()),
  lifeEvents: Type.Array(Type.String()),
  channelTypes: Type.Array(Type.String()),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const VersionSchema = Type.Object({
  version: Type.Integer(),
  status: ServiceStatus,
  changeNote: Nullable(Type.String()),
  changedBy: Nullable(Type.String()),
  changedByName: Nullable(Type.String()),
  changedAt: Type.String({ format: 'date-time' }),
  changedFields: Type.Array(Type.String()),
});

export const AssessmentAnswer = union(['met', 'partly', 'not-met', 'not-applicable'] as const);
export const AssessmentInput = Type.Object(
  {
    answers: Type.Array(
      Type.Object(
        {
          principle: union(STANDARD_PRINCIPLES.map((p) => p.code)),
          answer: AssessmentAnswer,
          evidence: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type AssessmentInput = Static<typeof AssessmentInput>;

export const ProfileData = Type.Object(
  {
    officialName: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.String({ minLength: 1, maxLength: 300 }),
    email: Type.String({ format: 'email', maxLength: 200 }),
    phone: Type.String({ minLength: 3, maxLength: 40 }),
    website: Type.String({ format: 'uri', maxLength: 300 }),
    openingHours: Type.Array(
      Type.Object(
        {
          days: Type.String({
            pattern:
              '^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?(,(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?)*$',
            description: 'schema.org style, e.g. "Mo-Th" or "Fr"',
          }),
          opens: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
          closes: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 14 },
    ),
    serviceDesks: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 120 }),
            address: Type.String({ minLength: 1, maxLength: 300 }),
            phone: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ProfileData = Static<typeof ProfileData>;

/** A satisfaction answer, as sent by the embedded survey, a link/QR page or another site's form. */
export const AnswerInput = Type.Object(
  {
    serviceId: Type.String({ format: 'uuid' }),
    channel: ChannelType,
    score: Type.Integer({
      minimum: 1,
      maximum: 5,
      description: 'Satisfaction 1 (very dissatisfied) … 5 (very satisfied)',
    }),
    effort: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 5, description: 'How easy was it? 1 (very hard) … 5 (very easy)' }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
    lang: LangCode,
    source: Type.Optional(union(['embed', 'link', 'qr', 'api'] as const)),
    token: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 100,
        description: 'Single-use delivery token (from POST …/survey-deliveries)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AnswerInput = Static<typeof AnswerInput>;

export const DeliveryInput = Type.Object(
  {
    serviceId: Type.String({ format: 'uuid' }),
    channel: ChannelType,
    lang: Type.Optional(LangCode),
    personIdCode: Type.Optional(
      Type.String({
        pattern: '^[0-9]{11}$',
        description: 'The client, if known: the survey then waits in their “Minu vald”',
      }),
    ),
    validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 14 })),
  },
  { additionalProperties: false },
);
export type DeliveryInput = Static<typeof DeliveryInput>;

export const SatisfactionRow = Type.Object({
  key: Type.String(),
  label: Type.Optional(Type.String()),
  answers: Type.Integer(),
  index: Nullable(Type.Number({ description: 'Mean score 1–5, two decimals' })),
  level: Nullable(union(['below-basic', 'basic', 'advanced', 'exemplary'] as const)),
  satisfactionPercent: Nullable(Type.Integer({ description: 'Share of answers 4 or 5, whole percent' })),
  effortIndex: Nullable(Type.Number()),
  distribution: Type.Array(Type.Integer(), { description: 'Answers with score 1..5' }),
  lowSample: Type.Boolean({ description: 'Fewer than 10 answers: treat with care' }),
});
export type SatisfactionRow = Static<typeof SatisfactionRow>;

/** One item of "Minu vald" and "what is open now" (services/personalItems.ts `PersonalItem`). */
export const PersonalItemSchema = Type.Object({
  kind: Type.String({ description: 'survey, vote, report, event, sitting, … (each kind from its module)' }),
  id: Type.String(),
  municipalityCode: Type.String(),
  title: Type.String(),
  status: Type.String({ description: 'machine-readable state, e.g. waiting, open, voted, in-progress, live' }),
  url: Type.String({ description: 'where the person acts on it (absolute URL)' }),
  at: Type.Union([Type.String(), Type.Null()]),
  due: Type.Union([Type.String(), Type.Null()]),
  untranslated: Type.Optional(Type.Boolean({ description: 'the title is the Estonian text: no translation exists' })),
});
/** Items per kind; a kind whose module failed is `{ items: [], error: 'unavailable' }`. */
export const ItemKindsSchema = Type.Record(
  Type.String(),
  Type.Object({ items: Type.Array(PersonalItemSchema), error: Type.Optional(Type.String()) }),
);
export const PersonalItemsSchema = Type.Object({ kinds: ItemKindsSchema });
export const OpenNowSchema = Type.Object({
  municipalityCode: Type.Union([Type.String(), Type.Null()]),
  mine: Type.Union([ItemKindsSchema, Type.Null()]),
  open: ItemKindsSchema,
});
