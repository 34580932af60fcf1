import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, conflict, invalid } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { loadCouncil, loadSitting, presentCount, quorumRule, requireOperator, requireStatus } from './access';

import type { StartVoteInput } from './schemas';
import { hasQuorum, quorumNeeded } from './rules';
import { CP, noQuorum } from './problems';
import { notifySitting } from './notify';

/**
 * The chair (or secretary) starts a vote on an agenda item. It needs a quorum at that moment (the
 * problem says how many are present and needed). A decision item gets an open vote; an election
 * of persons a secret ballot through the platform's ballot box. The item's majority rule and the
 * council's size are copied onto the vote, so the result always shows the rule applied.
 */
export async function startVote(ctx: AppContext, actor: Actor, code: string, sittingId: string, input: StartVoteInput) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'update');
    const op = await requireOperator(trx, actor, s);
    requireStatus(s, ['open'], 'start a vote');
    const item = await trx
      .selectFrom('council_agenda_item')
      .selectAll()
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .where('id', '=', input.itemId)
      .executeTakeFirst();
    if (!item || item.withdrawn)
      throw invalid([{ pointer: '/body/itemId', detail: 'not an item on the agenda of this sitting' }]);
    const running = await trx
      .selectFrom('council_vote')
      .select(['id', 'number'])
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (running)
      throw new Problem(CP.voteInProgress, `Vote no. ${running.number} is still open; close it first`, {
        voteId: running.id,
      });
    const council = await loadCouncil(trx, code, s.council_id);
    const rule = quorumRule(council);
    const present = await presentCount(trx, code, sittingId, s.council_id);
    if (!hasQuorum(present, council.seats, rule))
      throw noQuorum(present, quorumNeeded(council.seats, rule), council.seats, rule);

    const kind = item.kind === 'election' ? 'secret' : 'open';
    let candidateIds: string[] = [];
    if (kind === 'secret') {
      const all = await trx
        .selectFrom('council_candidate')
        .select(['id'])
        .where('municipality_code', '=', code)
        .where('item_id', '=', item.id)
        .orderBy('position')
        .execute();
      candidateIds = input.candidateIds ?? all.map((x) => x.id);
      const known = new Set(all.map((x) => x.id));
      if (candidateIds.length === 0)
        throw conflict('An election needs at least one candidate; add them to the agenda item');
      if (candidateIds.some((id) => !known.has(id)) || new Set(candidateIds).size !== candidateIds.length)
        throw invalid([{ pointer: '/body/candidateIds', detail: 'must be distinct candidates of this item' }]);
    } else if (input.candidateIds) {
      throw invalid([{ pointer: '/body/candidateIds', detail: 'only an election has candidates' }]);
    }
    const n = await trx
      .selectFrom('council_vote')
      .select(sql<number>`coalesce(max(number), 0)`.as('n'))
      .where('municipality_code', '=', code)
      .where('sitting_id', '=', sittingId)
      .executeTakeFirstOrThrow();
    const question =
      input.question?.trim() ||
      (kind === 'secret'
        ? item.title
        : `${item.title}: ${item.draft_decision ? 'adopt the draft decision' : 'approve'}`);
    const vote = await trx
      .insertInto('council_vote')
      .values({
        municipality_code: code,
        sitting_id: sittingId,
        item_id: item.id,
        number: Number(n.n) + 1,
        kind,
        question,
        majority: item.majority,
        qualified_num: item.qualified_num,
        qualified_den: item.qualified_den,
        qualified_base: item.qualified_base,
        seats: council.seats,
        present_at_start: present,
        opened_by: op.person.personId,
        closed_by: null,
        closed_at: null,
        votes_for: null,
        votes_against: null,
        votes_abstain: null,
        not_voted: null,
        recused: null,
        absent: null,
        outcome: null,
        elected_candidate_id: null,
        ballot_box_id: null,
      })
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow();
    if (kind === 'secret') {
      // One choice at most: a candidate, "against all" (0), or none (abstain).
      const boxId = await bb.createBox(t, {
        municipalityCode: code,
        owner: `council.vote:${vote.id}`,
        maxSelections: 1,
      });
      await bb.openBox(ctx, t, { municipalityCode: code, boxId });
      await trx
        .updateTable('council_vote')
        .set({ ballot_box_id: boxId })
        .where('municipality_code', '=', code)
        .where('id', '=', vote.id)
        .execute();
      await trx
        .insertInto('council_vote_candidate')
        .values(
          candidateIds.map((id) => ({ municipality_code: code, vote_id: vote.id, candidate_id: id, votes: null })),
        )
        .execute();
    }
    await trx
      .updateTable('council_sitting')
      .set({ current_item_id: item.id })
      .where('municipality_code', '=', code)
      .where('id', '=', sittingId)
      .execute();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: op.person.personId,
      action: 'council.vote-started',
      subject: `sitting:${sittingId}`,
      details: { voteId: vote.id, number: vote.number, itemId: item.id, kind, present },
    });
    await notifySitting(ctx, trx, sittingId, ['state']);
    return { id: vote.id, number: vote.number, kind, question };
  });
}
