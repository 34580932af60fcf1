-- Personal ID codes out of the application role's reach (issue 13). `kov_app` reads no
-- `person.id_code`: not in a SELECT list, not in a WHERE clause, not through INSERT … ON CONFLICT
-- (each needs SELECT on the column). It finds or creates a person by a code it already knows, and
-- reads the code of a person of the current tenant (or of the acting person), only through the
-- SECURITY DEFINER functions in migrations/functions/kov_person_*.sql. Lists show the masked code,
-- a generated column (birth date and sex digits only, as `maskIdCode`). `kov_read` reads neither
-- (src/platform/db/roles.ts recomputes its grants).
ALTER TABLE person ADD COLUMN id_code_masked text GENERATED ALWAYS AS (left(id_code, 6) || '*****') STORED;

REVOKE ALL ON person FROM kov_app;
GRANT SELECT (id, id_code_masked, given_name, family_name, birth_date, created_at, last_login_at) ON person TO kov_app;
GRANT UPDATE (given_name, family_name, last_login_at) ON person TO kov_app;
GRANT DELETE ON person TO kov_app;

-- kov_person_codes asks "is this person linked to the tenant?" by person: indexes for the lists.
CREATE INDEX IF NOT EXISTS electorate_voter_person_idx ON electorate_voter (person_id, municipality_code);
CREATE INDEX IF NOT EXISTS electorate_list_entry_person_idx ON electorate_list_entry (person_id, municipality_code);
CREATE INDEX IF NOT EXISTS register_query_log_subject_idx ON register_query_log (subject_id, municipality_code);
CREATE INDEX IF NOT EXISTS register_query_log_asked_by_idx ON register_query_log (asked_by, municipality_code);
