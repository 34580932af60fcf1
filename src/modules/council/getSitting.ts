import { noticeOf } from './convocation';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import {
  currentCouncil,
  isPublicSitting,
  loadCouncil,
  memberOfPerson,
  operatorRole,
  personName,
  presidingMember,
  visibleSitting,
  type Sitting,
} from './access';
import { isCouncilManager, isInsider, seesUnpublishedSitting } from './policy';

export const ruleOf = (r: {
  majority: string;
  qualified_num: number | null;
  qualified_den: number | null;
  qualified_base: string | null;
}) =>
  r.majority === 'qualified'
    ? { kind: 'qualified' as const, num: r.qualified_num!, den: r.qualified_den!, base: r.qualified_base! }
    : { kind: r.majority as 'cast' | 'composition' };

export const summary = (s: Sitting) => ({
  id: s.id,
  councilId: s.council_id,
  number: s.number,
  title: s.title,
  format: s.format,
  startsAt: new Date(s.starts_at).toISOString(),
  place: s.place,
  link: s.link,
  status: s.status,
});

export async function loadItems(trx: Trx, code: string, sittingId: string) {
  return trx
    .selectFrom('council_agenda_item')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .orderBy('position')
    .execute();
}

/** The sitting with its agenda, documents and the record of agenda changes, as the actor may see it. */
export async function getSitting(ctx: AppContext, actor: Actor, code: string, sittingId: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await visibleSitting(trx, actor, code, sittingId);
    const council = await loadCouncil(trx, code, s.council_id);
    const manager = isCouncilManager(actor, code);
    const operator = await operatorRole(trx, actor, s);
    const me = actor.kind === 'person' ? await memberOfPerson(trx, code, s.council_id, actor.personId) : undefined;
    const insider = isInsider(actor, code, { operator, mandate: me?.status ?? null });
    const items = await loadItems(trx, code, sittingId);
    const ids = items.map((i) => i.id);
    const candidates = ids.length
      ? await trx
          .selectFrom('council_candidate')
          .select(['id', 'item_id', 'name', 'position'])
          .where('municipality_code', '=', code)
          .where('item_id', 'in', ids)
          .orderBy('position')
          .execute()
      : [];
    const docs = ids.length
      ? await trx
          .selectFrom('council_document as d')
          .innerJoin('stored_file as f', (j) =>
            j.onRef('f.municipality_code', '=', 'd.municipality_code').onRef('f.id', '=', 'd.file_id'),
          )
          .select(['d.id', 'd.item_id', 'd.title', 'd.is_public', 'd.uploaded_at', 'f.size_bytes', 'f.filename'])
          .where('d.municipality_code', '=', code)
          .where('d.item_id', 'in', ids)
          .orderBy('d.uploaded_at')
          .execute()
      : [];
    const chair = await presidingMember(trx, s);
    const chairPerson = chair
      ? await trx
          .selectFrom('person')
          .select(['given_name', 'family_name'])
          .where('id', '=', chair.person_id)
          .executeTakeFirst()
      : undefined;
    const secretary = s.secretary_id
      ? await trx
          .selectFrom('person')
          .select(['id', 'given_name', 'family_name'])
          .where('id', '=', s.secretary_id)
          .executeTakeFirst()
      : undefined;
    const changes = await trx
      .selectFrom('council_agenda_change')
      .select(['seq', 'at', 'action', 'item_id', 'details'])
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .$if(!insider, (q) => q.where('after_publication', '=', true))
      .orderBy('seq')
      .execute();
    return {
      ...summary(s),
      // The e-meeting link is for the members, the chair, the secretary and the managers only.
      link: insider ? s.link : null,
      councilName: council.name,
      presiding: chair && chairPerson ? { memberId: chair.id, name: personName(chairPerson) } : null,
      secretary: secretary ? { personId: secretary.id, name: personName(secretary) } : null,
      publishedAt: s.published_at ? new Date(s.published_at).toISOString() : null,
      openedAt: s.opened_at ? new Date(s.opened_at).toISOString() : null,
      closedAt: s.closed_at ? new Date(s.closed_at).toISOString() : null,
      notice: (({ days, deadline, met }) => ({ days, deadline: deadline.toISOString(), met }))(
        noticeOf(s, council.notice_days, ctx.now()),
      ),
      items: items.map((i) => {
        const restricted = !i.is_public && !insider;
        return {
          id: i.id,
          position: i.position,
          title: i.title,
          description: restricted ? '' : i.description,
          draftDecision: restricted ? '' : i.draft_decision,
          rapporteur: i.rapporteur,
          kind: i.kind,
          isPublic: i.is_public,
          withdrawn: i.withdrawn,
          majority: ruleOf(i),
          minutesNote: restricted ? '' : i.minutes_note,
          restricted,
          candidates: candidates
            .filter((cd) => cd.item_id === i.id)
            .map((cd) => ({ id: cd.id, name: cd.name, position: cd.position })),
          documents: restricted
            ? []
            : docs
                .filter((d) => d.item_id === i.id && (insider || d.is_public))
                .map((d) => ({
                  id: d.id,
                  title: d.title,
                  isPublic: d.is_public,
                  sizeBytes: d.size_bytes,
                  filename: d.filename,
                  uploadedAt: d.uploaded_at.toISOString(),
                })),
        };
      }),
      changes: changes.map((ch) => ({
        seq: ch.seq,
        at: ch.at.toISOString(),
        action: ch.action,
        itemId: ch.item_id,
        details: ch.details,
      })),
      you: { manager, operator, memberId: me?.status === 'active' ? me.id : null },
    };
  });
}

/** Sittings of the municipality's council: public ones for everybody, drafts too for managers. */
export async function listSittings(ctx: AppContext, actor: Actor, code: string, opts: { councilId?: string } = {}) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const council = opts.councilId
      ? await loadCouncil(trx, code, opts.councilId)
      : await currentCouncil(trx, code, ctx.now());
    if (!council) throw notFound(`A council of municipality ${code}`);
    const rows = await trx
      .selectFrom('council_sitting')
      .selectAll()
      .where('municipality_code', '=', code)
      .where('council_id', '=', council.id)
      .orderBy('starts_at', 'desc')
      .execute();
    const manager = isCouncilManager(actor, code);
    const visible: Sitting[] = [];
    for (const s of rows) {
      if (isPublicSitting(s) || manager || seesUnpublishedSitting(actor, code, await operatorRole(trx, actor, s)))
        visible.push(s);
    }
    return visible.map(summary);
  });
}
