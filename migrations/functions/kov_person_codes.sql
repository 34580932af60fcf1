-- The ID codes of persons, for the few uses that need the code itself (a query to the population
-- register, the voter list handed to the election committee): only of the acting person
-- (kov.actor) and of persons linked to the transaction's tenant (kov.tenant, one municipality,
-- not '*'): a role there, a residence record of its extracts, its include/exclude lists or voter
-- lists, its council, or its own log of register queries (it asked the register about them, by
-- code, before). Persons not answered are refused (issue 13).
CREATE OR REPLACE FUNCTION kov_person_codes(p_persons uuid[])
  RETURNS TABLE (person_id uuid, id_code text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT p.id, p.id_code
      FROM person p, (SELECT coalesce(current_setting('kov.tenant', true), '') AS t) s
     WHERE p.id = ANY (p_persons)
       AND (p.id = kov_actor()
            OR (s.t NOT IN ('', '*') AND (
                  EXISTS (SELECT 1 FROM role_grant g WHERE g.municipality_code = s.t AND g.person_id = p.id)
               OR EXISTS (SELECT 1 FROM register_residence r WHERE r.municipality_code = s.t AND r.person_id = p.id)
               OR EXISTS (SELECT 1 FROM electorate_list_entry e WHERE e.municipality_code = s.t AND e.person_id = p.id)
               OR EXISTS (SELECT 1 FROM electorate_voter v WHERE v.municipality_code = s.t AND v.person_id = p.id)
               OR EXISTS (SELECT 1 FROM council_member m WHERE m.municipality_code = s.t AND m.person_id = p.id)
               OR EXISTS (SELECT 1 FROM register_query_log l WHERE l.subject_id = p.id AND l.municipality_code = s.t)
               OR EXISTS (SELECT 1 FROM register_query_log l WHERE l.asked_by = p.id AND l.municipality_code = s.t))))
  $$;
REVOKE ALL ON FUNCTION kov_person_codes(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_person_codes(uuid[]) TO kov_app;
