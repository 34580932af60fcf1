-- The demo identity provider's list of accounts to log in as (demo mode only; the provider is
-- refused in production): synthetic persons only — those with a residence record of the demo
-- population (source 'demo'), never a person of real register extracts or a real login. Officials
-- and council members first (with their roles), then a sample of residents (issue 13: the
-- application role reads no ID code directly).
CREATE OR REPLACE FUNCTION kov_demo_accounts()
  RETURNS TABLE (id_code text, given_name text, family_name text, label text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    WITH demo AS (SELECT DISTINCT r.person_id FROM register_residence r WHERE r.source = 'demo')
    (SELECT p.id_code, p.given_name, p.family_name,
            string_agg(g.role || ' ' || t.name, ', ' ORDER BY t.name, g.role) AS label
       FROM person p JOIN demo d ON d.person_id = p.id
       JOIN role_grant g ON g.person_id = p.id JOIN tenant t ON t.code = g.municipality_code
      GROUP BY p.id, p.id_code, p.given_name, p.family_name ORDER BY p.family_name, p.given_name)
    UNION ALL
    (SELECT p.id_code, p.given_name, p.family_name, NULL
       FROM person p JOIN demo d ON d.person_id = p.id
      WHERE NOT EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id)
      ORDER BY p.id_code LIMIT 40)
  $$;
REVOKE ALL ON FUNCTION kov_demo_accounts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_demo_accounts() TO kov_app;
