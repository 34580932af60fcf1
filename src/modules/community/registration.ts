import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { P, notFound, refusal } from '../../platform/http/problems';
import { R_COMMUNITY } from './reasons';
import { sql } from 'kysely';
import { homeMunicipality, isOfficial, requirePersonOrThrow } from './access';
import { canSeeEvent, isOrganiser } from './policy';
import { tellParticipant } from './tellPeople';
import { ELVL, eventById, registrationOf, waitlistPosition, type EventRow } from './store';

export const REMIND_JOB = 'community.remind';
export const NOTIFY_JOB = 'community.notify';
/** Reminders go out this long before an event starts. */
export const REMIND_BEFORE_MS = 24 * 3600 * 1000;

export async function scheduleReminder(
  ctx: AppContext,
  trx: Trx,
  e: Pick<EventRow, 'id' | 'starts_at'>,
  personId: string,
) {
  const delay = Math.max(0, Math.floor((e.starts_at.getTime() - REMIND_BEFORE_MS - ctx.now().getTime()) / 1000));
  await ctx.jobs.sendInTx(
    trx,
    REMIND_JOB,
    { eventId: e.id, personId },
    { singletonKey: `${e.id}:${personId}`, ...(delay ? { startAfterSeconds: delay } : {}) },
  );
}

/**
 * Registers the caller. The event row is locked for the decision, so concurrent registrations
 * are serialised: the first `capacity` get places, everyone after them joins the waiting list in
 * arrival order. Registering again returns the existing registration.
 */
export async function registerForEvent(ctx: AppContext, actor: Actor, eventId: string) {
  const person = requirePersonOrThrow(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: person.personId }, async (trx) => {
    const e = await eventById(trx, eventId, true);
    if (!e || !canSeeEvent(person, e)) throw notFound(`Event ${eventId}`);
    if (e.status === 'cancelled') throw refusal(P.conflict, R_COMMUNITY.cancelled);
    if (e.starts_at <= ctx.now()) throw refusal(P.conflict, R_COMMUNITY.started);
    if (e.group_id && !isOrganiser(person)) {
      const member = await trx
        .selectFrom('training_member')
        .select('person_id')
        .where('municipality_code', '=', ELVL)
        .where('group_id', '=', e.group_id)
        .where('person_id', '=', person.personId)
        .executeTakeFirst();
      if (!member) throw refusal(P.forbidden, R_COMMUNITY.groupMembersOnly);
    }
    const existing = await registrationOf(trx, eventId, person.personId);
    if (existing && existing.status !== 'cancelled') {
      return {
        eventId,
        status: existing.status,
        waitlistPosition:
          existing.status === 'waitlisted' ? await waitlistPosition(trx, eventId, existing.queue_seq) : null,
      };
    }
    const taken = await trx
      .selectFrom('community_registration')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('municipality_code', '=', ELVL)
      .where('event_id', '=', eventId)
      .where('status', '=', 'registered')
      .executeTakeFirstOrThrow();
    const status: 'registered' | 'waitlisted' =
      e.capacity === null || Number(taken.n) < e.capacity ? 'registered' : 'waitlisted';
    const values = {
      participant_municipality: isOfficial(person) ? homeMunicipality(person) : null,
      status,
      queue_seq: sql<number>`nextval('community_registration_seq')`,
      registered_at: new Date(),
      promoted_at: null,
      cancelled_at: null,
      attended: null,
      reminded_at: null,
    };
    const row = await trx
      .insertInto('community_registration')
      .values({ municipality_code: ELVL, event_id: eventId, person_id: person.personId, ...values })
      .onConflict((oc) => oc.columns(['municipality_code', 'event_id', 'person_id']).doUpdateSet(values))
      .returning(['queue_seq'])
      .executeTakeFirstOrThrow();
    if (status === 'registered') await scheduleReminder(ctx, trx, e, person.personId);
    const position = status === 'waitlisted' ? await waitlistPosition(trx, eventId, Number(row.queue_seq)) : null;
    await tellParticipant(ctx, trx, e, person.personId, 'community.registered', { status, position });
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: person.personId,
      action: `community.${status}`,
      subject: `event:${eventId}`,
      details: {},
    });
    return {
      eventId,
      status,
      waitlistPosition: position,
    };
  });
}

/** Fills free places from the waiting list, first come first served (inside the caller's lock of the event). */
export async function promoteFromWaitlist(ctx: AppContext, trx: Trx, e: EventRow): Promise<string[]> {
  if (e.status === 'cancelled') return [];
  const taken = await trx
    .selectFrom('community_registration')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('municipality_code', '=', ELVL)
    .where('event_id', '=', e.id)
    .where('status', '=', 'registered')
    .executeTakeFirstOrThrow();
  const free = e.capacity === null ? Number.MAX_SAFE_INTEGER : e.capacity - Number(taken.n);
  if (free <= 0) return [];
  const next = await trx
    .selectFrom('community_registration')
    .select(['person_id'])
    .where('municipality_code', '=', ELVL)
    .where('event_id', '=', e.id)
    .where('status', '=', 'waitlisted')
    .orderBy('queue_seq')
    .limit(Math.min(free, 10_000))
    .execute();
  for (const r of next) {
    await trx
      .updateTable('community_registration')
      .set({ status: 'registered', promoted_at: new Date() })
      .where('municipality_code', '=', ELVL)
      .where('event_id', '=', e.id)
      .where('person_id', '=', r.person_id)
      .execute();
    await ctx.jobs.sendInTx(trx, NOTIFY_JOB, { eventId: e.id, personId: r.person_id, kind: 'promoted' });
    await scheduleReminder(ctx, trx, e, r.person_id);
  }
  return next.map((r) => r.person_id);
}

/** Cancels the caller's registration; a freed place goes to the first on the waiting list. */
export async function cancelRegistration(ctx: AppContext, actor: Actor, eventId: string) {
  const person = requirePersonOrThrow(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: person.personId }, async (trx) => {
    const e = await eventById(trx, eventId, true);
    if (!e) throw notFound(`Event ${eventId}`);
    const r = await registrationOf(trx, eventId, person.personId);
    if (!r || r.status === 'cancelled') throw notFound('Your registration');
    await trx
      .updateTable('community_registration')
      .set({ status: 'cancelled', cancelled_at: new Date() })
      .where('municipality_code', '=', ELVL)
      .where('event_id', '=', eventId)
      .where('person_id', '=', person.personId)
      .execute();
    const promoted = r.status === 'registered' ? await promoteFromWaitlist(ctx, trx, e) : [];
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: person.personId,
      action: 'community.cancelled',
      subject: `event:${eventId}`,
      details: { promoted: promoted.length },
    });
    return { eventId, status: 'cancelled' as const, waitlistPosition: null };
  });
}
