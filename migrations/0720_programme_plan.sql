-- Programme office: ELVL's digital transformation action plan as data (tenant '0000').
-- Amounts are integer cents without VAT; VAT is derived by the plan's rule (accounts, rate by
-- year, rounding), never stored on cost lines. Stated totals are the figures printed in the plan
-- document, kept so that consistency checks can compare them with the sum of the lines.

CREATE TABLE programme_plan (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code) CHECK (municipality_code = '0000'),
  id text NOT NULL CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text NOT NULL,
  first_year integer NOT NULL,
  last_year integer NOT NULL CHECK (last_year >= first_year),
  vat_accounts integer[] NOT NULL DEFAULT '{15,55}',
  -- [{ "fromYear": 2024, "rateBp": 2200 }, { "fromYear": 2025, "rateBp": 2400 }]
  vat_rates jsonb NOT NULL,
  vat_rounding text NOT NULL DEFAULT 'euro' CHECK (vat_rounding IN ('euro', 'cent')),
  source text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
SELECT kov_protect_tenant_table('programme_plan');

CREATE TABLE programme_initiative (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  plan_id text NOT NULL,
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,20}$'),
  name text NOT NULL,
  problem text NOT NULL DEFAULT '',
  -- { "2024": "…", "2025-2026": "…" }
  activities jsonb NOT NULL DEFAULT '{}',
  expected_result text NOT NULL DEFAULT '',
  implementer text NOT NULL DEFAULT '',
  partners text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'completed', 'cancelled')),
  note text NOT NULL DEFAULT '',
  ordinal integer NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_code, plan_id, code),
  FOREIGN KEY (municipality_code, plan_id) REFERENCES programme_plan (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('programme_initiative');

CREATE TABLE programme_cost_line (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  plan_id text NOT NULL,
  initiative_code text NOT NULL,
  measure_activity integer NOT NULL CHECK (measure_activity BETWEEN 1 AND 4),
  account integer NOT NULL CHECK (account IN (15, 50, 55)),
  year integer NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  PRIMARY KEY (municipality_code, plan_id, initiative_code, measure_activity, account, year),
  FOREIGN KEY (municipality_code, plan_id, initiative_code) REFERENCES programme_initiative (municipality_code, plan_id, code) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('programme_cost_line');

CREATE TABLE programme_stated_total (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  plan_id text NOT NULL,
  id text NOT NULL,
  label text NOT NULL,
  -- Which lines the figure sums (null = any): initiative, measure activity, account, year.
  initiative_code text,
  measure_activity integer CHECK (measure_activity BETWEEN 1 AND 4),
  account integer CHECK (account IN (15, 50, 55)),
  year integer,
  with_vat boolean NOT NULL,
  amount_cents bigint NOT NULL,
  PRIMARY KEY (municipality_code, plan_id, id),
  FOREIGN KEY (municipality_code, plan_id) REFERENCES programme_plan (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('programme_stated_total');

CREATE TABLE programme_spending (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  plan_id text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  initiative_code text NOT NULL,
  measure_activity integer NOT NULL CHECK (measure_activity BETWEEN 1 AND 4),
  account integer NOT NULL CHECK (account IN (15, 50, 55)),
  spent_on date NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  vat_cents bigint NOT NULL DEFAULT 0 CHECK (vat_cents >= 0),
  description text NOT NULL,
  reference text NOT NULL DEFAULT '',
  recorded_by uuid REFERENCES person (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, plan_id, id),
  FOREIGN KEY (municipality_code, plan_id, initiative_code) REFERENCES programme_initiative (municipality_code, plan_id, code) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('programme_spending');
