-- Services: many survey answers in one round trip and one commit (the intake batches answers that
-- arrive while the previous batch is being written). Each element is recorded exactly as by
-- kov_services_record_answer (tenant scope set per element; row-level security applies); the
-- result holds each element's answer id, or NULL where nothing matched.
CREATE FUNCTION kov_services_record_answers(
  p_municipality text[], p_token_hash bytea[], p_service uuid[], p_channel text[],
  p_score smallint[], p_effort smallint[], p_comment text[], p_lang text[], p_source text[]
) RETURNS bigint[]
  LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[] := '{}';
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_municipality, 1), 0) LOOP
    ids := ids || kov_services_record_answer(p_municipality[i], p_token_hash[i], p_service[i], p_channel[i], p_score[i], p_effort[i], p_comment[i], p_lang[i], p_source[i]);
  END LOOP;
  RETURN ids;
END $$;
