-- Open data: a DCAT-AP catalogue per municipality (and ELVL '0000'), datasets with drafts, review
-- and publication, every published version kept, a search table of what is published, the log
-- of automatic publication runs, and data governance (information systems, roles).

-- The catalogue of one municipality: its titles, contact point and homepage.
CREATE TABLE opendata_catalogue (
  municipality_code text NOT NULL REFERENCES tenant (code),
  title_et text NOT NULL,
  title_en text NOT NULL,
  description_et text NOT NULL,
  description_en text NOT NULL,
  contact_name text,
  contact_email text,
  homepage text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code)
);
SELECT kov_protect_tenant_table('opendata_catalogue');

-- Information systems of a municipality, with the fields of a RIHA record.
CREATE TABLE opendata_info_system (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  short_name text NOT NULL CHECK (short_name ~ '^[a-zA-ZõÕäÄöÖüÜ0-9.-]{1,100}$'),
  owner_code text NOT NULL CHECK (owner_code ~ '^[0-9]{8}$'),
  owner_name text NOT NULL,
  purpose text NOT NULL DEFAULT '',
  data_objects text[] NOT NULL DEFAULT '{}' CHECK (cardinality(data_objects) <= 10),
  personal_data text[] NOT NULL DEFAULT '{}',
  security_standard text,
  security_class text CHECK (security_class ~ '^K[0-3]T[0-3]S[0-3]$'),
  security_level text CHECK (security_level IN ('L', 'M', 'H')),
  last_audit_date date,
  last_audit_resolution text CHECK (last_audit_resolution IN ('PASSED_WITHOUT_REMARKS', 'PASSED_WITH_REMARKS', 'DID_NOT_PASS')),
  system_status text NOT NULL DEFAULT 'IN_USE' CHECK (system_status IN ('IN_USE', 'ESTABLISHING', 'FINISHED')),
  development_status text NOT NULL DEFAULT 'NOT_IN_DEVELOPMENT' CHECK (development_status IN ('IN_DEVELOPMENT', 'NOT_IN_DEVELOPMENT')),
  x_road_status text NOT NULL DEFAULT 'NOT_JOINED' CHECK (x_road_status IN ('JOINED', 'NOT_JOINED')),
  vendor text,
  homepage text,
  riha_registered boolean NOT NULL DEFAULT false,
  riha_uuid uuid,
  contacts jsonb NOT NULL DEFAULT '[]',
  documents jsonb NOT NULL DEFAULT '[]',
  legislations jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, short_name)
);
SELECT kov_protect_tenant_table('opendata_info_system');

-- Datasets: the working copy that officials edit (state draft → review → published). Publishing
-- copies it into opendata_dataset_version (kept for ever) and opendata_published (the search table).
CREATE TABLE opendata_dataset (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- CKAN name: the catalogue's prefix, a dash, and a short name (2–100 of a-z 0-9 - _).
  name text NOT NULL CHECK (name ~ '^[a-z0-9_-]{2,100}$'),
  origin text NOT NULL CHECK (origin IN ('manual', 'auto')),
  provider_key text,
  source_key text,
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'review', 'published', 'withdrawn')),
  title_et text NOT NULL DEFAULT '',
  title_en text NOT NULL DEFAULT '',
  description_et text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  keywords_et text[] NOT NULL DEFAULT '{}',
  keywords_en text[] NOT NULL DEFAULT '{}',
  themes text[] NOT NULL DEFAULT '{}',
  spatial text[] NOT NULL DEFAULT '{}',
  temporal_start date,
  temporal_end date,
  frequency text NOT NULL DEFAULT 'IRREG',
  license_id text NOT NULL DEFAULT 'CC-BY-4.0',
  access_rights text NOT NULL DEFAULT 'PUBLIC' CHECK (access_rights IN ('PUBLIC', 'RESTRICTED', 'NON_PUBLIC')),
  contact_name text,
  contact_email text,
  quality_note text,
  anonymisation_et text,
  anonymisation_en text,
  info_system_id uuid,
  -- Data governance: the day the municipality agreed to publish this dataset (null: not agreed yet).
  agreed_on date,
  current_version integer,
  change_note text,
  submitted_at timestamptz,
  submitted_by uuid REFERENCES person (id),
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, name),
  CHECK ((origin = 'auto') = (provider_key IS NOT NULL AND source_key IS NOT NULL)),
  CHECK (temporal_start IS NULL OR temporal_end IS NULL OR temporal_start <= temporal_end),
  FOREIGN KEY (municipality_code, info_system_id) REFERENCES opendata_info_system (municipality_code, id) ON DELETE SET NULL (info_system_id)
);
CREATE UNIQUE INDEX opendata_dataset_source_idx ON opendata_dataset (municipality_code, provider_key, source_key) WHERE origin = 'auto';
SELECT kov_protect_tenant_table('opendata_dataset');

