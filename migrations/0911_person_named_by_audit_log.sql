-- Who did what, named in the municipality's audit log (issue 13, person RLS; migrations 0901, 0910).
-- An audit entry names its actor by id; the audit page shows the name. An actor who is not linked
-- to the municipality (a platform admin — an admin of ELVL's '0000' — acting there, or an official
-- whose role has since been revoked) read as NULL under row-level security on `person`, so the
-- municipality's administrators could not tell who had changed their data. The audit log names its
-- actors as much as a report names its author: `kov_person_named` now answers them too. Names only:
-- `kov_person_codes` still answers codes by `kov_person_linked` alone, and the audit page shows no code.

CREATE INDEX IF NOT EXISTS audit_log_actor_idx ON audit_log (actor_id, municipality_code) WHERE actor_id IS NOT NULL;

CREATE OR REPLACE FUNCTION kov_person_named(p uuid, t text) RETURNS boolean
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  AS $$
  BEGIN
    RETURN t NOT IN ('', '*') AND (
         EXISTS (SELECT 1 FROM report r WHERE r.reporter_person_id = p AND r.municipality_code = t)
      OR EXISTS (SELECT 1 FROM opendata_governance_role o WHERE o.municipality_code = t AND o.person_id = p)
      OR EXISTS (SELECT 1 FROM council_sitting s WHERE s.secretary_id = p AND s.municipality_code = t)
      OR EXISTS (SELECT 1 FROM council_minutes m WHERE m.chair_signed_by = p AND m.municipality_code = t)
      OR EXISTS (SELECT 1 FROM council_minutes m WHERE m.secretary_signed_by = p AND m.municipality_code = t)
      OR EXISTS (SELECT 1 FROM service_version v WHERE v.changed_by = p AND v.municipality_code = t)
      OR EXISTS (SELECT 1 FROM opendata_dataset_version d WHERE d.published_by = p AND d.municipality_code = t)
      OR EXISTS (SELECT 1 FROM audit_log a WHERE a.actor_id = p AND a.municipality_code = t)
      OR (t = '0000' AND (
              EXISTS (SELECT 1 FROM community_registration c WHERE c.person_id = p AND c.municipality_code = t)
           OR EXISTS (SELECT 1 FROM training_member m WHERE m.person_id = p AND m.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_comment h WHERE h.author_id = p AND h.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_article a WHERE a.author_id = p AND a.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_article_version v WHERE v.edited_by = p AND v.municipality_code = t)
           OR EXISTS (SELECT 1 FROM mentor_offer o WHERE o.person_id = p AND o.municipality_code = t))));
  END
  $$;
