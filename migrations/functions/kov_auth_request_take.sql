-- Takes (single use: deletes and answers) the login attempt of one state.
CREATE OR REPLACE FUNCTION kov_auth_request_take(p_state text)
  RETURNS TABLE (nonce text, code_verifier text, return_to text, expires_at timestamptz)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    DELETE FROM auth_request a WHERE a.state = p_state
    RETURNING a.nonce, a.code_verifier, a.return_to, a.expires_at
  $$;
REVOKE ALL ON FUNCTION kov_auth_request_take(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_auth_request_take(text) TO kov_app;
