-- Calendar-feed tokens are reached by the application only through kov_feed_token_set/_owner
-- (migrations/functions/): the application role cannot list whose feeds exist (issue 13).
REVOKE ALL ON community_feed_token FROM kov_app;
