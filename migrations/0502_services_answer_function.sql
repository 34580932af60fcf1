-- Services: the survey answer in one round trip. The function sets the tenant scope for its own
-- (implicit) transaction and then spends the token and stores the answer, or stores an answer
-- without a token for a service in use. SECURITY INVOKER (the default): the application role's
-- row-level security applies to every statement inside. Returns the answer's id, or NULL when
-- nothing matched (unknown, used or expired token; unknown or unused service).
CREATE FUNCTION kov_services_record_answer(
  p_municipality text, p_token_hash bytea, p_service uuid, p_channel text,
  p_score smallint, p_effort smallint, p_comment text, p_lang text, p_source text
) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  PERFORM set_config('kov.tenant', p_municipality, true), set_config('kov.actor', '', true);
  IF p_token_hash IS NOT NULL THEN
    WITH d AS (
      UPDATE survey_delivery SET answered_at = now()
      WHERE municipality_code = p_municipality AND token_hash = p_token_hash AND service_id = p_service
        AND answered_at IS NULL AND expires_at > now()
      RETURNING service_id, channel
    )
    INSERT INTO survey_answer (municipality_code, service_id, channel, score, effort, comment, lang, source)
    SELECT p_municipality, d.service_id, d.channel, p_score, p_effort, p_comment, p_lang, 'token' FROM d
    RETURNING id INTO v_id;
  ELSE
    INSERT INTO survey_answer (municipality_code, service_id, channel, score, effort, comment, lang, source)
    SELECT s.municipality_code, s.id, p_channel, p_score, p_effort, p_comment, p_lang, p_source
    FROM service s WHERE s.municipality_code = p_municipality AND s.id = p_service AND s.status IN ('active', 'needs-change')
    RETURNING id INTO v_id;
  END IF;
  RETURN v_id;
END $$;
