-- Report intake in one round trip: the report and its "created" event are written by one
-- function call in autocommit, instead of BEGIN, set_config, two INSERTs and COMMIT. The caller
-- (submitReport) has already routed the point to `p_municipality` and checked the category; the
-- function writes only that new report and its first event. Reports with photos or a delivery
-- endpoint keep the ordinary transaction (files and jobs must commit with them).
-- p_show_name: the reporter chose to show their name publicly (migration 0405).
DROP FUNCTION IF EXISTS report_intake(text, text, text, text, text, text, double precision, double precision, jsonb, text, uuid, uuid, text, text, text, boolean, bytea, uuid, text, timestamptz, timestamptz);
CREATE FUNCTION report_intake(
  p_municipality text, p_settlement text, p_category text, p_body text, p_description text, p_address text,
  p_lat double precision, p_lon double precision, p_attributes jsonb, p_channel text, p_client uuid, p_person uuid,
  p_name text, p_email text, p_phone text, p_show_name boolean, p_secret bytea, p_token uuid, p_department text,
  p_at timestamptz, p_sla timestamptz)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  v_id bigint;
BEGIN
  INSERT INTO report (municipality_code, settlement_code, category_code, body_code, status, description, address, lat, lon, attributes, channel,
                      api_client_id, reporter_person_id, reporter_name, reporter_email, reporter_phone, show_name, reporter_secret_hash, token,
                      department, created_at, updated_at, sla_due_at)
  VALUES (p_municipality, p_settlement, p_category, p_body, 'open', p_description, p_address, p_lat, p_lon, p_attributes, p_channel,
          p_client, p_person, p_name, p_email, p_phone, p_show_name, p_secret, p_token, p_department, p_at, p_at, p_sla)
  RETURNING id INTO v_id;
  INSERT INTO report_event (municipality_code, report_id, at, kind, public, actor_person_id, actor_client_id, status_to, details)
  VALUES (p_municipality, v_id, p_at, 'created', true, p_person, p_client, 'open', jsonb_build_object('channel', p_channel));
  RETURN v_id;
END $$;
REVOKE ALL ON FUNCTION report_intake(text, text, text, text, text, text, double precision, double precision, jsonb, text, uuid, uuid, text, text, text, boolean, bytea, uuid, text, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_intake(text, text, text, text, text, text, double precision, double precision, jsonb, text, uuid, uuid, text, text, text, boolean, bytea, uuid, text, timestamptz, timestamptz) TO kov_app;
