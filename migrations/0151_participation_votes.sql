-- Municipal polls and referendums, village elder elections and participatory budgets.
-- Each vote owns one ballot box (bb_box); its questions (ballot), electorate and rules are locked
-- once it opens. See docs/participation.md.

CREATE TABLE pv_vote (
  municipality_code text NOT NULL REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('poll', 'elder', 'budget')),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- draft → (budgets and elder elections: proposals → review →) scheduled → open → closed → published.
  -- proposals = ideas collected (budget) or candidates nominated (elder).
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'proposals', 'review', 'scheduled', 'open', 'closed', 'published')),
  proposals_close_at timestamptz,
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL,
  opened_at timestamptz,
  closed_at timestamptz,
  published_at timestamptz,
  -- Who may vote: an electorate of the register module (required before scheduling; locked and
  -- frozen when the vote opens) and its size at opening.
  electorate_id uuid,
  electorate_size integer,
  -- The questions and their choices: { questions: [{ id, text, kind, minChoices, maxChoices, choices: [{ id, label, … }] }] }
  ballot jsonb NOT NULL DEFAULT '{"questions":[]}',
  -- Kind-specific rules (budget method, districts, greedy variant, elder tie rule, …)
  rules jsonb NOT NULL DEFAULT '{}',
  box_id uuid NOT NULL,
  -- The published result (a snapshot taken at publication).
  result jsonb,
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Imported from a Pabulib file (historical edition): no electorate, closed from the start.
  imported boolean NOT NULL DEFAULT false,
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, box_id) REFERENCES bb_box (municipality_code, id),
  CHECK (closes_at > opens_at)
);
CREATE INDEX pv_vote_status_idx ON pv_vote (municipality_code, status, opens_at);
SELECT kov_protect_tenant_table('pv_vote');

-- Ideas of a participatory budget: submitted by residents, reviewed by officials.
CREATE TABLE pv_idea (
  municipality_code text NOT NULL,
  vote_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- The idea's number within the budget; also its choice number on the ballot.
  number integer NOT NULL,
  -- The project_id of an idea imported from a Pabulib file (exported again as such).
  external_id text,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  settlement_code text REFERENCES place (code),
  district_id integer,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  estimated_cost_cents bigint CHECK (estimated_cost_cents >= 0),
  final_cost_cents bigint CHECK (final_cost_cents >= 0),
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'feasible', 'infeasible', 'merged', 'withdrawn')),
  review_reason text,
  merged_into uuid,
  submitted_by uuid REFERENCES person (id),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  photo_ids uuid[] NOT NULL DEFAULT '{}',
  implementation_status text NOT NULL DEFAULT 'not_started' CHECK (implementation_status IN ('not_started', 'planning', 'in_progress', 'done', 'cancelled')),
  implementation_note text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, vote_id, id),
  UNIQUE (municipality_code, vote_id, number),
  FOREIGN KEY (municipality_code, vote_id) REFERENCES pv_vote (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('pv_idea');

-- Candidates of a village elder election: nominated by residents (with the candidate's consent),
-- approved by officials.
CREATE TABLE pv_candidate (
  municipality_code text NOT NULL,
  vote_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  number integer NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  name text NOT NULL,
  statement text NOT NULL DEFAULT '',
  nominated_by uuid REFERENCES person (id),
  consent_at timestamptz,
  status text NOT NULL DEFAULT 'nominated' CHECK (status IN ('nominated', 'approved', 'rejected', 'withdrawn')),
  review_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, vote_id, id),
  UNIQUE (municipality_code, vote_id, number),
  UNIQUE (municipality_code, vote_id, person_id),
  FOREIGN KEY (municipality_code, vote_id) REFERENCES pv_vote (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('pv_candidate');
