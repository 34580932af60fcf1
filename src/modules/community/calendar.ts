import { createHash, randomBytes } from 'node:crypto';
import ical, { ICalEventStatus } from 'ical-generator';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { requirePersonOrThrow } from './access';
import { ELVL, type EventRow } from './store';
import { eventScope } from './readEvents';
import { canSeeEvent } from './policy';
import { sql } from 'kysely';

const hash = (token: string) => createHash('sha256').update(token).digest();

/** The calendar date and time of day in Tallinn of an instant. */
const tallinn = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Tallinn',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
function inTallinn(d: Date) {
  const p = Object.fromEntries(tallinn.formatToParts(d).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, midnight: p.hour === '00' && p.minute === '00' && p.second === '00' };
}

/**
 * Every time is an absolute instant: DTSTART, DTEND and DTSTAMP in UTC (`…Z`), which every
 * calendar shows in its own time zone. (A calendar-wide time zone without a VTIMEZONE made
 * ical-generator write the server's wall-clock times with no zone at all: two or three hours off
 * in Tallinn.) An event from midnight to midnight in Tallinn is an all-day event: DTSTART and
 * DTEND as VALUE=DATE (the end exclusive), which has no time zone to get wrong.
 */
function calendar(ctx: AppContext, name: string, events: (EventRow & { note?: string })[]) {
  const cal = ical({
    name,
    prodId: { company: 'ELVL', product: 'KOV platform', language: 'ET' },
    ttl: 3600,
  });
  for (const e of events) {
    const start = inTallinn(e.starts_at);
    const end = inTallinn(e.ends_at);
    const allDay = start.midnight && end.midnight && end.date > start.date;
    cal.createEvent({
      id: `${e.id}@kov-platform`,
      sequence: e.sequence,
      // All-day: the Tallinn dates ('YYYY-MM-DD' is read as that date in UTC, and written as a DATE).
      ...(allDay ? { start: start.date, end: end.date, allDay: true } : { start: e.starts_at, end: e.ends_at }),
      stamp: e.updated_at,
      summary: e.note ? `${e.title} (${e.note})` : e.title,
      description: [e.description, e.online_url].filter(Boolean).join('\n\n'),
      location: e.location || e.online_url || null,
      url: `${ctx.config.publicUrl.replace(/\/$/, '')}/community/events/${e.id}`,
      status: e.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}

const since = (ctx: AppContext) => new Date(ctx.now().getTime() - 90 * 24 * 3600 * 1000);

/** Public events (recent and coming) as an iCalendar feed anyone may subscribe to. */
export async function publicFeed(ctx: AppContext) {
  const events = await inScope(ctx.db, {}, (trx) =>
    trx.selectFrom('community_event').selectAll().where('ends_at', '>=', since(ctx)).orderBy('starts_at').execute(),
  );
  return calendar(
    ctx,
    'KOV kogukonna üritused',
    events.filter((e) => e.visibility === 'public'),
  );
}

/** One event the caller may see, as an .ics file. */
export async function eventIcs(ctx: AppContext, actor: Actor, id: string) {
  const e = await inScope(ctx.db, eventScope(actor), (trx) =>
    trx
      .selectFrom('community_event')
      .selectAll()
      .where('municipality_code', '=', ELVL)
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  if (!e || !canSeeEvent(actor, e)) throw notFound(`Event ${id}`);
  return calendar(ctx, e.title, [e]);
}

/** A new secret address for the caller's own feed (the old one stops working). */
export async function rotateFeedToken(ctx: AppContext, actor: Actor) {
  const person = requirePersonOrThrow(actor);
  const token = randomBytes(24).toString('base64url');
  // The application role reaches `community_feed_token` only through these functions (migration 0711).
  await sql`SELECT kov_feed_token_set(${person.personId}::uuid, ${hash(token)})`.execute(ctx.db);
  return { url: `${ctx.config.publicUrl.replace(/\/$/, '')}/ical/community/me/${token}.ics` };
}

/** The events a person registered for (or waits for), found by the feed's secret token. */
export async function personalFeed(ctx: AppContext, token: string) {
  const found = await sql<{
    person_id: string | null;
  }>`SELECT kov_feed_token_owner(${hash(token)}) AS person_id`.execute(ctx.db);
  const owner = found.rows[0]?.person_id ? { person_id: found.rows[0].person_id } : null;
  if (!owner) throw notFound('Calendar feed');
  const rows = await inScope(ctx.db, { tenant: ELVL, actor: owner.person_id }, (trx) =>
    trx
      .selectFrom('community_registration as r')
      .innerJoin('community_event as e', (j) =>
        j.onRef('e.municipality_code', '=', 'r.municipality_code').onRef('e.id', '=', 'r.event_id'),
      )
      .selectAll('e')
      .select(['r.status as reg_status'])
      .where('r.municipality_code', '=', ELVL)
      .where('r.person_id', '=', owner.person_id)
      .where('r.status', 'in', ['registered', 'waitlisted'])
      .where('e.ends_at', '>=', since(ctx))
      .orderBy('e.starts_at')
      .execute(),
  );
  return calendar(
    ctx,
    'Minu KOV üritused',
    rows.map((r) => ({ ...r, note: r.reg_status === 'waitlisted' ? 'ootelehel' : undefined })),
  );
}
