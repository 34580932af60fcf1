-- Logout: ends the session whose token hash the caller holds.
CREATE OR REPLACE FUNCTION kov_session_close(p_hash bytea)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ DELETE FROM session WHERE id_hash = p_hash $$;
REVOKE ALL ON FUNCTION kov_session_close(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_session_close(bytea) TO kov_app;
