-- Community and training: ELVL's events (webinars, seminars, workshops, training-group meetings)
-- with capacity, registration and a waiting list, reminders, attendance and materials; training
-- programmes as groups of participants by region. Events belong to ELVL (tenant '0000'); public
-- events are readable without any tenant scope through a SELECT-only policy.

CREATE TABLE training_programme (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code) CHECK (municipality_code = '0000'),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- A participant completes the programme by attending at least this many of their group's sessions.
  required_sessions integer NOT NULL CHECK (required_sessions BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id)
);
SELECT kov_protect_tenant_table('training_programme');

CREATE TABLE training_group (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  programme_id uuid NOT NULL,
  name text NOT NULL,
  -- The county (EHAK) the group gathers in; null for a national or pilot group.
  region_code text REFERENCES place (code),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, programme_id) REFERENCES training_programme (municipality_code, id)
);
SELECT kov_protect_tenant_table('training_group');

CREATE TABLE training_member (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  group_id uuid NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  member_municipality text REFERENCES tenant (code),
  joined_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (municipality_code, group_id, person_id),
  FOREIGN KEY (municipality_code, group_id) REFERENCES training_group (municipality_code, id) ON DELETE CASCADE
);
SELECT kov_protect_tenant_table('training_member');

CREATE TABLE community_event (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code) CHECK (municipality_code = '0000'),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('webinar', 'seminar', 'workshop', 'training_meeting')),
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  description text NOT NULL DEFAULT '',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  location text NOT NULL DEFAULT '',
  online_url text NOT NULL DEFAULT '',
  -- null: no limit.
  capacity integer CHECK (capacity > 0),
  visibility text NOT NULL DEFAULT 'officials' CHECK (visibility IN ('officials', 'public')),
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  group_id uuid,
  topics text[] NOT NULL DEFAULT '{}',
  -- iCalendar SEQUENCE: bumped on every change so calendar clients update their copy.
  sequence integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES person (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, group_id) REFERENCES training_group (municipality_code, id),
  CHECK (ends_at > starts_at),
  CHECK (kind <> 'training_meeting' OR group_id IS NOT NULL)
);
CREATE INDEX community_event_starts_idx ON community_event (municipality_code, starts_at);
SELECT kov_protect_tenant_table('community_event');
CREATE POLICY public_read ON community_event FOR SELECT USING (visibility = 'public');

CREATE TABLE community_registration (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  event_id uuid NOT NULL,
  person_id uuid NOT NULL REFERENCES person (id),
  -- The municipality the participant works for (for regional statistics), if an official.
  participant_municipality text REFERENCES tenant (code),
  status text NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
  -- Order on the waiting list (first come, first served), from a sequence.
  queue_seq bigint NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  promoted_at timestamptz,
  cancelled_at timestamptz,
  attended boolean,
  reminded_at timestamptz,
  PRIMARY KEY (municipality_code, event_id, person_id),
  FOREIGN KEY (municipality_code, event_id) REFERENCES community_event (municipality_code, id) ON DELETE CASCADE
);
CREATE SEQUENCE community_registration_seq;
CREATE INDEX community_registration_person_idx ON community_registration (person_id);
CREATE INDEX community_registration_queue_idx ON community_registration (municipality_code, event_id, status, queue_seq);
SELECT kov_protect_tenant_table('community_registration');

CREATE TABLE community_material (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL,
  title text NOT NULL,
  url text,
  file_id uuid,
  added_by uuid REFERENCES person (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, event_id) REFERENCES community_event (municipality_code, id) ON DELETE CASCADE,
  FOREIGN KEY (municipality_code, file_id) REFERENCES stored_file (municipality_code, id),
  CHECK ((url IS NULL) <> (file_id IS NULL))
);
SELECT kov_protect_tenant_table('community_material');
CREATE POLICY public_read ON community_material FOR SELECT USING (
  EXISTS (SELECT 1 FROM community_event e WHERE e.municipality_code = community_material.municipality_code AND e.id = community_material.event_id)
);

-- What a participant is told (reminders, a place freed on the waiting list, cancellations); shown
-- on their "my events" page. Written by jobs.
CREATE TABLE community_notification (
  municipality_code text NOT NULL DEFAULT '0000' REFERENCES tenant (code),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  event_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reminder', 'promoted', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, id),
  FOREIGN KEY (municipality_code, event_id) REFERENCES community_event (municipality_code, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX community_notification_once_idx ON community_notification (municipality_code, event_id, person_id, kind) WHERE kind <> 'promoted';
CREATE INDEX community_notification_person_idx ON community_notification (person_id, created_at DESC);
SELECT kov_protect_tenant_table('community_notification');

-- Secret address of a person's own calendar feed (calendar apps cannot log in). Only the hash of
-- the token is kept. Not tenant data: it belongs to the person.
CREATE TABLE community_feed_token (
  person_id uuid PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
