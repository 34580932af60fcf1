import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, conflict, invalid } from '../../platform/http/problems';
import { loadCouncil, loadMember, loadSitting, requireOperator, requireStatus, type Sitting } from './access';
import { canManageCouncil } from './policy';

import type { SittingInput, SittingUpdate } from './schemas';
import { notifySitting } from './notify';
import { sendConvocation, tellAgendaChanged } from './convocation';
import { CP } from './problems';

/** Records a change of the sitting or its agenda (public on the agenda page once published). */
export async function logAgendaChange(
  ctx: AppContext,
  trx: Trx,
  s: Sitting,
  actorId: string | null,
  action: string,
  itemId: string | null,
  details: Record<string, unknown>,
) {
  // Members are told of changes to a published sitting before it opens (not of its own moves).
  if (!['sitting.publish', 'sitting.open', 'sitting.close'].includes(action))
    await tellAgendaChanged(ctx, trx, s, actorId, typeof details.title === 'string' ? details.title : null, ctx.now());
  await trx
    .insertInto('council_agenda_change')
    .values({
      municipality_code: s.municipality_code,
      sitting_id: s.id,
      item_id: itemId,
      action,
      details: JSON.stringify(details),
      after_publication: s.published_at !== null,
      actor_id: actorId,
    })
    .execute();
}

async function checkPlaceAndLink(format: string, place: string | null | undefined, link: string | null | undefined) {
  const errors: { pointer: string; detail: string }[] = [];
  if ((format === 'in_person' || format === 'hybrid') && !place?.trim())
    errors.push({
      pointer: '/body/place',
      detail: `a sitting held ${format === 'hybrid' ? 'partly ' : ''}in person needs a place`,
    });
  if ((format === 'virtual' || format === 'hybrid') && !link)
    errors.push({ pointer: '/body/link', detail: 'a virtual or hybrid sitting needs the link where it is held' });
  if (link && !/^https:\/\//i.test(link)) errors.push({ pointer: '/body/link', detail: 'must be an https:// address' });
  if (errors.length) throw invalid(errors);
}

async function checkPeople(
  trx: Trx,
  code: string,
  councilId: string,
  input: { secretaryId?: string | null; presidingMemberId?: string | null },
) {
  if (input.secretaryId) {
    const official = await trx
      .selectFrom('role_grant')
      .select('person_id')
      .where('municipality_code', '=', code)
      .where('person_id', '=', input.secretaryId)
      .where('role', 'in', ['admin', 'editor'])
      .executeTakeFirst();
    if (!official)
      throw invalid([
        {
          pointer: '/body/secretaryId',
          detail: 'the secretary must be an official (admin or editor) of the municipality',
        },
      ]);
  }
  if (input.presidingMemberId) {
    const m = await loadMember(trx, code, councilId, input.presidingMemberId).catch(() => undefined);
    if (!m || m.status !== 'active' || !m.office)
      throw invalid([
        {
          pointer: '/body/presidingMemberId',
          detail: 'the sitting is presided by the chair or a vice-chair of the council',
        },
      ]);
  }
}

/** Convenes a sitting (a draft until published). */
export async function createSitting(
  ctx: AppContext,
  actor: Actor,
  code: string,
  councilId: string,
  input: SittingInput,
) {
  const mgr = canManageCouncil(actor, code);
  await checkPlaceAndLink(input.format, input.place, input.link);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    await loadCouncil(trx, code, councilId);
    await sql`SELECT 1 FROM council WHERE municipality_code = ${code} AND id = ${councilId} FOR UPDATE`.execute(trx);
    await checkPeople(trx, code, councilId, input);
    const n = await trx
      .selectFrom('council_sitting')
      .select(sql<number>`coalesce(max(number), 0)`.as('n'))
      .where('municipality_code', '=', code)
      .where('council_id', '=', councilId)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('council_sitting')
      .values({
        municipality_code: code,
        council_id: councilId,
        number: Number(n.n) + 1,
        title: input.title,
        format: input.format,
        starts_at: input.startsAt,
        place: input.place?.trim() || null,
        link: input.link ?? null,
        presiding_member_id: input.presidingMemberId ?? null,
        secretary_id: input.secretaryId ?? null,
        current_item_id: null,
        opened_at: null,
        closed_at: null,
        published_at: null,
        created_by: mgr.personId,
      })
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.sitting-created',
      subject: `sitting:${row.id}`,
      details: { number: row.number, title: input.title, startsAt: input.startsAt },
    });
    return { id: row.id, number: row.number };
  });
}

