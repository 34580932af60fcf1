-- Deletes expired and idle sessions and expired login attempts; answers the sessions deleted.
CREATE OR REPLACE FUNCTION kov_session_purge(p_idle interval)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  n bigint;
BEGIN
  DELETE FROM session WHERE expires_at < now() OR last_seen_at < now() - p_idle;
  GET DIAGNOSTICS n = ROW_COUNT;
  DELETE FROM auth_request WHERE expires_at < now();
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION kov_session_purge(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_session_purge(interval) TO kov_app;
