import { Type, type Static, type TSchema } from 'typebox';
import { PlaceCode } from '../places';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Texts = Type.Object({ et: Type.String(), en: Type.String() });

/** Fields an official edits. Every field is optional on update (only what is sent changes). */
const datasetFields = {
  shortName: Type.String({
    pattern: '^[a-z0-9][a-z0-9_-]{1,59}$',
    description: 'Short name for the address (lowercase letters, digits, - and _); the catalogue prefix is added',
  }),
  titleEt: Type.String({ maxLength: 200 }),
  titleEn: Type.String({ maxLength: 200 }),
  descriptionEt: Type.String({ maxLength: 10000 }),
  descriptionEn: Type.String({ maxLength: 10000 }),
  keywordsEt: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30 }),
  keywordsEn: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30 }),
  themes: Type.Array(Type.String({ maxLength: 10 }), {
    maxItems: 13,
    description: 'EU data theme codes (GOVE, ECON, …)',
  }),
  spatial: Type.Array(PlaceCode, { maxItems: 100, description: 'EHAK codes the data covers' }),
  temporalStart: Nullable(DateString),
  temporalEnd: Nullable(DateString),
  frequency: Type.String({ maxLength: 20, description: 'EU frequency code (ANNUAL, MONTHLY, IRREG, …)' }),
  licenseId: Type.String({ maxLength: 40, description: 'CKAN licence id (CC-BY-4.0 by default)' }),
  accessRights: Type.Union([Type.Literal('PUBLIC'), Type.Literal('RESTRICTED'), Type.Literal('NON_PUBLIC')]),
  contactName: Nullable(Type.String({ maxLength: 200 })),
  contactEmail: Nullable(Type.String({ maxLength: 200 })),
  qualityNote: Nullable(
    Type.String({ maxLength: 4000, description: 'Data-quality note: known gaps, errors, how the data was checked' }),
  ),
  infoSystemId: Nullable(Type.String({ format: 'uuid' })),
  agreedOn: Nullable(DateString),
  changeNote: Nullable(Type.String({ maxLength: 1000, description: 'What changed in this version' })),
};

export const DatasetCreate = Type.Object(
  {
    ...Object.fromEntries(Object.entries(datasetFields).map(([k, v]) => [k, Type.Optional(v)])),
    titleEt: Type.String({ minLength: 1, maxLength: 200 }),
  } as { [K in keyof typeof datasetFields]: ReturnType<typeof Type.Optional<(typeof datasetFields)[K]>> } & {
    titleEt: ReturnType<typeof Type.String>;
  },
  { additionalProperties: false },
);
export type DatasetCreate = Static<typeof DatasetCreate> & { titleEt: string };

export const DatasetUpdate = Type.Object(
  Object.fromEntries(
    Object.entries(datasetFields)
      .filter(([k]) => k !== 'shortName')
      .map(([k, v]) => [k, Type.Optional(v)]),
  ) as {
    [K in Exclude<keyof typeof datasetFields, 'shortName'>]: ReturnType<
      typeof Type.Optional<(typeof datasetFields)[K]>
    >;
  },
  { additionalProperties: false },
);
export type DatasetUpdate = Static<typeof DatasetUpdate>;

export const LinkInput = Type.Object(
  {
    url: Type.String({ maxLength: 2000, description: 'http(s) address of the data' }),
    titleEt: Type.String({ minLength: 1, maxLength: 200 }),
    titleEn: Type.String({ minLength: 1, maxLength: 200 }),
    format: Type.String({ maxLength: 20, description: 'CSV, JSON, API, …' }),
  },
  { additionalProperties: false },
);
export type LinkInput = Static<typeof LinkInput>;

export const ReviewInput = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const CsvInfoSchema = Type.Object({
  encoding: Type.Literal('utf-8'),
  delimiter: Type.String(),
  decimalChar: Type.String(),
  header: Type.Array(Type.String()),
  rowCount: Type.Integer(),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      type: Type.String(),
      kind: Type.Optional(Type.String()),
      title: Type.Optional(Type.String()),
    }),
  ),
});

export const DistributionSchema = Type.Object({
  id: Type.String(),
  title: Texts,
  kind: Type.Union([Type.Literal('file'), Type.Literal('url')]),
  fileId: Type.Union([Type.String(), Type.Null()]),
  filename: Type.Union([Type.String(), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()]),
  format: Type.String(),
  mediaType: Type.String(),
  byteSize: Type.Union([Type.Integer(), Type.Null()]),
  sha256: Type.Union([Type.String(), Type.Null()]),
  csv: Type.Union([CsvInfoSchema, Type.Null()]),
  downloadUrl: Type.Optional(Type.String()),
});

