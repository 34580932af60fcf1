-- The live analytics figures (backlog by age, open reports past their SLA) read only open
-- reports: covering partial indexes let them count from the index alone, per municipality and
-- nationally (ELVL).
DROP INDEX IF EXISTS report_open_idx;
CREATE INDEX report_open_idx ON report (municipality_code, created_at) INCLUDE (category_code, status, settlement_code, sla_due_at, first_closed_at) WHERE closed_at IS NULL;
CREATE INDEX report_open_national_idx ON report (created_at) INCLUDE (municipality_code, category_code, status, sla_due_at, first_closed_at) WHERE closed_at IS NULL;
