import { Type, type Static } from 'typebox';

export const ArticleKind = Type.Union([
  Type.Literal('article'),
  Type.Literal('guide'),
  Type.Literal('template'),
  Type.Literal('standard_solution'),
]);
export const Topic = Type.Union([
  Type.Literal('security'),
  Type.Literal('data'),
  Type.Literal('services'),
  Type.Literal('it_management'),
]);
export const ModuleCode = Type.String({
  pattern: '^(ISMS|ORP|CON|OPS|DER|APP|SYS|IND|NET|INF)(\\.[0-9]+){1,3}$',
  description: 'E-ITS module code, e.g. OPS.1.1.2',
});
export const MeasureCode = Type.String({
  pattern: '^(ISMS|ORP|CON|OPS|DER|APP|SYS|IND|NET|INF)(\\.[0-9]+){1,3}\\.[A-Z]?[0-9]+$',
  maxLength: 40,
});
export const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 3, maxLength: 120 });

export const ArticleInput = Type.Object(
  {
    slug: Type.Optional(Slug),
    kind: ArticleKind,
    visibility: Type.Union([Type.Literal('officials'), Type.Literal('public')], {
      description: 'public: readable without login (only ELVL editors may choose it)',
    }),
    status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('archived')])),
    topics: Type.Array(Topic, { maxItems: 4, uniqueItems: true }),
    eitsModules: Type.Array(ModuleCode, { maxItems: 20, uniqueItems: true }),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
    title: Type.String({ minLength: 3, maxLength: 200 }),
    summary: Type.Optional(Type.String({ maxLength: 1000 })),
    body: Type.String({
      minLength: 1,
      maxLength: 200_000,
      description: 'Plain text with blank lines between paragraphs',
    }),
    changeNote: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ArticleInput = Static<typeof ArticleInput>;

export const ArticleSummarySchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  kind: Type.String(),
  visibility: Type.String(),
  status: Type.String(),
  topics: Type.Array(Type.String()),
  eitsModules: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  title: Type.String(),
  summary: Type.String(),
  snippet: Type.String({ description: 'the matching passage, matches between « and »' }),
  version: Type.Integer(),
  helped: Type.Integer(),
  authorMunicipality: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
});

/** A file attached to an article (attachments.ts attachToArticle, readArticles.ts). */
export const AttachmentView = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  url: Type.String(),
});

export const ArticleSchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  kind: Type.String(),
  visibility: Type.String(),
  status: Type.String(),
  topics: Type.Array(Type.String()),
  eitsModules: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  title: Type.String(),
  summary: Type.String(),
  body: Type.String(),
  version: Type.Integer(),
  authorMunicipality: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  attachments: Type.Array(AttachmentView),
  comments: Type.Array(
    Type.Object({
      id: Type.String(),
      body: Type.String(),
      authorName: Type.String(),
      authorMunicipality: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
      mine: Type.Boolean(),
    }),
  ),
  helped: Type.Object({ count: Type.Integer(), mine: Type.Boolean() }),
  canEdit: Type.Boolean(),
});

export const VersionSchema = Type.Object({
  version: Type.Integer(),
  title: Type.String(),
  summary: Type.String(),
  body: Type.String(),
  kind: Type.String(),
  visibility: Type.String(),
  topics: Type.Array(Type.String()),
  eitsModules: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  changeNote: Type.String(),
  editedAt: Type.String(),
  editorName: Type.String(),
});

export const ArticleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  topic: Type.Optional(Topic),
  kind: Type.Optional(ArticleKind),
  eitsModule: Type.Optional(ModuleCode),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 10_000, default: 0 }),
});

// E-ITS tracker
export const MeasureStatus = Type.Union([
  Type.Literal('not_started'),
  Type.Literal('in_progress'),
  Type.Literal('implemented'),
  Type.Literal('not_applicable'),
]);
export const Level = Type.Union([Type.Literal('basic'), Type.Literal('standard'), Type.Literal('high')]);
export const Evidence = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const MeasureUpdate = Type.Object(
  {
    status: MeasureStatus,
    reason: Type.Optional(Type.String({ maxLength: 2000, description: 'required when the status is not_applicable' })),
    responsibleRole: Type.Optional(Type.String({ maxLength: 200 })),
    responsiblePerson: Type.Optional(Type.String({ maxLength: 200 })),
    dueDate: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    evidence: Type.Optional(Type.Array(Evidence, { maxItems: 30 })),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
export type MeasureUpdate = Static<typeof MeasureUpdate>;

export const AuditInput = Type.Object(
  {
    auditDate: Type.String({ format: 'date' }),
    kind: Type.Union([Type.Literal('internal'), Type.Literal('external')]),
    auditor: Type.Optional(Type.String({ maxLength: 200 })),
    summary: Type.Optional(Type.String({ maxLength: 5000 })),
    nextAuditDue: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    findings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            measureCode: Type.Optional(Type.Union([MeasureCode, Type.Null()])),
            severity: Type.Union([Type.Literal('minor'), Type.Literal('major'), Type.Literal('critical')]),
            description: Type.String({ minLength: 1, maxLength: 2000 }),
            dueDate: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AuditInput = Static<typeof AuditInput>;

export const Progress = Type.Object({
  total: Type.Integer({ description: 'measures in scope (applicable modules, target level)' }),
  notApplicable: Type.Integer(),
  notStarted: Type.Integer(),
  inProgress: Type.Integer(),
  implemented: Type.Integer(),
  percent: Type.Number({
    description: 'implemented ÷ (total − not applicable), one decimal; 100 when nothing is left',
  }),
});

// Mentor network
export const OfferInput = Type.Object(
  {
    eitsModules: Type.Array(ModuleCode, { minItems: 1, maxItems: 30, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type OfferInput = Static<typeof OfferInput>;
export const RequestInput = Type.Object(
  {
    municipalityCode: Type.String({ pattern: '^[0-9]{4}$' }),
    eitsModules: Type.Array(ModuleCode, { minItems: 1, maxItems: 30, uniqueItems: true }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type RequestInput = Static<typeof RequestInput>;
export const SessionInput = Type.Object(
  {
    heldOn: Type.String({ format: 'date' }),
    minutes: Type.Integer({ minimum: 5, maximum: 600 }),
    eitsModules: Type.Optional(Type.Array(ModuleCode, { maxItems: 30 })),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type SessionInput = Static<typeof SessionInput>;
