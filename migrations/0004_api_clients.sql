-- API clients: municipal IT systems (back-offices, state channels) that call the platform's
-- machine APIs (Open311, services, …) with an API key. Each client belongs to one municipality
-- (or to ELVL '0000' for national systems) and holds scopes. Only the SHA-256 of the key is
-- stored; the key's public prefix finds the row.
CREATE TABLE api_client (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  contact text CHECK (contact IS NULL OR length(contact) <= 200),
  key_prefix text NOT NULL CHECK (key_prefix ~ '^[A-Za-z0-9]{12}$'),
  key_hash bytea NOT NULL,
  scopes text[] NOT NULL CHECK (cardinality(scopes) >= 1),
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by uuid REFERENCES person (id),
  last_used_at timestamptz,
  PRIMARY KEY (municipality_code, id)
);
CREATE UNIQUE INDEX api_client_prefix_idx ON api_client (key_prefix);
CREATE UNIQUE INDEX api_client_id_idx ON api_client (id);
SELECT kov_protect_tenant_table('api_client');

-- Resolves a key prefix before any tenant scope is known (the key names its own tenant). It
-- returns the stored hash for the caller to compare in constant time; revoked keys are returned
-- too so that the caller can say "revoked" rather than "unknown".
CREATE FUNCTION kov_resolve_api_key(p_prefix text)
  RETURNS TABLE (municipality_code text, id uuid, name text, key_hash bytea, scopes text[], revoked_at timestamptz, last_used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.municipality_code, c.id, c.name, c.key_hash, c.scopes, c.revoked_at, c.last_used_at
      FROM api_client c WHERE c.key_prefix = p_prefix
  $$;
REVOKE ALL ON FUNCTION kov_resolve_api_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_resolve_api_key(text) TO kov_app;

CREATE FUNCTION kov_touch_api_key(p_id uuid) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ UPDATE api_client SET last_used_at = now() WHERE id = p_id $$;
REVOKE ALL ON FUNCTION kov_touch_api_key(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_touch_api_key(uuid) TO kov_app;
