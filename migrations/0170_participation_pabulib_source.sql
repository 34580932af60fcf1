-- The Pabulib file an imported participatory budget came from, as written, so that exporting the
-- budget gives the same file back (see docs/participation.md, "Pabulib"): META in the file's
-- order, the PROJECTS table (its header and every cell, extra columns included) and the VOTES
-- header. The votes themselves are the vote's ballots in the ballot box; a ballot's voter
-- metadata (age, sex, voting method, …) rides in its content, and the ballots keep no voter id.
CREATE TABLE pv_pabulib_source (
  municipality_code text NOT NULL,
  vote_id uuid NOT NULL,
  filename text,
  vote_type text NOT NULL CHECK (vote_type IN ('approval', 'cumulative', 'scoring', 'ordinal')),
  -- [[key, value], …]
  meta jsonb NOT NULL,
  -- ["project_id", "cost", …] and one array of cells per project, in the file's order.
  project_header jsonb NOT NULL,
  projects jsonb NOT NULL,
  -- ["voter_id", "age", "vote", …]
  vote_header jsonb NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, vote_id),
  FOREIGN KEY (municipality_code, vote_id) REFERENCES pv_vote (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('pv_pabulib_source');
