import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { P, fieldError, invalid, notFound, refusal, type FieldError } from '../../platform/http/problems';
import { R_COMMUNITY } from './reasons';
import { cleanTranslations } from '../../platform/language/translations';
import { requireOrganiser } from './policy';
import { ELVL, eventById } from './store';
import { NOTIFY_JOB, promoteFromWaitlist } from './registration';
import type { EventInput } from './schemas';

function check(input: EventInput): FieldError[] {
  const errors: FieldError[] = [];
  if (new Date(input.endsAt) <= new Date(input.startsAt))
    errors.push(fieldError('/body/endsAt', R_COMMUNITY.endsBeforeStart));
  if (input.kind === 'training_meeting' && !input.groupId)
    errors.push(fieldError('/body/groupId', R_COMMUNITY.meetingNeedsGroup));
  if (!input.location?.trim() && !input.onlineUrl?.trim())
    errors.push(fieldError('/body/location', R_COMMUNITY.placeOrLink));
  return errors;
}

/** An event (ELVL's organisers). */
export async function createEvent(ctx: AppContext, actor: Actor, input: EventInput) {
  const organiser = requireOrganiser(actor);
  const errors = check(input);
  if (errors.length) throw invalid(errors);
  return inScope(ctx.db, { tenant: ELVL, actor: organiser.personId }, async (trx) => {
    if (input.groupId) {
      const g = await trx
        .selectFrom('training_group')
        .select('id')
        .where('municipality_code', '=', ELVL)
        .where('id', '=', input.groupId)
        .executeTakeFirst();
      if (!g) throw invalid([fieldError('/body/groupId', R_COMMUNITY.noSuchGroup)]);
    }
    const row = await trx
      .insertInto('community_event')
      .values({
        municipality_code: ELVL,
        kind: input.kind,
        title: input.title,
        description: input.description ?? '',
        translations: JSON.stringify(cleanTranslations(input.translations)),
        starts_at: new Date(input.startsAt),
        ends_at: new Date(input.endsAt),
        location: input.location ?? '',
        online_url: input.onlineUrl ?? '',
        capacity: input.capacity ?? null,
        visibility: input.visibility,
        group_id: input.groupId ?? null,
        topics: input.topics ?? [],
        created_by: organiser.personId,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: organiser.personId,
      action: 'community.event.created',
      subject: `event:${row.id}`,
      details: { title: input.title, capacity: input.capacity ?? null },
    });
    return { id: row.id };
  });
}

/** Changes an event; a larger capacity promotes from the waiting list; a smaller one never removes anyone already registered. */
export async function updateEvent(ctx: AppContext, actor: Actor, id: string, input: EventInput) {
  const organiser = requireOrganiser(actor);
  const errors = check(input);
  if (errors.length) throw invalid(errors);
  return inScope(ctx.db, { tenant: ELVL, actor: organiser.personId }, async (trx) => {
    const e = await eventById(trx, id, true);
    if (!e) throw notFound(`Event ${id}`);
    if (e.status === 'cancelled') throw refusal(P.conflict, R_COMMUNITY.cancelled);
    await trx
      .updateTable('community_event')
      .set({
        kind: input.kind,
        title: input.title,
        description: input.description ?? '',
        // An edit that sends no translations (an older client) keeps them.
        translations: JSON.stringify(
          input.translations === undefined ? e.translations : cleanTranslations(input.translations),
        ),
        starts_at: new Date(input.startsAt),
        ends_at: new Date(input.endsAt),
        location: input.location ?? '',
        online_url: input.onlineUrl ?? '',
        capacity: input.capacity ?? null,
        visibility: input.visibility,
        group_id: input.groupId ?? null,
        topics: input.topics ?? [],
        sequence: e.sequence + 1,
        updated_at: new Date(),
      })
      .where('municipality_code', '=', ELVL)
      .where('id', '=', id)
      .execute();
    const updated = (await eventById(trx, id))!;
    const promoted = await promoteFromWaitlist(ctx, trx, updated);
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: organiser.personId,
      action: 'community.event.updated',
      subject: `event:${id}`,
      details: { capacity: input.capacity ?? null, promoted: promoted.length },
    });
    return { id, promoted: promoted.length };
  });
}

/** Cancels an event and tells everyone registered or waiting. */
export async function cancelEvent(ctx: AppContext, actor: Actor, id: string) {
  const organiser = requireOrganiser(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: organiser.personId }, async (trx) => {
    const e = await eventById(trx, id, true);
    if (!e) throw notFound(`Event ${id}`);
    if (e.status === 'cancelled') return { id, status: 'cancelled' };
    await trx
      .updateTable('community_event')
      .set({ status: 'cancelled', sequence: e.sequence + 1, updated_at: new Date() })
      .where('municipality_code', '=', ELVL)
      .where('id', '=', id)
      .execute();
    const people = await trx
      .selectFrom('community_registration')
      .select('person_id')
      .where('municipality_code', '=', ELVL)
      .where('event_id', '=', id)
      .where('status', 'in', ['registered', 'waitlisted'])
      .execute();
    for (const p of people)
      await ctx.jobs.sendInTx(trx, NOTIFY_JOB, { eventId: id, personId: p.person_id, kind: 'cancelled' });
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: organiser.personId,
      action: 'community.event.cancelled',
      subject: `event:${id}`,
      details: { told: people.length },
    });
    return { id, status: 'cancelled' };
  });
}

/** Materials afterwards (slides, recordings): links (organisers). */
export async function addMaterial(ctx: AppContext, actor: Actor, eventId: string, m: { title: string; url: string }) {
  const organiser = requireOrganiser(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: organiser.personId }, async (trx) => {
    if (!(await eventById(trx, eventId))) throw notFound(`Event ${eventId}`);
    const row = await trx
      .insertInto('community_material')
      .values({
        municipality_code: ELVL,
        event_id: eventId,
        title: m.title,
        url: m.url,
        added_by: organiser.personId,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: organiser.personId,
      action: 'community.material.added',
      subject: `event:${eventId}`,
      details: { title: m.title },
    });
    return { id: row.id, title: m.title, url: m.url };
  });
}

/** Participants of an event (organisers): for attendance. */
export async function listParticipants(ctx: AppContext, actor: Actor, eventId: string) {
  const organiser = requireOrganiser(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: organiser.personId }, async (trx) => {
    if (!(await eventById(trx, eventId))) throw notFound(`Event ${eventId}`);
    const rows = await trx
      .selectFrom('community_registration as r')
      .innerJoin('person as p', 'p.id', 'r.person_id')
      .select([
        'r.person_id',
        'r.status',
        'r.queue_seq',
        'r.attended',
        'r.participant_municipality',
        'p.given_name',
        'p.family_name',
      ])
      .where('r.municipality_code', '=', ELVL)
      .where('r.event_id', '=', eventId)
      .orderBy('r.queue_seq')
      .execute();
    return rows.map((r) => ({
      personId: r.person_id,
      name: [r.given_name, r.family_name].filter(Boolean).join(' ') || '—',
      municipality: r.participant_municipality,
      status: r.status,
      attended: r.attended,
    }));
  });
}
