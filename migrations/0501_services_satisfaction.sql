-- Services: unified satisfaction measurement. Answers (one row each), the single-use delivery
-- tokens that back-office systems create after a service was delivered, and the monthly roll-up
-- that the ELVL comparison reads.

-- A delivery: "this service was just provided, ask the client". Only the SHA-256 of the token is
-- kept; the token answers once. `person_id` (optional) shows the survey in the person's "Minu vald".
CREATE TABLE survey_delivery (
  municipality_code text NOT NULL REFERENCES tenant (code),
  token_hash bytea NOT NULL,
  service_id uuid NOT NULL,
  channel text NOT NULL,
  person_id uuid REFERENCES person (id),
  lang text NOT NULL DEFAULT 'et' CHECK (lang IN ('et', 'ru', 'en')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  answered_at timestamptz,
  PRIMARY KEY (municipality_code, token_hash),
  FOREIGN KEY (municipality_code, service_id) REFERENCES service (municipality_code, id) ON DELETE CASCADE
);
CREATE INDEX survey_delivery_person_idx ON survey_delivery (person_id, expires_at) WHERE person_id IS NOT NULL AND answered_at IS NULL;
SELECT kov_protect_tenant_table('survey_delivery');
-- A person sees the surveys waiting for them in every municipality.
CREATE POLICY own_deliveries ON survey_delivery FOR SELECT USING (person_id = kov_actor());

-- One answer. No personal data: no person, no IP address; the comment is free text (≤ 1,000).
CREATE TABLE survey_answer (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id bigint GENERATED ALWAYS AS IDENTITY,
  service_id uuid NOT NULL,
  channel text NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  effort smallint CHECK (effort BETWEEN 1 AND 5),
  comment text CHECK (char_length(comment) <= 1000),
  lang text NOT NULL CHECK (lang IN ('et', 'ru', 'en')),
  source text NOT NULL CHECK (source IN ('embed', 'link', 'qr', 'api', 'token')),
  answered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
CREATE INDEX survey_answer_service_idx ON survey_answer (municipality_code, service_id, answered_at);
CREATE INDEX survey_answer_at_idx ON survey_answer (municipality_code, answered_at);
SELECT kov_protect_tenant_table('survey_answer');
REVOKE UPDATE ON survey_answer FROM kov_app;

-- Monthly roll-up per service and channel, recomputed from the answers by the job
-- `services.satisfaction-rollup` (the current and previous month every few minutes; any month on
-- demand). The ELVL comparison reads only this table.
CREATE TABLE survey_monthly (
  municipality_code text NOT NULL REFERENCES tenant (code),
  service_id uuid NOT NULL,
  channel text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  answers integer NOT NULL,
  score_sum integer NOT NULL,
  top2 integer NOT NULL,
  s1 integer NOT NULL, s2 integer NOT NULL, s3 integer NOT NULL, s4 integer NOT NULL, s5 integer NOT NULL,
  effort_n integer NOT NULL,
  effort_sum integer NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, service_id, channel, month)
);
CREATE INDEX survey_monthly_month_idx ON survey_monthly (month);
SELECT kov_protect_tenant_table('survey_monthly');
