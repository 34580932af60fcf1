-- Reports and notifications (docs/notifications.md): a new report waits for the alerts sweep
-- (its reporter's "received" and the followers of its area), and an overdue report is told to
-- its handler once. Existing reports are history: nothing is sent about them.
ALTER TABLE report ADD COLUMN alerts_pending boolean NOT NULL DEFAULT false;
ALTER TABLE report ALTER COLUMN alerts_pending SET DEFAULT true;
ALTER TABLE report ADD COLUMN overdue_notified_at timestamptz;
CREATE INDEX report_alerts_pending_idx ON report (id) WHERE alerts_pending;
CREATE INDEX report_overdue_idx ON report (sla_due_at)
  WHERE closed_at IS NULL AND sla_due_at IS NOT NULL AND overdue_notified_at IS NULL;
