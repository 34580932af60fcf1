-- Idempotent report intake (issue 20; IETF draft-ietf-httpapi-idempotency-key-header): a client
-- that sends `Idempotency-Key` with POST /api/v1/reports (or /reports/form) and retries after an
-- answer it never got (a node killed, a primary lost) gets the first answer again instead of a
-- second report. One row per (client scope, key), written in the same transaction as the report:
-- the row exists exactly when the report does. Neither the key nor the answer is kept in clear:
-- `key_hash` is a SHA-256 of scope and key, `answer` is the first answer (it holds the report's
-- manage token) encrypted with a key derived from the client's key, so the table alone reveals
-- nothing. Rows expire after 24 hours (the reports module's purge job removes them).
CREATE TABLE report_idempotency (
  scope text NOT NULL,
  key_hash bytea NOT NULL,
  -- SHA-256 of the request's content: the same key with other content is refused (422).
  fingerprint bytea NOT NULL,
  status smallint NOT NULL,
  answer bytea,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key_hash)
);
CREATE INDEX report_idempotency_expiry ON report_idempotency (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON report_idempotency TO kov_app;
