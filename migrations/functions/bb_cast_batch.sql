-- Casting: the one statement through which every internet ballot enters a ballot box (see
-- src/modules/ballotBox/cast.ts). Casts of one box that arrive together are written by one call
-- (one round trip, one transaction, one commit for many voters); a single cast is a batch of one,
-- on its own or inside the caller's transaction. What may be cast is decided here and only here:
--
--  * tenant scope, and the box's advisory lock in shared mode (closing takes it exclusively, so no
--    cast commits after a box is closed; every cast answered 'cast' commits with the statement);
--  * the box's state and window, checked once for the batch;
--  * with p_electorate: the voter must be on that electorate's frozen voter list (the register
--    module's frozen-mode rule: membership of electorate_voter); their settlement unit comes
--    from the list. Without: the caller has checked eligibility and passes the settlement unit;
--  * the voter row (refused after a paper vote) and the slot's ballot (replaced on re-vote, so
--    the last ballot counts).
--
-- The ballots arrive sealed (p_sealed, encrypted by the application under the box's data key) or,
-- for content the box's owner declares not secret, as p_contents; never in the clear.
--
-- Casts are processed in the order of person, then arrival: concurrent batches (on any number of
-- app nodes) lock voter rows in the same order, so they cannot deadlock; several casts of one
-- voter in one batch replace each other in arrival order (the last one counts).
-- Answers one row per cast: its position (1-based), outcome ('cast', 'not-open', 'no-box',
-- 'voted-on-paper', 'not-eligible'), whether an earlier ballot was replaced, and the settlement unit.
--
-- It stays a handful of primary-key probes per cast whatever the tables' statistics say (measured
-- with auto_explain on a fresh database, no statistics yet: without LIMIT 1 the planner flattened
-- the voter-list lookup into a join that read the whole list once per cast).
CREATE OR REPLACE FUNCTION bb_cast_batch(p_tenant text, p_box uuid, p_electorate uuid, p_persons uuid[], p_settlements text[],
                                         p_slots bytea[], p_receipts text[], p_formats text[], p_contents jsonb[],
                                         p_sealed bytea[])
  RETURNS TABLE (o_i integer, o_outcome text, o_replaced boolean, o_settlement text)
  LANGUAGE plpgsql AS $$
DECLARE
  b record;
  v_state text;
  v_settl text[];
  v_ok boolean[];
  v_voted uuid[];
  v_slots bytea[];
  v_old_slots bytea[];
  v_old_receipts text[];
