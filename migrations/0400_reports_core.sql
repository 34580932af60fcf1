-- Anna Teada: problem reports. Categories per municipality (from a national default taxonomy,
-- materialised on first use), reports with their full event history (every change timestamped),
-- photos, "me too" supporters, satisfaction answers, outbound delivery (webhooks, Open311) with a
-- log of every attempt, and the pre-aggregated statistics behind the analytics module.

-- Other bodies a category can be routed to (e.g. state roads → Transpordiamet). National, not a tenant.
CREATE TABLE report_body (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{2,40}$'),
  name text NOT NULL,
  url text
);
INSERT INTO report_body (code, name, url) VALUES
  ('transpordiamet', 'Transpordiamet', 'https://transpordiamet.ee'),
  ('keskkonnaamet', 'Keskkonnaamet', 'https://keskkonnaamet.ee'),
  ('politsei', 'Politsei- ja Piirivalveamet', 'https://politsei.ee');
GRANT SELECT ON report_body TO kov_app;

-- Where reports of a category are delivered: a signed webhook or a municipality's own Open311 server.
CREATE TABLE report_endpoint (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('webhook', 'open311')),
  url text NOT NULL CHECK (url ~ '^https?://'),
  -- webhook: HMAC-SHA256 key; open311: the api_key the remote server gave us.
  secret text NOT NULL,
  jurisdiction_id text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
SELECT kov_protect_tenant_table('report_endpoint');

CREATE TABLE report_category (
  municipality_code text NOT NULL REFERENCES tenant (code),
  code text NOT NULL CHECK (code ~ '^[a-z0-9-]{2,40}$'),
  name_et text NOT NULL,
  name_en text NOT NULL,
  name_ru text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- The domain used in analytics ("Taristu", "Heakord ja keskkond", …) and Open311 `group`.
  domain text NOT NULL,
  department text,
  body_code text REFERENCES report_body (code),
  sla_days integer CHECK (sla_days IS NULL OR sla_days BETWEEN 1 AND 365),
  -- Open311 attributes (extra questions): [{code, datatype, required, description, values?}]
  attributes jsonb NOT NULL DEFAULT '[]',
  open311_type text NOT NULL DEFAULT 'realtime' CHECK (open311_type IN ('realtime', 'batch')),
  endpoint_id uuid,
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, code),
  FOREIGN KEY (municipality_code, endpoint_id) REFERENCES report_endpoint (municipality_code, id)
);
SELECT kov_protect_tenant_table('report_category');

CREATE SEQUENCE report_id_seq START 1001;
GRANT USAGE, SELECT ON SEQUENCE report_id_seq TO kov_app;

CREATE TABLE report (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id bigint NOT NULL DEFAULT nextval('report_id_seq'),
  settlement_code text,
  category_code text NOT NULL,
  body_code text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'in_progress', 'action_scheduled', 'fixed', 'closed', 'duplicate', 'not_responsible', 'no_further_action', 'internal_referral')),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  address text CHECK (address IS NULL OR length(address) <= 300),
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}',
  channel text NOT NULL CHECK (channel IN ('web', 'open311', 'mobile', 'phone', 'email')),
  api_client_id uuid,
  reporter_person_id uuid REFERENCES person (id),
  reporter_name text,
  reporter_email text,
  reporter_phone text,
  -- The reporter asked that their name not be shown publicly.
  anonymous boolean NOT NULL DEFAULT false,
  -- SHA-256 of the secret link that lets an anonymous reporter follow and rate the report.
  reporter_secret_hash bytea,
  -- Open311 token of reports in batch services: POST returns it, GET tokens/{token} resolves it.
  token uuid,
  department text,
  assignee_person_id uuid REFERENCES person (id),
  duplicate_of bigint,
  me_too_count integer NOT NULL DEFAULT 0,
  hidden boolean NOT NULL DEFAULT false,
  external_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  first_closed_at timestamptz,
  closed_at timestamptz,
  reopen_count integer NOT NULL DEFAULT 0,
  sla_due_at timestamptz,
  -- Set by every change; the statistics job re-aggregates the report's month and clears it.
  stats_dirty boolean NOT NULL DEFAULT true,
  PRIMARY KEY (municipality_code, id)
);
CREATE UNIQUE INDEX report_id_idx ON report (id);
CREATE UNIQUE INDEX report_token_idx ON report (token) WHERE token IS NOT NULL;
CREATE INDEX report_recent_idx ON report (municipality_code, created_at DESC);
CREATE INDEX report_open_idx ON report (municipality_code, created_at) WHERE closed_at IS NULL;
CREATE INDEX report_area_idx ON report (municipality_code, settlement_code, created_at);
CREATE INDEX report_dirty_idx ON report (municipality_code, created_at) WHERE stats_dirty;
CREATE INDEX report_reporter_idx ON report (reporter_person_id) WHERE reporter_person_id IS NOT NULL;
CREATE INDEX report_external_idx ON report (municipality_code, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE report ENABLE ROW LEVEL SECURITY;
-- Tenant rows, and a reporter's own reports across municipalities ("my reports").
CREATE POLICY tenant_or_own ON report
  USING (kov_tenant_visible(municipality_code) OR reporter_person_id = kov_actor())
  WITH CHECK (kov_tenant_visible(municipality_code));

-- Every change of a report, exactly timestamped. `public` rows are the status history residents
-- see and the Open311 service request updates; the others are internal notes and moderation.
CREATE TABLE report_event (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id bigint GENERATED ALWAYS AS IDENTITY,
  report_id bigint NOT NULL,
  at timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN ('created', 'status', 'assigned', 'note', 'update', 'moderated', 'merged', 'me_too', 'satisfaction', 'external')),
  public boolean NOT NULL,
  actor_person_id uuid REFERENCES person (id),
  actor_client_id uuid,
  status_from text,
  status_to text,
  text text CHECK (text IS NULL OR length(text) <= 4000),
  details jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, report_id) REFERENCES report (municipality_code, id)
);
CREATE INDEX report_event_report_idx ON report_event (municipality_code, report_id, at);
CREATE INDEX report_event_updates_idx ON report_event (municipality_code, at) WHERE public;
SELECT kov_protect_tenant_table('report_event');