export const SnapshotSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  municipalityCode: Type.String(),
  organization: Type.Object({ name: Type.String(), title: Type.String() }),
  version: Type.Integer(),
  origin: Type.String(),
  providerKey: Type.Union([Type.String(), Type.Null()]),
  title: Texts,
  description: Texts,
  keywords: Type.Object({ et: Type.Array(Type.String()), en: Type.Array(Type.String()) }),
  themes: Type.Array(Type.String()),
  spatial: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  temporal: Type.Union([
    Type.Object({ start: Type.Union([Type.String(), Type.Null()]), end: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  frequency: Type.String(),
  licenseId: Type.String(),
  accessRights: Type.String(),
  contact: Type.Union([
    Type.Object({ name: Type.Union([Type.String(), Type.Null()]), email: Type.String() }),
    Type.Null(),
  ]),
  qualityNote: Type.Union([Type.String(), Type.Null()]),
  anonymisation: Type.Union([Texts, Type.Null()]),
  infoSystem: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), shortName: Type.String() }),
    Type.Null(),
  ]),
  issued: Type.String(),
  modified: Type.String(),
  changeNote: Type.Union([Type.String(), Type.Null()]),
  distributions: Type.Array(DistributionSchema),
});

export const FieldProblem = Type.Object({ pointer: Type.String(), detail: Type.String(), code: Type.String() });

export const DatasetView = Type.Object({
  id: Type.String(),
  municipalityCode: Type.String(),
  name: Type.String(),
  origin: Type.String(),
  providerKey: Type.Union([Type.String(), Type.Null()]),
  state: Type.String(),
  titleEt: Type.String(),
  titleEn: Type.String(),
  descriptionEt: Type.String(),
  descriptionEn: Type.String(),
  keywordsEt: Type.Array(Type.String()),
  keywordsEn: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  spatial: Type.Array(Type.String()),
  temporalStart: Type.Union([Type.String(), Type.Null()]),
  temporalEnd: Type.Union([Type.String(), Type.Null()]),
  frequency: Type.String(),
  licenseId: Type.String(),
  accessRights: Type.String(),
  contactName: Type.Union([Type.String(), Type.Null()]),
  contactEmail: Type.Union([Type.String(), Type.Null()]),
  qualityNote: Type.Union([Type.String(), Type.Null()]),
  infoSystemId: Type.Union([Type.String(), Type.Null()]),
  agreedOn: Type.Union([Type.String(), Type.Null()]),
  changeNote: Type.Union([Type.String(), Type.Null()]),
  currentVersion: Type.Union([Type.Integer(), Type.Null()]),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  distributions: Type.Array(DistributionSchema),
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      publishedAt: Type.String(),
      publishedBy: Type.Union([Type.String(), Type.Null()]),
      changeNote: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  missing: Type.Array(FieldProblem, { description: 'What must still be filled in before review or publication' }),
});

export const DatasetSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  origin: Type.String(),
  state: Type.String(),
  titleEt: Type.String(),
  titleEn: Type.String(),
  currentVersion: Type.Union([Type.Integer(), Type.Null()]),
  agreedOn: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  distributions: Type.Integer(),
});

