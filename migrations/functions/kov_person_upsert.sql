-- Login (TARA), the register's extracts and lists, the demo seed: finds or creates the persons of
-- the ID codes the caller already holds and answers their ids, in the order given. Names given
-- fill in names not known yet (a later login refreshes them: p_login); `p_login` stamps
-- last_login_at. Answers each code's position, person id and whether it was created now. No
-- enumeration: only codes passed in are answered (issue 13).
DROP FUNCTION IF EXISTS kov_person_upsert(text[], text[], text[], date[], boolean);
CREATE FUNCTION kov_person_upsert(p_codes text[], p_given text[], p_family text[], p_birth date[], p_login boolean)
  RETURNS TABLE (o_i integer, o_id uuid, o_new boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  -- Rows inserted or updated here come back from the CTE; rows left as they were are found in the
  -- statement's snapshot. Joins, not arrays, so a register extract of a million codes stays linear.
  RETURN QUERY
  WITH x AS (
    INSERT INTO person AS p (id_code, given_name, family_name, birth_date, last_login_at)
    SELECT DISTINCT ON (u.c) u.c, u.g, u.f, u.b, CASE WHEN p_login THEN now() END
      FROM unnest(p_codes, p_given, p_family, p_birth) WITH ORDINALITY AS u(c, g, f, b, n)
     ORDER BY u.c, u.n DESC
    ON CONFLICT (id_code) DO UPDATE
      SET given_name = CASE WHEN p_login THEN coalesce(EXCLUDED.given_name, p.given_name) ELSE coalesce(p.given_name, EXCLUDED.given_name) END,
          family_name = CASE WHEN p_login THEN coalesce(EXCLUDED.family_name, p.family_name) ELSE coalesce(p.family_name, EXCLUDED.family_name) END,
          last_login_at = CASE WHEN p_login THEN now() ELSE p.last_login_at END
      WHERE p_login OR (p.given_name IS NULL AND EXCLUDED.given_name IS NOT NULL)
         OR (p.family_name IS NULL AND EXCLUDED.family_name IS NOT NULL)
    RETURNING p.id, p.id_code, (p.xmax = 0) AS created)
  SELECT u.n::integer, coalesce(x.id, q.id), coalesce(x.created, false)
    FROM unnest(p_codes) WITH ORDINALITY AS u(c, n)
    LEFT JOIN x ON x.id_code = u.c
    LEFT JOIN person q ON q.id_code = u.c
   ORDER BY u.n;
END $$;
REVOKE ALL ON FUNCTION kov_person_upsert(text[], text[], text[], date[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_person_upsert(text[], text[], text[], date[], boolean) TO kov_app;
