-- The register module's live eligibility check in one round trip (src/modules/register/eligibility.ts,
-- checkEligibility without a caller's transaction: a voter's first live cast). Called as a
-- statement of its own, outside any transaction: it sets the tenant and actor scope for itself
-- (as inScope would; the application role may set them anyway), so the statement is the check's
-- whole transaction and the query log it writes commits with it. The previous scope is restored.
--
-- It gathers facts and asks the municipality's register extract; it decides nothing: the rule
-- (exclude list, age, include list, residence on the day that counts) is applied by
-- checkEligibility to what it answers, for every source alike.
--
--  * o_lists: the person's include/exclude entries in the electorate;
--  * when p_ask (the caller's rule has passed the age and the electorate is not list-only) and the
--    lists do not settle it (no entry: an exclusion refuses and an inclusion admits before the
--    register is asked): the extract's answer, o_residences (register_extract_residences: the
--    residence records with the person's row; NULL = not found), logged in register_query_log
--    exactly as queryRegister logs an extract lookup; o_asked says whether it was.
CREATE OR REPLACE FUNCTION register_live_check(p_tenant text, p_actor uuid, p_electorate uuid, p_person uuid,
                                               p_ask boolean, p_asked_by uuid, p_purpose text, p_reference text)
  RETURNS TABLE (o_lists text[], o_asked boolean, o_residences json)
  LANGUAGE plpgsql AS $$
DECLARE
  v_tenant text := current_setting('kov.tenant', true);
  v_actor text := current_setting('kov.actor', true);
  v_lists text[];
  v_res json;
  v_t0 timestamptz;
BEGIN
  PERFORM set_config('kov.tenant', p_tenant, true), set_config('kov.actor', coalesce(p_actor::text, ''), true);
  SELECT coalesce(array_agg(l.list), '{}') INTO v_lists
    FROM electorate_list_entry l
   WHERE l.municipality_code = p_tenant AND l.electorate_id = p_electorate AND l.person_id = p_person;
  IF p_ask AND cardinality(v_lists) = 0 THEN
    v_t0 := clock_timestamp();
    v_res := register_extract_residences(p_tenant, p_person);
    INSERT INTO register_query_log (municipality_code, asked_by, subject_id, purpose, reference, source, outcome, duration_ms)
    VALUES (p_tenant, p_asked_by, p_person, p_purpose, p_reference, 'extract',
            CASE WHEN v_res IS NULL THEN 'not-found' ELSE 'found' END,
            round(extract(epoch FROM clock_timestamp() - v_t0) * 1000)::integer);
  END IF;
  PERFORM set_config('kov.tenant', coalesce(v_tenant, ''), true), set_config('kov.actor', coalesce(v_actor, ''), true);
  RETURN QUERY SELECT v_lists, p_ask AND cardinality(v_lists) = 0, v_res;
END $$;
