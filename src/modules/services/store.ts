import { sql, type ColumnType, type Generated } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';
import type { ProfileData, ServiceData } from './schemas';
import type { ServiceStatus } from './reference';

/** Tables of the services module (migrations 0500–0501). */
export interface ServiceTable {
  municipality_code: string;
  id: Generated<string>;
  identifier: string;
  version: number;
  status: ServiceStatus;
  field: string;
  name_et: string;
  template_id: string | null;
  template_version: number | null;
  data: Json<ServiceData>;
  created_at: Generated<Date>;
  created_by: string | null;
  updated_at: Generated<Date>;
  updated_by: string | null;
}
export interface ServiceVersionTable {
  municipality_code: string;
  service_id: string;
  version: number;
  status: ServiceStatus;
  data: Json<ServiceData>;
  change_note: string | null;
  changed_by: string | null;
  changed_at: Generated<Date>;
}
export interface ProfileTable {
  municipality_code: string;
  data: Json<ProfileData>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}
export interface AssessmentTable {
  municipality_code: string;
  id: Generated<string>;
  service_id: string;
  answers: Json<{ principle: string; answer: string; evidence?: string }[]>;
  /** numeric: read as a string (pg keeps its precision), written as a number. */
  score: ColumnType<string, number | string, number | string>;
  gaps: number;
  assessed_by: string | null;
  assessed_at: Generated<Date>;
}
export interface DeliveryTable {
  municipality_code: string;
  token_hash: Buffer;
  service_id: string;
  channel: string;
  person_id: string | null;
  lang: string;
  created_by: string;
  created_at: Generated<Date>;
  expires_at: Date;
  answered_at: Date | null;
}
export interface AnswerTable {
  municipality_code: string;
  id: Generated<number>;
  service_id: string;
  channel: string;
  score: number;
  effort: number | null;
  comment: string | null;
  lang: string;
  source: string;
  answered_at: Generated<Date>;
}

declare module '../../platform/db/tables' {
  interface KovTables {
    service: ServiceTable;
    service_version: ServiceVersionTable;
    municipality_profile: ProfileTable;
    service_assessment: AssessmentTable;
    survey_delivery: DeliveryTable;
    survey_answer: AnswerTable;
  }
}

export interface ServiceRow {
  municipality_code: string;
  id: string;
  identifier: string;
  version: number;
  status: ServiceStatus;
  field: string;
  name_et: string;
  template_id: string | null;
  template_version: number | null;
  data: ServiceData;
  updated_at: Date;
  updated_by: string | null;
}

const SERVICE_COLUMNS = [
  'municipality_code',
  'id',
  'identifier',
  'version',
  'status',
  'field',
  'name_et',
  'template_id',
  'template_version',
  'data',
  'updated_at',
  'updated_by',
] as const;

export async function findService(
  trx: Trx,
  municipalityCode: string,
  id: string,
  forUpdate = false,
): Promise<ServiceRow | undefined> {
  let query = trx
    .selectFrom('service')
    .select(SERVICE_COLUMNS)
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as ServiceRow | undefined;
}

