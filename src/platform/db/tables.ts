import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it: `KovTables` names every table with its column types, and `Db`/`Trx`
 * (database.ts) are `Kysely<KovTables>`/`Transaction<KovTables>`, so every query is typed without casts.
 * The platform's tables are declared here; each module adds its own beside its store by declaration
 * merging (see src/modules/programme/store.ts):
 *
 *   declare module '../../platform/db/tables' {
 *     interface KovTables {
 *       programme_plan: ProgrammePlanTable;
 *     }
 *   }
 *
 * Columns the database fills (defaults, identities) are `Generated<T>`; timestamps read as `Date`;
 * `jsonb` is `Json<T>` (written as a JSON string). `test/api/schema.test.ts` compares these
 * declarations with the migrated database.
 */
/** A timestamp column with a default (or nullable): optional on insert. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A timestamp column that is NOT NULL without a default: required on insert. */
export type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read as T, written as a JSON string (pg would turn a JS array into a PostgreSQL array). */
export type Json<T = unknown> = ColumnType<T, string, string>;

export interface PlaceTable {
  code: string;
  name: string;
  level: 'county' | 'municipality' | 'settlement';
  kind: string;
  parent_code: string | null;
  municipality_code: string | null;
}

export interface TenantTable {
  code: string;
  kind: 'municipality' | 'association';
  name: string;
}

export interface PersonTable {
  id: Generated<string>;
  // No `id_code`: the application role cannot read it (issue 13); see src/platform/auth/persons.ts.
  /** The masked code (birth date and sex digits), generated from the code (migration 0900). */
  id_code_masked: Generated<string>;
  given_name: string | null;
  family_name: string | null;
  birth_date: string;
  created_at: Generated<Date>;
  last_login_at: Date | null;
}

export type Role = 'admin' | 'editor' | 'analyst' | 'council_member';

export interface RoleGrantTable {
  municipality_code: string;
  person_id: string;
  role: Role;
  granted_by: string | null;
  granted_at: Generated<Date>;
}

export interface AuthRequestTable {
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface SessionTable {
  id_hash: Buffer;
  person_id: string;
  csrf_token: string;
  amr: string | null;
  acr: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
}

export interface AuditChainTable {
  municipality_code: string;
  last_seq: number;
  last_hash: Buffer;
}

export interface AuditLogTable {
  municipality_code: string;
  seq: number;
  at: Date;
  actor_id: string | null;
  action: string;
  subject: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

/** Files of every module (platform/files/files.ts). */
export interface StoredFileTable {
  municipality_code: string;
  id: Generated<string>;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  purpose: string;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

/** API keys of municipal IT systems (platform/auth/apiKeys.ts). */
export interface ApiClientTable {
  municipality_code: string;
  id: Generated<string>;
  name: string;
  contact: string | null;
  key_prefix: string;
  key_hash: Buffer;
  scopes: string[];
  created_by: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

export interface KovTables {
  place: PlaceTable;
  tenant: TenantTable;
  person: PersonTable;
  role_grant: RoleGrantTable;
  auth_request: AuthRequestTable;
  session: SessionTable;
  audit_chain: AuditChainTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  stored_file: StoredFileTable;
  api_client: ApiClientTable;
}
