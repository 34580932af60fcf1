-- Verifiable voting (end-to-end verifiable secret ballots): elections, trustees and their key
-- ceremony, the public bulletin board of encrypted ballots, audited ballots. See
-- docs/verifiable-voting.md. Ballots are cast into the participation module's ballot box
-- (bb_box / bb_ballot: who voted and which ballot counts); this module keeps what is public.
--
-- Nothing here is secret: the server never receives a private key, a key share or a seed, and no
-- column holds a decrypted individual ballot (audited ballots are revealed on purpose and never
-- counted).

CREATE TABLE vv_election (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- poll / referendum / village elder election / approval-style participatory budget
  -- (knapsack budgets stay on the standard ballot box: no budget-range proof is built).
  kind text NOT NULL CHECK (kind IN ('poll', 'referendum', 'elder', 'budget')),
  title text NOT NULL,
  -- [{ id, title, minSelections, maxSelections, choices: [{ id, label }] }]
  questions jsonb NOT NULL DEFAULT '[]',
  threshold integer NOT NULL DEFAULT 1 CHECK (threshold >= 1),
  electorate_id uuid,
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL,
  -- draft → ceremony → ready → open → closed → tallied → published
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ceremony', 'ready', 'open', 'closed', 'tallied', 'published')),
  -- The frozen election definition (record.ts ElectionDefinition) and its SHA-256 fingerprint,
  -- set when the key ceremony starts; every ballot proof is bound to the fingerprint.
  definition jsonb,
  fingerprint text,
  -- Restarted ceremonies (after a complaint) count up; messages of earlier attempts are dropped.
  ceremony_attempt integer NOT NULL DEFAULT 0,
  ceremony_failure text,
  public_key text,
  box_id uuid NOT NULL,
  -- After closing: the homomorphic tally, the paper ballots (counted in the clear) and the result.
  tally jsonb,
  paper jsonb,
  result jsonb,
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, box_id) REFERENCES bb_box (municipality_code, id),
  CHECK (closes_at > opens_at)
);
CREATE INDEX vv_election_status_idx ON vv_election (municipality_code, status, closes_at);
SELECT kov_protect_tenant_table('vv_election');

-- The election committee: trustees (1…n) and their public ceremony and decryption messages.
CREATE TABLE vv_trustee (
  municipality_code text NOT NULL,
  election_id uuid NOT NULL,
  idx integer NOT NULL CHECK (idx BETWEEN 1 AND 32),
  person_id uuid NOT NULL REFERENCES person (id),
  name text NOT NULL,
  -- Round 1: transport key, Feldman commitments, proofs of knowledge.
  commitment jsonb,
  -- Round 2: the shares dealt to the other trustees, each encrypted to its recipient.
  deal jsonb,
  -- Round 3: the trustee's public share and proof of possession, or a complaint.
  public_share jsonb,
  complaint jsonb,
  -- After the tally: partial decryptions with Chaum–Pedersen proofs.
  decryption jsonb,
  PRIMARY KEY (municipality_code, election_id, idx),
  UNIQUE (municipality_code, election_id, person_id),
  FOREIGN KEY (municipality_code, election_id) REFERENCES vv_election (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('vv_trustee');

-- The public bulletin board: every ballot ever cast, superseded and cancelled ones included.
-- slot: a public pseudonym of the voter's ballot-box slot (SHA-256 of it, truncated), the same
-- for all of one voter's ballots in the election; version: 1, 2, … per slot (re-voting).
-- No person, no time of casting. tally_form: the ciphertexts' affine coordinates (what the
-- server adds up at the tally without decoding two million points again).
CREATE TABLE vv_ballot (
  municipality_code text NOT NULL,
  election_id uuid NOT NULL,
  slot text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  tracker text NOT NULL,
  receipt text NOT NULL,
  status text NOT NULL DEFAULT 'counted' CHECK (status IN ('counted', 'superseded', 'cancelled')),
  ballot jsonb NOT NULL,
  tally_form bytea NOT NULL,
  PRIMARY KEY (municipality_code, election_id, slot, version),
  FOREIGN KEY (municipality_code, election_id) REFERENCES vv_election (municipality_code, id)
);
CREATE UNIQUE INDEX vv_ballot_tracker_idx ON vv_ballot (municipality_code, election_id, tracker);
CREATE UNIQUE INDEX vv_ballot_receipt_idx ON vv_ballot (municipality_code, election_id, receipt);
SELECT kov_protect_tenant_table('vv_ballot');

-- Audited ballots (Benaloh challenge): revealed on purpose and never counted; no slot, no person.
CREATE TABLE vv_audited (
  municipality_code text NOT NULL,
  election_id uuid NOT NULL,
  tracker text NOT NULL,
  ballot jsonb NOT NULL,
  reveal jsonb NOT NULL,
  PRIMARY KEY (municipality_code, election_id, tracker),
  FOREIGN KEY (municipality_code, election_id) REFERENCES vv_election (municipality_code, id)
);
SELECT kov_protect_tenant_table('vv_audited');

-- The board is append-only for the application: ballots are never deleted or rewritten (only
-- their status moves forward), audited ballots and ceremony messages are never removed.
REVOKE DELETE, TRUNCATE ON vv_ballot FROM kov_app;
REVOKE UPDATE, DELETE, TRUNCATE ON vv_audited FROM kov_app;

CREATE FUNCTION vv_ballot_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.slot <> OLD.slot OR NEW.version <> OLD.version OR NEW.tracker <> OLD.tracker OR NEW.receipt <> OLD.receipt
     OR NEW.ballot <> OLD.ballot OR NEW.tally_form <> OLD.tally_form OR NEW.election_id <> OLD.election_id THEN
    RAISE EXCEPTION 'vv_ballot: a ballot on the board cannot be changed, only its status';
  END IF;
  IF OLD.status <> 'counted' AND NEW.status <> OLD.status THEN
    RAISE EXCEPTION 'vv_ballot: a superseded or cancelled ballot stays so';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER vv_ballot_guard BEFORE UPDATE ON vv_ballot FOR EACH ROW EXECUTE FUNCTION vv_ballot_guard();
