import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { requirePerson } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import * as bb from '../ballotBox';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, conflict, notFound } from '../../platform/http/problems';
import { loadMember, loadSitting, operatorRole, requireActingMember, requireStatus } from './access';
import { canRecordRecusalOf } from './policy';

import { notifySitting } from './notify';
import { CP } from './problems';

/**
 * A member declares a conflict of interest on an agenda item (Anti-corruption Act §11): from then
 * on they cannot vote on it, and the minutes say so. The member declares it themself, or the chair
 * or secretary records it for them. It cannot be taken back, and it cannot be declared in the
 * middle of a vote the member has already voted in.
 */
export async function declareRecusal(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  itemId: string,
  input: { memberId?: string; reason?: string },
) {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: code, actor: person.personId }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'share');
    requireStatus(s, ['draft', 'published', 'open'], 'declare a recusal');
    let memberId: string;
    if (input.memberId) {
      const self = await trx
        .selectFrom('council_member')
        .select('id')
        .where('municipality_code', '=', code)
        .where('id', '=', input.memberId)
        .where('person_id', '=', person.personId)
        .executeTakeFirst();
      canRecordRecusalOf(person, Boolean(self), self ? null : await operatorRole(trx, person, s));
      const m = await loadMember(trx, code, s.council_id, input.memberId);
      if (m.status !== 'active') throw new Problem(CP.notAMember, `This mandate is ${m.status}`);
      memberId = m.id;
    } else {
      memberId = (await requireActingMember(trx, person, code, s.council_id)).member.id;
    }
    const item = await trx
      .selectFrom('council_agenda_item')
      .select(['id', 'withdrawn', 'title'])
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .where('id', '=', itemId)
      .executeTakeFirst();
    if (!item || item.withdrawn) throw notFound(`Agenda item ${itemId}`);
    const existing = await trx
      .selectFrom('council_recusal')
      .select(['declared_at'])
      .where('municipality_code', '=', code)
      .where('item_id', '=', itemId)
      .where('member_id', '=', memberId)
      .executeTakeFirst();
    if (existing) return { memberId, itemId, declaredAt: existing.declared_at.toISOString(), created: false };
    const running = await trx
      .selectFrom('council_vote')
      .select(['id', 'kind', 'ballot_box_id'])
      .where('municipality_code', '=', code)
      .where('item_id', '=', itemId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (running) {
      const votedOpen =
        running.kind === 'open' &&
        (await trx
          .selectFrom('council_open_ballot')
          .select('member_id')
          .where('municipality_code', '=', code)
          .where('vote_id', '=', running.id)
          .where('member_id', '=', memberId)
          .executeTakeFirst());
      const m = await loadMember(trx, code, s.council_id, memberId);
      const tookPart =
        running.kind === 'secret' && running.ballot_box_id
          ? await bb.voterStatus(t, { municipalityCode: code, boxId: running.ballot_box_id, personId: m.person_id })
          : null;
      if (votedOpen || tookPart)
        throw conflict(
          'This member has already voted in the vote in progress on this item; the recusal can be declared once it closes',
        );
    }
    const row = await trx
      .insertInto('council_recusal')
      .values({
        municipality_code: code,
        item_id: itemId,
        member_id: memberId,
        reason: input.reason?.trim() ?? '',
        declared_by: person.personId,
      })
      .returning('declared_at')
      .executeTakeFirstOrThrow();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: person.personId,
      action: 'council.recusal-declared',
      subject: `sitting:${sittingId}`,
      details: { itemId, memberId },
    });
    await notifySitting(ctx, trx, sittingId, ['agenda', 'state']);
    return { memberId, itemId, declaredAt: row.declared_at.toISOString(), created: true };
  });
}
