import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { requirePerson } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { Problem, notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { type OpenChoice } from './store';
import { CP } from './problems';
import { notifySitting } from './notify';
import { requireActingMember } from './policy';

const OPEN_CHOICES: readonly string[] = ['for', 'against', 'abstain'];

/**
 * Loads the vote with a shared lock (closing waits for ballots in flight) and, in the same round
 * trip, the voter's mandate, presence and recusal; then checks who may vote.
 */
async function eligibleVoter(trx: Trx, actor: Actor, code: string, voteId: string) {
  const person = requirePerson(actor);
  const row = await trx
    .selectFrom('council_vote as v')
    .innerJoin('council_sitting as s', (j) =>
      j.onRef('s.municipality_code', '=', 'v.municipality_code').onRef('s.id', '=', 'v.sitting_id'),
    )
    .leftJoin('council_member as m', (j) =>
      j
        .onRef('m.municipality_code', '=', 'v.municipality_code')
        .onRef('m.council_id', '=', 's.council_id')
        .on('m.person_id', '=', person.personId),
    )
    .leftJoin('council_attendance as a', (j) =>
      j
        .onRef('a.municipality_code', '=', 'v.municipality_code')
        .onRef('a.sitting_id', '=', 's.id')
        .onRef('a.member_id', '=', 'm.id'),
    )
    .leftJoin('council_recusal as r', (j) =>
      j
        .onRef('r.municipality_code', '=', 'v.municipality_code')
        .onRef('r.item_id', '=', 'v.item_id')
        .onRef('r.member_id', '=', 'm.id'),
    )
    .select([
      'v.id',
      'v.number',
      'v.kind',
      'v.status',
      'v.closed_at',
      'v.item_id',
      'v.sitting_id',
      'v.ballot_box_id',
      'm.id as member_id',
      'm.status as member_status',
      'a.present',
      'r.member_id as recused',
    ])
    .where('v.municipality_code', '=', code)
    .where('v.id', '=', voteId)
    .forShare('v')
    .executeTakeFirst();
  if (!row) throw notFound(`Vote ${voteId}`);
  if (row.status !== 'open')
    throw new Problem(
      CP.voteClosed,
      `Vote no. ${row.number} closed at ${row.closed_at ? new Date(row.closed_at).toISOString() : '—'}; the ballot was not counted`,
    );
  const { member } = requireActingMember(
    person,
    row.member_id && row.member_status ? { id: row.member_id, status: row.member_status } : undefined,
  );
  if (row.recused)
    throw new Problem(CP.recused, 'You have declared a conflict of interest on this item and cannot vote on it');
  if (!row.present) throw new Problem(CP.notPresent, 'Register your presence at the sitting before voting');
  return { vote: row, person, memberId: member.id, sittingId: row.sitting_id };
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
    const trx = t;
    const { vote, memberId, sittingId } = await eligibleVoter(trx, actor, code, voteId);
    if (vote.kind === 'open') {
      if (!OPEN_CHOICES.includes(choice))
        throw new Problem(CP.wrongBallot, 'An open vote takes for, against or abstain', {
          errors: [{ pointer: '/body/choice', detail: 'must be for, against or abstain' }],
        });
      const r = await trx
        .insertInto('council_open_ballot')
        .values({
          municipality_code: code,
          vote_id: voteId,
          member_id: memberId,
          choice: choice as OpenChoice,
          cast_at: new Date(),
        })
        .onConflict((oc) =>
          oc.columns(['municipality_code', 'vote_id', 'member_id']).doUpdateSet((eb) => ({
            choice: choice as OpenChoice,
            cast_at: new Date(),
            changes: eb('council_open_ballot.changes', '+', 1),
          })),
        )
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .executeTakeFirstOrThrow();
      if (r.inserted) await notifySitting(ctx, trx, sittingId, ['progress']);
      return { voteId, kind: 'open' as const, choice, replaced: !r.inserted, receipt: null };
    }
    const candidates = await trx
      .selectFrom('council_vote_candidate as vc')
      .innerJoin('council_candidate as cd', (j) =>
        j.onRef('cd.municipality_code', '=', 'vc.municipality_code').onRef('cd.id', '=', 'vc.candidate_id'),
      )
      .select(['vc.candidate_id', 'cd.position'])
      .where('vc.municipality_code', '=', code)
      .where('vc.vote_id', '=', voteId)
      .orderBy('cd.position')
      .execute();
    const selections = secretSelections(
      candidates.map((x) => x.candidate_id),
      choice,
    );
    if (!selections)
      throw new Problem(CP.wrongBallot, 'A secret vote takes one of its candidates, against, or abstain', {
        errors: [{ pointer: '/body/choice', detail: 'not a choice of this vote' }],
      });
    const first = !(await bb.voterStatus(t, {
      municipalityCode: code,
      boxId: vote.ballot_box_id!,
      personId: person.personId,
    }));
    const r = await bb.castBallot(ctx, t, {
      municipalityCode: code,
      boxId: vote.ballot_box_id!,
      personId: person.personId,
      settlementCode: null,
      ballot: { format: 'plain/1', selections },
    });
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
