import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, invalid, notFound } from '../../platform/http/problems';
import { loadSitting, operatorRole, requireStatus, type Sitting } from './access';
import { canEditAgenda, isCouncilManager } from './policy';

import type { ItemInput, ItemUpdate, Majority } from './schemas';
import { validQualifiedFraction } from './rules';
import { logAgendaChange } from './sittings';
import { notifySitting } from './notify';

/** Managers prepare the agenda; once the sitting is open its chair and secretary may amend it too. */
async function requireEditor(trx: Trx, actor: Actor, code: string, s: Sitting) {
  const open = s.status === 'open';
  return canEditAgenda(
    actor,
    code,
    open,
    open && !isCouncilManager(actor, code) ? await operatorRole(trx, actor, s) : null,
  );
}

function majorityColumns(m: Majority, pointer: string) {
  if (m.kind === 'qualified') {
    if (!validQualifiedFraction(m.num, m.den))
      throw invalid([{ pointer, detail: 'a qualified majority is more than 1/2 and at most 1 (e.g. 2/3)' }]);
    return { majority: 'qualified' as const, qualified_num: m.num, qualified_den: m.den, qualified_base: m.base };
  }
  return { majority: m.kind, qualified_num: null, qualified_den: null, qualified_base: null };
}

async function itemsOf(trx: Trx, code: string, sittingId: string) {
  return trx
    .selectFrom('council_agenda_item')
    .select(['id', 'position'])
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .orderBy('position')
    .execute();
}

/** Puts `itemId` at `position` (1-based) and renumbers the rest 1..n. */
async function reorder(trx: Trx, code: string, sittingId: string, itemId: string, position: number) {
  const ids = (await itemsOf(trx, code, sittingId)).map((r) => r.id).filter((id) => id !== itemId);
  ids.splice(Math.min(Math.max(position, 1), ids.length + 1) - 1, 0, itemId);
  // Two steps so that no intermediate numbering matters (positions carry no unique constraint anyway).
  for (let i = 0; i < ids.length; i++) {
    await trx
      .updateTable('council_agenda_item')
      .set({ position: i + 1 })
      .where('municipality_code', '=', code)
      .where('id', '=', ids[i]!)
      .execute();
  }
}

async function replaceCandidates(
  trx: Trx,
  code: string,
  itemId: string,
  candidates: { name: string; personId?: string }[],
) {
  await trx
    .deleteFrom('council_candidate')
    .where('municipality_code', '=', code)
    .where('item_id', '=', itemId)
    .execute();
  if (candidates.length) {
    await trx
      .insertInto('council_candidate')
      .values(
        candidates.map((cd, i) => ({
          municipality_code: code,
          item_id: itemId,
          position: i + 1,
          name: cd.name.trim(),
          person_id: cd.personId ?? null,
        })),
      )
      .execute();
  }
}

async function hasVotes(trx: Trx, code: string, itemId: string) {
  return Boolean(
    await trx
      .selectFrom('council_vote')
      .select('id')
      .where('municipality_code', '=', code)
      .where('item_id', '=', itemId)
      .executeTakeFirst(),
  );
}

export async function addAgendaItem(ctx: AppContext, actor: Actor, code: string, sittingId: string, input: ItemInput) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    const by = await requireEditor(trx, actor, code, s);
    requireStatus(s, ['draft', 'published', 'open'], 'change the agenda');
    const cols = majorityColumns(input.majority, '/body/majority');
    const candidates = input.candidates ?? [];
    if (input.kind === 'decision' && candidates.length)
      throw invalid([{ pointer: '/body/candidates', detail: 'only an election item has candidates' }]);
    const count = (await itemsOf(trx, code, sittingId)).length;
    const row = await trx
      .insertInto('council_agenda_item')
      .values({
        municipality_code: code,
        sitting_id: sittingId,
        position: count + 1,
        title: input.title,
        description: input.description ?? '',
        draft_decision: input.draftDecision ?? '',
        rapporteur: input.rapporteur ?? '',
        kind: input.kind,
        is_public: input.isPublic ?? true,
        ...cols,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.position && input.position <= count) await reorder(trx, code, sittingId, row.id, input.position);
    await replaceCandidates(trx, code, row.id, candidates);
    await logAgendaChange(ctx, trx, s, by.personId, 'item.added', row.id, {
      title: input.title,
      position: input.position ?? count + 1,
    });
    await appendAudit(t, {
      municipalityCode: code,
      actorId: by.personId,
      action: 'council.item-added',
      subject: `sitting:${sittingId}`,
      details: { itemId: row.id, title: input.title },
    });
    await notifySitting(ctx, trx, sittingId, ['agenda']);
    return { id: row.id };
  });
}

