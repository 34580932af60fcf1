-- Asynchronous bounces (issue 19, docs/notifications.md "Bounces"): the delivery status
-- notifications (RFC 3464) the relay received for the platform's VERP envelope senders and passed
-- on. A permanent failure (Action: failed, Status 5.x.x) also puts the address on
-- notification_suppression; a transient one (4.x.x) is only counted here. One row per DSN and
-- address: a relay that passes the same DSN on twice changes nothing the second time.
CREATE TABLE notification_bounce (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  kind text NOT NULL CHECK (kind IN ('permanent', 'transient')),
  status text NOT NULL CHECK (status ~ '^[245]\.[0-9]{1,3}\.[0-9]{1,3}$'),
  -- The message it is about: n<notification id>, d<notification id> (a digest), v<person> (verification).
  token_kind text NOT NULL CHECK (token_kind IN ('n', 'd', 'v')),
  token_id text NOT NULL CHECK (length(token_id) <= 40),
  diagnostic text CHECK (diagnostic IS NULL OR length(diagnostic) <= 500),
  -- The DSN's own Message-ID (or a hash of it when it has none).
  dsn_id text NOT NULL CHECK (length(dsn_id) <= 300),
  at timestamptz NOT NULL
);
CREATE UNIQUE INDEX notification_bounce_once ON notification_bounce (dsn_id, email);
CREATE INDEX notification_bounce_email_idx ON notification_bounce (email, at);
ALTER TABLE notification_bounce ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON notification_bounce USING (current_setting('kov.tenant', true) = '*') WITH CHECK (current_setting('kov.tenant', true) = '*');
