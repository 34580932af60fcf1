import type { Trx } from '../../platform/db/database';
import { normaliseReceipt } from './receipts';
import { type BoxRef } from './store';

/** Who took part, and what became of receipts: never what anyone voted (safe while the box is open). */
export type ReceiptStatus = 'counted' | 'cancelled' | 'superseded' | 'unknown';

export interface Turnout {
  voters: number;
  internet: number;
  paper: number;
  bySettlement: { settlementCode: string | null; voters: number }[];
}

export async function turnout(trx: Trx, ref: BoxRef): Promise<Turnout> {
  const rows = await trx
    .selectFrom('bb_voter')
    .select(['settlement_code', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .groupBy(['settlement_code', 'channel'])
    .execute();
  const by = new Map<string | null, number>();
  let internet = 0;
  let paper = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (r.channel === 'paper') paper += n;
    else internet += n;
    by.set(r.settlement_code, (by.get(r.settlement_code) ?? 0) + n);
  }
  return {
    voters: internet + paper,
    internet,
    paper,
    bySettlement: [...by.entries()]
      .map(([settlementCode, voters]) => ({ settlementCode, voters }))
      .sort((a, b) => String(a.settlementCode).localeCompare(String(b.settlementCode))),
  };
}

/** Whether this person has voted (for the voter themselves: "you voted on …"; never the content). */
export async function voterStatus(
  trx: Trx,
  ref: BoxRef & { personId: string },
): Promise<{ channel: 'internet' | 'paper'; firstVotedAt: Date } | null> {
  const r = await trx
    .selectFrom('bb_voter')
    .select(['channel', 'first_voted_at'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('person_id', '=', ref.personId)
    .executeTakeFirst();
  return r ? { channel: r.channel, firstVotedAt: r.first_voted_at } : null;
}

/** Persons who took part (council sittings record who took part in a secret vote). */
export async function participants(
  trx: Trx,
  ref: BoxRef,
): Promise<{ personId: string; channel: 'internet' | 'paper' }[]> {
  const rows = await trx
    .selectFrom('bb_voter')
    .select(['person_id', 'channel'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, channel: r.channel }));
}

/** What became of a receipt: counted (or, while open, recorded to be counted), superseded, cancelled, unknown. */
export async function receiptStatus(trx: Trx, ref: BoxRef & { receipt: string }): Promise<ReceiptStatus> {
  const receipt = normaliseReceipt(ref.receipt);
  const cur = await trx
    .selectFrom('bb_ballot')
    .select('status')
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('receipt', '=', receipt)
    .executeTakeFirst();
  if (cur) return cur.status === 'counted' ? 'counted' : 'cancelled';
  const old = await trx
    .selectFrom('bb_receipt_history')
    .select('status')
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('receipt', '=', receipt)
    .executeTakeFirst();
  return old ? old.status : 'unknown';
}
