-- Notifications (docs/notifications.md): what a person is told, in the platform and by e-mail.
-- Every table here belongs to a person, not to a municipality: a resident's notification centre,
-- e-mail address, preferences and followed areas span municipalities. Their rows are visible to
-- that person (kov.actor) and to platform-wide work (kov.tenant = '*': the delivery jobs), never to
-- a municipality's officials — who follows which area, who was reminded of a vote, and who has
-- which address are nobody else's business.

CREATE FUNCTION kov_person_visible(person uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT person = kov_actor() OR current_setting('kov.tenant', true) = '*' $$;

-- A person's settings: the language of their messages, their verified e-mail address (at most
-- one person per address), an address waiting for its verification link (only the link's SHA-256
-- is kept), the digest option, and whether the address bounced.
CREATE TABLE notification_profile (
  person_id uuid PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
  language text NOT NULL DEFAULT 'et' CHECK (language IN ('et', 'ru', 'en')),
  email text CHECK (email IS NULL OR length(email) <= 254),
  email_verified_at timestamptz,
  email_bounced_at timestamptz,
  pending_email text CHECK (pending_email IS NULL OR length(pending_email) <= 254),
  pending_token_hash bytea,
  pending_expires_at timestamptz,
  digest text NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'daily')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((email IS NULL) = (email_verified_at IS NULL)),
  CHECK ((pending_email IS NULL) = (pending_token_hash IS NULL) AND (pending_email IS NULL) = (pending_expires_at IS NULL))
);
CREATE UNIQUE INDEX notification_profile_email_idx ON notification_profile (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX notification_profile_token_idx ON notification_profile (pending_token_hash) WHERE pending_token_hash IS NOT NULL;
ALTER TABLE notification_profile ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON notification_profile USING (kov_person_visible(person_id)) WITH CHECK (kov_person_visible(person_id));

-- Per-topic choices that differ from the topic's defaults (src/modules/notifications/topics.ts).
CREATE TABLE notification_preference (
  person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  topic text NOT NULL CHECK (topic ~ '^[a-z]+\.[a-z-]+$'),
  in_app boolean NOT NULL,
  email boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, topic)
);
ALTER TABLE notification_preference ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON notification_preference USING (kov_person_visible(person_id)) WITH CHECK (kov_person_visible(person_id));

-- Areas a person follows for new problem reports: a settlement unit or a whole municipality
-- (place code), or an area they drew (GeoJSON polygon, WGS84, with its bounding box for the first
-- cut); at once or in the daily digest.
CREATE TABLE notification_follow (
  person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  municipality_code text NOT NULL REFERENCES tenant (code),
  place_code text REFERENCES place (code),
  name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
  area jsonb,
  min_lat double precision,
  max_lat double precision,
  min_lon double precision,
  max_lon double precision,
  frequency text NOT NULL CHECK (frequency IN ('instant', 'daily')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, id),
  CHECK ((place_code IS NULL) <> (area IS NULL)),
  CHECK (area IS NULL OR (min_lat IS NOT NULL AND max_lat IS NOT NULL AND min_lon IS NOT NULL AND max_lon IS NOT NULL))
);
CREATE UNIQUE INDEX notification_follow_place_once ON notification_follow (person_id, place_code) WHERE place_code IS NOT NULL;
CREATE INDEX notification_follow_place_idx ON notification_follow (place_code) WHERE place_code IS NOT NULL;
CREATE INDEX notification_follow_area_idx ON notification_follow (min_lat, max_lat) WHERE area IS NOT NULL;
ALTER TABLE notification_follow ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON notification_follow USING (kov_person_visible(person_id)) WITH CHECK (kov_person_visible(person_id));

-- One notification to one person: the notification centre's entry and, at the same time, the
-- outbox of its e-mail. Written in the transaction of the change it tells about (a module's use
-- case, inside that municipality's scope), so it exists exactly when the change committed; the
-- delivery job then decides and sends its e-mail. Topic and parameters, not text: it is rendered
-- in the recipient's language when read or sent.
--   email_state  pending   to be decided/sent from email_next_at on (retried with backoff)
--                sending   taken by a delivery run until email_next_at (then pending again)
--                held      waits for the daily digest
--                sent, digested, skipped (no address, switched off, address bounced), failed
CREATE TABLE notification (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  -- Where it came from (ELVL's '0000' for platform-wide topics); the tenant that may write it.
  municipality_code text NOT NULL REFERENCES tenant (code),
  topic text NOT NULL CHECK (topic ~ '^[a-z]+\.[a-z-]+$'),
  params jsonb NOT NULL DEFAULT '{}',
  -- A path of the platform the notification leads to (e.g. /teated/1001).
  link text CHECK (link IS NULL OR link ~ '^/'),
  -- Makes a repeated job write it once (e.g. 'vote-opened:<vote id>').
  dedupe_key text,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  email_state text NOT NULL DEFAULT 'pending' CHECK (email_state IN ('pending', 'sending', 'held', 'sent', 'digested', 'skipped', 'failed')),
  email_attempts smallint NOT NULL DEFAULT 0,
  email_next_at timestamptz,
  email_done_at timestamptz,
  email_error text CHECK (email_error IS NULL OR length(email_error) <= 500)
);
CREATE INDEX notification_person_idx ON notification (person_id, created_at DESC);
CREATE INDEX notification_unread_idx ON notification (person_id) WHERE read_at IS NULL;
CREATE INDEX notification_email_due_idx ON notification (email_next_at) WHERE email_state IN ('pending', 'sending');
CREATE INDEX notification_held_idx ON notification (person_id) WHERE email_state = 'held';
CREATE UNIQUE INDEX notification_dedupe_idx ON notification (person_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
ALTER TABLE notification ENABLE ROW LEVEL SECURITY;
-- Read and changed by its person (and platform-wide work) only; written inside the scope of the
-- municipality it comes from, which does not make it readable there.
CREATE POLICY own ON notification FOR SELECT USING (kov_person_visible(person_id));
CREATE POLICY own_update ON notification FOR UPDATE USING (kov_person_visible(person_id)) WITH CHECK (kov_person_visible(person_id));
CREATE POLICY own_delete ON notification FOR DELETE USING (kov_person_visible(person_id));
CREATE POLICY written_by_tenant ON notification FOR INSERT WITH CHECK (kov_tenant_visible(municipality_code) OR kov_person_visible(person_id));

-- Addresses that bounced permanently (lower case): nothing more is sent to them until their owner
-- verifies the address again.
CREATE TABLE notification_suppression (
  email text PRIMARY KEY CHECK (email = lower(email)),
  reason text NOT NULL CHECK (reason IN ('bounce')),
  detail text CHECK (detail IS NULL OR length(detail) <= 500),
  at timestamptz NOT NULL
);
ALTER TABLE notification_suppression ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON notification_suppression USING (current_setting('kov.tenant', true) = '*') WITH CHECK (current_setting('kov.tenant', true) = '*');
