-- Sessions and logins in progress are reached by the application only through functions that take
-- the token (or state) the caller holds (migrations/functions/kov_session_*.sql,
-- kov_auth_request_*.sql): a reader with the application role cannot list them (issue 13).
REVOKE ALL ON session, auth_request FROM kov_app;
