-- Whose calendar feed a token opens (by the token's hash), or null.
CREATE OR REPLACE FUNCTION kov_feed_token_owner(p_hash bytea)
  RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT person_id FROM community_feed_token WHERE token_hash = p_hash $$;
REVOKE ALL ON FUNCTION kov_feed_token_owner(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_feed_token_owner(bytea) TO kov_app;
