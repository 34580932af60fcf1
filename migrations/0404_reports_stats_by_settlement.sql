-- Settlement units become a dimension of the pre-aggregated volume and duration figures, so that
-- analytics filtered to one settlement unit (a district of Tallinn, a village) read a few hundred
-- pre-aggregated rows instead of every single report of the period. `area_code` is the settlement
-- unit, or the municipality code for reports without one; ELVL's national rows ('0000') carry
-- '0000'. The statistics are rebuilt by the statistics job within a minute: every report is
-- flagged dirty here.
ALTER TABLE report_stats ADD COLUMN area_code text NOT NULL DEFAULT '';
ALTER TABLE report_stats DROP CONSTRAINT report_stats_pkey;
ALTER TABLE report_stats ADD PRIMARY KEY (municipality_code, month, category_code, channel, area_code);
ALTER TABLE report_stats ALTER COLUMN area_code DROP DEFAULT;

ALTER TABLE report_stats_duration ADD COLUMN area_code text NOT NULL DEFAULT '';
ALTER TABLE report_stats_duration DROP CONSTRAINT report_stats_duration_pkey;
ALTER TABLE report_stats_duration ADD PRIMARY KEY (municipality_code, month, category_code, kind, bucket, area_code);
ALTER TABLE report_stats_duration ALTER COLUMN area_code DROP DEFAULT;

DELETE FROM report_stats;
DELETE FROM report_stats_duration;
DELETE FROM report_stats_area;
DELETE FROM report_stats_cell;
UPDATE report SET stats_dirty = true;
