-- The ballot box: a reusable component for every secret vote on the platform (municipal polls,
-- village elder elections, participatory budgets, secret votes in council sittings, encrypted
-- ballots of verifiable voting). See docs/participation.md, "Ballot box".
--
-- Secrecy by construction: WHO voted (bb_voter, keyed by person) and WHAT was voted (bb_ballot,
-- keyed by a slot) are kept apart. The slot of an internet ballot is a keyed pseudonym,
-- HMAC-SHA256(pseudonym key, box id, person id), computed by the application; the key is never
-- stored in the database nor shown to anyone, so nobody holding the tables or exports can join a
-- ballot to a person. Ballots carry no timestamps and no person column; receipts are random.

CREATE TABLE bb_box (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Who owns the box and decides its lifecycle: 'participation.vote:<id>', 'council.item:<id>', …
  owner text NOT NULL,
  state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'open', 'closed')),
  -- Casting is accepted only while state = 'open' and opens_at <= now < closes_at (when set).
  opens_at timestamptz,
  closes_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  PRIMARY KEY (municipality_code, id)
);
CREATE UNIQUE INDEX bb_box_owner_idx ON bb_box (municipality_code, owner);
SELECT kov_protect_tenant_table('bb_box');

-- Who took part: one row per person and box (turnout, re-voting, paper votes). No ballot content.
CREATE TABLE bb_voter (
  municipality_code text NOT NULL,
  box_id uuid NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  -- The settlement unit of the voter's residence at casting (turnout by settlement unit).
  settlement_code text,
  channel text NOT NULL CHECK (channel IN ('internet', 'paper')),
  first_voted_at timestamptz NOT NULL DEFAULT now(),
  -- Paper vote recorded at a service point (by whom: in the audit log as well).
  paper_recorded_at timestamptz,
  paper_recorded_by uuid REFERENCES person (id),
  PRIMARY KEY (municipality_code, box_id, person_id),
  FOREIGN KEY (municipality_code, box_id) REFERENCES bb_box (municipality_code, id)
);
SELECT kov_protect_tenant_table('bb_voter');

-- What was voted: the one current ballot per slot. Re-voting replaces the slot's ballot, so "the
-- last ballot counts" holds whatever the payload format. Paper and imported ballots get random slots.
CREATE TABLE bb_ballot (
  municipality_code text NOT NULL,
  box_id uuid NOT NULL,
  slot bytea NOT NULL,
  receipt text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('internet', 'paper', 'import')),
  -- counted, or cancelled by a paper vote of the same voter (IVXV rule)
  status text NOT NULL DEFAULT 'counted' CHECK (status IN ('counted', 'cancelled')),
  -- Payload format and version ('plain/1', 'elgamal-ristretto255/1', …) and its opaque content.
  format text NOT NULL,
  content jsonb NOT NULL,
  -- For formats that can be counted in the clear: the chosen choice numbers (and points).
  selections integer[],
  weights integer[],
  PRIMARY KEY (municipality_code, box_id, slot),
  FOREIGN KEY (municipality_code, box_id) REFERENCES bb_box (municipality_code, id)
);
CREATE UNIQUE INDEX bb_ballot_receipt_idx ON bb_ballot (municipality_code, box_id, receipt);
SELECT kov_protect_tenant_table('bb_ballot');

-- Receipts that no longer count: replaced by a later ballot of the same voter, or cancelled by a
-- paper vote. Lets a voter learn what became of an older receipt. No slot, no person.
CREATE TABLE bb_receipt_history (
  municipality_code text NOT NULL,
  box_id uuid NOT NULL,
  receipt text NOT NULL,
  status text NOT NULL CHECK (status IN ('superseded', 'cancelled')),
  PRIMARY KEY (municipality_code, box_id, receipt),
  FOREIGN KEY (municipality_code, box_id) REFERENCES bb_box (municipality_code, id)
);
SELECT kov_protect_tenant_table('bb_receipt_history');

-- Casting in one statement (one round trip, atomic): tenant scope, a shared advisory lock on the
-- box (closing takes it exclusively, so no cast commits after a box is closed), the box's state
-- and window, the voter row (refused after a paper vote), and the slot's ballot (replaced on
-- re-vote). Concurrent casts of one voter serialise on the voter row: exactly one ballot remains.
CREATE FUNCTION bb_cast(p_tenant text, p_actor text, p_box uuid, p_person uuid, p_settlement text,
                        p_slot bytea, p_receipt text, p_format text, p_content jsonb,
                        p_selections integer[], p_weights integer[])
  RETURNS TABLE (outcome text, replaced boolean)
  LANGUAGE plpgsql AS $$
DECLARE
  b record;
  v_channel text;
  v_old text;
BEGIN
  PERFORM set_config('kov.tenant', p_tenant, true), set_config('kov.actor', COALESCE(p_actor, ''), true);
  PERFORM pg_advisory_xact_lock_shared(1650, hashtext(p_box::text));
  SELECT state, opens_at, closes_at INTO b FROM bb_box WHERE municipality_code = p_tenant AND id = p_box;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'no-box'::text, false; RETURN;
  END IF;
  IF b.state <> 'open' OR (b.opens_at IS NOT NULL AND clock_timestamp() < b.opens_at)
     OR (b.closes_at IS NOT NULL AND clock_timestamp() >= b.closes_at) THEN
    RETURN QUERY SELECT 'not-open'::text, false; RETURN;
  END IF;
  INSERT INTO bb_voter AS v (municipality_code, box_id, person_id, settlement_code, channel)
    VALUES (p_tenant, p_box, p_person, p_settlement, 'internet')
    ON CONFLICT (municipality_code, box_id, person_id)
      DO UPDATE SET settlement_code = COALESCE(EXCLUDED.settlement_code, v.settlement_code)
      WHERE v.channel = 'internet'
    RETURNING v.channel INTO v_channel;
  IF v_channel IS NULL THEN
    RETURN QUERY SELECT 'voted-on-paper'::text, false; RETURN;
  END IF;
  SELECT receipt INTO v_old FROM bb_ballot WHERE municipality_code = p_tenant AND box_id = p_box AND slot = p_slot;
  IF FOUND THEN
    UPDATE bb_ballot SET receipt = p_receipt, format = p_format, content = p_content,
                         selections = p_selections, weights = p_weights, status = 'counted'
     WHERE municipality_code = p_tenant AND box_id = p_box AND slot = p_slot;
    INSERT INTO bb_receipt_history (municipality_code, box_id, receipt, status) VALUES (p_tenant, p_box, v_old, 'superseded');
    RETURN QUERY SELECT 'cast'::text, true;
  ELSE
    INSERT INTO bb_ballot (municipality_code, box_id, slot, receipt, channel, format, content, selections, weights)
      VALUES (p_tenant, p_box, p_slot, p_receipt, 'internet', p_format, p_content, p_selections, p_weights);
    RETURN QUERY SELECT 'cast'::text, false;
  END IF;
END $$;