CREATE TABLE report_photo (
  municipality_code text NOT NULL REFERENCES tenant (code),
  report_id bigint NOT NULL,
  file_id uuid NOT NULL,
  thumb_file_id uuid NOT NULL,
  position smallint NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  hidden boolean NOT NULL DEFAULT false,
  PRIMARY KEY (municipality_code, report_id, position),
  FOREIGN KEY (municipality_code, report_id) REFERENCES report (municipality_code, id),
  FOREIGN KEY (municipality_code, file_id) REFERENCES stored_file (municipality_code, id),
  FOREIGN KEY (municipality_code, thumb_file_id) REFERENCES stored_file (municipality_code, id)
);
SELECT kov_protect_tenant_table('report_photo');

CREATE TABLE report_supporter (
  municipality_code text NOT NULL REFERENCES tenant (code),
  report_id bigint NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  at timestamptz NOT NULL,
  PRIMARY KEY (municipality_code, report_id, person_id),
  FOREIGN KEY (municipality_code, report_id) REFERENCES report (municipality_code, id)
);
SELECT kov_protect_tenant_table('report_supporter');

-- The questionnaire after closing: was it fixed, 1–5, comment, and whether the reporter reopened it.
CREATE TABLE report_satisfaction (
  municipality_code text NOT NULL REFERENCES tenant (code),
  report_id bigint NOT NULL,
  at timestamptz NOT NULL,
  fixed text NOT NULL CHECK (fixed IN ('yes', 'no', 'dont_know')),
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment text CHECK (comment IS NULL OR length(comment) <= 2000),
  reopened boolean NOT NULL DEFAULT false,
  -- The report's n-th closing this answer is about (a report closed twice can be rated twice).
  closing integer NOT NULL,
  PRIMARY KEY (municipality_code, report_id, closing),
  FOREIGN KEY (municipality_code, report_id) REFERENCES report (municipality_code, id)
);
SELECT kov_protect_tenant_table('report_satisfaction');

-- Outbound delivery: one row per (endpoint, report event); attempts are logged one by one. The
-- idempotency key goes with every attempt so that the receiver can drop a repeat.
CREATE TABLE report_delivery (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id bigint GENERATED ALWAYS AS IDENTITY,
  report_id bigint NOT NULL,
  endpoint_id uuid NOT NULL,
  event_id bigint,
  topic text NOT NULL CHECK (topic IN ('report.created', 'report.updated')),
  idempotency_key uuid NOT NULL DEFAULT gen_random_uuid(),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, report_id) REFERENCES report (municipality_code, id),
  FOREIGN KEY (municipality_code, endpoint_id) REFERENCES report_endpoint (municipality_code, id)
);
CREATE UNIQUE INDEX report_delivery_key_idx ON report_delivery (idempotency_key);
CREATE INDEX report_delivery_report_idx ON report_delivery (municipality_code, report_id);
CREATE INDEX report_delivery_pending_idx ON report_delivery (municipality_code, next_attempt_at) WHERE status = 'pending';
SELECT kov_protect_tenant_table('report_delivery');

