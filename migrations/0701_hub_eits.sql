-- E-ITS implementation tracker. The catalogue (modules and measures, by version) is national
-- reference data that every official may read; the tracker of each municipality is tenant data,
-- readable by another municipality only when the owner shares it (eits_share), checked by the use
-- case that then reads the owner's rows in the owner's scope.

CREATE TABLE eits_catalogue (
  version text PRIMARY KEY CHECK (length(version) BETWEEN 1 AND 40),
  seq bigserial NOT NULL UNIQUE,
  source_name text NOT NULL DEFAULT '',
  previous_version text REFERENCES eits_catalogue (version),
  module_count integer NOT NULL,
  measure_count integer NOT NULL,
  -- What changed against previous_version: { added: [...], removed: [...], changed: [{ code, fields }] }.
  diff jsonb NOT NULL DEFAULT '{}',
  imported_by uuid REFERENCES person (id),
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE eits_module (
  version text NOT NULL REFERENCES eits_catalogue (version) ON DELETE CASCADE,
  code text NOT NULL,
  layer text NOT NULL CHECK (layer IN ('ISMS', 'ORP', 'CON', 'OPS', 'DER', 'APP', 'SYS', 'IND', 'NET', 'INF')),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  PRIMARY KEY (version, code)
);

CREATE TABLE eits_measure (
  version text NOT NULL,
  code text NOT NULL,
  module_code text NOT NULL,
  group_code text NOT NULL CHECK (group_code IN ('basic', 'standard', 'high')),
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  assignees text[] NOT NULL DEFAULT '{}',
  ordinal integer NOT NULL,
  PRIMARY KEY (version, code),
  FOREIGN KEY (version, module_code) REFERENCES eits_module (version, code) ON DELETE CASCADE
);
CREATE INDEX eits_measure_module_idx ON eits_measure (version, module_code);

-- A municipality's tracker settings: the protection level aimed at decides which measure groups
-- count (basic; basic + standard; all three).
CREATE TABLE eits_tracker (
  municipality_code text PRIMARY KEY REFERENCES tenant (code),
  target_level text NOT NULL DEFAULT 'standard' CHECK (target_level IN ('basic', 'standard', 'high')),
  updated_by uuid REFERENCES person (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kov_protect_tenant_table('eits_tracker');

CREATE TABLE eits_module_scope (
  municipality_code text NOT NULL REFERENCES tenant (code),
  module_code text NOT NULL,
  applies boolean NOT NULL,
  note text NOT NULL DEFAULT '',
  updated_by uuid REFERENCES person (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, module_code)
);
SELECT kov_protect_tenant_table('eits_module_scope');

CREATE TABLE eits_measure_state (
  municipality_code text NOT NULL REFERENCES tenant (code),
  measure_code text NOT NULL,
  status text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'implemented', 'not_applicable')),
  reason text NOT NULL DEFAULT '',
  responsible_role text NOT NULL DEFAULT '',
  responsible_person text NOT NULL DEFAULT '',
  due_date date,
  evidence jsonb NOT NULL DEFAULT '[]',
  notes text NOT NULL DEFAULT '',
  -- The catalogue version the state was last set against (to flag measures changed since).
  catalogue_version text REFERENCES eits_catalogue (version),
  updated_by uuid REFERENCES person (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, measure_code),
  CHECK (status <> 'not_applicable' OR length(btrim(reason)) > 0)
);
SELECT kov_protect_tenant_table('eits_measure_state');

CREATE TABLE eits_audit (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  audit_date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('internal', 'external')),
  auditor text NOT NULL DEFAULT '',
  summary text NOT NULL DEFAULT '',
  next_audit_due date,
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
SELECT kov_protect_tenant_table('eits_audit');

CREATE TABLE eits_finding (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  audit_id uuid NOT NULL,
  measure_code text,
  severity text NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
  description text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  due_date date,
  resolved_at timestamptz,
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, audit_id) REFERENCES eits_audit (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('eits_finding');

-- The owner shares its tracker (read-only) with another municipality, e.g. its mentor's.
CREATE TABLE eits_share (
  municipality_code text NOT NULL REFERENCES tenant (code),
  shared_with text NOT NULL REFERENCES tenant (code) CHECK (shared_with <> municipality_code),
  granted_by uuid REFERENCES person (id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, shared_with)
);
SELECT kov_protect_tenant_table('eits_share');

-- Mentor network (coordinated by ELVL, so its rows belong to tenant '0000'): officials offer
-- mentoring on E-ITS modules, municipalities ask for help, a request is matched with an offer,
-- and the sessions held are recorded.
CREATE TABLE mentor_offer (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code) CHECK (municipality_code = '0000'),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  home_municipality text NOT NULL REFERENCES tenant (code),
  eits_modules text[] NOT NULL CHECK (cardinality(eits_modules) > 0),
  description text NOT NULL DEFAULT '',
  capacity integer NOT NULL DEFAULT 2 CHECK (capacity BETWEEN 1 AND 20),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
SELECT kov_protect_tenant_table('mentor_offer');

CREATE TABLE mentor_request (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code) CHECK (municipality_code = '0000'),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  requesting_municipality text NOT NULL REFERENCES tenant (code),
  requested_by uuid NOT NULL REFERENCES person (id),
  eits_modules text[] NOT NULL CHECK (cardinality(eits_modules) > 0),
  description text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matched', 'in_progress', 'completed', 'cancelled')),
  offer_id uuid,
  matched_at timestamptz,
  accepted_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, offer_id) REFERENCES mentor_offer (municipality_code, id),
  CHECK ((status = 'open') = (offer_id IS NULL) OR status = 'cancelled')
);
SELECT kov_protect_tenant_table('mentor_request');

CREATE TABLE mentor_session (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL,
  held_on date NOT NULL,
  minutes integer NOT NULL CHECK (minutes BETWEEN 5 AND 600),
  eits_modules text[] NOT NULL DEFAULT '{}',
  notes text NOT NULL DEFAULT '',
  recorded_by uuid NOT NULL REFERENCES person (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, request_id) REFERENCES mentor_request (municipality_code, id)
);
SELECT kov_protect_tenant_table('mentor_session');
