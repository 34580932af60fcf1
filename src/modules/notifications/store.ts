import { sql, type Generated, type RawBuilder } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';
import { EMAIL_OFF_BY_DEFAULT, IN_APP_OFF_BY_DEFAULT, REQUIRED_TOPICS } from './topics';

export type Lang = 'et' | 'ru' | 'en';
export type EmailState = 'pending' | 'sending' | 'held' | 'sent' | 'digested' | 'skipped' | 'failed';
export type Frequency = 'instant' | 'daily';

export interface ProfileRow {
  person_id: string;
  language: Lang;
  email: string | null;
  email_verified_at: Date | null;
  email_bounced_at: Date | null;
  pending_email: string | null;
  pending_token_hash: Buffer | null;
  pending_expires_at: Date | null;
  digest: 'off' | 'daily';
  created_at: Date;
  updated_at: Date;
}

export interface NotificationRow {
  id: Generated<number>;
  person_id: string;
  municipality_code: string;
  topic: string;
  params: Json<Record<string, unknown>>;
  link: string | null;
  dedupe_key: string | null;
  created_at: Date;
  read_at: Date | null;
  email_state: Generated<EmailState>;
  email_attempts: Generated<number>;
  email_next_at: Date | null;
  email_done_at: Date | null;
  email_error: string | null;
}

export interface FollowRow {
  person_id: string;
  id: Generated<string>;
  municipality_code: string;
  place_code: string | null;
  name: string | null;
  area: Json<GeoPolygon> | null;
  min_lat: number | null;
  max_lat: number | null;
  min_lon: number | null;
  max_lon: number | null;
  frequency: Frequency;
  created_at: Date;
}

export interface GeoPolygon {
  type: 'Polygon';
  coordinates: [number, number][][];
}

declare module '../../platform/db/tables' {
  interface KovTables {
    notification_profile: ProfileRow;
    notification_preference: { person_id: string; topic: string; in_app: boolean; email: boolean; updated_at: Date };
    notification_follow: FollowRow;
    notification: NotificationRow;
    notification_suppression: { email: string; reason: 'bounce'; detail: string | null; at: Date };
    notification_bounce: {
      id: Generated<number>;
      email: string;
      kind: 'permanent' | 'transient';
      status: string;
      token_kind: 'n' | 'd' | 'v';
      token_id: string;
      diagnostic: string | null;
      dsn_id: string;
      at: Date;
    };
  }
}

