-- Sliding idle timeout of the session whose token hash the caller holds.
CREATE OR REPLACE FUNCTION kov_session_touch(p_hash bytea)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ UPDATE session SET last_seen_at = now() WHERE id_hash = p_hash $$;
REVOKE ALL ON FUNCTION kov_session_touch(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_session_touch(bytea) TO kov_app;
