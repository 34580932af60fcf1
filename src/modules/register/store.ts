import type { ColumnType, Generated } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Residence } from './model';

/** Kysely types of this module's tables (migrations/0100_register_*.sql). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface RegisterResidenceTable {
  municipality_code: string;
  person_id: string;
  valid_from: string;
  valid_until: string | null;
  residence_municipality_code: string;
  settlement_code: string | null;
  address: string;
  ads_adr_id: number | null;
  status: string | null;
  source: 'extract' | 'demo';
  import_id: string | null;
}

export interface RegisterImportTable {
  municipality_code: string;
  id: Generated<string>;
  filename: string;
  format: 'csv' | 'json';
  sha256: string;
  row_count: number;
  person_count: number;
  imported_by: string | null;
  imported_at: Generated<Date>;
}

export type QueryOutcome = 'found' | 'not-found' | 'timeout' | 'error' | 'malformed';

export interface RegisterQueryLogTable {
  municipality_code: string;
  id: Generated<number>;
  at: Generated<Date>;
  asked_by: string | null;
  subject_id: string;
  purpose: string;
  reference: string | null;
  source: 'xroad' | 'extract';
  service: string | null;
  outcome: QueryOutcome;
  duration_ms: number;
  message_id: string | null;
  detail: string | null;
}

export interface ElectorateTable {
  municipality_code: string;
  id: Generated<string>;
  name: string;
  scope: 'municipality' | 'settlements' | 'list';
  settlement_codes: string[];
  min_age: number | null;
  max_age: number | null;
  reference_date: string;
  residence_at: 'reference-date' | 'voting-time';
  mode: 'live' | 'frozen';
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  frozen_at: Date | null;
  frozen_by: string | null;
  frozen_size: number | null;
  frozen_sha256: string | null;
  locked_at: Date | null;
  locked_reason: string | null;
}

export interface ElectorateListTable {
  municipality_code: string;
  electorate_id: string;
  list: 'include' | 'exclude';
  file_id: string;
  filename: string;
  sha256: string;
  entries: number;
  uploaded_by: string | null;
  uploaded_at: Generated<Date>;
}

export interface ElectorateListEntryTable {
  municipality_code: string;
  electorate_id: string;
  list: 'include' | 'exclude';
  person_id: string;
  label: string | null;
}

export interface ElectorateVoterTable {
  municipality_code: string;
  electorate_id: string;
  person_id: string;
  settlement_code: string | null;
  basis: 'residence' | 'include-list';
}

declare module '../../platform/db/tables' {
  interface KovTables {
    register_residence: RegisterResidenceTable;
    register_import: RegisterImportTable;
    register_query_log: RegisterQueryLogTable;
    electorate: ElectorateTable;
    electorate_list: ElectorateListTable;
    electorate_list_entry: ElectorateListEntryTable;
    electorate_voter: ElectorateVoterTable;
  }
}

export function residenceFromRow(
  r: Pick<
    RegisterResidenceTable,
    | 'residence_municipality_code'
    | 'settlement_code'
    | 'address'
    | 'ads_adr_id'
    | 'valid_from'
    | 'valid_until'
    | 'status'
  >,
): Residence {
  return {
    municipalityCode: r.residence_municipality_code,
    settlementCode: r.settlement_code,
    address: r.address,
    adsAdrId: r.ads_adr_id === null ? null : Number(r.ads_adr_id),
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    status: r.status,
  };
}

export async function appendQueryLog(trx: Trx, e: Omit<RegisterQueryLogTable, 'id' | 'at'>) {
  await trx.insertInto('register_query_log').values(e).execute();
}