export async function profileOf(trx: Trx, personId: string, lock = false): Promise<ProfileRow | undefined> {
  let q = trx.selectFrom('notification_profile').selectAll().where('person_id', '=', personId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The person's profile, created with defaults (language of the page they used) when missing. */
export async function ensureProfile(trx: Trx, personId: string, language: Lang, now: Date): Promise<ProfileRow> {
  await trx
    .insertInto('notification_profile')
    .values({
      person_id: personId,
      language,
      email: null,
      email_verified_at: null,
      email_bounced_at: null,
      pending_email: null,
      pending_token_hash: null,
      pending_expires_at: null,
      digest: 'off',
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .execute();
  return (await profileOf(trx, personId, true))!;
}

export async function preferencesOf(trx: Trx, personId: string) {
  return trx
    .selectFrom('notification_preference')
    .select(['topic', 'in_app', 'email'])
    .where('person_id', '=', personId)
    .execute();
}

export interface NotificationInsert {
  personId: string;
  municipalityCode: string;
  topic: string;
  params: Record<string, unknown>;
  link: string | null;
  dedupeKey: string | null;
  at: Date;
  /** Wait for the daily digest whatever the person chose (an area followed "daily"). */
  held?: boolean;
}

/**
 * One notification, in the caller's transaction (its scope: the municipality it comes from). A
 * repeat with the same dedupe key writes nothing. (Not by ON CONFLICT, which would need to read
 * the person's rows — invisible inside a municipality's scope — but by a savepoint.)
 */
export async function insertNotification(trx: Trx, n: NotificationInsert) {
  const insert = () =>
    trx
      .insertInto('notification')
      .values({
        person_id: n.personId,
        municipality_code: n.municipalityCode,
        topic: n.topic,
        params: JSON.stringify(n.params),
        link: n.link,
        dedupe_key: n.dedupeKey,
        created_at: n.at,
        read_at: null,
        email_state: n.held ? 'held' : 'pending',
        email_next_at: n.held ? null : n.at,
        email_done_at: null,
        email_error: null,
      })
      .execute();
  if (!n.dedupeKey) {
    await insert();
    return true;
  }
  await sql`SAVEPOINT notification_once`.execute(trx);
  try {
    await insert();
    await sql`RELEASE SAVEPOINT notification_once`.execute(trx);
    return true;
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT notification_once`.execute(trx);
    if ((err as { code?: string }).code === '23505') return false;
    throw err;
  }
}

/** SQL: the topic is on for this person in the centre (their choice, else the topic's default). */
const inAppOn = (topic: RawBuilder<unknown> | string) =>
  sql`coalesce(pref.in_app, NOT (${topic} = ANY(${IN_APP_OFF_BY_DEFAULT}::text[])))`;
const emailOn = (topic: RawBuilder<unknown> | string) =>
  sql`(${topic} = ANY(${REQUIRED_TOPICS}::text[]) OR coalesce(pref.email, NOT (${topic} = ANY(${EMAIL_OFF_BY_DEFAULT}::text[]))))`;

/**
 * One notification to every person the audience query names (a subquery with a `person_id`
 * column), set-based: only people who set up notifications (have a profile) and have the topic on
 * in the centre or by e-mail. Platform-wide scope (a job). Returns how many were written.
 */
export async function insertForAudience(
  trx: Trx,
  n: Omit<NotificationInsert, 'personId'> & { audience: RawBuilder<{ person_id: string }> },
): Promise<number> {
  const r = await sql`
    INSERT INTO notification (person_id, municipality_code, topic, params, link, dedupe_key, created_at, email_state, email_next_at)
    SELECT a.person_id, ${n.municipalityCode}, ${n.topic}, ${JSON.stringify(n.params)}::jsonb, ${n.link}, ${n.dedupeKey},
           ${n.at}::timestamptz,
           CASE WHEN ${n.held ?? false}::boolean THEN 'held' ELSE 'pending' END,
           CASE WHEN ${n.held ?? false}::boolean THEN NULL ELSE ${n.at}::timestamptz END
      FROM (SELECT DISTINCT person_id FROM (${n.audience}) aud) a
      JOIN notification_profile p ON p.person_id = a.person_id
      LEFT JOIN notification_preference pref ON pref.person_id = a.person_id AND pref.topic = ${n.topic}
     WHERE ${inAppOn(n.topic)} OR (${emailOn(n.topic)} AND p.email IS NOT NULL)
    ON CONFLICT (person_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export const centreFilter = { inAppOn, emailOn };

/** Places by code (settlement units and municipalities), for follows and their names. */
export async function placesByCode(trx: Trx, codes: string[]) {
  if (!codes.length)
    return new Map<string, { code: string; name: string; level: string; municipality: string | null }>();
  const rows = await trx
    .selectFrom('place')
    .select(['code', 'name', 'level', 'municipality_code'])
    .where('code', 'in', codes)
    .execute();
  return new Map(
    rows.map((r) => [r.code, { code: r.code, name: r.name, level: r.level, municipality: r.municipality_code }]),
  );
}

export async function followsOf(trx: Trx, personId: string) {
  return trx
    .selectFrom('notification_follow')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .execute();
}

/** Follows of these places, and drawn areas whose bounding box holds the point (to be checked exactly). */
export async function followCandidates(trx: Trx, placeCodes: string[], point: { lat: number; lon: number }) {
  return trx
    .selectFrom('notification_follow')
    .select(['person_id', 'place_code', 'name', 'area', 'frequency'])
    .where((eb) =>
      eb.or([
        ...(placeCodes.length ? [eb('place_code', 'in', placeCodes)] : []),
        eb.and([
          eb('area', 'is not', null),
          eb('min_lat', '<=', point.lat),
          eb('max_lat', '>=', point.lat),
          eb('min_lon', '<=', point.lon),
          eb('max_lon', '>=', point.lon),
        ]),
      ]),
    )
    .execute();
}
