import type { Trx } from '../../platform/db/database';
import { sql } from 'kysely';
import type { Actor, PersonActor } from '../../platform/auth/actor';
import { Problem, notFound } from '../../platform/http/problems';
import { CP } from './problems';
import * as policy from './policy';
import type { CouncilMemberTable, CouncilSittingTable, CouncilTable } from './store';
import type { Selectable } from 'kysely';
import type { QuorumRule } from './rules';

/**
 * Loaders shared by the council's use cases: the rows, and the facts about the actor and a sitting
 * that the capabilities in policy.ts decide on (who presides, who keeps the minutes, whose mandate).
 */
export type Council = Selectable<CouncilTable>;
export type Sitting = Selectable<CouncilSittingTable>;
export type Member = Selectable<CouncilMemberTable>;

export const quorumRule = (council: Council): QuorumRule => ({ num: council.quorum_num, den: council.quorum_den });

export async function loadCouncil(trx: Trx, code: string, councilId: string): Promise<Council> {
  const row = await trx
    .selectFrom('council')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('id', '=', councilId)
    .executeTakeFirst();
  if (!row) throw notFound(`Council ${councilId}`);
  return row;
}

/** The council whose term covers `on` (the latest term started by then), if any. */
export async function currentCouncil(trx: Trx, code: string, on: Date): Promise<Council | undefined> {
  const day = on.toISOString().slice(0, 10);
  return trx
    .selectFrom('council')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('term_start', '<=', day)
    .orderBy('term_start', 'desc')
    .executeTakeFirst()
    .then(
      async (r) =>
        r ??
        (await trx
          .selectFrom('council')
          .selectAll()
          .where('municipality_code', '=', code)
          .orderBy('term_start', 'asc')
          .executeTakeFirst()),
    );
}

/** The sitting; `lock` serialises changes of its state (votes, attendance). */
export async function loadSitting(
  trx: Trx,
  code: string,
  sittingId: string,
  lock?: 'update' | 'share',
): Promise<Sitting> {
  let q = trx
    .selectFrom('council_sitting')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('id', '=', sittingId);
  if (lock === 'update') q = q.forUpdate();
  if (lock === 'share') q = q.forShare();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`Sitting ${sittingId}`);
  return row;
}

/** Whether the public may see the sitting (published at some point). */
export const isPublicSitting = (s: Sitting) => s.published_at !== null && s.status !== 'draft';

/** A sitting as the actor may see it: public ones for everybody, drafts for managers and its operators. */
export async function visibleSitting(trx: Trx, actor: Actor, code: string, sittingId: string): Promise<Sitting> {
  const s = await loadSitting(trx, code, sittingId);
  if (isPublicSitting(s) || policy.isCouncilManager(actor, code)) return s;
  if (policy.seesUnpublishedSitting(actor, code, await operatorRole(trx, actor, s))) return s;
  throw notFound(`Sitting ${sittingId}`);
}

export async function memberOfPerson(
  trx: Trx,
  code: string,
  councilId: string,
  personId: string,
): Promise<Member | undefined> {
  return trx
    .selectFrom('council_member')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('council_id', '=', councilId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** The acting member (elected and active, or a substitute in a suspended member's place). */
export async function requireActingMember(
  trx: Trx,
  actor: Actor,
  code: string,
  councilId: string,
): Promise<{ person: PersonActor; member: Member }> {
  const member = actor.kind === 'person' ? await memberOfPerson(trx, code, councilId, actor.personId) : undefined;
  return policy.requireActingMember(actor, member);
}

export async function loadMember(trx: Trx, code: string, councilId: string, memberId: string): Promise<Member> {
  const m = await trx
    .selectFrom('council_member')
    .selectAll()
    .where('municipality_code', '=', code)
    .where('council_id', '=', councilId)
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!m) throw notFound(`Council member ${memberId}`);
  return m;
}

/** The member presiding the sitting: the one named on it, or the council's chair. */
export async function presidingMember(trx: Trx, s: Sitting): Promise<Member | undefined> {
  let q = trx
    .selectFrom('council_member')
    .selectAll()
    .where('municipality_code', '=', s.municipality_code)
    .where('council_id', '=', s.council_id);
  q = s.presiding_member_id ? q.where('id', '=', s.presiding_member_id) : q.where('office', '=', 'chair');
  return q.executeTakeFirst();
}

/** 'chair' if the actor presides the sitting, 'secretary' if they keep its minutes. */
export async function operatorRole(trx: Trx, actor: Actor, s: Sitting): Promise<policy.Operator | null> {
  if (actor.kind !== 'person') return null;
  return policy.operatorOf(actor, s, await presidingMember(trx, s));
}

/** The actor's operator role and mandate for the capabilities that weigh both (policy.isInsider). */
export async function standing(trx: Trx, actor: Actor, s: Sitting): Promise<policy.Standing> {
  if (actor.kind !== 'person') return { operator: null, mandate: null };
  const member = await memberOfPerson(trx, s.municipality_code, s.council_id, actor.personId);
  return { operator: await operatorRole(trx, actor, s), mandate: member?.status ?? null };
}

/** The sitting's chair or secretary (policy.requireOperator), or a 403. */
export async function requireOperator(
  trx: Trx,
  actor: Actor,
  s: Sitting,
): Promise<{ person: PersonActor; as: policy.Operator }> {
  return policy.requireOperator(actor, await operatorRole(trx, actor, s));
}

export function requireStatus(s: Sitting, allowed: Sitting['status'][], doing: string) {
  if (!allowed.includes(s.status))
    throw new Problem(CP.sittingState, `Cannot ${doing}: the sitting is ${s.status}`, { status: s.status });
}

/**
 * Acting members of the council registered present at the sitting (`a` attendance, `m` member):
 * the one definition of "present" behind the quorum, the attendance list and who may vote.
 */
export function presentMembers(trx: Trx, code: string, sittingId: string, councilId: string) {
  return trx
    .selectFrom('council_attendance as a')
    .innerJoin('council_member as m', (j) =>
      j.onRef('m.municipality_code', '=', 'a.municipality_code').onRef('m.id', '=', 'a.member_id'),
    )
    .where('a.municipality_code', '=', code)
    .where('a.sitting_id', '=', sittingId)
    .where('a.present', '=', true)
    .where('m.council_id', '=', councilId)
    .where('m.status', '=', 'active');
}

/** How many are present (presentMembers). */
export async function presentCount(trx: Trx, code: string, sittingId: string, councilId: string): Promise<number> {
  const r = await presentMembers(trx, code, sittingId, councilId)
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export const personName = (p: { given_name: string | null; family_name: string | null }) =>
  [p.given_name, p.family_name].filter(Boolean).join(' ') || '—';
