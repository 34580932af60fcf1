import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import type { Lang, NotificationItem, NotificationPage } from './contract';
import { requireSelf } from './policy';
import { renderMessage } from './render';
import { centreFilter } from './store';

/**
 * The notification centre: a person's notifications, newest first, in the language of the page
 * they are reading (rendered from the same templates as the e-mails), with the unread count;
 * marking one or all read. Topics the person switched off for the centre are not shown.
 */
const shown = sql<boolean>`${centreFilter.inAppOn(sql.ref('n.topic'))}`;

export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  query: { lang?: Lang; limit?: number; before?: number },
): Promise<NotificationPage> {
  const me = requireSelf(actor);
  const lang = query.lang ?? 'et';
  const limit = Math.min(Math.max(query.limit ?? 30, 1), 100);
  return inScope(ctx.db, { actor: me.personId }, async (trx) => {
    let q = trx
      .selectFrom('notification as n')
      .leftJoin('notification_preference as pref', (j) =>
        j.onRef('pref.person_id', '=', 'n.person_id').onRef('pref.topic', '=', 'n.topic'),
      )
      .select(['n.id', 'n.topic', 'n.params', 'n.link', 'n.municipality_code', 'n.created_at', 'n.read_at'])
      .where('n.person_id', '=', me.personId)
      .where(shown)
      .orderBy('n.id', 'desc')
      .limit(limit);
    if (query.before) q = q.where('n.id', '<', query.before);
    const rows = await q.execute();
    const items: NotificationItem[] = rows.map((r) => {
      const m = renderMessage(ctx.config.publicUrl, { topic: r.topic, params: r.params, link: r.link }, lang);
      return {
        id: Number(r.id),
        topic: r.topic,
        title: m.subject,
        text: [...m.paragraphs, ...(m.list ?? []).map((i) => `• ${i.text}`)].join('\n'),
        link: r.link,
        municipalityCode: r.municipality_code,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      };
    });
    return { items, unread: await countUnread(trx, me.personId) };
  });
}

async function countUnread(trx: Trx, personId: string): Promise<number> {
  const r = await trx
    .selectFrom('notification as n')
    .leftJoin('notification_preference as pref', (j) =>
      j.onRef('pref.person_id', '=', 'n.person_id').onRef('pref.topic', '=', 'n.topic'),
    )
    .select(sql<number>`count(*)::int`.as('n'))
    .where('n.person_id', '=', personId)
    .where('n.read_at', 'is', null)
    .where(shown)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function unreadNotifications(ctx: AppContext, actor: Actor): Promise<{ unread: number }> {
  const me = requireSelf(actor);
  return inScope(ctx.db, { actor: me.personId }, async (trx) => ({ unread: await countUnread(trx, me.personId) }));
}

/** Marks one notification read (or, with `id` 'all', every one). */
export async function markRead(ctx: AppContext, actor: Actor, id: number | 'all'): Promise<{ unread: number }> {
  const me = requireSelf(actor);
  return inScope(ctx.db, { actor: me.personId }, async (trx) => {
    let q = trx
      .updateTable('notification')
      .set({ read_at: ctx.now() })
      .where('person_id', '=', me.personId)
      .where('read_at', 'is', null);
    if (id !== 'all') {
      const exists = await trx
        .selectFrom('notification')
        .select('id')
        .where('person_id', '=', me.personId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!exists) throw notFound('Notification');
      q = q.where('id', '=', id);
    }
    await q.execute();
    return { unread: await countUnread(trx, me.personId) };
  });
}
