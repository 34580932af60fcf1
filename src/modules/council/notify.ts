import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';

/**
 * What changed in a sitting, published on commit through LISTEN/NOTIFY to every app node; each
 * node's live hub (live.ts) then reads the new state once and streams it to its viewers.
 *  state      the sitting itself, the current item, a vote started (small)
 *  attendance who is present, the quorum
 *  agenda     items, recusals, candidates, documents
 *  progress   a ballot was cast (only the number of members who have voted travels)
 *  result     a vote closed (`voteId`)
 *  roster     the council's composition changed (names, factions, substitutes)
 */
export type LiveKind = 'state' | 'attendance' | 'agenda' | 'progress' | 'result' | 'roster';

export const sittingTopic = (sittingId: string) => `council:${sittingId}`;

export async function notifySitting(
  ctx: AppContext,
  trx: Trx,
  sittingId: string,
  kinds: LiveKind[],
  extra: { voteId?: string } = {},
) {
  await ctx.events.publishInTx(trx as unknown as Trx, sittingTopic(sittingId), { k: kinds, ...extra });
}

/** A composition change reaches every sitting of the council that is open right now. */
export async function notifyCouncilOpenSittings(ctx: AppContext, trx: Trx, code: string, councilId: string) {
  const open = await trx
    .selectFrom('council_sitting')
    .select('id')
    .where('municipality_code', '=', code)
    .where('council_id', '=', councilId)
    .where('status', 'in', ['published', 'open'])
    .execute();
  for (const s of open) await notifySitting(ctx, trx, s.id, ['roster', 'attendance']);
}
