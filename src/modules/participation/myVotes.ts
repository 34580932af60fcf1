import type { AppContext } from '../../platform/context';
import { requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { Problem } from '../../platform/http/problems';
import { checkEligibility } from '../register';
import { viewOf } from './manageVotes';
import { findVote } from './store';
import { voterStatus } from '../ballotBox';
import type { MyVote } from './contract';

/**
 * "Votes I can take part in": every vote, in any municipality, that is collecting ideas or
 * nominations, upcoming or open, and whose electorate includes me (asked of the register module).
 */
export async function myVotes(ctx: AppContext, actor: Actor): Promise<MyVote[]> {
  const person = requirePerson(actor);
  const candidates = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('pv_vote')
      .select(['municipality_code', 'id'])
      .where('status', 'in', ['proposals', 'review', 'scheduled', 'open'])
      .where('electorate_id', 'is not', null)
      .where('closes_at', '>', ctx.now())
      .orderBy('closes_at')
      .limit(200)
      .execute(),
  );
  const out = [];
  for (const c of candidates) {
    const item = await inScope(ctx.db, { tenant: c.municipality_code, actor: person.personId }, async (trx) => {
      const v = (await findVote(trx, c.municipality_code, c.id))!;
      const e = await checkEligibility(ctx, trx, {
        municipalityCode: v.municipalityCode,
        electorateId: v.electorateId!,
        personId: person.personId,
        at: ctx.now(),
        purpose: 'vote-preview',
        reference: `vote:${v.id}`,
      }).catch((err) => {
        if (err instanceof Problem && err.status === 409) return { eligible: false as const };
        throw err;
      });
      if (!e.eligible) return null;
      const voted = await voterStatus(trx, {
        municipalityCode: v.municipalityCode,
        boxId: v.boxId,
        personId: person.personId,
      });
      // The list shape (MyVoteSchema): no ballot, rules or ballot box id; opening the vote gives those.
      const { ballot: _b, rules: _r, boxId: _x, ...rest } = viewOf(v, ctx.now());
      return { ...rest, voted: Boolean(voted), channel: voted?.channel ?? null };
    });
    if (item) out.push(item);
  }
  return out;
}

/** Votes of a municipality that are open now or collecting ideas or nominations (public). */
export async function openVotesIn(ctx: AppContext, municipalityCode: string) {
  const now = ctx.now();
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const ids = await trx
      .selectFrom('pv_vote')
      .select('id')
      .where('municipality_code', '=', municipalityCode)
      .where('status', 'in', ['proposals', 'scheduled', 'open'])
      .where('closes_at', '>', now)
      .orderBy('closes_at')
      .limit(50)
      .execute();
    const out = [];
    for (const { id } of ids) {
      const { ballot: _b, rules: _r, ...v } = viewOf((await findVote(trx, municipalityCode, id))!, now);
      if (v.phase === 'open' || v.phase === 'proposals') out.push(v);
    }
    return out;
  });
}
