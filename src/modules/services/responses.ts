/**
 * What the services API answers, as TypeBox schemas: the response serializer writes exactly these
 * fields (anything else a use case returns is left out), OpenAPI documents them, and the web app
 * reads their types through `contract.ts`. Each schema names the function whose result it types.
 */
import { Type, type TSchema } from 'typebox';
import { ChannelType, LangCode, ProfileData, SatisfactionRow, ServiceData, ServiceStatus } from './schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Int = Type.Integer();
const Strings = Type.Array(Type.String());
/** A text in the three languages (reference data: all three are given). */
const Label = Type.Object({ et: Str, ru: Str, en: Str });
/** A service's own text: Estonian always, Russian and English when written. */
const LangText = Type.Object({ et: Str, ru: Type.Optional(Str), en: Type.Optional(Str) });
const LifeEventKind = Type.Enum(['life', 'business']);
const LifeEventOrigin = Type.Enum(['eu', 'ee', 'eu+ee']);

/** GET /services/reference (routes.ts, from reference.ts). */
export const ReferenceSchema = Type.Object({
  fields: Type.Array(Type.Object({ code: Str, label: Label })),
  targetGroups: Type.Array(Type.Object({ code: Str, label: Label })),
  serviceTypes: Type.Array(Type.Object({ code: Str, label: Label })),
  channelTypes: Type.Array(Type.Object({ code: Str, label: Label })),
  outputTypes: Type.Array(Type.Object({ code: Str, label: Label })),
  statuses: Type.Array(Type.Object({ code: Str, label: Label })),
  feeTypes: Type.Array(Type.Object({ code: Str, label: Label })),
  stateRelations: Type.Array(Type.Object({ code: Str, label: Label })),
  lifeEvents: Type.Array(
    Type.Object({
      code: Str,
      kind: LifeEventKind,
      origin: LifeEventOrigin,
      name: Label,
      description: Label,
      steps: Type.Array(Type.Object({ title: Label, stateServices: Strings })),
    }),
  ),
  stateServices: Type.Array(Type.Object({ id: Str, name: Label, provider: Str, url: Str })),
  principles: Type.Array(Type.Object({ code: Str, name: Label, question: Label })),
  satisfactionLevels: Type.Array(Type.Object({ level: Str, min: Type.Number() })),
});

/** One earlier version (readServices.ts `getVersion`). */
export const VersionDetailSchema = Type.Object({
  version: Int,
  status: ServiceStatus,
  data: ServiceData,
  changedAt: Type.String({ format: 'date-time' }),
  changedBy: Nullable(Str),
  changeNote: Nullable(Str),
});

/** divergence.ts `serviceDivergence`. */
export const DivergenceSchema = Type.Object({
  serviceId: Str,
  templateId: Nullable(Str),
  templateIdentifier: Nullable(Str),
  adoptedVersion: Nullable(Int),
  templateVersion: Nullable(Int),
  outdated: Type.Boolean({ description: 'the template is newer than the version adopted' }),
  adapted: Type.Array(Str, { description: 'content fields changed from the adopted template version' }),
  localised: Type.Array(Str, { description: 'fields a municipality fills with its own facts' }),
  templateChanged: Type.Array(Str, { description: 'fields ELVL changed in the template since' }),
});

/** coverage.ts `municipalityCoverage`. */
export const CoverageSchema = Type.Object({
  municipalityCode: Str,
  templates: Type.Array(
    Type.Object({
      templateId: Str,
      templateIdentifier: Str,
      name: LangText,
      field: Str,
      service: Nullable(Type.Object({ id: Str, identifier: Str, status: ServiceStatus, outdated: Type.Boolean() })),
    }),
  ),
  ownServices: Type.Array(Type.Object({ id: Str, identifier: Str, name: LangText, status: ServiceStatus, field: Str })),
  mapped: Int,
  templateCount: Int,
  coveragePercent: Int,
});

/** coverage.ts `coverageMatrix` (ELVL). */
export const CoverageMatrixSchema = Type.Object({
  templates: Type.Array(Type.Object({ templateId: Str, identifier: Str, name: LangText, municipalities: Int })),
  municipalities: Type.Array(
    Type.Object({
      code: Str,
      name: Str,
      cells: Type.Array(Nullable(ServiceStatus), { description: "per template, the municipality's service status" }),
      mapped: Int,
      ownServices: Int,
      coveragePercent: Int,
    }),
  ),
  municipalityCount: Int,
  municipalitiesStarted: Int,
});

