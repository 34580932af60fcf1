import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Scope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { isOfficial, requirePersonOrThrow } from './access';
import { ELVL, counts, eventById, eventView, waitlistPosition, type EventRow, type RegStatus } from './store';
import { canSeeEvent } from './policy';

/** Officials read events in ELVL's scope; anyone else with no tenant scope, where only public events exist (RLS). */
export function eventScope(actor: Actor): Scope {
  return actor.kind === 'person' && isOfficial(actor)
    ? { tenant: ELVL, actor: actor.personId }
    : actor.kind === 'person'
      ? { actor: actor.personId }
      : {};
}

async function withCounts(ctx: AppContext, actor: Actor, events: EventRow[]) {
  const personId = actor.kind === 'person' ? actor.personId : undefined;
  // Counts and the caller's own registrations are read in ELVL's scope for events already found visible.
  return inScope(ctx.db, { tenant: ELVL, ...(personId ? { actor: personId } : {}) }, async (trx) => {
    const c = await counts(
      trx,
      events.map((e) => e.id),
    );
    const mine = new Map<string, { status: RegStatus; position: number | null }>();
    if (personId && events.length) {
      const regs = await trx
        .selectFrom('community_registration')
        .selectAll()
        .where('municipality_code', '=', ELVL)
        .where('person_id', '=', personId)
        .where(
          'event_id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
      for (const r of regs)
        mine.set(r.event_id, {
          status: r.status,
          position: r.status === 'waitlisted' ? await waitlistPosition(trx, r.event_id, r.queue_seq) : null,
        });
    }
    return events.map((e) => eventView(e, c.get(e.id), mine.get(e.id)));
  });
}

export async function listEvents(
  ctx: AppContext,
  actor: Actor,
  f: { from?: string | undefined; kind?: string | undefined; includePast?: boolean | undefined },
) {
  const events = await inScope(ctx.db, eventScope(actor), async (trx) => {
    let q = trx.selectFrom('community_event').selectAll().where('municipality_code', '=', ELVL).orderBy('starts_at');
    if (!f.includePast) q = q.where('ends_at', '>=', f.from ? new Date(f.from) : ctx.now());
    if (f.kind) q = q.where('kind', '=', f.kind);
    return q.limit(500).execute();
  });
  return withCounts(
    ctx,
    actor,
    events.filter((e) => canSeeEvent(actor, e)),
  );
}

export async function readEvent(ctx: AppContext, actor: Actor, id: string) {
  const e = await inScope(ctx.db, eventScope(actor), (trx) => eventById(trx, id));
  if (!e || !canSeeEvent(actor, e)) throw notFound(`Event ${id}`);
  const [view] = await withCounts(ctx, actor, [e]);
  const materials = await inScope(ctx.db, eventScope(actor), (trx) =>
    trx
      .selectFrom('community_material')
      .select(['id', 'title', 'url', 'file_id', 'added_at'])
      .where('municipality_code', '=', ELVL)
      .where('event_id', '=', id)
      .orderBy('added_at')
      .execute(),
  );
  return {
    ...view!,
    materials: materials.map((m) => ({
      id: m.id,
      title: m.title,
      url: m.url ?? `/api/v1/community/events/${id}/materials/${m.id}`,
    })),
  };
}

/** The caller's registrations and notifications (reminders, places freed on the waiting list). */
export async function myEvents(ctx: AppContext, actor: Actor) {
  const person = requirePersonOrThrow(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: person.personId }, async (trx) => {
    const regs = await trx
      .selectFrom('community_registration as r')
      .innerJoin('community_event as e', (j) =>
        j.onRef('e.municipality_code', '=', 'r.municipality_code').onRef('e.id', '=', 'r.event_id'),
      )
      .select([
        'e.id',
        'e.title',
        'e.translations',
        'e.starts_at',
        'e.ends_at',
        'e.status as event_status',
        'r.status',
        'r.queue_seq',
        'r.attended',
      ])
      .where('r.municipality_code', '=', ELVL)
      .where('r.person_id', '=', person.personId)
      .where('r.status', '!=', 'cancelled')
      .orderBy('e.starts_at')
      .execute();
    const notes = await trx
      .selectFrom('community_notification as n')
      .innerJoin('community_event as e', (j) =>
        j.onRef('e.municipality_code', '=', 'n.municipality_code').onRef('e.id', '=', 'n.event_id'),
      )
      .select(['n.id', 'n.kind', 'n.created_at', 'e.id as event_id', 'e.title', 'e.starts_at'])
      .where('n.municipality_code', '=', ELVL)
      .where('n.person_id', '=', person.personId)
      .orderBy('n.created_at', 'desc')
      .limit(50)
      .execute();
    const registrations = [];
    for (const r of regs) {
      registrations.push({
        eventId: r.id,
        title: r.title,
        translations: r.translations,
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        eventStatus: r.event_status,
        status: r.status,
        waitlistPosition: r.status === 'waitlisted' ? await waitlistPosition(trx, r.id, r.queue_seq) : null,
        attended: r.attended,
      });
    }
    return {
      registrations,
      notifications: notes.map((n) => ({
        id: n.id,
        kind: n.kind,
        eventId: n.event_id,
        title: n.title,
        startsAt: n.starts_at.toISOString(),
        at: n.created_at.toISOString(),
      })),
    };
  });
}
