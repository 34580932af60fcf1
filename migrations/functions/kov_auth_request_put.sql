-- Stores a login in progress (state, nonce, PKCE verifier). The application role cannot read
-- `auth_request`: it takes back only the one whose state the browser brings (kov_auth_request_take).
CREATE OR REPLACE FUNCTION kov_auth_request_put(p_state text, p_nonce text, p_verifier text, p_return_to text,
                                                p_expires timestamptz)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    INSERT INTO auth_request (state, nonce, code_verifier, return_to, expires_at)
    VALUES (p_state, p_nonce, p_verifier, p_return_to, p_expires)
  $$;
REVOKE ALL ON FUNCTION kov_auth_request_put(text, text, text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_auth_request_put(text, text, text, text, timestamptz) TO kov_app;