CREATE TABLE report_delivery_attempt (
  municipality_code text NOT NULL REFERENCES tenant (code),
  delivery_id bigint NOT NULL,
  n integer NOT NULL,
  at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  http_status integer,
  error text,
  PRIMARY KEY (municipality_code, delivery_id, n),
  FOREIGN KEY (municipality_code, delivery_id) REFERENCES report_delivery (municipality_code, id)
);
SELECT kov_protect_tenant_table('report_delivery_attempt');

-- Pre-aggregated statistics by the month a report was created (its cohort). Rows of a
-- municipality are rebuilt from `report` when one of its reports of that month changed; the
-- national rows are kept under ELVL's tenant '0000' as the sum over all municipalities.
CREATE TABLE report_stats (
  municipality_code text NOT NULL REFERENCES tenant (code),
  month date NOT NULL,
  category_code text NOT NULL,
  domain text NOT NULL,
  channel text NOT NULL,
  created integer NOT NULL,
  acknowledged integer NOT NULL,
  closed integer NOT NULL,
  sla_applicable integer NOT NULL,
  closed_in_sla integer NOT NULL,
  closed_late integer NOT NULL,
  reopened integer NOT NULL,
  hidden integer NOT NULL,
  sat_answers integer NOT NULL,
  sat_rating_sum integer NOT NULL,
  fixed_yes integer NOT NULL,
  fixed_no integer NOT NULL,
  fixed_dont_know integer NOT NULL,
  PRIMARY KEY (municipality_code, month, category_code, channel)
);
SELECT kov_protect_tenant_table('report_stats');

-- Histograms of time to acknowledge ('a') and time to close ('c'): bucket numbers from
-- report_duration_bucket(); percentiles are read off the cumulative counts.
CREATE TABLE report_stats_duration (
  municipality_code text NOT NULL REFERENCES tenant (code),
  month date NOT NULL,
  category_code text NOT NULL,
  kind char(1) NOT NULL CHECK (kind IN ('a', 'c')),
  bucket smallint NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (municipality_code, month, category_code, kind, bucket)
);
SELECT kov_protect_tenant_table('report_stats_duration');

CREATE TABLE report_stats_area (
  municipality_code text NOT NULL REFERENCES tenant (code),
  month date NOT NULL,
  -- Settlement unit code, or the municipality code in ELVL's national rows.
  area_code text NOT NULL,
  category_code text NOT NULL,
  created integer NOT NULL,
  closed integer NOT NULL,
  PRIMARY KEY (municipality_code, month, area_code, category_code)
);
SELECT kov_protect_tenant_table('report_stats_area');

-- Heat map cells: 0.01° latitude × 0.02° longitude (about 1.1 × 1.1 km) per municipality; 0.1° ×
-- 0.2° in the national rows.
CREATE TABLE report_stats_cell (
  municipality_code text NOT NULL REFERENCES tenant (code),
  month date NOT NULL,
  cell_y integer NOT NULL,
  cell_x integer NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (municipality_code, month, cell_y, cell_x)
);
SELECT kov_protect_tenant_table('report_stats_cell');

-- Bucket of a duration in seconds: the number of bucket edges (hours) it exceeds. Edges: hours
-- 1–12, 16, 20, 24; days 2–30; weeks to 13 weeks (35 … 91 days); 120, 150, 180, 270, 365 days.
-- Bucket i holds durations in (edge[i-1], edge[i]]; the last bucket is "more than 365 days". The
-- same edges are DURATION_BUCKET_EDGES_H in src/modules/reports/analyticsFormulas.ts.
CREATE FUNCTION report_duration_bucket(seconds double precision) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT count(*)::smallint FROM unnest('{1,2,3,4,5,6,7,8,9,10,11,12,16,20,24,48,72,96,120,144,168,192,216,240,264,288,312,336,360,384,408,432,456,480,504,528,552,576,600,624,648,672,696,720,840,1008,1176,1344,1512,1680,1848,2016,2184,2880,3600,4320,6480,8760}'::double precision[]) AS e WHERE seconds > e * 3600 $$;
