-- Row-level security on `person` (issue 13: "the personal-data tables are unreadable across
-- tenants and without the right role"). Migration 0900 took the ID codes out of the application
-- role's reach; the names and birth dates of every person were still one `SELECT` away. Now a
-- `person` row is visible to `kov_app` only
--   (a) to that person themself (kov.actor),
--   (b) in platform-wide scope (kov.tenant = '*': jobs, national statistics, the delivery of
--       notifications — as for the notification tables' `kov_person_visible`),
--   (c) in the scope of a municipality the person is linked to (`kov_person_linked`: a role there,
--       a residence record of its extracts, its include/exclude or voter lists, its council, its
--       log of register queries) — the same definition `kov_person_codes` answers ID codes by — or
--   (d) in the scope of a municipality whose content names them (`kov_person_named`): a report
--       they wrote there, a data governance role; and in ELVL's scope ('0000') the officials of every municipality who
--       register for its events and trainings, comment on and write its hub articles, or offer
--       mentoring. (d) never answers an ID code.
-- No scope sees nobody. Login, the demo picker and the register's imports find and create persons
-- through the SECURITY DEFINER functions kov_person_* / kov_resolve_session / kov_demo_accounts,
-- which run as the owner and are unaffected. Foreign-key checks bypass row security.

-- Indexes for the probes below (the others exist: role_grant_person_idx, register_residence's
-- (person_id), migration 0900's, community_registration_person_idx, council_member_person_idx,
-- report_reporter_idx).
CREATE INDEX IF NOT EXISTS training_member_person_idx ON training_member (person_id);
CREATE INDEX IF NOT EXISTS hub_comment_author_idx ON hub_comment (author_id);
CREATE INDEX IF NOT EXISTS hub_article_author_idx ON hub_article (author_id);
CREATE INDEX IF NOT EXISTS hub_article_version_editor_idx ON hub_article_version (edited_by);
CREATE INDEX IF NOT EXISTS mentor_offer_person_idx ON mentor_offer (person_id);

-- Is the person linked to the municipality `t`? Plain SQL (inlined into the policy, so each probe
-- is an index lookup correlated with the row; residents, the most of them, first); called by the
-- owner inside kov_person_codes too.
CREATE OR REPLACE FUNCTION kov_person_linked(p uuid, t text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT t NOT IN ('', '*') AND (
         EXISTS (SELECT 1 FROM register_residence r WHERE r.person_id = p AND r.municipality_code = t)
      OR EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p AND g.municipality_code = t)
      OR EXISTS (SELECT 1 FROM electorate_voter v WHERE v.person_id = p AND v.municipality_code = t)
      OR EXISTS (SELECT 1 FROM electorate_list_entry e WHERE e.person_id = p AND e.municipality_code = t)
      OR EXISTS (SELECT 1 FROM council_member m WHERE m.person_id = p AND m.municipality_code = t)
      OR EXISTS (SELECT 1 FROM register_query_log l WHERE l.subject_id = p AND l.municipality_code = t)
      OR EXISTS (SELECT 1 FROM register_query_log l WHERE l.asked_by = p AND l.municipality_code = t))
  $$;

-- Is the person named by content of the municipality `t` (shown by name there, never by code)?
CREATE OR REPLACE FUNCTION kov_person_named(p uuid, t text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT t NOT IN ('', '*') AND (
         EXISTS (SELECT 1 FROM report r WHERE r.reporter_person_id = p AND r.municipality_code = t)
      OR EXISTS (SELECT 1 FROM opendata_governance_role o WHERE o.municipality_code = t AND o.person_id = p)
      OR (t = '0000' AND (
              EXISTS (SELECT 1 FROM community_registration c WHERE c.person_id = p AND c.municipality_code = t)
           OR EXISTS (SELECT 1 FROM training_member m WHERE m.person_id = p AND m.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_comment h WHERE h.author_id = p AND h.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_article a WHERE a.author_id = p AND a.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_article_version v WHERE v.edited_by = p AND v.municipality_code = t)
           OR EXISTS (SELECT 1 FROM mentor_offer o WHERE o.person_id = p AND o.municipality_code = t))))
  $$;

ALTER TABLE person ENABLE ROW LEVEL SECURITY;
CREATE POLICY actor_platform_or_linked ON person
  USING (id = kov_actor()
         OR current_setting('kov.tenant', true) = '*'
         OR kov_person_linked(id, current_setting('kov.tenant', true))
         OR kov_person_named(id, current_setting('kov.tenant', true)));

-- ID codes: the acting person's, and those of persons linked to the tenant (one definition).
CREATE OR REPLACE FUNCTION kov_person_codes(p_persons uuid[])
  RETURNS TABLE (person_id uuid, id_code text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT p.id, p.id_code
      FROM person p
     WHERE p.id = ANY (p_persons)
       AND (p.id = kov_actor() OR kov_person_linked(p.id, coalesce(current_setting('kov.tenant', true), '')))
  $$;
REVOKE ALL ON FUNCTION kov_person_codes(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kov_person_codes(uuid[]) TO kov_app;
