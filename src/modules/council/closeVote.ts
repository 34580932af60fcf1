import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, notFound } from '../../platform/http/problems';
import * as bb from '../ballotBox';
import { loadSitting, personName, requireOperator } from './access';
import { type RecordKind } from './store';
import { decide, decideElection, type MajorityRule } from './rules';
import { CP } from './problems';
import { notifySitting } from './notify';
import { ruleOf } from './getSitting';

/** Who could have voted: the acting members at close, and anyone whose ballot is in. */
async function standing(trx: Trx, code: string, councilId: string, sittingId: string, itemId: string) {
  const members = await trx
    .selectFrom('council_member')
    .select(['id', 'person_id', 'status'])
    .where('municipality_code', '=', code)
    .where('council_id', '=', councilId)
    .execute();
  const present = new Set(
    (
      await trx
        .selectFrom('council_attendance')
        .select('member_id')
        .where('municipality_code', '=', code)
        .where('sitting_id', '=', sittingId)
        .where('present', '=', true)
        .execute()
    ).map((r) => r.member_id),
  );
  const recused = new Set(
    (
      await trx
        .selectFrom('council_recusal')
        .select('member_id')
        .where('municipality_code', '=', code)
        .where('item_id', '=', itemId)
        .execute()
    ).map((r) => r.member_id),
  );
  return { members, present, recused };
}

/** The acting members present (and not recused) who have not voted in the open vote yet, by name. */
async function notVotedIn(
  trx: Trx,
  code: string,
  vote: { id: string; kind: string; ballot_box_id: string | null },
  who: Awaited<ReturnType<typeof standing>>,
): Promise<{ voted: number; notVoted: NotVoted[] }> {
  const { members, present, recused } = who;
  const voteId = vote.id;
  const t = trx;
  // Who of the acting members present (and not recused) has not voted yet.
  const votedIds =
    vote.kind === 'open'
      ? new Set(
          (
            await trx
              .selectFrom('council_open_ballot')
              .select('member_id')
              .where('municipality_code', '=', code)
              .where('vote_id', '=', voteId)
              .execute()
          ).map((b) => b.member_id),
        )
      : await (async () => {
          const persons = new Set(
            (await bb.participants(t, { municipalityCode: code, boxId: vote.ballot_box_id! })).map((p) => p.personId),
          );
          return new Set(members.filter((m) => persons.has(m.person_id)).map((m) => m.id));
        })();
  const waiting = members.filter(
    (m) => m.status === 'active' && present.has(m.id) && !recused.has(m.id) && !votedIds.has(m.id),
  );
  const names = waiting.length
    ? await trx
        .selectFrom('person')
        .select(['id', 'given_name', 'family_name'])
        .where(
          'id',
          'in',
          waiting.map((m) => m.person_id),
        )
        .execute()
    : [];
  const notVoted: NotVoted[] = waiting
    .map((m) => {
      const p = names.find((n) => n.id === m.person_id);
      return { memberId: m.id, name: p ? personName(p) : '—' };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'et'));
  return { voted: votedIds.size, notVoted };
}

function recordFor(
  memberId: string,
  voted: RecordKind | undefined,
  present: Set<string>,
  recused: Set<string>,
): RecordKind {
  if (voted) return voted;
  if (recused.has(memberId)) return 'recused';
  return present.has(memberId) ? 'not_voted' : 'absent';
}

/**
 * What closing the vote now would leave out, for the chair's confirmation: how many have voted and
 * who of the acting members present (not recused) has not. Chair and secretary only; nothing changes.
 */
export async function previewCloseVote(ctx: AppContext, actor: Actor, code: string, voteId: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (trx) => {
    const found = await trx
      .selectFrom('council_vote')
      .selectAll()
      .where('municipality_code', '=', code)
      .where('id', '=', voteId)
      .executeTakeFirst();
    if (!found) throw notFound(`Vote ${voteId}`);
    const s = await loadSitting(trx, code, found.sitting_id);
    await requireOperator(trx, actor, s);
    if (found.status !== 'open') throw new Problem(CP.voteClosed, `Vote no. ${found.number} is closed already`);
    const who = await standing(trx, code, s.council_id, s.id, found.item_id);
    return notVotedIn(trx, code, found, who);
  });
}

export interface CloseOptions {
  /**
   * The members present who had not voted when the chair confirmed: if that has changed since
   * (someone voted, arrived or left), the vote stays open and the answer is a 409 with the list now.
   */
  expectNotVoted?: string[];
}

export interface NotVoted {
  memberId: string;
  name: string;
}

/**
 * Closes the vote: waits for ballots in flight, counts, applies the rule copied at the start, and
 * records each member's part (their choice in an open vote; only "took part" in a secret one).
 * Recused members count neither for nor against and not as "did not vote".
 */
