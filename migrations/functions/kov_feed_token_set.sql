-- A person's new calendar-feed token (its hash): the application role cannot read the table.
CREATE OR REPLACE FUNCTION kov_feed_token_set(p_person uuid, p_hash bytea)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    INSERT INTO community_feed_token (person_id, token_hash) VALUES (p_person, p_hash)
    ON CONFLICT (person_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
  $$;
REVOKE ALL ON FUNCTION kov_feed_token_set(uuid, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_feed_token_set(uuid, bytea) TO kov_app;
