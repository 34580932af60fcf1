import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database';
import * as bb from '../ballotBox';
import { loadCouncil, loadSitting, personName, presentMembers, quorumRule } from './access';
import type { RecordKind } from './store';
import { decide, hasQuorum, quorumNeeded, type MajorityRule } from './rules';
import { ruleOf } from './getSitting';

/**
 * The public state of a sitting as the live view shows it, in parts that change separately
 * (so that a change sends only its part to thousands of viewers). Everything here is public:
 * members' own state comes from `getMyPlace`.
 */
export async function loadState(trx: Trx, code: string, sittingId: string) {
  const s = await loadSitting(trx, code, sittingId);
  const council = await loadCouncil(trx, code, s.council_id);
  const vote = await trx
    .selectFrom('council_vote')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  let current = null;
  if (vote) {
    const candidates =
      vote.kind === 'secret'
        ? await trx
            .selectFrom('council_vote_candidate as vc')
            .innerJoin('council_candidate as cd', (j) =>
              j.onRef('cd.municipality_code', '=', 'vc.municipality_code').onRef('cd.id', '=', 'vc.candidate_id'),
            )
            .select(['cd.id', 'cd.name'])
            .where('vc.municipality_code', '=', code)
            .where('vc.vote_id', '=', vote.id)
            .orderBy('cd.position')
            .execute()
        : [];
    current = {
      id: vote.id,
      number: vote.number,
      itemId: vote.item_id,
      kind: vote.kind,
      question: vote.question,
      rule: ruleOf(vote),
      openedAt: vote.opened_at.toISOString(),
      candidates,
      ...(await loadProgress(trx, code, sittingId, s.council_id, vote)),
    };
  }
  return {
    sitting: {
      id: s.id,
      number: s.number,
      title: s.title,
      status: s.status,
      format: s.format,
      startsAt: new Date(s.starts_at).toISOString(),
      place: s.place,
      // The members' e-meeting link never goes out on the public stream (GET …/sittings/{id} gives it to members).
      link: null,
      currentItemId: s.current_item_id,
      openedAt: s.opened_at ? new Date(s.opened_at).toISOString() : null,
      closedAt: s.closed_at ? new Date(s.closed_at).toISOString() : null,
    },
    council: {
      id: council.id,
      name: council.name,
      seats: council.seats,
      quorum: {
        num: council.quorum_num,
        den: council.quorum_den,
        needed: quorumNeeded(council.seats, quorumRule(council)),
      },
    },
    vote: current,
  };
}

/** How many have voted so far, and how many may (present, acting, not recused). Never how. */
export async function loadProgress(
  trx: Trx,
  code: string,
  sittingId: string,
  councilId: string,
  vote: { id: string; kind: string; item_id: string; ballot_box_id: string | null },
) {
  const voted =
    vote.kind === 'open'
      ? Number(
          (
            await trx
              .selectFrom('council_open_ballot')
              .select(sql<number>`count(*)`.as('n'))
              .where('municipality_code', '=', code)
              .where('vote_id', '=', vote.id)
              .executeTakeFirstOrThrow()
          ).n,
        )
      : (await bb.turnout(trx as unknown as Trx, { municipalityCode: code, boxId: vote.ballot_box_id! })).voters;
  const eligible = await presentMembers(trx, code, sittingId, councilId)
    .leftJoin('council_recusal as r', (j) =>
      j
        .onRef('r.municipality_code', '=', 'a.municipality_code')
        .onRef('r.member_id', '=', 'a.member_id')
        .on('r.item_id', '=', vote.item_id),
    )
    .select(sql<number>`count(*)`.as('n'))
    .where('r.member_id', 'is', null)
    .executeTakeFirstOrThrow();
  return { voteId: vote.id, voted, eligible: Number(eligible.n) };
}

/** Who is present (acting members), and the quorum. */
export async function loadAttendance(trx: Trx, code: string, sittingId: string) {
  const s = await loadSitting(trx, code, sittingId);
  const council = await loadCouncil(trx, code, s.council_id);
  const rows = await presentMembers(trx, code, sittingId, s.council_id).select(['a.member_id', 'a.mode']).execute();
  const present = rows.length;
  const rule = quorumRule(council);
  return {
    present,
    needed: quorumNeeded(council.seats, rule),
    seats: council.seats,
    hasQuorum: hasQuorum(present, council.seats, rule),
    here: Object.fromEntries(rows.map((r) => [r.member_id, r.mode])),
  };
}

