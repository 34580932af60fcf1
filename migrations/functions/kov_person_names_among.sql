-- Which of the given lowercase "given family" strings are the name of some person (the open-data
-- anonymisation check refuses a dataset naming one). Every person, not only those linked to the
-- caller's municipality: a Tartu dataset must not name an Elva resident either, and row-level
-- security on person (migration 0901) would hide them. Answers only strings passed in, never a
-- list of names; the application sends the word pairs of a dataset being published (issue 13).
CREATE OR REPLACE FUNCTION kov_person_names_among(p_names text[])
  RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT DISTINCT lower(given_name || ' ' || family_name) FROM person
     WHERE given_name IS NOT NULL AND family_name IS NOT NULL
       AND lower(given_name || ' ' || family_name) = ANY (p_names)
  $$;
REVOKE ALL ON FUNCTION kov_person_names_among(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_person_names_among(text[]) TO kov_app;
