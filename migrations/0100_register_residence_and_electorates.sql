-- Population register (Rahvastikuregister) data held by the platform, the log of every register
-- query, and electorates (who may vote) with their include/exclude lists and frozen voter lists.
-- See docs/register.md.

-- Age in whole years on a date, the same rule as `ageOn` in platform/identity/personalIdCode.ts:
-- a person is a year older on their birthday; born on 29 February, on 1 March in common years.
CREATE FUNCTION register_age_on(birth date, on_date date) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT (extract(year FROM on_date) - extract(year FROM birth))::integer
       - CASE WHEN (extract(month FROM on_date), extract(day FROM on_date)) < (extract(month FROM birth), extract(day FROM birth)) THEN 1 ELSE 0 END $$;

-- Residence records from register extracts (and the demo population). `municipality_code` is the
-- municipality that holds the extract (the tenant); `residence_municipality_code` is where the
-- person lived in that period (usually the same: an extract may carry earlier residences elsewhere).
-- History is kept; the current residence is derived (valid_from <= today, valid_until null or later).
CREATE TABLE register_residence (
  municipality_code text NOT NULL REFERENCES tenant (code),
  person_id uuid NOT NULL REFERENCES person (id),
  valid_from date NOT NULL,
  valid_until date,
  residence_municipality_code text NOT NULL REFERENCES place (code),
  settlement_code text REFERENCES place (code),
  address text NOT NULL,
  ads_adr_id bigint,
  status text,
  source text NOT NULL CHECK (source IN ('extract', 'demo')),
  import_id uuid,
  PRIMARY KEY (municipality_code, person_id, valid_from),
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX register_residence_person_idx ON register_residence (person_id);
CREATE INDEX register_residence_settlement_idx ON register_residence (municipality_code, residence_municipality_code, settlement_code);
ALTER TABLE register_residence ENABLE ROW LEVEL SECURITY;
-- Visible inside its tenant, and (read only) to the person it describes: "My details".
CREATE POLICY tenant_or_own ON register_residence
  USING (kov_tenant_visible(municipality_code) OR person_id = kov_actor())
  WITH CHECK (kov_tenant_visible(municipality_code));

-- One row per loaded extract file (`kov register import`).
CREATE TABLE register_import (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  filename text NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'json')),
  sha256 text NOT NULL,
  row_count integer NOT NULL,
  person_count integer NOT NULL,
  imported_by uuid REFERENCES person (id),
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
SELECT kov_protect_tenant_table('register_import');

-- Every query of the register: who asked, about whom, why, with what result and how long it took.
-- Append-only for the application role.
CREATE TABLE register_query_log (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  asked_by uuid REFERENCES person (id),
  subject_id uuid NOT NULL REFERENCES person (id),
  purpose text NOT NULL,
  reference text,
  source text NOT NULL CHECK (source IN ('xroad', 'extract')),
  service text,
  outcome text NOT NULL CHECK (outcome IN ('found', 'not-found', 'timeout', 'error', 'malformed')),
  duration_ms integer NOT NULL,
  message_id text,
  detail text,
  PRIMARY KEY (municipality_code, id)
);
CREATE INDEX register_query_log_at_idx ON register_query_log (municipality_code, at DESC);
SELECT kov_protect_tenant_table('register_query_log');
REVOKE UPDATE, DELETE, TRUNCATE ON register_query_log FROM kov_app;

-- Electorates: who may vote in a poll, budget or village elder election.
CREATE TABLE electorate (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- municipality: residents of the municipality; settlements: of these settlement units;
  -- list: only the people on the include list.
  scope text NOT NULL CHECK (scope IN ('municipality', 'settlements', 'list')),
  settlement_codes text[] NOT NULL DEFAULT '{}',
  min_age integer CHECK (min_age BETWEEN 0 AND 130),
  max_age integer CHECK (max_age BETWEEN 0 AND 130),
  reference_date date NOT NULL,
  residence_at text NOT NULL CHECK (residence_at IN ('reference-date', 'voting-time')),
  mode text NOT NULL CHECK (mode IN ('live', 'frozen')),
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  frozen_at timestamptz,
  frozen_by uuid REFERENCES person (id),
  frozen_size integer,
  frozen_sha256 text,
  locked_at timestamptz,
  locked_reason text,
  PRIMARY KEY (municipality_code, id),
  CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age),
  CHECK (scope = 'settlements' OR cardinality(settlement_codes) = 0),
  CHECK (mode = 'live' OR residence_at = 'reference-date'),
  CHECK ((frozen_at IS NULL) = (frozen_size IS NULL) AND (frozen_at IS NULL) = (frozen_sha256 IS NULL)),
  CHECK (frozen_at IS NULL OR mode = 'frozen')
);
CREATE UNIQUE INDEX electorate_id_idx ON electorate (id);
SELECT kov_protect_tenant_table('electorate');

-- Include and exclude lists, each from an uploaded file (kept in stored_file).
CREATE TABLE electorate_list (
  municipality_code text NOT NULL,
  electorate_id uuid NOT NULL,
  list text NOT NULL CHECK (list IN ('include', 'exclude')),
  file_id uuid NOT NULL,
  filename text NOT NULL,
  sha256 text NOT NULL,
  entries integer NOT NULL,
  uploaded_by uuid REFERENCES person (id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, electorate_id, list),
  FOREIGN KEY (municipality_code, electorate_id) REFERENCES electorate (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('electorate_list');

CREATE TABLE electorate_list_entry (
  municipality_code text NOT NULL,
  electorate_id uuid NOT NULL,
  list text NOT NULL CHECK (list IN ('include', 'exclude')),
  person_id uuid NOT NULL REFERENCES person (id),
  label text,
  PRIMARY KEY (municipality_code, electorate_id, list, person_id),
  FOREIGN KEY (municipality_code, electorate_id, list) REFERENCES electorate_list (municipality_code, electorate_id, list) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('electorate_list_entry');

-- The voter list of a frozen electorate: built once at the cut-off, never changed.
CREATE TABLE electorate_voter (
  municipality_code text NOT NULL,
  electorate_id uuid NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  settlement_code text REFERENCES place (code),
  basis text NOT NULL CHECK (basis IN ('residence', 'include-list')),
  PRIMARY KEY (municipality_code, electorate_id, person_id),
  FOREIGN KEY (municipality_code, electorate_id) REFERENCES electorate (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('electorate_voter');
REVOKE UPDATE ON electorate_voter FROM kov_app;
