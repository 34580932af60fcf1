-- Figures that depend on "now" (open reports by age, open reports past their SLA), computed by the
-- statistics job every minute from the open reports, per municipality, month of creation and
-- category; ELVL's national rows under '0000'. `as_of` is the time they were computed.
CREATE TABLE report_stats_live (
  municipality_code text NOT NULL REFERENCES tenant (code),
  month date NOT NULL,
  category_code text NOT NULL,
  open integer NOT NULL,
  overdue integer NOT NULL,
  d7 integer NOT NULL,
  d30 integer NOT NULL,
  d90 integer NOT NULL,
  older integer NOT NULL,
  as_of timestamptz NOT NULL,
  PRIMARY KEY (municipality_code, month, category_code)
);
SELECT kov_protect_tenant_table('report_stats_live');
