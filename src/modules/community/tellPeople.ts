import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';
import { notify } from '../notifications';
import { ELVL, type EventRow } from './store';

/**
 * The community module's notices (registration confirmed or waiting list, promoted from the
 * waiting list, the reminder a day before, cancellation) also reach the person's notification
 * centre and e-mail through the notification service, in the same transaction as the
 * module's own record of them (community_notification).
 */
export async function tellParticipant(
  ctx: AppContext,
  trx: Trx,
  e: Pick<EventRow, 'id' | 'title' | 'starts_at' | 'location'>,
  personId: string,
  topic: 'community.registered' | 'community.promoted' | 'community.reminder' | 'community.cancelled',
  extra: { status?: 'registered' | 'waitlisted'; position?: number | null } = {},
) {
  await notify(ctx, trx, {
    to: personId,
    topic,
    municipalityCode: ELVL,
    params: {
      title: e.title,
      startsAt: e.starts_at.toISOString(),
      ...(e.location ? { location: e.location } : {}),
      ...(extra.status ? { status: extra.status } : {}),
      ...(extra.position ? { position: extra.position } : {}),
    },
    link: topic === 'community.cancelled' ? '/uritused' : `/uritused/${e.id}`,
    // A reminder and a cancellation once per event; registrations may repeat after cancelling.
    dedupeKey: topic === 'community.reminder' || topic === 'community.cancelled' ? `${topic}:${e.id}` : null,
  });
}
