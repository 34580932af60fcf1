-- Register extracts are loaded in bulk (a Tallinn extract is half a million residence records)
-- and frozen voter lists are built in bulk. Per-row foreign-key checks (each one a lookup and a
-- row lock on `person` and `place`) made that several times slower than the rows themselves.
-- The import and the freeze check what those keys checked: every EHAK code against the
-- classification, persons by joining `person` (see src/modules/register/importExtract.ts).
ALTER TABLE register_residence DROP CONSTRAINT register_residence_person_id_fkey;
ALTER TABLE register_residence DROP CONSTRAINT register_residence_residence_municipality_code_fkey;
ALTER TABLE register_residence DROP CONSTRAINT register_residence_settlement_code_fkey;
ALTER TABLE register_residence DROP CONSTRAINT register_residence_municipality_code_fkey;
-- Electorate sizes are counted by scanning the municipality's rows on the reference date; this
-- index was not used for that and only slowed loading.
DROP INDEX register_residence_settlement_idx;

ALTER TABLE electorate_voter DROP CONSTRAINT electorate_voter_person_id_fkey;
ALTER TABLE electorate_voter DROP CONSTRAINT electorate_voter_settlement_code_fkey;