export const CatalogueInput = Type.Object(
  {
    titleEt: Type.String({ minLength: 3, maxLength: 200 }),
    titleEn: Type.String({ minLength: 3, maxLength: 200 }),
    descriptionEt: Type.String({ minLength: 1, maxLength: 4000 }),
    descriptionEn: Type.String({ minLength: 1, maxLength: 4000 }),
    contactName: Nullable(Type.String({ maxLength: 200 })),
    contactEmail: Nullable(Type.String({ maxLength: 200 })),
    homepage: Nullable(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CatalogueInput = Static<typeof CatalogueInput>;
export const CatalogueView = Type.Object({
  municipalityCode: Type.String(),
  organization: Type.Object({ name: Type.String(), title: Type.String() }),
  titleEt: Type.String(),
  titleEn: Type.String(),
  descriptionEt: Type.String(),
  descriptionEn: Type.String(),
  contactName: Type.Union([Type.String(), Type.Null()]),
  contactEmail: Type.Union([Type.String(), Type.Null()]),
  homepage: Type.Union([Type.String(), Type.Null()]),
});

// ---- Data governance ----
const Link = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 300 }), url: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
const infoSystemFields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  shortName: Type.String({
    pattern: '^[a-zA-ZõÕäÄöÖüÜ0-9.-]{1,100}$',
    description: "RIHA short name (letters, digits, '.', '-')",
  }),
  ownerCode: Type.String({ pattern: '^[0-9]{8}$', description: 'Registry code of the controller (8 digits)' }),
  ownerName: Type.String({ minLength: 1, maxLength: 300 }),
  purpose: Type.String({ maxLength: 4000 }),
  dataObjects: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
    maxItems: 10,
    description: 'Main data objects (RIHA stored_data, at most 10)',
  }),
  personalData: Type.Array(
    Type.Union([
      Type.Literal('none'),
      Type.Literal('personal'),
      Type.Literal('special'),
      Type.Literal('criminal'),
      Type.Literal('children'),
    ]),
    { maxItems: 5 },
  ),
  securityStandard: Nullable(Type.String({ maxLength: 50, description: 'E-ITS, ISKE, ISO 27001, …' })),
  securityClass: Nullable(Type.String({ pattern: '^K[0-3]T[0-3]S[0-3]$' })),
  securityLevel: Nullable(Type.Union([Type.Literal('L'), Type.Literal('M'), Type.Literal('H')])),
  lastAuditDate: Nullable(DateString),
  lastAuditResolution: Nullable(
    Type.Union([
      Type.Literal('PASSED_WITHOUT_REMARKS'),
      Type.Literal('PASSED_WITH_REMARKS'),
      Type.Literal('DID_NOT_PASS'),
    ]),
  ),
  systemStatus: Type.Union([Type.Literal('IN_USE'), Type.Literal('ESTABLISHING'), Type.Literal('FINISHED')]),
  developmentStatus: Type.Union([Type.Literal('IN_DEVELOPMENT'), Type.Literal('NOT_IN_DEVELOPMENT')]),
  xRoadStatus: Type.Union([Type.Literal('JOINED'), Type.Literal('NOT_JOINED')]),
  vendor: Nullable(Type.String({ maxLength: 300 })),
  homepage: Nullable(Type.String({ maxLength: 500 })),
  rihaRegistered: Type.Boolean(),
  rihaUuid: Nullable(Type.String({ format: 'uuid' })),
  contacts: Type.Array(
    Type.Object(
      { name: Type.String({ minLength: 1, maxLength: 200 }), email: Type.String({ minLength: 3, maxLength: 200 }) },
      { additionalProperties: false },
    ),
    { maxItems: 10 },
  ),
  documents: Type.Array(Link, { maxItems: 30 }),
  legislations: Type.Array(Link, { maxItems: 30 }),
};
export const InfoSystemInput = Type.Object(
  {
    ...Object.fromEntries(Object.entries(infoSystemFields).map(([k, v]) => [k, Type.Optional(v)])),
    name: infoSystemFields.name,
    shortName: infoSystemFields.shortName,
    ownerCode: infoSystemFields.ownerCode,
    ownerName: infoSystemFields.ownerName,
  } as { [K in keyof typeof infoSystemFields]: ReturnType<typeof Type.Optional<(typeof infoSystemFields)[K]>> } & Pick<
    typeof infoSystemFields,
    'name' | 'shortName' | 'ownerCode' | 'ownerName'
  >,
  { additionalProperties: false },
);
export type InfoSystemInput = Static<typeof InfoSystemInput> & {
  name: string;
  shortName: string;
  ownerCode: string;
  ownerName: string;
};

export const InfoSystemView = Type.Object({
  id: Type.String(),
  municipalityCode: Type.String(),
  name: Type.String(),
  shortName: Type.String(),
  ownerCode: Type.String(),
  ownerName: Type.String(),
  purpose: Type.String(),
  dataObjects: Type.Array(Type.String()),
  personalData: Type.Array(Type.String()),
  securityStandard: Type.Union([Type.String(), Type.Null()]),
  securityClass: Type.Union([Type.String(), Type.Null()]),
  securityLevel: Type.Union([Type.String(), Type.Null()]),
  lastAuditDate: Type.Union([Type.String(), Type.Null()]),
  lastAuditResolution: Type.Union([Type.String(), Type.Null()]),
  systemStatus: Type.String(),
  developmentStatus: Type.String(),
  xRoadStatus: Type.String(),
  vendor: Type.Union([Type.String(), Type.Null()]),
  homepage: Type.Union([Type.String(), Type.Null()]),
  rihaRegistered: Type.Boolean(),
  rihaUuid: Type.Union([Type.String(), Type.Null()]),
  contacts: Type.Array(Type.Object({ name: Type.String(), email: Type.String() })),
  documents: Type.Array(Type.Object({ name: Type.String(), url: Type.String() })),
  legislations: Type.Array(Type.Object({ name: Type.String(), url: Type.String() })),
  datasets: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), titleEt: Type.String(), state: Type.String() }),
  ),
  updatedAt: Type.String(),
});

