-- The register extract's answer about a person (ExtractPopulationRegister, and register_live_check):
-- their residence records in the municipality's extract, in order of start, each with the
-- person's name and birth date, as a JSON array; NULL when there is no record or row-level
-- security does not show the person in this scope ("not found"). Runs as the caller.
CREATE OR REPLACE FUNCTION register_extract_residences(p_tenant text, p_person uuid) RETURNS json
  LANGUAGE sql STABLE AS $$
    SELECT json_agg(json_build_object(
             'residence_municipality_code', r.residence_municipality_code, 'settlement_code', r.settlement_code,
             'address', r.address, 'ads_adr_id', r.ads_adr_id, 'valid_from', r.valid_from,
             'valid_until', r.valid_until, 'status', r.status, 'given_name', p.given_name,
             'family_name', p.family_name, 'birth_date', p.birth_date) ORDER BY r.valid_from)
      FROM register_residence r
      JOIN person p ON p.id = r.person_id
     WHERE r.municipality_code = p_tenant AND r.person_id = p_person
  $$;
