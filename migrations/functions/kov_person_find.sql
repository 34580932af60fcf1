-- The person of an ID code the caller already holds (an official entering a paper voter, a
-- resident named by code), or null. One code at a time: nothing to enumerate (issue 13).
CREATE OR REPLACE FUNCTION kov_person_find(p_code text)
  RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT id FROM person WHERE id_code = p_code $$;
REVOKE ALL ON FUNCTION kov_person_find(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_person_find(text) TO kov_app;
