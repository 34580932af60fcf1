-- Resolves a session cookie to its person and roles in one round trip. SECURITY DEFINER so that
-- the role grants of every tenant can be read before any tenant scope is known; it reveals only
-- the roles of the session's own person, and only to whoever holds the session token.
CREATE FUNCTION kov_resolve_session(p_hash bytea, p_idle interval)
  RETURNS TABLE (person_id uuid, csrf_token text, acr text, amr text, given_name text, family_name text,
                 birth_date date, id_code_masked text,
                 roles jsonb, created_at timestamptz, last_seen_at timestamptz, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT s.person_id, s.csrf_token, s.acr, s.amr, p.given_name, p.family_name,
           p.birth_date, left(p.id_code, 6) || '*****',
           COALESCE((SELECT jsonb_agg(jsonb_build_object('m', g.municipality_code, 'r', g.role) ORDER BY g.municipality_code, g.role)
                     FROM role_grant g WHERE g.person_id = s.person_id), '[]'::jsonb),
           s.created_at, s.last_seen_at, s.expires_at
      FROM session s JOIN person p ON p.id = s.person_id
     WHERE s.id_hash = p_hash AND s.expires_at > now() AND s.last_seen_at > now() - p_idle
  $$;
REVOKE ALL ON FUNCTION kov_resolve_session(bytea, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_resolve_session(bytea, interval) TO kov_app;
