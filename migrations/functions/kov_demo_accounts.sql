-- The demo identity provider's list of accounts to log in as (demo mode only; the provider is
-- refused in production): synthetic persons only — those with a residence record of the demo
-- population (source 'demo'), never a person of real register extracts or a real login (issue 13:
-- the application role reads no ID code directly). Everybody with a role (officials, council
-- members) first, then residents with their residence: a few of each municipality in a mixed order
-- (ages and genders vary; the ID codes' order would list the oldest men first), or up to 60 of the
-- one municipality filtered to.
CREATE OR REPLACE FUNCTION kov_demo_accounts(p_municipality text)
  RETURNS TABLE (id_code text, given_name text, family_name text, birth_date text,
                 municipality_code text, municipality text, settlement text, roles text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    WITH demo AS (
      SELECT DISTINCT r.person_id FROM register_residence r WHERE r.source = 'demo'
    ), res AS (
      SELECT DISTINCT ON (r.person_id) r.person_id, r.residence_municipality_code AS m, r.settlement_code
        FROM register_residence r
       WHERE r.source = 'demo' AND r.valid_from <= current_date
         AND (r.valid_until IS NULL OR r.valid_until >= current_date)
       ORDER BY r.person_id, r.valid_from DESC
    ), officials AS (
      SELECT g.person_id, string_agg(g.role || ':' || t.name, ',' ORDER BY t.name, g.role) AS roles,
             bool_or(g.municipality_code = p_municipality) AS here
        FROM role_grant g JOIN tenant t ON t.code = g.municipality_code JOIN demo d ON d.person_id = g.person_id
       GROUP BY g.person_id
    ), residents AS (
      SELECT res.person_id, row_number() OVER (PARTITION BY res.m ORDER BY md5(p.id_code)) AS n
        FROM res JOIN person p ON p.id = res.person_id
       WHERE NOT EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = res.person_id)
    )
    SELECT p.id_code, p.given_name, p.family_name, p.birth_date::text,
           res.m, mp.name, sp.name, o.roles
      FROM person p
      JOIN demo d ON d.person_id = p.id
      LEFT JOIN res ON res.person_id = p.id
      LEFT JOIN place mp ON mp.code = res.m
      LEFT JOIN place sp ON sp.code = res.settlement_code
      LEFT JOIN officials o ON o.person_id = p.id
      LEFT JOIN residents r ON r.person_id = p.id
     WHERE (o.person_id IS NOT NULL AND (p_municipality IS NULL OR o.here OR res.m = p_municipality))
        OR (r.n <= CASE WHEN p_municipality IS NULL THEN 3 ELSE 60 END
            AND (p_municipality IS NULL OR res.m = p_municipality))
     ORDER BY (o.person_id IS NULL), mp.name NULLS LAST, p.family_name, p.given_name
     LIMIT 400
  $$;
REVOKE ALL ON FUNCTION kov_demo_accounts(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_demo_accounts(text) TO kov_app;
