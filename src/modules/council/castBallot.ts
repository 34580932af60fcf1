import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { requirePerson } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { Problem, notFound } from '../../platform/http/problems';
import * as bb from '../participation/ballotBox';
import { loadSitting, requireActingMember } from './access';
import { c, type CTrx, type OpenChoice } from './store';
import { CP } from './problems';
import { notifySitting } from './notify';

const OPEN_CHOICES: readonly string[] = ['for', 'against', 'abstain'];

/** Loads the vote (shared lock: closing waits for ballots in flight) and checks who may vote. */
async function eligibleVoter(trx: CTrx, actor: Actor, code: string, voteId: string) {
  const vote = await trx.selectFrom('council_vote').selectAll().where('municipality_code', '=', code).where('id', '=', voteId).forShare().executeTakeFirst();
  if (!vote) throw notFound(`Vote ${voteId}`);
  const s = await loadSitting(trx, code, vote.sitting_id);
  if (vote.status !== 'open') throw new Problem(CP.voteClosed, `Vote no. ${vote.number} closed at ${vote.closed_at ? new Date(vote.closed_at).toISOString() : '—'}; the ballot was not counted`);
  const { person, member } = await requireActingMember(trx, actor, code, s.council_id);
  const recused = await trx.selectFrom('council_recusal').select('member_id').where('municipality_code', '=', code).where('item_id', '=', vote.item_id).where('member_id', '=', member.id).executeTakeFirst();
  if (recused) throw new Problem(CP.recused, 'You have declared a conflict of interest on this item and cannot vote on it');
  const here = await trx.selectFrom('council_attendance').select('present').where('municipality_code', '=', code).where('sitting_id', '=', s.id).where('member_id', '=', member.id).executeTakeFirst();
  if (!here?.present) throw new Problem(CP.notPresent, 'Register your presence at the sitting before voting');
  return { vote, person, member, sittingId: s.id };
}

/**
 * A member votes. Open vote: for, against or abstain, changeable while the vote is open (the last
 * choice counts). Secret vote: a candidate, against all, or abstain, into the ballot box; this
 * module learns only that the member took part. Refused after the vote closed, for non-members,
 * for recused members and for members not registered present.
 */
export async function castBallot(ctx: AppContext, actor: Actor, code: string, voteId: string, choice: string) {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: code, actor: person.personId }, async (t) => {
    const trx = c(t);
    const { vote, member, sittingId } = await eligibleVoter(trx, actor, code, voteId);
    if (vote.kind === 'open') {
      if (!OPEN_CHOICES.includes(choice)) throw new Problem(CP.wrongBallot, 'An open vote takes for, against or abstain', { errors: [{ pointer: '/body/choice', detail: 'must be for, against or abstain' }] });
      const before = await trx.selectFrom('council_open_ballot').select('choice').where('municipality_code', '=', code).where('vote_id', '=', voteId).where('member_id', '=', member.id).executeTakeFirst();
      await trx
        .insertInto('council_open_ballot')
        .values({ municipality_code: code, vote_id: voteId, member_id: member.id, choice: choice as OpenChoice, cast_at: new Date() })
        .onConflict((oc) => oc.columns(['municipality_code', 'vote_id', 'member_id']).doUpdateSet((eb) => ({ choice: choice as OpenChoice, cast_at: new Date(), changes: eb('council_open_ballot.changes', '+', 1) })))
        .execute();
      if (!before) await notifySitting(ctx, trx, sittingId, ['progress']);
      return { voteId, kind: 'open' as const, choice, replaced: Boolean(before), receipt: null };
    }
    const candidates = await trx.selectFrom('council_vote_candidate as vc').innerJoin('council_candidate as cd', (j) => j.onRef('cd.municipality_code', '=', 'vc.municipality_code').onRef('cd.id', '=', 'vc.candidate_id')).select(['vc.candidate_id', 'cd.position']).where('vc.municipality_code', '=', code).where('vc.vote_id', '=', voteId).orderBy('cd.position').execute();
    const selections = secretSelections(candidates.map((x) => x.candidate_id), choice);
    if (!selections) throw new Problem(CP.wrongBallot, 'A secret vote takes one of its candidates, against, or abstain', { errors: [{ pointer: '/body/choice', detail: 'not a choice of this vote' }] });
    const first = !(await bb.voterStatus(t, { municipalityCode: code, boxId: vote.ballot_box_id!, personId: person.personId }));
    const r = await bb.castBallot(t, { municipalityCode: code, boxId: vote.ballot_box_id!, personId: person.personId, actorId: person.personId, settlementCode: null, ballot: { format: 'plain/1', content: {}, selections }, pseudonymKey: ctx.config.secrets.pseudonymKey });
    if (first) await notifySitting(ctx, trx, sittingId, ['progress']);
    return { voteId, kind: 'secret' as const, choice: null, replaced: r.replaced, receipt: r.receipt };
  });
}

/**
 * How a secret ballot is kept in the box: candidate k of the vote (in agenda order) is choice k,
 * "against all" is choice 0, and an abstention is a ballot with no choice.
 */
export function secretSelections(candidateIds: string[], choice: string): number[] | null {
  if (choice === 'abstain') return [];
  if (choice === 'against') return [0];
  const k = candidateIds.indexOf(choice);
  return k >= 0 ? [k + 1] : null;
}
