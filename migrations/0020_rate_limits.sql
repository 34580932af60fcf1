-- Rate-limit counters shared by every app node (src/platform/http/rateLimit.ts): one row per
-- family, dimension and subject (an HMAC, never an address or person id in clear), for the
-- current window only; rows are removed a minute after their window ends. UNLOGGED: counters
-- are worth nothing after a crash and need no WAL (nor replication).
CREATE UNLOGGED TABLE rate_limit_counter (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  resets_at timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_counter TO kov_app;
