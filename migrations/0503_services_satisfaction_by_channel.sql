-- Services: a second, smaller roll-up for the national comparison — per municipality, channel and
-- month (about 78 × 8 × 12 rows a year), derived from survey_monthly whenever a month is
-- recomputed. The comparison reads it unless it filters by template or field (which need the
-- per-service roll-up).
CREATE TABLE survey_monthly_channel (
  municipality_code text NOT NULL REFERENCES tenant (code),
  channel text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  answers integer NOT NULL,
  score_sum integer NOT NULL,
  top2 integer NOT NULL,
  s1 integer NOT NULL, s2 integer NOT NULL, s3 integer NOT NULL, s4 integer NOT NULL, s5 integer NOT NULL,
  effort_n integer NOT NULL,
  effort_sum integer NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, channel, month)
);
CREATE INDEX survey_monthly_channel_month_idx ON survey_monthly_channel (month);
SELECT kov_protect_tenant_table('survey_monthly_channel');
