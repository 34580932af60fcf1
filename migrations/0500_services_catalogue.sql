-- Services: the municipal service catalogue (CPSV-AP 3.2.0 + the Estonian state catalogue's
-- fields), ELVL's national templates (tenant '0000'), every version of every service, the
-- municipality's general data (for Bürokratt) and the service standard self-assessments.

-- One row per service: its current version. ELVL's templates are services of tenant '0000'.
-- The full description lives in `data` (validated by the application's TypeBox schema); the
-- columns beside it are what lists, filters and reports need.
CREATE TABLE service (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  identifier text NOT NULL CHECK (identifier ~ '^[A-Za-z0-9._-]{1,40}$'),
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('being-created', 'active', 'archived', 'needs-change')),
  field text NOT NULL,
  name_et text NOT NULL CHECK (char_length(name_et) BETWEEN 1 AND 80),
  -- The template (a service of '0000') this service was adopted from, and the template's version then.
  template_id uuid,
  template_version integer,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES person (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES person (id),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, identifier),
  CHECK ((template_id IS NULL) = (template_version IS NULL))
);
CREATE UNIQUE INDEX service_id_idx ON service (id);
-- A municipality adopts a template once (an archived adoption is revived, not duplicated).
CREATE UNIQUE INDEX service_template_once_idx ON service (municipality_code, template_id) WHERE template_id IS NOT NULL;
CREATE INDEX service_template_idx ON service (template_id) WHERE template_id IS NOT NULL;
SELECT kov_protect_tenant_table('service');
-- The national templates are public reference content: readable from every scope.
CREATE POLICY templates_readable ON service FOR SELECT USING (municipality_code = '0000');

-- Every version ever saved, with who and when (version 1 = creation).
CREATE TABLE service_version (
  municipality_code text NOT NULL REFERENCES tenant (code),
  service_id uuid NOT NULL,
  version integer NOT NULL,
  status text NOT NULL,
  data jsonb NOT NULL,
  change_note text,
  changed_by uuid REFERENCES person (id),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, service_id, version),
  FOREIGN KEY (municipality_code, service_id) REFERENCES service (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('service_version');
CREATE POLICY template_versions_readable ON service_version FOR SELECT USING (municipality_code = '0000');
REVOKE UPDATE ON service_version FROM kov_app;

-- The municipality's general data: contacts, address, opening hours (public; for Bürokratt).
CREATE TABLE municipality_profile (
  municipality_code text PRIMARY KEY REFERENCES tenant (code),
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES person (id)
);
SELECT kov_protect_tenant_table('municipality_profile');

-- Service standard self-assessments: one row per assessment; the newest one counts.
CREATE TABLE service_assessment (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL,
  answers jsonb NOT NULL,
  score numeric(5, 1) NOT NULL CHECK (score BETWEEN 0 AND 100),
  gaps integer NOT NULL CHECK (gaps >= 0),
  assessed_by uuid REFERENCES person (id),
  assessed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, service_id) REFERENCES service (municipality_code, id) ON DELETE CASCADE
);
CREATE INDEX service_assessment_latest_idx ON service_assessment (municipality_code, service_id, assessed_at DESC);
SELECT kov_protect_tenant_table('service_assessment');