export async function listServiceRows(
  trx: Trx,
  municipalityCode: string,
  opts: { statuses?: ServiceStatus[]; lifeEvent?: string; field?: string; text?: string } = {},
): Promise<ServiceRow[]> {
  let query = trx.selectFrom('service').select(SERVICE_COLUMNS).where('municipality_code', '=', municipalityCode);
  if (opts.statuses?.length) query = query.where('status', 'in', opts.statuses);
  if (opts.field) query = query.where('field', '=', opts.field);
  if (opts.lifeEvent)
    query = query.where(sql<boolean>`data->'lifeEvents' @> ${JSON.stringify([{ code: opts.lifeEvent }])}::jsonb`);
  if (opts.text) {
    const like = `%${opts.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    query = query.where(
      sql<boolean>`(data->'name'->>'et' ILIKE ${like} OR data->'name'->>'en' ILIKE ${like} OR data->'name'->>'ru' ILIKE ${like} OR data->'description'->>'et' ILIKE ${like} OR data->'description'->>'en' ILIKE ${like} OR data->'description'->>'ru' ILIKE ${like} OR coalesce(data->>'keywords', '') ILIKE ${like})`,
    );
  }
  return (await query.orderBy('name_et').execute()) as ServiceRow[];
}

export async function insertService(
  trx: Trx,
  s: {
    municipalityCode: string;
    identifier: string;
    status: ServiceStatus;
    data: ServiceData;
    templateId: string | null;
    templateVersion: number | null;
    by: string | null;
    changeNote: string | null;
  },
): Promise<ServiceRow> {
  const row = (await trx
    .insertInto('service')
    .values({
      municipality_code: s.municipalityCode,
      identifier: s.identifier,
      version: 1,
      status: s.status,
      field: s.data.field,
      name_et: s.data.name.et,
      template_id: s.templateId,
      template_version: s.templateVersion,
      data: JSON.stringify(s.data),
      created_by: s.by,
      updated_by: s.by,
    })
    .returning(SERVICE_COLUMNS)
    .executeTakeFirstOrThrow()) as ServiceRow;
  await insertVersion(trx, row, s.changeNote, s.by);
  return row;
}

export async function saveNewVersion(
  trx: Trx,
  current: ServiceRow,
  next: {
    status: ServiceStatus;
    data: ServiceData;
    templateVersion?: number | null;
    by: string | null;
    changeNote: string | null;
  },
): Promise<ServiceRow> {
  const row = (await trx
    .updateTable('service')
    .set({
      version: current.version + 1,
      status: next.status,
      field: next.data.field,
      name_et: next.data.name.et,
      data: JSON.stringify(next.data),
      ...(next.templateVersion !== undefined ? { template_version: next.templateVersion } : {}),
      updated_at: new Date(),
      updated_by: next.by,
    })
    .where('municipality_code', '=', current.municipality_code)
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returning(SERVICE_COLUMNS)
    .executeTakeFirstOrThrow()) as ServiceRow;
  await insertVersion(trx, row, next.changeNote, next.by);
  return row;
}

async function insertVersion(trx: Trx, row: ServiceRow, changeNote: string | null, by: string | null) {
  await trx
    .insertInto('service_version')
    .values({
      municipality_code: row.municipality_code,
      service_id: row.id,
      version: row.version,
      status: row.status,
      data: JSON.stringify(row.data),
      change_note: changeNote,
      changed_by: by,
    })
    .execute();
}

export async function listVersionRows(trx: Trx, municipalityCode: string, serviceId: string) {
  return trx
    .selectFrom('service_version as v')
    .leftJoin('person as p', 'p.id', 'v.changed_by')
    .select([
      'v.version',
      'v.status',
      'v.data',
      'v.change_note',
      'v.changed_by',
      'v.changed_at',
      'p.given_name',
      'p.family_name',
    ])
    .where('v.municipality_code', '=', municipalityCode)
    .where('v.service_id', '=', serviceId)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function findVersion(trx: Trx, municipalityCode: string, serviceId: string, version: number) {
  return trx
    .selectFrom('service_version')
    .select(['version', 'status', 'data', 'changed_at', 'changed_by', 'change_note'])
    .where('municipality_code', '=', municipalityCode)
    .where('service_id', '=', serviceId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function nextIdentifier(trx: Trx, municipalityCode: string): Promise<string> {
  const prefix = municipalityCode === '0000' ? 'ELVL-' : `KOV${municipalityCode}-`;
  const r = await sql<{ n: number | null }>`
    SELECT max(substring(identifier FROM ${'^' + prefix.replace('-', '\\-') + '([0-9]+)$'})::int) AS n
    FROM service WHERE municipality_code = ${municipalityCode}`.execute(trx);
  const n = (r.rows[0]?.n ?? 0) + 1;
  return `${prefix}${String(n).padStart(3, '0')}`;
}

export async function findProfile(trx: Trx, municipalityCode: string) {
  return trx
    .selectFrom('municipality_profile')
    .select(['data', 'updated_at'])
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
}

export async function upsertProfile(trx: Trx, municipalityCode: string, data: ProfileData, by: string | null) {
  await trx
    .insertInto('municipality_profile')
    .values({ municipality_code: municipalityCode, data: JSON.stringify(data), updated_by: by })
    .onConflict((oc) =>
      oc
        .column('municipality_code')
        .doUpdateSet({ data: JSON.stringify(data), updated_by: by, updated_at: new Date() }),
    )
    .execute();
}

/** A service of the public catalogue as open data publishes it (`services/openData.ts`). */
export interface CatalogueServiceRow {
  identifier: string;
  status: string;
  field: string;
  name_et: string;
  updated_at: Date;
  data: ServiceData;
}

/** The municipality's services in force (active, or needing a change), by identifier. */
export async function servicesInForce(trx: Trx, municipalityCode: string): Promise<CatalogueServiceRow[]> {
  const r = await sql<CatalogueServiceRow>`
    SELECT identifier, status, field, name_et, updated_at, data FROM service
    WHERE municipality_code = ${municipalityCode} AND status IN ('active', 'needs-change') ORDER BY identifier`.execute(
    trx,
  );
  return r.rows;
}

/** Satisfaction answers per service and month, all channels together (from the roll-up survey_monthly). */
export async function monthlySatisfaction(trx: Trx, municipalityCode: string) {
  const r = await sql<{
    identifier: string;
    name_et: string;
    month: string;
    answers: number;
    score_sum: number;
    top2: number;
  }>`
    SELECT s.identifier, s.name_et, m.month::text AS month, sum(m.answers)::int AS answers, sum(m.score_sum)::int AS score_sum, sum(m.top2)::int AS top2
    FROM survey_monthly m JOIN service s ON s.municipality_code = m.municipality_code AND s.id = m.service_id
    WHERE m.municipality_code = ${municipalityCode} GROUP BY s.identifier, s.name_et, m.month ORDER BY m.month, s.identifier`.execute(
    trx,
  );
  return r.rows;
}

/** Services whose description waits for the municipality: marked as needing a change, or still being written. */
export async function serviceWorkRows(trx: Trx, municipalityCode: string) {
  const r = await sql<{ status: 'needs-change' | 'being-created'; count: number; since: Date }>`
    SELECT status, count(*)::int AS count, min(updated_at) AS since FROM service
     WHERE municipality_code = ${municipalityCode} AND status IN ('needs-change', 'being-created')
     GROUP BY status`.execute(trx);
  return r.rows;
}
