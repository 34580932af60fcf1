-- Full-text search through the GIN index although row-level security is on. PostgreSQL does not
-- use an index for an operator that is not leakproof (`@@`) below a table's security policies, so
-- every search read every article (48 ms over 5,000 articles against 4 ms through the index).
-- This function runs with the owner's rights to use the index, and applies the same visibility
-- rules as hub_article's policies (tenant_isolation OR public_read) itself, so it answers only
-- ids the caller could read anyway; the search query still reads the rows under the policies.
CREATE FUNCTION hub_article_matches(q tsquery) RETURNS TABLE (municipality_code text, id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT a.municipality_code, a.id FROM hub_article a
     WHERE a.search @@ q
       AND (kov_tenant_visible(a.municipality_code) OR (a.visibility = 'public' AND a.status = 'published'))
  $$;
REVOKE ALL ON FUNCTION hub_article_matches(tsquery) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_article_matches(tsquery) TO kov_app;
