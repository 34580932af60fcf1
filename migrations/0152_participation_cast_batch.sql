-- Casting many ballots of one vote in one statement (one round trip, one transaction, one
-- commit): the participation module's cast path groups the casts that arrive together (see
-- src/modules/participation/castQueue.ts). Same rules as bb_cast (migration 0150), plus the
-- eligibility check of a frozen voter list, so that a cast needs no other statement:
--
--  * tenant scope, and the box's advisory lock in shared mode (closing takes it exclusively, so no
--    cast commits after a box is closed; every cast answered 'cast' commits with the statement);
--  * the box's state and window, checked once for the batch;
--  * with p_electorate: the voter must be on that electorate's frozen voter list (the register
--    module's frozen-mode rule: membership of electorate_voter); their settlement unit comes
--    from the list. Without: the caller has checked eligibility and passes the settlement unit;
--  * the voter row (refused after a paper vote) and the slot's ballot (replaced on re-vote).
--
-- Casts are processed in the order of person, then arrival: concurrent batches (on any number of
-- app nodes) lock voter rows in the same order, so they cannot deadlock; several casts of one
-- voter in one batch replace each other in arrival order (the last one counts).
-- Answers one row per cast: its position (1-based), outcome ('cast', 'not-open', 'no-box',
-- 'voted-on-paper', 'not-eligible'), whether an earlier ballot was replaced, and the settlement unit.
CREATE FUNCTION pv_cast_batch(p_tenant text, p_box uuid, p_electorate uuid, p_persons uuid[], p_settlements text[],
                              p_slots bytea[], p_receipts text[], p_formats text[], p_contents jsonb[],
                              p_selections text[], p_weights text[])
  RETURNS TABLE (o_i integer, o_outcome text, o_replaced boolean, o_settlement text)
  LANGUAGE plpgsql AS $$
DECLARE
  b record;
  k integer;
  v_settlement text;
  v_channel text;
  v_old text;
  v_state text;
BEGIN
  PERFORM set_config('kov.tenant', p_tenant, true), set_config('kov.actor', '', true);
  PERFORM pg_advisory_xact_lock_shared(1650, hashtext(p_box::text));
  SELECT state, opens_at, closes_at INTO b FROM bb_box WHERE municipality_code = p_tenant AND id = p_box;
  IF NOT FOUND THEN
    v_state := 'no-box';
  ELSIF b.state <> 'open' OR (b.opens_at IS NOT NULL AND clock_timestamp() < b.opens_at)
        OR (b.closes_at IS NOT NULL AND clock_timestamp() >= b.closes_at) THEN
    v_state := 'not-open';
  END IF;
  IF v_state IS NOT NULL THEN
    RETURN QUERY SELECT t.ord::integer, v_state, false, NULL::text FROM unnest(p_persons) WITH ORDINALITY AS t(p, ord);
    RETURN;
  END IF;
  FOR k IN SELECT t.ord FROM unnest(p_persons) WITH ORDINALITY AS t(p, ord) ORDER BY t.p, t.ord LOOP
    v_settlement := p_settlements[k];
    IF p_electorate IS NOT NULL THEN
      SELECT ev.settlement_code INTO v_settlement FROM electorate_voter ev
       WHERE ev.municipality_code = p_tenant AND ev.electorate_id = p_electorate AND ev.person_id = p_persons[k];
      IF NOT FOUND THEN
        o_i := k; o_outcome := 'not-eligible'; o_replaced := false; o_settlement := NULL; RETURN NEXT;
        CONTINUE;
      END IF;
    END IF;
    v_channel := NULL;
    INSERT INTO bb_voter AS v (municipality_code, box_id, person_id, settlement_code, channel)
      VALUES (p_tenant, p_box, p_persons[k], v_settlement, 'internet')
      ON CONFLICT (municipality_code, box_id, person_id)
        DO UPDATE SET settlement_code = COALESCE(EXCLUDED.settlement_code, v.settlement_code)
        WHERE v.channel = 'internet'
      RETURNING v.channel INTO v_channel;
    IF v_channel IS NULL THEN
      o_i := k; o_outcome := 'voted-on-paper'; o_replaced := false; o_settlement := v_settlement; RETURN NEXT;
      CONTINUE;
    END IF;
    -- The voter row is locked now: nobody else writes this voter's slot until commit.
    SELECT y.receipt INTO v_old FROM bb_ballot y WHERE y.municipality_code = p_tenant AND y.box_id = p_box AND y.slot = p_slots[k];
    IF FOUND THEN
      UPDATE bb_ballot AS x SET receipt = p_receipts[k], format = p_formats[k], content = p_contents[k],
                                selections = p_selections[k]::integer[], weights = p_weights[k]::integer[], status = 'counted'
       WHERE x.municipality_code = p_tenant AND x.box_id = p_box AND x.slot = p_slots[k];
      INSERT INTO bb_receipt_history (municipality_code, box_id, receipt, status) VALUES (p_tenant, p_box, v_old, 'superseded');
      o_i := k; o_outcome := 'cast'; o_replaced := true; o_settlement := v_settlement; RETURN NEXT;
    ELSE
      INSERT INTO bb_ballot (municipality_code, box_id, slot, receipt, channel, format, content, selections, weights)
        VALUES (p_tenant, p_box, p_slots[k], p_receipts[k], 'internet', p_formats[k], p_contents[k],
                p_selections[k]::integer[], p_weights[k]::integer[]);
      o_i := k; o_outcome := 'cast'; o_replaced := false; o_settlement := v_settlement; RETURN NEXT;
    END IF;
  END LOOP;
END $$;
