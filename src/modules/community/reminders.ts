import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { ELVL, eventById } from './store';
import { tellParticipant } from './tellPeople';
import { REMIND_BEFORE_MS, REMIND_JOB, scheduleReminder } from './registration';

/**
 * The reminder job of one registration, queued when the place is given for 24 hours before the
 * start. It checks again when it runs: cancelled registrations and events get nothing, a
 * reminder is written once (the registration's reminded_at), and an event moved later is
 * re-queued for its new time.
 */
export async function sendReminder(ctx: AppContext, data: { eventId: string; personId: string }) {
  await inScope(ctx.db, { tenant: ELVL }, async (trx) => {
    const e = await eventById(trx, data.eventId, true);
    if (!e || e.status === 'cancelled' || e.starts_at <= ctx.now()) return;
    const r = await trx
      .selectFrom('community_registration')
      .select(['status', 'reminded_at'])
      .where('municipality_code', '=', ELVL)
      .where('event_id', '=', data.eventId)
      .where('person_id', '=', data.personId)
      .executeTakeFirst();
    if (!r || r.status !== 'registered' || r.reminded_at) return;
    if (e.starts_at.getTime() - ctx.now().getTime() > REMIND_BEFORE_MS + 10 * 60 * 1000) {
      await scheduleReminder(ctx, trx, e, data.personId);
      return;
    }
    await trx
      .insertInto('community_notification')
      .values({ municipality_code: ELVL, person_id: data.personId, event_id: data.eventId, kind: 'reminder' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tellParticipant(ctx, trx, e, data.personId, 'community.reminder');
    await trx
      .updateTable('community_registration')
      .set({ reminded_at: new Date() })
      .where('municipality_code', '=', ELVL)
      .where('event_id', '=', data.eventId)
      .where('person_id', '=', data.personId)
      .execute();
  });
}

/** Tells a person that they got a place from the waiting list, or that the event was cancelled. */
export async function sendNotice(
  ctx: AppContext,
  data: { eventId: string; personId: string; kind: 'promoted' | 'cancelled' },
) {
  await inScope(ctx.db, { tenant: ELVL }, async (trx) => {
    await trx
      .insertInto('community_notification')
      .values({ municipality_code: ELVL, person_id: data.personId, event_id: data.eventId, kind: data.kind })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const e = await eventById(trx, data.eventId);
    if (e) await tellParticipant(ctx, trx, e, data.personId, `community.${data.kind}`);
  });
}

export { REMIND_JOB };
