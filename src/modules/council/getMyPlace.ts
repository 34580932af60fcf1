import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { requirePerson } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import * as bb from '../ballotBox';
import { memberOfPerson, operatorRole, visibleSitting } from './access';

/**
 * The logged-in person's own place in a sitting: member or not, presence, recusals, and whether
 * they have voted in the vote in progress (their choice only for open votes; a secret ballot's
 * content is not known here). What a member's screen needs after a reconnect.
 */
export async function getMyPlace(ctx: AppContext, actor: Actor, code: string, sittingId: string) {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: code, actor: person.personId }, async (t) => {
    const trx = t;
    const s = await visibleSitting(trx, actor, code, sittingId);
    const operator = await operatorRole(trx, person, s);
    const m = await memberOfPerson(trx, code, s.council_id, person.personId);
    const acting = m?.status === 'active';
    const att = m
      ? await trx
          .selectFrom('council_attendance')
          .select(['present', 'mode'])
          .where('municipality_code', '=', code)
          .where('sitting_id', '=', sittingId)
          .where('member_id', '=', m.id)
          .executeTakeFirst()
      : undefined;
    const recusals = m
      ? await trx
          .selectFrom('council_recusal as r')
          .innerJoin('council_agenda_item as i', (j) =>
            j.onRef('i.municipality_code', '=', 'r.municipality_code').onRef('i.id', '=', 'r.item_id'),
          )
          .select('r.item_id')
          .where('r.municipality_code', '=', code)
          .where('r.member_id', '=', m.id)
          .where('i.sitting_id', '=', sittingId)
          .execute()
      : [];
    const vote = await trx
      .selectFrom('council_vote')
      .selectAll()
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    let currentVote = null;
    if (vote && m) {
      let voted: boolean;
      let choice: string | null = null;
      if (vote.kind === 'open') {
        const b = await trx
          .selectFrom('council_open_ballot')
          .select('choice')
          .where('municipality_code', '=', code)
          .where('vote_id', '=', vote.id)
          .where('member_id', '=', m.id)
          .executeTakeFirst();
        voted = Boolean(b);
        choice = b?.choice ?? null;
      } else {
        voted = Boolean(
          await bb.voterStatus(t, { municipalityCode: code, boxId: vote.ballot_box_id!, personId: person.personId }),
        );
      }
      const recused = recusals.some((r) => r.item_id === vote.item_id);
      const reason: 'not_member' | 'recused' | 'not_present' | null = !acting
        ? 'not_member'
        : recused
          ? 'recused'
          : !att?.present
            ? 'not_present'
            : null;
      currentVote = { id: vote.id, kind: vote.kind, voted, choice, canVote: reason === null, reason };
    }
    return {
      memberId: m?.id ?? null,
      mandate: m?.status ?? null,
      acting,
      operator,
      present: Boolean(att?.present),
      mode: att?.mode ?? null,
      recusedItemIds: recusals.map((r) => r.item_id),
      currentVote,
    };
  });
}
