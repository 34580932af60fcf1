-- Council (volikogu): composition, sittings and agenda, attendance, recusals, votes, minutes.
-- Rules are in docs/council.md. Every table is tenant-owned (leads with municipality_code).

-- A council of one term. `seats` is the legal size of the composition (7–79): quorum and
-- "majority of the full composition" count from it, whoever is present or recused.
-- Quorum: more than quorum_num/quorum_den of the seats present (KOKS §44: more than half).
CREATE TABLE council (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  seats integer NOT NULL CHECK (seats BETWEEN 7 AND 79),
  term_start date NOT NULL,
  term_end date,
  quorum_num integer NOT NULL DEFAULT 1,
  quorum_den integer NOT NULL DEFAULT 2,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, term_start),
  CHECK (quorum_num > 0 AND quorum_den > 0 AND quorum_num < quorum_den),
  CHECK (term_end IS NULL OR term_end > term_start)
);
SELECT kov_protect_tenant_table('council');

-- Factions (fraktsioonid) and election lists; substitutes step in from their own list.
CREATE TABLE council_faction (
  municipality_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  council_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, council_id, name),
  FOREIGN KEY (municipality_code, council_id) REFERENCES council (municipality_code, id)
);
SELECT kov_protect_tenant_table('council_faction');

-- Mandates. An elected member is `active` (holds a seat) or `suspended` (mandate suspended) or
-- `ended`. A substitute (asendusliige) `waits` until a member of their list is suspended or leaves;
-- then the substitute is `active` and `replaces_member_id` names the suspended member.
CREATE TABLE council_member (
  municipality_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  council_id uuid NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  kind text NOT NULL CHECK (kind IN ('elected', 'substitute')),
  faction_id uuid,
  list_position integer CHECK (list_position > 0),
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'waiting', 'ended')),
  replaces_member_id uuid,
  office text CHECK (office IN ('chair', 'vice_chair')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, council_id, person_id),
  FOREIGN KEY (municipality_code, council_id) REFERENCES council (municipality_code, id),
  FOREIGN KEY (municipality_code, faction_id) REFERENCES council_faction (municipality_code, id),
  FOREIGN KEY (municipality_code, replaces_member_id) REFERENCES council_member (municipality_code, id),
  CHECK (office IS NULL OR status = 'active'),
  CHECK (replaces_member_id IS NULL OR status = 'active')
);
CREATE UNIQUE INDEX council_member_one_chair ON council_member (municipality_code, council_id) WHERE office = 'chair';
CREATE INDEX council_member_person_idx ON council_member (person_id);
SELECT kov_protect_tenant_table('council_member');

-- A sitting. draft (not public) → published (agenda public) → open → closed; or cancelled.
CREATE TABLE council_sitting (
  municipality_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  council_id uuid NOT NULL,
  number integer NOT NULL CHECK (number > 0),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  format text NOT NULL CHECK (format IN ('in_person', 'virtual', 'hybrid')),
  starts_at timestamptz NOT NULL,
  place text,
  link text,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'open', 'closed', 'cancelled')),
  -- Who presides (a chair or vice-chair of the council) and who keeps the minutes (an official).
  presiding_member_id uuid,
  secretary_id uuid REFERENCES person (id),
  current_item_id uuid,
  opened_at timestamptz,
  closed_at timestamptz,
  published_at timestamptz,
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, council_id, number),
  FOREIGN KEY (municipality_code, council_id) REFERENCES council (municipality_code, id),
  FOREIGN KEY (municipality_code, presiding_member_id) REFERENCES council_member (municipality_code, id)
);
CREATE INDEX council_sitting_starts_idx ON council_sitting (municipality_code, starts_at DESC);
SELECT kov_protect_tenant_table('council_sitting');

-- Agenda items. `kind` decision → open vote; election (of persons) → secret ballot (KOKS §45(3)).
-- The majority rule is set per item: cast (more for than against), composition (more than half
-- of the seats), or qualified (at least num/den of the seats, or of the votes for + against).
CREATE TABLE council_agenda_item (
  municipality_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  sitting_id uuid NOT NULL,
  position integer NOT NULL CHECK (position > 0),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  description text NOT NULL DEFAULT '',
  draft_decision text NOT NULL DEFAULT '',
  rapporteur text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('decision', 'election')),
  is_public boolean NOT NULL DEFAULT true,
  majority text NOT NULL CHECK (majority IN ('cast', 'composition', 'qualified')),
  qualified_num integer,
  qualified_den integer,
  qualified_base text CHECK (qualified_base IN ('composition', 'cast')),
  withdrawn boolean NOT NULL DEFAULT false,
  minutes_note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, sitting_id) REFERENCES council_sitting (municipality_code, id),
  CHECK ((majority = 'qualified') = (qualified_num IS NOT NULL AND qualified_den IS NOT NULL AND qualified_base IS NOT NULL)),
  CHECK (qualified_num IS NULL OR (qualified_num > 0 AND qualified_den > 0 AND qualified_num * 2 > qualified_den AND qualified_num <= qualified_den))
);
CREATE INDEX council_agenda_item_sitting_idx ON council_agenda_item (municipality_code, sitting_id, position);
SELECT kov_protect_tenant_table('council_agenda_item');

