import { sql, type ColumnType, type Generated } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json, Timestamp } from '../../platform/db/tables';
import type { CsvInfo } from './csv';
import type { DatasetSnapshot } from './snapshot';

/** Tables of the open data module (migrations 0600–0649). */
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface CatalogueTable {
  municipality_code: string;
  title_et: string;
  title_en: string;
  description_et: string;
  description_en: string;
  contact_name: string | null;
  contact_email: string | null;
  homepage: string | null;
  updated_at: Timestamp;
}

export interface DatasetTable {
  municipality_code: string;
  id: Generated<string>;
  name: string;
  origin: 'manual' | 'auto';
  provider_key: string | null;
  source_key: string | null;
  state: ColumnType<
    'draft' | 'review' | 'published' | 'withdrawn',
    'draft' | 'review' | 'published' | 'withdrawn' | undefined
  >;
  title_et: string;
  title_en: string;
  description_et: string;
  description_en: string;
  keywords_et: TextArray;
  keywords_en: TextArray;
  themes: TextArray;
  spatial: TextArray;
  temporal_start: string | null;
  temporal_end: string | null;
  frequency: string;
  license_id: string;
  access_rights: string;
  contact_name: string | null;
  contact_email: string | null;
  quality_note: string | null;
  anonymisation_et: string | null;
  anonymisation_en: string | null;
  info_system_id: string | null;
  agreed_on: string | null;
  current_version: number | null;
  change_note: string | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DistributionTable {
  municipality_code: string;
  id: Generated<string>;
  dataset_id: string;
  position: number;
  title_et: string;
  title_en: string;
  file_id: string | null;
  url: string | null;
  format: string;
  media_type: string;
  byte_size: number | null;
  sha256: string | null;
  csv: Json<CsvInfo | null> | null;
  created_at: Timestamp;
}

export interface DatasetVersionTable {
  municipality_code: string;
  dataset_id: string;
  version: number;
  published_at: Timestamp;
  published_by: string | null;
  change_note: string | null;
  snapshot: Json<DatasetSnapshot>;
}

export interface PublishedTable {
  municipality_code: string;
  dataset_id: string;
  name: string;
  version: number;
  organization: string;
  origin: string;
  title_et: string;
  title_en: string;
  tags: TextArray;
  themes: TextArray;
  formats: TextArray;
  license_id: string;
  spatial: TextArray;
  frequency: string;
  metadata_created: Timestamp;
  metadata_modified: Timestamp;
  snapshot: Json<DatasetSnapshot>;
  search: ColumnType<string, never, never>;
}

export interface RunChange {
  key: string;
  datasetId?: string;
  name?: string;
  change: 'new' | 'updated' | 'unchanged' | 'failed';
  version?: number;
  rowsBefore?: number;
  rowsAfter?: number;
  files?: { name: string; before: string | null; after: string }[];
  error?: string;
}

export interface PublicationRunTable {
  municipality_code: string;
  id: Generated<string>;
  provider_key: string;
  trigger: 'schedule' | 'manual' | 'event' | 'seed';
  started_at: Timestamp;
  finished_at: Timestamp;
  status: 'published' | 'unchanged' | 'failed' | 'partial';
  published: number;
  unchanged: number;
  failed: number;
  changes: Json<RunChange[]>;
  error: string | null;
}

export interface InfoSystemTable {
  municipality_code: string;
  id: Generated<string>;
  name: string;
  short_name: string;
  owner_code: string;
  owner_name: string;
  purpose: string;
  data_objects: TextArray;
  personal_data: TextArray;
  security_standard: string | null;
  security_class: string | null;
  security_level: string | null;
  last_audit_date: string | null;
  last_audit_resolution: string | null;
  system_status: string;
  development_status: string;
  x_road_status: string;
  vendor: string | null;
  homepage: string | null;
  riha_registered: boolean;
  riha_uuid: string | null;
  contacts: Json<{ name: string; email: string }[]>;
  documents: Json<{ name: string; url: string }[]>;
  legislations: Json<{ name: string; url: string }[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GovernanceRoleTable {
  municipality_code: string;
  id: Generated<string>;
  person_id: string;
  role: 'head_of_data_governance' | 'data_owner' | 'data_steward';
  info_system_id: string | null;
  assigned_by: string | null;
  assigned_at: Timestamp;
}

declare module '../../platform/db/tables' {
  interface KovTables {
    opendata_catalogue: CatalogueTable;
    opendata_dataset: DatasetTable;
    opendata_distribution: DistributionTable;
    opendata_dataset_version: DatasetVersionTable;
    opendata_published: PublishedTable;
    opendata_publication_run: PublicationRunTable;
    opendata_info_system: InfoSystemTable;
    opendata_governance_role: GovernanceRoleTable;
  }
}

export type DatasetRow = Awaited<ReturnType<typeof findDataset>>;

export async function findDataset(trx: Trx, municipalityCode: string, id: string) {
  return trx
    .selectFrom('opendata_dataset')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listDistributions(trx: Trx, municipalityCode: string, datasetId: string) {
  return trx
    .selectFrom('opendata_distribution')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('dataset_id', '=', datasetId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

export async function tenantName(trx: Trx, code: string): Promise<string | undefined> {
  const r = await trx.selectFrom('tenant').select('name').where('code', '=', code).executeTakeFirst();
  return r?.name;
}

export async function placeNames(trx: Trx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await trx.selectFrom('place').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The municipality's information systems without their contacts (for open data), by short name. */
export async function infoSystemsForPublication(trx: Trx, municipalityCode: string) {
  const r = await sql<{
    name: string;
    short_name: string;
    owner_code: string;
    owner_name: string;
    purpose: string;
    data_objects: string[];
    personal_data: string[];
    security_standard: string | null;
    security_level: string | null;
    last_audit_date: string | null;
    system_status: string;
    x_road_status: string;
    vendor: string | null;
    riha_registered: boolean;
  }>`
    SELECT name, short_name, owner_code, owner_name, purpose, data_objects, personal_data, security_standard, security_level, last_audit_date::text, system_status, x_road_status, vendor, riha_registered
    FROM opendata_info_system WHERE municipality_code = ${municipalityCode} ORDER BY short_name`.execute(trx);
  return r.rows;
}