BEGIN
  -- 1. Tenant scope, lock, window.
  PERFORM set_config('kov.tenant', p_tenant, true);
  PERFORM pg_advisory_xact_lock_shared(1650, hashtext(p_box::text));
  SELECT state, opens_at, closes_at INTO b FROM bb_box WHERE municipality_code = p_tenant AND id = p_box;
  IF NOT FOUND THEN
    v_state := 'no-box';
  ELSIF b.state <> 'open' OR (b.opens_at IS NOT NULL AND clock_timestamp() < b.opens_at)
        OR (b.closes_at IS NOT NULL AND clock_timestamp() >= b.closes_at) THEN
    v_state := 'not-open';
  END IF;
  IF v_state IS NOT NULL THEN
    RETURN QUERY SELECT u.n::integer, v_state, false, NULL::text FROM unnest(p_persons) WITH ORDINALITY AS u(p, n);
    RETURN;
  END IF;

  -- 2. Eligibility.
  IF p_electorate IS NULL THEN
    v_settl := p_settlements;
    v_ok := array_fill(true, ARRAY[cardinality(p_persons)]);
  ELSE
    SELECT array_agg(ev.settlement_code ORDER BY u.n), array_agg(ev.found IS NOT NULL ORDER BY u.n)
      INTO v_settl, v_ok
      FROM unnest(p_persons) WITH ORDINALITY AS u(p, n)
      LEFT JOIN LATERAL (SELECT x.settlement_code, true AS found FROM electorate_voter x
                          WHERE x.municipality_code = p_tenant AND x.electorate_id = p_electorate AND x.person_id = u.p
                          LIMIT 1) ev ON true;
  END IF;

  -- 3. Voter rows, in the order of person; the settlement unit of the voter's last cast.
  WITH e AS (
    SELECT DISTINCT ON (t.p) t.p, v_settl[t.i] AS s
      FROM (SELECT u.p, u.n::integer AS i FROM unnest(p_persons) WITH ORDINALITY AS u(p, n)) t
     WHERE v_ok[t.i]
     ORDER BY t.p, t.i DESC),
  ins AS (
    INSERT INTO bb_voter AS v (municipality_code, box_id, person_id, settlement_code, channel)
    SELECT p_tenant, p_box, e.p, e.s, 'internet' FROM e ORDER BY e.p
    ON CONFLICT (municipality_code, box_id, person_id)
      DO UPDATE SET settlement_code = COALESCE(EXCLUDED.settlement_code, v.settlement_code)
      WHERE v.channel = 'internet'
    RETURNING v.person_id)
  SELECT array_agg(ins.person_id) INTO v_voted FROM ins;
  v_voted := COALESCE(v_voted, '{}');

  -- 4. The ballots these voters have now (one primary-key probe per voter: their slot, once).
  SELECT array_agg(DISTINCT p_slots[u.n::integer]) INTO v_slots FROM unnest(p_persons) WITH ORDINALITY AS u(p, n) WHERE u.p = ANY (v_voted);
  SELECT array_agg(o.slot), array_agg(o.receipt) INTO v_old_slots, v_old_receipts
    FROM unnest(COALESCE(v_slots, '{}')) AS w(slot)
    CROSS JOIN LATERAL (SELECT y.slot, y.receipt FROM bb_ballot y
                         WHERE y.municipality_code = p_tenant AND y.box_id = p_box AND y.slot = w.slot
                         LIMIT 1) o;
  v_old_slots := COALESCE(v_old_slots, '{}');
  v_old_receipts := COALESCE(v_old_receipts, '{}');

  -- 5. Each voter's last cast in the batch becomes their ballot.
  INSERT INTO bb_ballot AS x (municipality_code, box_id, slot, receipt, channel, format, content, sealed)
  SELECT p_tenant, p_box, p_slots[c.i], p_receipts[c.i], 'internet', p_formats[c.i], p_contents[c.i], p_sealed[c.i]
    FROM (SELECT DISTINCT ON (t.p) t.p, t.i
            FROM (SELECT u.p, u.n::integer AS i FROM unnest(p_persons) WITH ORDINALITY AS u(p, n)) t
           WHERE t.p = ANY (v_voted)
           ORDER BY t.p, t.i DESC) c
   ORDER BY c.p
  ON CONFLICT (municipality_code, box_id, slot) DO UPDATE
    SET receipt = EXCLUDED.receipt, format = EXCLUDED.format, content = EXCLUDED.content,
        sealed = EXCLUDED.sealed, status = 'counted';

  -- 6. Receipts that no longer count: the replaced ballots, and the voters' earlier casts in this batch.
  INSERT INTO bb_receipt_history (municipality_code, box_id, receipt, status)
  SELECT p_tenant, p_box, r, 'superseded' FROM unnest(v_old_receipts) AS r
  UNION ALL
  SELECT p_tenant, p_box, p_receipts[t.i], 'superseded'
    FROM (SELECT u.p, u.n::integer AS i, max(u.n) OVER (PARTITION BY u.p) AS last
            FROM unnest(p_persons) WITH ORDINALITY AS u(p, n)) t
   WHERE t.p = ANY (v_voted) AND t.i < t.last;

  RETURN QUERY
  SELECT t.i,
         CASE WHEN NOT v_ok[t.i] THEN 'not-eligible' WHEN NOT (t.p = ANY (v_voted)) THEN 'voted-on-paper' ELSE 'cast' END,
         CASE WHEN NOT v_ok[t.i] OR NOT (t.p = ANY (v_voted)) THEN false
              WHEN t.i > t.first THEN true
              ELSE COALESCE(p_slots[t.i] = ANY (v_old_slots), false) END,
         v_settl[t.i]
    FROM (SELECT u.p, u.n::integer AS i, min(u.n) OVER (PARTITION BY u.p) AS first
            FROM unnest(p_persons) WITH ORDINALITY AS u(p, n)) t
   ORDER BY t.i;
END $$;
