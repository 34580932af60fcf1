-- What opendata_published holds is public by definition (the current version of every published
-- dataset). Reading it needs no tenant scope: this permissive SELECT policy lets anyone's
-- transaction read every row, which also lets the planner use the GIN indexes (full text, tags,
-- themes, formats) — under the tenant policy alone, non-leakproof operators such as @@ and @>
-- could not be used as index conditions. Writes still go through the tenant policy.
CREATE POLICY opendata_published_public_read ON opendata_published FOR SELECT USING (true);
