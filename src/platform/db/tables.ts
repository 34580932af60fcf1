import type { ColumnType, Generated } from 'kysely';

/** Kysely table types of the platform's own tables. Modules declare theirs beside their store. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
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
  id_code: string;
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

export interface PlatformTables {
  place: PlaceTable;
  tenant: TenantTable;
  person: PersonTable;
  role_grant: RoleGrantTable;
  auth_request: AuthRequestTable;
  session: SessionTable;
  audit_chain: AuditChainTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
}
