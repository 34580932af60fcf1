-- Platform foundation: the application role, places (EHAK), tenants, persons, roles, sessions,
-- the audit log, and the row-level security helpers every module's tenant tables use.

-- The application role. Requests run as this role (the connection sets `role=kov_app`), which
-- does not own the tables, so row-level security applies to everything it reads and writes.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kov_app') THEN
    CREATE ROLE kov_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database of the same server created it at the same moment
END $$;

DO $$
BEGIN
  EXECUTE format('GRANT kov_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL; -- already a member (or a superuser, which needs no membership)
END $$;

GRANT USAGE ON SCHEMA public TO kov_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kov_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO kov_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO kov_app;
GRANT SELECT ON schema_migrations TO kov_app;

-- Tenant scope of the current transaction, set by `inScope()` in the application:
--   kov.tenant = a municipality code, '*' for platform-wide work, or '' (nothing visible).
--   kov.actor  = the acting person's id, or ''.
CREATE FUNCTION kov_tenant_visible(code text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT code = current_setting('kov.tenant', true) OR current_setting('kov.tenant', true) = '*' $$;

CREATE FUNCTION kov_actor() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('kov.actor', true), '')::uuid $$;

-- Every tenant-owned table calls this once: its rows are visible and writable only inside the
-- matching tenant scope, whatever the query says.
CREATE FUNCTION kov_protect_tenant_table(tbl regclass) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (kov_tenant_visible(municipality_code)) WITH CHECK (kov_tenant_visible(municipality_code))', tbl);
END $$;

-- Places: EHAK counties, municipalities and settlement units (loaded from resources/ehak).
CREATE TABLE place (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
  name text NOT NULL,
  level text NOT NULL CHECK (level IN ('county', 'municipality', 'settlement')),
  kind text NOT NULL,
  parent_code text REFERENCES place (code),
  -- The municipality a settlement unit belongs to (itself for a municipality).
  municipality_code text REFERENCES place (code)
);
CREATE INDEX place_parent_idx ON place (parent_code);
CREATE INDEX place_municipality_idx ON place (municipality_code);

-- Tenants: the 78 municipalities and ELVL itself ('0000'), which holds national content.
CREATE TABLE tenant (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
  kind text NOT NULL CHECK (kind IN ('municipality', 'association')),
  name text NOT NULL
);

-- Persons, keyed by an internal id. The personal ID code is stored here once and nowhere else.
CREATE TABLE person (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  id_code text NOT NULL UNIQUE CHECK (id_code ~ '^[1-8][0-9]{10}$'),
  given_name text,
  family_name text,
  birth_date date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

-- Roles within a tenant. ELVL's admins ('0000', admin) are the platform administrators.
CREATE TABLE role_grant (
  municipality_code text NOT NULL REFERENCES tenant (code),
  person_id uuid NOT NULL REFERENCES person (id),
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'analyst', 'council_member')),
  granted_by uuid REFERENCES person (id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, person_id, role)
);
CREATE INDEX role_grant_person_idx ON role_grant (person_id);
ALTER TABLE role_grant ENABLE ROW LEVEL SECURITY;
-- Visible inside its tenant, and to the person it belongs to (their own roles, at login).
CREATE POLICY tenant_or_own ON role_grant
  USING (kov_tenant_visible(municipality_code) OR person_id = kov_actor())
  WITH CHECK (kov_tenant_visible(municipality_code));

-- Login in progress: state, nonce and PKCE verifier of one authorization request (single use).
CREATE TABLE auth_request (
  state text PRIMARY KEY,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

-- Sessions: only the SHA-256 of the cookie's token is stored.
CREATE TABLE session (
  id_hash bytea PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  amr text,
  acr text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX session_person_idx ON session (person_id);
CREATE INDEX session_expires_idx ON session (expires_at);

-- Audit log: one hash chain per tenant. Each entry's hash covers its content and the previous
-- entry's hash; `kov audit verify` walks the chains. The application role may only append.
CREATE TABLE audit_chain (
  municipality_code text PRIMARY KEY REFERENCES tenant (code),
  last_seq bigint NOT NULL,
  last_hash bytea NOT NULL
);
CREATE TABLE audit_log (
  municipality_code text NOT NULL REFERENCES tenant (code),
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor_id uuid,
  action text NOT NULL,
  subject text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (municipality_code, seq)
);
CREATE INDEX audit_log_at_idx ON audit_log (municipality_code, at DESC);
SELECT kov_protect_tenant_table('audit_chain');
SELECT kov_protect_tenant_table('audit_log');
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM kov_app;
REVOKE DELETE, TRUNCATE ON audit_chain FROM kov_app;

CREATE FUNCTION audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
