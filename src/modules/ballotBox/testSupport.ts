import { inScope } from '../../platform/db/database';
import type { AppContext } from '../../platform/context';
import { boxKey } from './keys';
import { openBallot } from './seal';
import { type BoxRef } from './store';

/**
 * For tests only: opens the counted ballots of a box whatever its state, as an auditor holding
 * the master key could (the product opens ballots only when counting a closed box).
 */
export async function openCountedBallots(ctx: AppContext, ref: BoxRef) {
  return inScope(ctx.db, { tenant: ref.municipalityCode }, async (trx) => {
    const rows = await trx
      .selectFrom('bb_ballot')
      .select(['receipt', 'sealed', 'content', 'channel'])
      .where('municipality_code', '=', ref.municipalityCode)
      .where('box_id', '=', ref.boxId)
      .where('status', '=', 'counted')
      .execute();
    const { key } = await boxKey(ctx, trx, ref);
    return rows.map((r) => {
      const c = r.sealed ? openBallot(key, { ...ref, receipt: r.receipt }, r.sealed) : { content: r.content };
      return {
        receipt: r.receipt,
        channel: r.channel,
        selections: c.selections ?? null,
        weights: c.weights ?? null,
        content: c.content,
      };
    });
  });
}