ALTER TABLE council_sitting ADD FOREIGN KEY (municipality_code, current_item_id) REFERENCES council_agenda_item (municipality_code, id);

-- Candidates of an election item.
CREATE TABLE council_candidate (
  municipality_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  item_id uuid NOT NULL,
  position integer NOT NULL CHECK (position > 0),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  person_id uuid REFERENCES person (id),
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, item_id, position),
  FOREIGN KEY (municipality_code, item_id) REFERENCES council_agenda_item (municipality_code, id)
);
SELECT kov_protect_tenant_table('council_candidate');

-- Documents of an item (PDF only), kept in stored_file.
CREATE TABLE council_document (
  municipality_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  item_id uuid NOT NULL,
  file_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  is_public boolean NOT NULL DEFAULT true,
  uploaded_by uuid REFERENCES person (id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, item_id) REFERENCES council_agenda_item (municipality_code, id),
  FOREIGN KEY (municipality_code, file_id) REFERENCES stored_file (municipality_code, id)
);
CREATE INDEX council_document_item_idx ON council_document (municipality_code, item_id);
SELECT kov_protect_tenant_table('council_document');

-- Every change of a sitting's agenda, in order (shown on the public agenda after publication).
CREATE TABLE council_agenda_change (
  municipality_code text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  sitting_id uuid NOT NULL,
  item_id uuid,
  action text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  after_publication boolean NOT NULL,
  actor_id uuid REFERENCES person (id),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, seq),
  FOREIGN KEY (municipality_code, sitting_id) REFERENCES council_sitting (municipality_code, id)
);
CREATE INDEX council_agenda_change_sitting_idx ON council_agenda_change (municipality_code, sitting_id, seq);
SELECT kov_protect_tenant_table('council_agenda_change');

-- Attendance: the current state per member, and the log of arrivals and departures (minutes).
CREATE TABLE council_attendance (
  municipality_code text NOT NULL,
  sitting_id uuid NOT NULL,
  member_id uuid NOT NULL,
  present boolean NOT NULL,
  mode text NOT NULL CHECK (mode IN ('room', 'online')),
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, sitting_id, member_id),
  FOREIGN KEY (municipality_code, sitting_id) REFERENCES council_sitting (municipality_code, id),
  FOREIGN KEY (municipality_code, member_id) REFERENCES council_member (municipality_code, id)
);
SELECT kov_protect_tenant_table('council_attendance');

CREATE TABLE council_attendance_log (
  municipality_code text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  sitting_id uuid NOT NULL,
  member_id uuid NOT NULL,
  present boolean NOT NULL,
  mode text NOT NULL CHECK (mode IN ('room', 'online')),
  actor_id uuid REFERENCES person (id),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, seq),
  FOREIGN KEY (municipality_code, sitting_id) REFERENCES council_sitting (municipality_code, id)
);
CREATE INDEX council_attendance_log_sitting_idx ON council_attendance_log (municipality_code, sitting_id, seq);
SELECT kov_protect_tenant_table('council_attendance_log');

-- Recusals (Anti-corruption Act §11): the member takes no part in votes on the item.
CREATE TABLE council_recusal (
  municipality_code text NOT NULL,
  item_id uuid NOT NULL,
  member_id uuid NOT NULL,
  reason text NOT NULL DEFAULT '',
  declared_by uuid REFERENCES person (id),
  declared_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, item_id, member_id),
  FOREIGN KEY (municipality_code, item_id) REFERENCES council_agenda_item (municipality_code, id),
  FOREIGN KEY (municipality_code, member_id) REFERENCES council_member (municipality_code, id)
);
SELECT kov_protect_tenant_table('council_recusal');

