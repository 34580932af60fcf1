import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';
import { notify } from '../notifications';
import { presidingMember, type Sitting } from './access';

/**
 * Telling the council's members about their sittings, through the notification service in the
 * transaction of the change (docs/notifications.md):
 *  - publishing a sitting sends every acting member the convocation with the agenda and its
 *    documents (a topic the law requires: nobody can switch it off);
 *  - if that is later than the council's notice period before the sitting (KOKS: the council's
 *    rules of procedure; `council.notice_days`, 7 unless set), the presiding chair and the
 *    official who published it are warned, and the sitting page says so (`notice` in the sitting);
 *  - a change of a published sitting or its agenda (at most one notice per sitting and hour);
 *  - signed minutes.
 */

const DAY = 86_400_000;

/** When the convocation must go out at the latest, and whether it did (or, for a draft, still can). */
export function noticeOf(s: Pick<Sitting, 'starts_at' | 'published_at'>, noticeDays: number, now: Date) {
  const deadline = new Date(new Date(s.starts_at).getTime() - noticeDays * DAY);
  const sent = s.published_at ? new Date(s.published_at) : null;
  return { days: noticeDays, deadline, met: (sent ?? now).getTime() <= deadline.getTime() };
}

async function councilOf(trx: Trx, s: Sitting) {
  return trx
    .selectFrom('council')
    .select(['name', 'notice_days'])
    .where('municipality_code', '=', s.municipality_code)
    .where('id', '=', s.council_id)
    .executeTakeFirstOrThrow();
}

async function actingMembers(trx: Trx, s: Sitting) {
  const rows = await trx
    .selectFrom('council_member')
    .select('person_id')
    .where('municipality_code', '=', s.municipality_code)
    .where('council_id', '=', s.council_id)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.person_id);
}

const sittingLink = (s: Sitting) => `/volikogu/${s.municipality_code}/istung/${s.id}`;

function baseParams(s: Sitting, council: string) {
  return {
    council,
    number: s.number,
    title: s.title,
    startsAt: new Date(s.starts_at).toISOString(),
    place: s.place ?? '',
    videoLink: s.link ?? '',
  };
}

/** On publishing: the convocation to every acting member, and the warning if it is late. */
export async function sendConvocation(ctx: AppContext, trx: Trx, s: Sitting, publishedBy: string, at: Date) {
  const council = await councilOf(trx, s);
  const items = await trx
    .selectFrom('council_agenda_item')
    .select(['id', 'position', 'title'])
    .where('municipality_code', '=', s.municipality_code)
    .where('sitting_id', '=', s.id)
    .where('withdrawn', '=', false)
    .orderBy('position')
    .execute();
  const docs = items.length
    ? await trx
        .selectFrom('council_document')
        .select(['id', 'item_id', 'title'])
        .where('municipality_code', '=', s.municipality_code)
        .where(
          'item_id',
          'in',
          items.map((i) => i.id),
        )
        .orderBy('uploaded_at')
        .execute()
    : [];
  const params = {
    ...baseParams(s, council.name),
    items: items.map((i) => ({
      position: i.position,
      title: i.title,
      documents: docs
        .filter((d) => d.item_id === i.id)
        .map((d) => ({
          title: d.title,
          path: `/api/v1/municipalities/${s.municipality_code}/council/sittings/${s.id}/documents/${d.id}`,
        })),
    })),
  };
  await notify(ctx, trx, {
    to: await actingMembers(trx, s),
    topic: 'council.convocation',
    municipalityCode: s.municipality_code,
    params,
    link: sittingLink(s),
    dedupeKey: `convocation:${s.id}`,
  });
  const notice = noticeOf({ starts_at: s.starts_at, published_at: at }, council.notice_days, at);
  if (!notice.met) {
    const chair = await presidingMember(trx, s);
    await notify(ctx, trx, {
      to: [...(chair?.status === 'active' ? [chair.person_id] : []), publishedBy],
      topic: 'council.notice-warning',
      municipalityCode: s.municipality_code,
      params: { ...baseParams(s, council.name), noticeDays: council.notice_days, sentAt: at.toISOString() },
      link: sittingLink(s),
      dedupeKey: `notice-warning:${s.id}`,
    });
  }
  return notice;
}

/** A published sitting (not yet open) or its agenda changed: the members are told, once an hour at most. */
export async function tellAgendaChanged(
  ctx: AppContext,
  trx: Trx,
  s: Sitting,
  by: string | null,
  item: string | null,
  at: Date,
) {
  if (s.status !== 'published' || !s.published_at) return;
  const council = await councilOf(trx, s);
  const hour = at.toISOString().slice(0, 13);
  await notify(ctx, trx, {
    to: (await actingMembers(trx, s)).filter((p) => p !== by),
    topic: 'council.agenda-changed',
    municipalityCode: s.municipality_code,
    params: { ...baseParams(s, council.name), ...(item ? { item } : {}) },
    link: sittingLink(s),
    dedupeKey: `agenda-changed:${s.id}:${hour}`,
  });
}

/** Both signatures are on the minutes: the members are told they are available. */
export async function tellMinutesAvailable(ctx: AppContext, trx: Trx, s: Sitting) {
  const council = await councilOf(trx, s);
  await notify(ctx, trx, {
    to: await actingMembers(trx, s),
    topic: 'council.minutes',
    municipalityCode: s.municipality_code,
    params: baseParams(s, council.name),
    link: `${sittingLink(s)}/protokoll`,
    dedupeKey: `minutes:${s.id}`,
  });
}