export async function closeVote(ctx: AppContext, actor: Actor, code: string, voteId: string, opts: CloseOptions = {}) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const found = await trx
      .selectFrom('council_vote')
      .select(['sitting_id'])
      .where('municipality_code', '=', code)
      .where('id', '=', voteId)
      .executeTakeFirst();
    if (!found) throw notFound(`Vote ${voteId}`);
    const s = await loadSitting(trx, code, found.sitting_id, 'update');
    const op = await requireOperator(trx, actor, s);
    const vote = await trx
      .selectFrom('council_vote')
      .selectAll()
      .where('municipality_code', '=', code)
      .where('id', '=', voteId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (vote.status !== 'open') throw new Problem(CP.voteClosed, `Vote no. ${vote.number} is closed already`);
    const rule = ruleOf(vote) as MajorityRule;
    const { members, present, recused } = await standing(trx, code, s.council_id, s.id, vote.item_id);
    if (opts.expectNotVoted) {
      const { notVoted } = await notVotedIn(trx, code, vote, { members, present, recused });
      const expected = new Set(opts.expectNotVoted);
      if (expected.size !== notVoted.length || notVoted.some((n) => !expected.has(n.memberId)))
        throw new Problem(
          CP.notVotedChanged,
          notVoted.length
            ? `${notVoted.length} member(s) present have not voted: ${notVoted.map((n) => n.name).join(', ')}`
            : 'Every member present has voted now',
          { notVoted },
        );
    }
    const records = new Map<string, RecordKind>();
    let result: {
      for: number;
      against: number;
      abstain: number;
      outcome: 'adopted' | 'rejected' | 'elected' | 'not_elected';
      elected: string | null;
      byCandidate?: Map<string, number>;
    };

    if (vote.kind === 'open') {
      const ballots = await trx
        .selectFrom('council_open_ballot')
        .select(['member_id', 'choice'])
        .where('municipality_code', '=', code)
        .where('vote_id', '=', voteId)
        .execute();
      const voted = new Map(ballots.map((b) => [b.member_id, b.choice as RecordKind]));
      const counts = { for: 0, against: 0, abstain: 0 };
      for (const b of ballots) counts[b.choice] += 1;
      for (const m of members)
        if (m.status === 'active' || voted.has(m.id))
          records.set(m.id, recordFor(m.id, voted.get(m.id), present, recused));
      const d = decide(counts, vote.seats, rule);
      result = { ...counts, outcome: d.passed ? 'adopted' : 'rejected', elected: null };
    } else {
      const ref = { municipalityCode: code, boxId: vote.ballot_box_id! };
      await bb.closeBox(ctx, t, ref);
      const tally = await bb.tallySelections(ctx, t, ref);
      // The result of a council vote is final when it closes: the ballots are kept for the
      // municipality's retention period (appeals), then destroyed.
      await bb.finaliseBox(ctx, t, ref);
      const tookPart = new Set((await bb.participants(t, ref)).map((p) => p.personId));
      const cands = await trx
        .selectFrom('council_vote_candidate as vc')
        .innerJoin('council_candidate as cd', (j) =>
          j.onRef('cd.municipality_code', '=', 'vc.municipality_code').onRef('cd.id', '=', 'vc.candidate_id'),
        )
        .select(['vc.candidate_id'])
        .where('vc.municipality_code', '=', code)
        .where('vc.vote_id', '=', voteId)
        .orderBy('cd.position')
        .execute();
      const byCandidate = new Map<string, number>();
      let chosen = 0;
      cands.forEach((cd, i) => {
        const n = tally.choices.get(i + 1)?.ballots ?? 0;
        byCandidate.set(cd.candidate_id, n);
        chosen += n;
      });
      const againstAll = tally.choices.get(0)?.ballots ?? 0;
      const abstain = tally.ballots - chosen - againstAll;
      const e = decideElection(byCandidate, againstAll, abstain, vote.seats, rule);
      const leaderVotes = e.leader ? byCandidate.get(e.leader)! : 0;
      for (const m of members) {
        const part = tookPart.has(m.person_id) ? ('took_part' as const) : undefined;
        if (m.status === 'active' || part) records.set(m.id, recordFor(m.id, part, present, recused));
      }
      for (const [id, n] of byCandidate) {
        await trx
          .updateTable('council_vote_candidate')
          .set({ votes: n })
          .where('municipality_code', '=', code)
          .where('vote_id', '=', voteId)
          .where('candidate_id', '=', id)
          .execute();
      }
      result = {
        for: leaderVotes,
        against: chosen + againstAll - leaderVotes,
        abstain,
        outcome: e.elected ? 'elected' : 'not_elected',
        elected: e.elected,
        byCandidate,
      };
    }
    const tallyOf = (k: RecordKind) => [...records.values()].filter((r) => r === k).length;
    const closedAt = new Date();
    await trx
      .updateTable('council_vote')
      .set({
        status: 'closed',
        closed_by: op.person.personId,
        closed_at: closedAt,
        votes_for: result.for,
        votes_against: result.against,
        votes_abstain: result.abstain,
        not_voted: tallyOf('not_voted'),
        recused: tallyOf('recused'),
        absent: tallyOf('absent'),
        outcome: result.outcome,
        elected_candidate_id: result.elected,
      })
      .where('municipality_code', '=', code)
      .where('id', '=', voteId)
      .execute();
    if (records.size) {
      await trx
        .insertInto('council_vote_record')
        .values(
          [...records].map(([memberId, record]) => ({
            municipality_code: code,
            vote_id: voteId,
            member_id: memberId,
            record,
          })),
        )
        .execute();
    }
    await appendAudit(t, {
      municipalityCode: code,
      actorId: op.person.personId,
      action: 'council.vote-closed',
      subject: `sitting:${s.id}`,
      details: {
        voteId,
        number: vote.number,
        kind: vote.kind,
        for: result.for,
        against: result.against,
        abstain: result.abstain,
        outcome: result.outcome,
      },
    });
    await notifySitting(ctx, trx, s.id, ['result', 'state'], { voteId });
    return {
      id: voteId,
      number: vote.number,
      outcome: result.outcome,
      for: result.for,
      against: result.against,
      abstain: result.abstain,
      electedCandidateId: result.elected,
      closedAt: closedAt.toISOString(),
    };
  });
}
