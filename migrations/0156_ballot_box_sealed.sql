-- The ballot box seals ballots (docs/participation.md, "Sealing"): what a ballot says is kept only
-- encrypted by the application (AES-256-GCM under a data key per box, itself kept here only
-- wrapped by a master key that never enters the database). After the box closes, the application
-- opens the ballots in memory and writes only what results need: counts (bb_tally) and, where an
-- export needs whole ballots (participatory budgets, Pabulib), the ballots' choices in random
-- order without slot or receipt (bb_ballot_set). Before this, bb_ballot held every ballot's
-- choices in the clear: a reader of the tables could join a voter (bb_voter) to their ballot on
-- the system column xmin (both written by one transaction) and read it.

-- 1. Boxes: the wrapped data key, the sealed size, the counts, and when the key is destroyed.
ALTER TABLE bb_box
  -- Which master key wraps the data key (a hash of it, see seal.ts), and the wrapped data key.
  ADD COLUMN key_id text,
  ADD COLUMN wrapped_key bytea,
  -- Sealed ballots are padded to this many selections (choices and weights), so their length
  -- tells nothing about what they chose.
  ADD COLUMN max_selections integer NOT NULL DEFAULT 16 CHECK (max_selections BETWEEN 1 AND 65535),
  -- Keep whole ballots (choices, in random order) after counting, for exports such as Pabulib.
  ADD COLUMN keep_sets boolean NOT NULL DEFAULT false,
  -- The counts are those of bb_tally as of this time (NULL: to be counted again).
  ADD COLUMN counted_at timestamptz,
  ADD COLUMN counted_internet integer,
  ADD COLUMN counted_paper integer,
  ADD COLUMN counted_import integer,
  -- Results final (e.g. published); the data key is destroyed once destroy_after has passed.
  ADD COLUMN final_at timestamptz,
  ADD COLUMN destroy_after timestamptz,
  ADD COLUMN keys_destroyed_at timestamptz,
  ADD CONSTRAINT bb_box_key_destroyed CHECK (keys_destroyed_at IS NULL OR wrapped_key IS NULL);

-- 2. The counts of a closed box: ballots and points per choice (never per channel or person).
CREATE TABLE bb_tally (
  municipality_code text NOT NULL,
  box_id uuid NOT NULL,
  choice integer NOT NULL,
  ballots integer NOT NULL,
  points bigint NOT NULL,
  PRIMARY KEY (municipality_code, box_id, choice),
  FOREIGN KEY (municipality_code, box_id) REFERENCES bb_box (municipality_code, id)
);
SELECT kov_protect_tenant_table('bb_tally');

-- 3. Whole ballots of a counted box where an export needs them: choices (and points) only, in a
-- random order (n), written together when the box is counted: no slot, receipt, time or channel.
CREATE TABLE bb_ballot_set (
  municipality_code text NOT NULL,
  box_id uuid NOT NULL,
  n integer NOT NULL,
  selections integer[] NOT NULL,
  weights integer[],
  PRIMARY KEY (municipality_code, box_id, n),
  FOREIGN KEY (municipality_code, box_id) REFERENCES bb_box (municipality_code, id)
);
SELECT kov_protect_tenant_table('bb_ballot_set');

-- 4. How long after the results are final the ballots can still be opened (recount, appeals):
-- per municipality, 30 days unless set. Then the box's data key is destroyed (crypto-shredding).
CREATE TABLE bb_retention (
  municipality_code text PRIMARY KEY REFERENCES tenant (code),
  days integer NOT NULL CHECK (days BETWEEN 0 AND 3650),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES person (id)
);
SELECT kov_protect_tenant_table('bb_retention');

-- 5. Ballots stored in the clear by earlier versions move to a holding table until the
-- application (which alone has the master key) seals them at its next start, then empties it with
-- TRUNCATE (a new, empty file: the old one is removed). bb_ballot itself is rewritten below.
CREATE TABLE bb_legacy_ballot (
  municipality_code text NOT NULL,
  box_id uuid NOT NULL,
  receipt text NOT NULL,
  format text NOT NULL,
  content jsonb,
  selections integer[],
  weights integer[],
  PRIMARY KEY (municipality_code, box_id, receipt)
);
SELECT kov_protect_tenant_table('bb_legacy_ballot');
GRANT TRUNCATE ON bb_legacy_ballot TO kov_app;
INSERT INTO bb_legacy_ballot (municipality_code, box_id, receipt, format, content, selections, weights)
SELECT municipality_code, box_id, receipt, format, content, selections, weights FROM bb_ballot;

-- 6. bb_ballot keeps who-cannot-be-told (slot), the receipt, its status and the sealed ballot. A
-- row whose `sealed` and `content` are both NULL waits for its sealing (step 5). `content` holds
-- only what a box's owner has declared not secret (an end-to-end encrypted ballot's tracker).
ALTER TABLE bb_ballot ADD COLUMN sealed bytea;
ALTER TABLE bb_ballot ALTER COLUMN content DROP NOT NULL;
ALTER TABLE bb_ballot DROP COLUMN selections, DROP COLUMN weights;
-- Dropping a column leaves its old values in the table's pages, and an UPDATE leaves the old row
-- versions behind: instead the table is rewritten into a new file (content emptied, dropped
-- columns written as NULL) and the old file is removed at commit.
ALTER TABLE bb_ballot ALTER COLUMN content TYPE jsonb USING NULL::jsonb;
-- Lookups by receipt use all of this index's columns; a ballot's slot only the primary key
-- (migration 0155 made it so on databases that had it; new databases get it here).
DROP INDEX IF EXISTS bb_ballot_receipt_idx;
CREATE UNIQUE INDEX bb_ballot_receipt_idx ON bb_ballot (receipt, municipality_code, box_id);

-- 7. One cast path: functions/bb_cast_batch.sql (a batch of one serves the single cast).
DROP FUNCTION IF EXISTS bb_cast(text, text, uuid, uuid, text, bytea, text, text, jsonb, integer[], integer[]);
DROP FUNCTION IF EXISTS pv_cast_batch(text, uuid, uuid, uuid[], text[], bytea[], text[], text[], jsonb[], text[], text[]);
