-- Names the municipality's own records show, under row-level security on `person` (issue 13,
-- migration 0901). A person is visible in a municipality's scope while linked to it
-- (`kov_person_linked`: a role there, …) or named by its content (`kov_person_named`). Officials
-- are linked only while they hold a role, so once a sitting's secretary, a minutes' signatory, a
-- service's editor or a dataset's publisher had left (their role revoked) or acted as ELVL's
-- platform admin, the records they signed lost their name — and reading a sitting's minutes threw.
-- These records name the person in the municipality's content as much as a report names its
-- author, so `kov_person_named` now answers them too: the secretary of a council sitting and the
-- chair and secretary who signed its minutes (public documents), the official who wrote a service
-- version (the officials' version history) and the one who published a dataset version (the
-- dataset page). Names only: `kov_person_codes` still answers codes by `kov_person_linked` alone.

CREATE INDEX IF NOT EXISTS council_sitting_secretary_idx ON council_sitting (secretary_id, municipality_code)
  WHERE secretary_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS council_minutes_chair_signed_idx ON council_minutes (chair_signed_by, municipality_code)
  WHERE chair_signed_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS council_minutes_secretary_signed_idx ON council_minutes (secretary_signed_by, municipality_code)
  WHERE secretary_signed_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS service_version_changed_by_idx ON service_version (changed_by, municipality_code)
  WHERE changed_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS opendata_dataset_version_published_by_idx ON opendata_dataset_version (published_by, municipality_code)
  WHERE published_by IS NOT NULL;

-- PL/pgSQL, not inlined: the planner no longer expands these probes (each with its table's own
-- row-level security) into every query that reads `person`. Planning a one-row read such as a
-- live cast's took a median 0.25–0.27 ms with 0901's SQL function, 0.34 ms with this longer one
-- inlined, 0.14–0.21 ms now. A row reaches the function only when it is neither the actor's, nor
-- platform-wide, nor linked (kov_person_linked stays inlined: officials' long lists go through
-- it); PL/pgSQL keeps the function's plan per connection.
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
      OR (t = '0000' AND (
              EXISTS (SELECT 1 FROM community_registration c WHERE c.person_id = p AND c.municipality_code = t)
           OR EXISTS (SELECT 1 FROM training_member m WHERE m.person_id = p AND m.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_comment h WHERE h.author_id = p AND h.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_article a WHERE a.author_id = p AND a.municipality_code = t)
           OR EXISTS (SELECT 1 FROM hub_article_version v WHERE v.edited_by = p AND v.municipality_code = t)
           OR EXISTS (SELECT 1 FROM mentor_offer o WHERE o.person_id = p AND o.municipality_code = t))));
  END
  $$;