/** The acting members (names, factions, offices) — changes only with the composition. */
export async function loadRoster(trx: Trx, code: string, sittingId: string) {
  const s = await loadSitting(trx, code, sittingId);
  const rows = await trx
    .selectFrom('council_member as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .leftJoin('council_faction as f', (j) =>
      j.onRef('f.municipality_code', '=', 'm.municipality_code').onRef('f.id', '=', 'm.faction_id'),
    )
    .select([
      'm.id',
      'm.office',
      'm.kind',
      'm.replaces_member_id',
      'm.status',
      'p.given_name',
      'p.family_name',
      'f.name as faction',
    ])
    .where('m.municipality_code', '=', code)
    .where('m.council_id', '=', s.council_id)
    .where('m.status', 'in', ['active', 'suspended'])
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: personName(r),
    faction: r.faction ?? null,
    office: r.office,
    status: r.status,
    substitute: r.replaces_member_id !== null,
  }));
}

/** Agenda items (titles, rules, candidates) and who has recused from which. */
export async function loadAgenda(trx: Trx, code: string, sittingId: string) {
  const items = await trx
    .selectFrom('council_agenda_item')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .orderBy('position')
    .execute();
  const ids = items.map((i) => i.id);
  const recusals = ids.length
    ? await trx
        .selectFrom('council_recusal')
        .select(['item_id', 'member_id'])
        .where('municipality_code', '=', code)
        .where('item_id', 'in', ids)
        .execute()
    : [];
  const candidates = ids.length
    ? await trx
        .selectFrom('council_candidate')
        .select(['id', 'item_id', 'name'])
        .where('municipality_code', '=', code)
        .where('item_id', 'in', ids)
        .orderBy('position')
        .execute()
    : [];
  return items.map((i) => ({
    id: i.id,
    position: i.position,
    title: i.title,
    kind: i.kind,
    isPublic: i.is_public,
    withdrawn: i.withdrawn,
    rule: ruleOf(i),
    recused: recusals.filter((r) => r.item_id === i.id).map((r) => r.member_id),
    candidates: candidates.filter((cd) => cd.item_id === i.id).map((cd) => ({ id: cd.id, name: cd.name })),
  }));
}

export type VoteResult = Awaited<ReturnType<typeof loadResults>>[number];

/** Closed votes with counts, the rule applied and (open votes) each member's vote. */
export async function loadResults(trx: Trx, code: string, sittingId: string, voteId?: string) {
  let q = trx
    .selectFrom('council_vote')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', sittingId)
    .where('status', '=', 'closed');
  if (voteId) q = q.where('id', '=', voteId);
  const votes = await q.orderBy('number').execute();
  const ids = votes.map((v) => v.id);
  const records = ids.length
    ? await trx
        .selectFrom('council_vote_record')
        .select(['vote_id', 'member_id', 'record'])
        .where('municipality_code', '=', code)
        .where('vote_id', 'in', ids)
        .execute()
    : [];
  const cands = ids.length
    ? await trx
        .selectFrom('council_vote_candidate as vc')
        .innerJoin('council_candidate as cd', (j) =>
          j.onRef('cd.municipality_code', '=', 'vc.municipality_code').onRef('cd.id', '=', 'vc.candidate_id'),
        )
        .select(['vc.vote_id', 'cd.id', 'cd.name', 'vc.votes', 'cd.position'])
        .where('vc.municipality_code', '=', code)
        .where('vc.vote_id', 'in', ids)
        .orderBy('cd.position')
        .execute()
    : [];
  return votes.map((v) => {
    const rule = ruleOf(v) as MajorityRule;
    const d = decide(
      { for: v.votes_for ?? 0, against: v.votes_against ?? 0, abstain: v.votes_abstain ?? 0 },
      v.seats,
      rule,
    );
    const rec: Record<string, RecordKind> = {};
    for (const r of records) if (r.vote_id === v.id) rec[r.member_id] = r.record;
    return {
      id: v.id,
      number: v.number,
      itemId: v.item_id,
      kind: v.kind,
      question: v.question,
      rule,
      seats: v.seats,
      presentAtStart: v.present_at_start,
      openedAt: v.opened_at.toISOString(),
      closedAt: v.closed_at ? new Date(v.closed_at).toISOString() : null,
      for: v.votes_for ?? 0,
      against: v.votes_against ?? 0,
      abstain: v.votes_abstain ?? 0,
      notVoted: v.not_voted ?? 0,
      recused: v.recused ?? 0,
      absent: v.absent ?? 0,
      outcome: v.outcome!,
      needed: d.needed,
      tie: v.kind === 'open' && rule.kind === 'cast' && d.tie,
      electedCandidateId: v.elected_candidate_id,
      candidates: cands
        .filter((cd) => cd.vote_id === v.id)
        .map((cd) => ({ id: cd.id, name: cd.name, votes: cd.votes ?? 0 })),
      records: rec,
    };
  });
}

export async function loadSnapshot(trx: Trx, code: string, sittingId: string) {
  return {
    state: await loadState(trx, code, sittingId),
    attendance: await loadAttendance(trx, code, sittingId),
    roster: await loadRoster(trx, code, sittingId),
    agenda: await loadAgenda(trx, code, sittingId),
    results: await loadResults(trx, code, sittingId),
  };
}
export type Snapshot = Awaited<ReturnType<typeof loadSnapshot>>;