-- Distributions of the working copy: an uploaded file or a link.
CREATE TABLE opendata_distribution (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  dataset_id uuid NOT NULL,
  position integer NOT NULL DEFAULT 0,
  title_et text NOT NULL,
  title_en text NOT NULL,
  file_id uuid,
  url text,
  format text NOT NULL,
  media_type text NOT NULL,
  byte_size bigint CHECK (byte_size >= 0),
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- For CSV files: delimiter, header, row count and inferred column types (the Table Schema).
  csv jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  CHECK (num_nonnulls(file_id, url) = 1),
  FOREIGN KEY (municipality_code, dataset_id) REFERENCES opendata_dataset (municipality_code, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_code, file_id) REFERENCES stored_file (municipality_code, id)
);
CREATE INDEX opendata_distribution_dataset_idx ON opendata_distribution (municipality_code, dataset_id, position);
SELECT kov_protect_tenant_table('opendata_distribution');

-- Every published version, as it was published (metadata and distributions). Never changed.
CREATE TABLE opendata_dataset_version (
  municipality_code text NOT NULL REFERENCES tenant (code),
  dataset_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by uuid REFERENCES person (id),
  change_note text,
  snapshot jsonb NOT NULL,
  PRIMARY KEY (municipality_code, dataset_id, version),
  FOREIGN KEY (municipality_code, dataset_id) REFERENCES opendata_dataset (municipality_code, id)
);
SELECT kov_protect_tenant_table('opendata_dataset_version');
REVOKE UPDATE, DELETE, TRUNCATE ON opendata_dataset_version FROM kov_app;

-- What is published now: one row per dataset (its latest published version), with the facet
-- columns and the text search vector the CKAN API and the public catalogue read.
CREATE TABLE opendata_published (
  municipality_code text NOT NULL REFERENCES tenant (code),
  dataset_id uuid NOT NULL,
  name text NOT NULL,
  version integer NOT NULL,
  organization text NOT NULL,
  origin text NOT NULL,
  title_et text NOT NULL,
  title_en text NOT NULL,
  tags text[] NOT NULL,
  themes text[] NOT NULL,
  formats text[] NOT NULL,
  license_id text NOT NULL,
  spatial text[] NOT NULL,
  frequency text NOT NULL,
  metadata_created timestamptz NOT NULL,
  metadata_modified timestamptz NOT NULL,
  snapshot jsonb NOT NULL,
  search tsvector NOT NULL,
  PRIMARY KEY (municipality_code, dataset_id),
  UNIQUE (municipality_code, name),
  FOREIGN KEY (municipality_code, dataset_id) REFERENCES opendata_dataset (municipality_code, id) ON DELETE CASCADE
);
CREATE INDEX opendata_published_name_idx ON opendata_published (name);
CREATE INDEX opendata_published_dataset_idx ON opendata_published (dataset_id);
CREATE INDEX opendata_published_modified_idx ON opendata_published (metadata_modified DESC, name);
CREATE INDEX opendata_published_search_idx ON opendata_published USING gin (search);
CREATE INDEX opendata_published_tags_idx ON opendata_published USING gin (tags);
CREATE INDEX opendata_published_themes_idx ON opendata_published USING gin (themes);
CREATE INDEX opendata_published_formats_idx ON opendata_published USING gin (formats);
CREATE INDEX opendata_published_org_idx ON opendata_published (organization);
SELECT kov_protect_tenant_table('opendata_published');

-- The log of automatic publication: one row per provider and municipality per run.
CREATE TABLE opendata_publication_run (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  provider_key text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'event', 'seed')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('published', 'unchanged', 'failed', 'partial')),
  published integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  changes jsonb NOT NULL DEFAULT '[]',
  error text,
  PRIMARY KEY (municipality_code, id)
);
CREATE INDEX opendata_publication_run_at_idx ON opendata_publication_run (municipality_code, started_at DESC);
SELECT kov_protect_tenant_table('opendata_publication_run');

-- Roles of the data governance framework, assigned to people: for the whole municipality or
-- for one information system.
CREATE TABLE opendata_governance_role (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  role text NOT NULL CHECK (role IN ('head_of_data_governance', 'data_owner', 'data_steward')),
  info_system_id uuid,
  assigned_by uuid REFERENCES person (id),
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, info_system_id) REFERENCES opendata_info_system (municipality_code, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX opendata_governance_role_uniq ON opendata_governance_role (municipality_code, person_id, role, coalesce(info_system_id, '00000000-0000-0000-0000-000000000000'::uuid));
SELECT kov_protect_tenant_table('opendata_governance_role');
