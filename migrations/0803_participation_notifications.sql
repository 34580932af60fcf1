-- What the participation module has told about a vote (issue 19, docs/notifications.md): its
-- opening to the electorate, the reminder before it closes (to those who have not voted; only
-- they can see that they were reminded), the published results. Set by the sweep in the same
-- transaction as the notifications, so each is told once.
ALTER TABLE pv_vote ADD COLUMN opened_told_at timestamptz;
ALTER TABLE pv_vote ADD COLUMN reminded_at timestamptz;
ALTER TABLE pv_vote ADD COLUMN results_told_at timestamptz;
-- Votes already past these moments are not told about now.
UPDATE pv_vote SET opened_told_at = now() WHERE status IN ('open', 'closed', 'published');
UPDATE pv_vote SET reminded_at = now() WHERE status IN ('closed', 'published');
UPDATE pv_vote SET results_told_at = now() WHERE status = 'published';
CREATE INDEX pv_vote_to_tell_idx ON pv_vote (status)
  WHERE (status = 'open' AND (opened_told_at IS NULL OR reminded_at IS NULL)) OR (status = 'published' AND results_told_at IS NULL);