/** Changes the time, place, link or people of a sitting before it is opened; recorded once published. */
export async function updateSitting(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  input: SittingUpdate,
) {
  const mgr = canManageCouncil(actor, code);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    requireStatus(s, ['draft', 'published'], 'change the sitting');
    const format = input.format ?? s.format;
    const place = input.place !== undefined ? input.place : s.place;
    const link = input.link !== undefined ? input.link : s.link;
    await checkPlaceAndLink(format, place, link);
    await checkPeople(trx, code, s.council_id, input);
    await trx
      .updateTable('council_sitting')
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        format,
        place: place?.trim() || null,
        link: link ?? null,
        ...(input.startsAt !== undefined ? { starts_at: input.startsAt } : {}),
        ...(input.secretaryId !== undefined ? { secretary_id: input.secretaryId } : {}),
        ...(input.presidingMemberId !== undefined ? { presiding_member_id: input.presidingMemberId } : {}),
      })
      .where('municipality_code', '=', code)
      .where('id', '=', sittingId)
      .execute();
    await logAgendaChange(ctx, trx, s, mgr.personId, 'sitting.changed', null, { fields: Object.keys(input) });
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.sitting-changed',
      subject: `sitting:${sittingId}`,
      details: { ...input },
    });
    await notifySitting(ctx, trx, sittingId, ['state']);
  });
}

/**
 * Moves a sitting along: publish (managers: the agenda becomes public), open and close (its chair
 * or secretary), cancel (managers, before it opens). A sitting closes only with no vote running.
 */
export async function changeSittingStatus(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  action: 'publish' | 'open' | 'close' | 'cancel',
) {
  const personId = actor.kind === 'person' ? actor.personId : undefined;
  return inScope(ctx.db, { tenant: code, actor: personId }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    const now = ctx.now();
    let by: string;
    let notice: { days: number; deadline: Date; met: boolean } | undefined;
    if (action === 'publish' || action === 'cancel') {
      by = canManageCouncil(actor, code).personId;
      requireStatus(
        s,
        action === 'publish' ? ['draft'] : ['draft', 'published'],
        action === 'publish' ? 'publish the sitting' : 'cancel the sitting',
      );
      if (action === 'publish') {
        const items = await trx
          .selectFrom('council_agenda_item')
          .select('id')
          .where('municipality_code', '=', code)
          .where('sitting_id', '=', sittingId)
          .where('withdrawn', '=', false)
          .executeTakeFirst();
        if (!items) throw conflict('Add at least one agenda item before publishing the sitting');
      }
      await trx
        .updateTable('council_sitting')
        .set(action === 'publish' ? { status: 'published', published_at: now } : { status: 'cancelled' })
        .where('municipality_code', '=', code)
        .where('id', '=', sittingId)
        .execute();
      if (action === 'publish') notice = await sendConvocation(ctx, trx, { ...s, status: 'published' }, by, now);
    } else {
      by = (await requireOperator(trx, actor, s)).person.personId;
      if (action === 'open') {
        requireStatus(s, ['published'], 'open the sitting');
        await trx
          .updateTable('council_sitting')
          .set({ status: 'open', opened_at: now })
          .where('municipality_code', '=', code)
          .where('id', '=', sittingId)
          .execute();
      } else {
        requireStatus(s, ['open'], 'close the sitting');
        const running = await trx
          .selectFrom('council_vote')
          .select('id')
          .where('municipality_code', '=', code)
          .where('sitting_id', '=', sittingId)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (running) throw new Problem(CP.voteInProgress, 'Close the vote in progress before closing the sitting');
        await trx
          .updateTable('council_sitting')
          .set({ status: 'closed', closed_at: now, current_item_id: null })
          .where('municipality_code', '=', code)
          .where('id', '=', sittingId)
          .execute();
      }
    }
    await logAgendaChange(
      ctx,
      trx,
      { ...s, published_at: action === 'publish' ? null : s.published_at },
      by,
      `sitting.${action}`,
      null,
      {},
    );
    await appendAudit(t, {
      municipalityCode: code,
      actorId: by,
      action: `council.sitting-${action}`,
      subject: `sitting:${sittingId}`,
      details: {},
    });
    await notifySitting(ctx, trx, sittingId, ['state', 'attendance']);
    return {
      status:
        action === 'publish' ? 'published' : action === 'open' ? 'open' : action === 'close' ? 'closed' : 'cancelled',
      ...(notice ? { notice: { days: notice.days, deadline: notice.deadline.toISOString(), met: notice.met } } : {}),
    };
  });
}

/** The chair or secretary moves the sitting to an agenda item (what the live view shows). */
export async function setCurrentItem(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  itemId: string | null,
) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    const op = await requireOperator(trx, actor, s);
    requireStatus(s, ['open'], 'move to an item');
    if (itemId) {
      const item = await trx
        .selectFrom('council_agenda_item')
        .select(['id', 'withdrawn'])
        .where('municipality_code', '=', code)
        .where('sitting_id', '=', sittingId)
        .where('id', '=', itemId)
        .executeTakeFirst();
      if (!item || item.withdrawn)
        throw invalid([{ pointer: '/body/itemId', detail: 'not an item on the agenda of this sitting' }]);
    }
    const running = await trx
      .selectFrom('council_vote')
      .select('item_id')
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (running && running.item_id !== itemId)
      throw new Problem(CP.voteInProgress, 'Close the vote in progress before moving to another item');
    await trx
      .updateTable('council_sitting')
      .set({ current_item_id: itemId })
      .where('municipality_code', '=', code)
      .where('id', '=', sittingId)
      .execute();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: op.person.personId,
      action: 'council.current-item',
      subject: `sitting:${sittingId}`,
      details: { itemId },
    });
    await notifySitting(ctx, trx, sittingId, ['state']);
  });
}