export const GovernanceRoleName = Type.Union([
  Type.Literal('head_of_data_governance'),
  Type.Literal('data_owner'),
  Type.Literal('data_steward'),
]);
export const GovernanceRoleInput = Type.Object(
  {
    idCode: Type.String({ pattern: '^[0-9]{11}$', description: 'Personal ID code of the person' }),
    role: GovernanceRoleName,
    infoSystemId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);
export type GovernanceRoleInput = Static<typeof GovernanceRoleInput>;
export const GovernanceRoleView = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  idCodeMasked: Type.String(),
  role: Type.String(),
  infoSystem: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  assignedAt: Type.String(),
});

export const RunView = Type.Object({
  id: Type.String(),
  providerKey: Type.String(),
  trigger: Type.String(),
  startedAt: Type.String(),
  finishedAt: Type.String(),
  status: Type.String(),
  published: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  changes: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  error: Type.Union([Type.String(), Type.Null()]),
});

const Labels = Type.Record(Type.String(), Type.Object({ et: Type.String(), en: Type.String() }));

/** GET /opendata/vocabularies: the controlled vocabularies the catalogue uses. */
export const VocabulariesSchema = Type.Object({
  themes: Labels,
  licences: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      url: Type.String(),
      eu: Type.String(),
      open: Type.Boolean(),
    }),
  ),
  frequencies: Labels,
  accessRights: Type.Array(Type.String()),
  formats: Type.Array(Type.Object({ format: Type.String(), ext: Type.Array(Type.String()), mediaType: Type.String() })),
  maxFileBytes: Type.Integer(),
});

/** A catalogue (CKAN organization) with its number of published datasets. */
export const OrganizationSchema = Type.Object({
  code: Type.String(),
  name: Type.String({ description: 'CKAN organization name' }),
  title: Type.String(),
  packageCount: Type.Integer(),
});

const SystemRef = Type.Object({ id: Type.String(), name: Type.String(), shortName: Type.String() });
const DatasetRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  titleEt: Type.String(),
  state: Type.String(),
});

/** The data governance dashboard of a municipality. */
export const GovernanceDashboardSchema = Type.Object({
  systems: Type.Object({
    total: Type.Integer(),
    notRegistered: Type.Array(SystemRef),
    withoutOwner: Type.Array(SystemRef),
  }),
  datasets: Type.Object({
    total: Type.Integer(),
    agreed: Type.Integer(),
    published: Type.Integer(),
    agreedPublished: Type.Integer(),
    agreedNotPublished: Type.Array(DatasetRef),
    withoutQualityNote: Type.Array(DatasetRef),
    waitingForReview: Type.Integer(),
  }),
  roles: Type.Object({ headOfDataGovernance: Type.Boolean() }),
  automaticFailures: Type.Array(
    Type.Object({ runId: Type.String(), providerKey: Type.String(), at: Type.String(), error: Type.String() }),
  ),
});
export type GovernanceDashboard = Static<typeof GovernanceDashboardSchema>;

/** The first rows of a CSV distribution. */
export const CsvPreviewSchema = Type.Object({
  header: Type.Array(Type.String()),
  rows: Type.Array(Type.Array(Type.String())),
  totalRows: Type.Integer(),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      type: Type.String(),
      kind: Type.Optional(Type.String()),
      title: Type.Optional(Type.String()),
    }),
  ),
});

/** The DCAT-AP export checked against the SHACL shapes (the first 100 results). */
export const DcatValidationSchema = Type.Object({
  conforms: Type.Boolean(),
  violations: Type.Integer(),
  results: Type.Array(
    Type.Object({
      severity: Type.Union([Type.Literal('Violation'), Type.Literal('Warning'), Type.Literal('Info')]),
      focusNode: Type.String(),
      path: Nullable(Type.String()),
      message: Type.String(),
      constraint: Type.String(),
      shape: Type.String(),
      value: Nullable(Type.String()),
    }),
  ),
  text: Type.String(),
});

/**
 * A document whose shape an outside standard defines (a Frictionless Data Package descriptor,
 * a RIHA entry): declared as an object of that standard, checked against the standard's own
 * schema in tests, passed through whole.
 */
export const StandardDocument = (description: string) => Type.Object({}, { additionalProperties: true, description });

/** GET /opendata/search: published datasets, facets and the titles of the facets' organizations. */
export const SearchSchema = Type.Object({
  count: Type.Integer(),
  results: Type.Array(SnapshotSchema),
  facets: Type.Record(Type.String(), Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() }))),
  organizations: Type.Record(Type.String(), Type.String(), { description: 'organization name → title' }),
});

/** GET /opendata/datasets/{name}: the current version and the list of versions. */
export const PublicDatasetSchema = Type.Object({
  dataset: SnapshotSchema,
  versions: Type.Array(
    Type.Object({ version: Type.Integer(), publishedAt: Type.String(), changeNote: Nullable(Type.String()) }),
  ),
});