/** overlap.ts `municipalityOverlap` and `nationalOverlap`. */
export const OverlapSchema = Type.Object({
  scope: Type.String({ description: 'the municipality code, or "national"' }),
  items: Type.Array(
    Type.Object({
      municipalityCode: Str,
      serviceId: Str,
      identifier: Str,
      name: Str,
      status: ServiceStatus,
      stateService: Type.Object({ id: Str, name: Str, url: Str }),
      relation: Type.Enum(['duplicates', 'depends-on', 'possible-duplicate']),
      similarity: Type.Optional(Type.Number({ description: 'name similarity 0–1 of a possible duplicate' })),
    }),
  ),
  byRelation: Type.Object({ duplicates: Int, 'depends-on': Int, 'possible-duplicate': Int }),
  byStateService: Type.Array(Type.Object({ id: Str, name: Str, duplicates: Int, dependsOn: Int, possible: Int })),
});

const AssessmentAnswerValue = Type.Enum(['met', 'partly', 'not-met', 'not-applicable']);
/** assessment.ts `assessService` and `latestAssessment`. */
export const AssessmentSchema = Type.Object({
  id: Str,
  serviceId: Str,
  score: Type.Number({ description: '0–100, one decimal' }),
  gaps: Type.Array(Type.Object({ principle: Str, answer: AssessmentAnswerValue })),
  answers: Type.Array(Type.Object({ principle: Str, answer: AssessmentAnswerValue, evidence: Type.Optional(Str) })),
  assessedAt: Type.String({ format: 'date-time' }),
});

/** assessment.ts `assessmentReport`. */
export const AssessmentReportSchema = Type.Object({
  municipalityCode: Str,
  services: Type.Array(
    Type.Object({
      serviceId: Str,
      identifier: Str,
      name: Str,
      status: ServiceStatus,
      score: Nullable(Type.Number()),
      gaps: Strings,
      assessedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  assessedCount: Int,
  serviceCount: Int,
  meanScore: Nullable(Type.Number()),
  gapsByPrinciple: Type.Array(Type.Object({ principle: Str, services: Int })),
});

/** satisfaction.ts `satisfactionResults` (JSON; the CSV form is text). */
export const SatisfactionResultsSchema = Type.Object({
  municipalityCode: Str,
  from: Str,
  to: Str,
  groupBy: Type.Enum(['total', 'service', 'channel', 'month', 'service-channel']),
  rows: Type.Array(SatisfactionRow),
  total: SatisfactionRow,
});

/** satisfaction.ts `compareMunicipalities` (ELVL; JSON, the CSV form is text). */
export const ComparisonSchema = Type.Object({
  year: Int,
  municipalities: Type.Array(
    Type.Object({
      ...SatisfactionRow.properties,
      rank: Nullable(Type.Integer({ description: 'none for a low sample' })),
    }),
  ),
  national: SatisfactionRow,
  refreshedAt: Nullable(Type.String({ format: 'date-time' })),
});

/** lifeEvents.ts `listLifeEvents`. */
export const LifeEventListSchema = Type.Array(
  Type.Object({
    code: Str,
    kind: LifeEventKind,
    origin: LifeEventOrigin,
    name: Str,
    description: Str,
    municipalServices: Int,
    stateServices: Int,
  }),
);

const BriefService = Type.Object({
  id: Str,
  identifier: Str,
  name: Str,
  description: Str,
  channels: Type.Array(Type.Object({ type: ChannelType, address: Str })),
  status: ServiceStatus,
});
/** lifeEvents.ts `lifeEventPage`. */
export const LifeEventPageSchema = Type.Object({
  event: Type.Object({ code: Str, kind: LifeEventKind, origin: LifeEventOrigin, name: Str, description: Str }),
  municipality: Type.Object({ code: Str, name: Str }),
  steps: Type.Array(
    Type.Object({
      step: Int,
      title: Str,
      municipalServices: Type.Array(BriefService),
      stateServices: Type.Array(Type.Object({ id: Str, name: Str, provider: Nullable(Str), url: Str })),
    }),
  ),
  more: Type.Array(BriefService),
});

/** generalData.ts `generalData`: Bürokratt's and the state channels' document. */
export const GeneralDataSchema = Type.Object({
  municipality: Type.Object({ code: Str, name: Str, kind: Str }),
  language: LangCode,
  contacts: Nullable(
    Type.Object({
      officialName: Str,
      address: Str,
      email: Str,
      phone: Str,
      website: Str,
      serviceDesks: Type.Array(Type.Object({ name: Str, address: Str, phone: Type.Optional(Str) })),
    }),
  ),
  openingHours: ProfileData.properties.openingHours,
  services: Type.Array(
    Type.Object({
      id: Str,
      identifier: Str,
      name: Str,
      description: Str,
      field: Str,
      lifeEvents: Strings,
      feeType: Str,
      channels: Type.Array(
        Type.Object({
          type: ChannelType,
          address: Str,
          openingHours: Type.Optional(Str),
          processingTime: Type.Optional(Str),
        }),
      ),
      contact: Type.Object({ name: Str, email: Type.Optional(Str), phone: Type.Optional(Str) }),
      url: Str,
    }),
  ),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  source: Str,
});
