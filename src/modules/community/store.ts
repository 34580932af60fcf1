import { sql, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Translations } from '../../platform/language/translations';

export const ELVL = '0000';
export type RegStatus = 'registered' | 'waitlisted' | 'cancelled';

export interface EventTable {
  municipality_code: string;
  id: Generated<string>;
  kind: string;
  title: string;
  description: string;
  /** Russian and English title and description (migration 0712). */
  translations: ColumnType<Translations<'title' | 'description'>, string | undefined, string>;
  starts_at: Date;
  ends_at: Date;
  location: string;
  online_url: string;
  capacity: number | null;
  visibility: 'officials' | 'public';
  status: Generated<'scheduled' | 'cancelled'>;
  group_id: string | null;
  topics: Generated<string[]>;
  sequence: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type EventRow = Selectable<EventTable>;

declare module '../../platform/db/tables' {
  interface KovTables {
    community_event: EventTable;
    community_registration: {
      municipality_code: string;
      event_id: string;
      person_id: string;
      participant_municipality: string | null;
      status: RegStatus;
      queue_seq: number;
      registered_at: Date;
      promoted_at: Date | null;
      cancelled_at: Date | null;
      attended: boolean | null;
      reminded_at: Date | null;
    };
    community_material: {
      municipality_code: string;
      id: Generated<string>;
      event_id: string;
      title: string;
      url: string | null;
      file_id: string | null;
      added_by: string | null;
      added_at: Generated<Date>;
    };
    community_notification: {
      municipality_code: string;
      id: Generated<string>;
      person_id: string;
      event_id: string;
      kind: 'reminder' | 'promoted' | 'cancelled';
      created_at: Generated<Date>;
    };
    community_feed_token: { person_id: string; token_hash: Buffer; created_at: Date };
    training_programme: {
      municipality_code: string;
      id: Generated<string>;
      title: string;
      description: string;
      required_sessions: number;
      created_at: Generated<Date>;
    };
    training_group: {
      municipality_code: string;
      id: Generated<string>;
      programme_id: string;
      name: string;
      region_code: string | null;
      created_at: Generated<Date>;
    };
    training_member: {
      municipality_code: string;
      group_id: string;
      person_id: string;
      member_municipality: string | null;
      joined_at: Generated<Date>;
      completed_at: Date | null;
    };
  }
}

export async function eventById(trx: Trx, id: string, lock = false) {
  let q = trx.selectFrom('community_event').selectAll().where('municipality_code', '=', ELVL).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function counts(trx: Trx, eventIds: string[]) {
  if (!eventIds.length) return new Map<string, { registered: number; waitlisted: number }>();
  const rows = await trx
    .selectFrom('community_registration')
    .select([
      'event_id',
      sql<number>`count(*) FILTER (WHERE status = 'registered')::int`.as('registered'),
      sql<number>`count(*) FILTER (WHERE status = 'waitlisted')::int`.as('waitlisted'),
    ])
    .where('municipality_code', '=', ELVL)
    .where('event_id', 'in', eventIds)
    .groupBy('event_id')
    .execute();
  return new Map(rows.map((r) => [r.event_id, { registered: Number(r.registered), waitlisted: Number(r.waitlisted) }]));
}

export async function registrationOf(trx: Trx, eventId: string, personId: string) {
  return trx
    .selectFrom('community_registration')
    .selectAll()
    .where('municipality_code', '=', ELVL)
    .where('event_id', '=', eventId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** 1-based place on the waiting list. */
export async function waitlistPosition(trx: Trx, eventId: string, queueSeq: number) {
  const r = await trx
    .selectFrom('community_registration')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('municipality_code', '=', ELVL)
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .where('queue_seq', '<=', queueSeq)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function eventView(
  e: EventRow,
  c: { registered: number; waitlisted: number } | undefined,
  mine?: { status: RegStatus; position: number | null },
) {
  const registered = c?.registered ?? 0;
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    description: e.description,
    translations: e.translations,
    startsAt: e.starts_at.toISOString(),
    endsAt: e.ends_at.toISOString(),
    location: e.location,
    onlineUrl: e.online_url,
    capacity: e.capacity,
    visibility: e.visibility,
    status: e.status,
    groupId: e.group_id,
    topics: e.topics,
    registered,
    waitlisted: c?.waitlisted ?? 0,
    placesLeft: e.capacity === null ? null : Math.max(0, e.capacity - registered),
    myStatus: mine?.status ?? null,
    myWaitlistPosition: mine?.position ?? null,
  };
}
