-- Opens a session (login). The application role has no rights on `session` itself: it can only
-- open, touch and close the session whose token it holds, and purge expired ones (issue 13).
CREATE OR REPLACE FUNCTION kov_session_open(p_hash bytea, p_person uuid, p_csrf text, p_amr text, p_acr text,
                                            p_expires timestamptz)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    INSERT INTO session (id_hash, person_id, csrf_token, amr, acr, expires_at)
    VALUES (p_hash, p_person, p_csrf, p_amr, p_acr, p_expires)
  $$;
REVOKE ALL ON FUNCTION kov_session_open(bytea, uuid, text, text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_session_open(bytea, uuid, text, text, text, timestamptz) TO kov_app;