-- Votes. The rule and the composition size are copied when the vote starts, so the result
-- always shows the rule it was decided by. Counts are written when the vote closes.
CREATE TABLE council_vote (
  municipality_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  sitting_id uuid NOT NULL,
  item_id uuid NOT NULL,
  number integer NOT NULL CHECK (number > 0),
  kind text NOT NULL CHECK (kind IN ('open', 'secret')),
  question text NOT NULL,
  majority text NOT NULL CHECK (majority IN ('cast', 'composition', 'qualified')),
  qualified_num integer,
  qualified_den integer,
  qualified_base text,
  seats integer NOT NULL,
  present_at_start integer NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_by uuid REFERENCES person (id),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_by uuid REFERENCES person (id),
  closed_at timestamptz,
  votes_for integer,
  votes_against integer,
  votes_abstain integer,
  not_voted integer,
  recused integer,
  absent integer,
  outcome text CHECK (outcome IN ('adopted', 'rejected', 'elected', 'not_elected')),
  elected_candidate_id uuid,
  -- The platform ballot box holding a secret vote's ballots (participation module).
  ballot_box_id uuid,
  PRIMARY KEY (municipality_code, id),
  UNIQUE (municipality_code, sitting_id, number),
  FOREIGN KEY (municipality_code, sitting_id) REFERENCES council_sitting (municipality_code, id),
  FOREIGN KEY (municipality_code, item_id) REFERENCES council_agenda_item (municipality_code, id)
);
-- At most one vote in progress per sitting.
CREATE UNIQUE INDEX council_vote_one_open ON council_vote (municipality_code, sitting_id) WHERE status = 'open';
CREATE INDEX council_vote_item_idx ON council_vote (municipality_code, item_id);
SELECT kov_protect_tenant_table('council_vote');

-- Candidates put to a secret vote (a second round may have fewer), with their counts at close.
CREATE TABLE council_vote_candidate (
  municipality_code text NOT NULL,
  vote_id uuid NOT NULL,
  candidate_id uuid NOT NULL,
  votes integer,
  PRIMARY KEY (municipality_code, vote_id, candidate_id),
  FOREIGN KEY (municipality_code, vote_id) REFERENCES council_vote (municipality_code, id),
  FOREIGN KEY (municipality_code, candidate_id) REFERENCES council_candidate (municipality_code, id)
);
SELECT kov_protect_tenant_table('council_vote_candidate');

-- Open ballots while the vote runs: one row per member, the last choice counts.
CREATE TABLE council_open_ballot (
  municipality_code text NOT NULL,
  vote_id uuid NOT NULL,
  member_id uuid NOT NULL,
  choice text NOT NULL CHECK (choice IN ('for', 'against', 'abstain')),
  changes integer NOT NULL DEFAULT 0,
  cast_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, vote_id, member_id),
  FOREIGN KEY (municipality_code, vote_id) REFERENCES council_vote (municipality_code, id),
  FOREIGN KEY (municipality_code, member_id) REFERENCES council_member (municipality_code, id)
);
SELECT kov_protect_tenant_table('council_open_ballot');

-- Each member's part in a closed vote, written at close. Open votes: the member's choice.
-- Secret votes: only 'took_part' — how a member voted is never known to this module.
CREATE TABLE council_vote_record (
  municipality_code text NOT NULL,
  vote_id uuid NOT NULL,
  member_id uuid NOT NULL,
  record text NOT NULL CHECK (record IN ('for', 'against', 'abstain', 'took_part', 'not_voted', 'recused', 'absent')),
  PRIMARY KEY (municipality_code, vote_id, member_id),
  FOREIGN KEY (municipality_code, vote_id) REFERENCES council_vote (municipality_code, id),
  FOREIGN KEY (municipality_code, member_id) REFERENCES council_member (municipality_code, id)
);
CREATE INDEX council_vote_record_member_idx ON council_vote_record (municipality_code, member_id);
SELECT kov_protect_tenant_table('council_vote_record');

-- Minutes (protokoll): the generated PDF (kept for a later ASiC-E signature) and the sign-offs
-- of the presiding chair and the secretary, both on the same SHA-256.
CREATE TABLE council_minutes (
  municipality_code text NOT NULL,
  sitting_id uuid NOT NULL,
  version integer NOT NULL DEFAULT 1,
  pdf_file_id uuid NOT NULL,
  sha256 text NOT NULL,
  generated_by uuid REFERENCES person (id),
  generated_at timestamptz NOT NULL DEFAULT now(),
  chair_signed_by uuid REFERENCES person (id),
  chair_signed_at timestamptz,
  secretary_signed_by uuid REFERENCES person (id),
  secretary_signed_at timestamptz,
  PRIMARY KEY (municipality_code, sitting_id),
  FOREIGN KEY (municipality_code, sitting_id) REFERENCES council_sitting (municipality_code, id),
  FOREIGN KEY (municipality_code, pdf_file_id) REFERENCES stored_file (municipality_code, id)
);
SELECT kov_protect_tenant_table('council_minutes');