/** Edits, moves or withdraws an item, or writes its note for the minutes. Rules freeze once a vote on the item exists. */
export async function updateAgendaItem(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  itemId: string,
  input: ItemUpdate,
) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    const by = await requireEditor(trx, actor, code, s);
    const item = await trx
      .selectFrom('council_agenda_item')
      .selectAll()
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .where('id', '=', itemId)
      .executeTakeFirst();
    if (!item) throw notFound(`Agenda item ${itemId}`);
    const onlyNote = Object.keys(input).every((k) => k === 'minutesNote');
    if (onlyNote) {
      const signed = await trx
        .selectFrom('council_minutes')
        .select('chair_signed_at')
        .where('municipality_code', '=', code)
        .where('sitting_id', '=', sittingId)
        .executeTakeFirst();
      if (signed?.chair_signed_at) throw conflict('The minutes are signed; their notes cannot change');
    } else {
      requireStatus(s, ['draft', 'published', 'open'], 'change the agenda');
    }
    const voted = await hasVotes(trx, code, itemId);
    if (voted && (input.majority || input.candidates || input.withdrawn))
      throw conflict(
        'A vote on this item exists: its majority rule and candidates are final and it cannot be withdrawn',
      );
    if (item.withdrawn && !onlyNote) throw conflict('The item has been withdrawn from the agenda');
    if (input.candidates && item.kind !== 'election')
      throw invalid([{ pointer: '/body/candidates', detail: 'only an election item has candidates' }]);
    const cols = input.majority ? majorityColumns(input.majority, '/body/majority') : {};
    const fields = {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.draftDecision !== undefined ? { draft_decision: input.draftDecision } : {}),
      ...(input.rapporteur !== undefined ? { rapporteur: input.rapporteur } : {}),
      ...(input.isPublic !== undefined ? { is_public: input.isPublic } : {}),
      ...(input.withdrawn ? { withdrawn: true } : {}),
      ...(input.minutesNote !== undefined ? { minutes_note: input.minutesNote } : {}),
      ...cols,
    };
    if (Object.keys(fields).length)
      await trx
        .updateTable('council_agenda_item')
        .set(fields)
        .where('municipality_code', '=', code)
        .where('id', '=', itemId)
        .execute();
    if (input.withdrawn && s.current_item_id === itemId) {
      await trx
        .updateTable('council_sitting')
        .set({ current_item_id: null })
        .where('municipality_code', '=', code)
        .where('id', '=', sittingId)
        .execute();
    }
    if (input.candidates) await replaceCandidates(trx, code, itemId, input.candidates);
    if (input.position !== undefined) await reorder(trx, code, sittingId, itemId, input.position);
    const action = input.withdrawn
      ? 'item.withdrawn'
      : input.position !== undefined && Object.keys(input).length === 1
        ? 'item.moved'
        : onlyNote
          ? 'item.note'
          : 'item.changed';
    if (!onlyNote)
      await logAgendaChange(ctx, trx, s, by.personId, action, itemId, {
        fields: Object.keys(input),
        ...(input.position !== undefined ? { position: input.position } : {}),
      });
    await appendAudit(t, {
      municipalityCode: code,
      actorId: by.personId,
      action: `council.${action.replace('.', '-')}`,
      subject: `sitting:${sittingId}`,
      details: { itemId, fields: Object.keys(input) },
    });
    await notifySitting(ctx, trx, sittingId, ['agenda', 'state']);
  });
}
