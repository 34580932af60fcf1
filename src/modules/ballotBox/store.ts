import { sql, type Generated } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';

/** The ballot box's tables (migrations 0150, 0156) and its named queries. */
export type BoxState = 'ready' | 'open' | 'closed';
export type Channel = 'internet' | 'paper' | 'import';

declare module '../../platform/db/tables' {
  interface KovTables {
    bb_box: {
      municipality_code: string;
      id: string;
      owner: string;
      state: BoxState;
      opens_at: Date | null;
      closes_at: Date | null;
      created_at: Date;
      closed_at: Date | null;
      key_id: string | null;
      wrapped_key: Buffer | null;
      max_selections: number;
      keep_sets: boolean;
      counted_at: Date | null;
      counted_internet: number | null;
      counted_paper: number | null;
      counted_import: number | null;
      final_at: Date | null;
      destroy_after: Date | null;
      keys_destroyed_at: Date | null;
    };
    bb_voter: {
      municipality_code: string;
      box_id: string;
      person_id: string;
      settlement_code: string | null;
      channel: 'internet' | 'paper';
      first_voted_at: Date;
      paper_recorded_at: Date | null;
      paper_recorded_by: string | null;
    };
    bb_ballot: {
      municipality_code: string;
      box_id: string;
      slot: Buffer;
      receipt: string;
      channel: Channel;
      status: 'counted' | 'cancelled';
      format: string;
      /** Only what the box's owner declared not secret (e.g. the tracker of an encrypted ballot). */
      content: Json<unknown> | null;
      sealed: Buffer | null;
    };
    bb_receipt_history: {
      municipality_code: string;
      box_id: string;
      receipt: string;
      status: 'superseded' | 'cancelled';
    };
    bb_tally: { municipality_code: string; box_id: string; choice: number; ballots: number; points: number };
    bb_ballot_set: {
      municipality_code: string;
      box_id: string;
      n: number;
      selections: number[];
      weights: number[] | null;
    };
    bb_retention: { municipality_code: string; days: number; updated_at: Generated<Date>; updated_by: string | null };
    bb_legacy_ballot: {
      municipality_code: string;
      box_id: string;
      receipt: string;
      format: string;
      content: Json<unknown> | null;
      selections: number[] | null;
      weights: number[] | null;
    };
  }
}

export interface BoxRef {
  municipalityCode: string;
  boxId: string;
}

export async function insertBox(
  trx: Trx,
  b: {
    municipalityCode: string;
    owner: string;
    opensAt: Date | null;
    closesAt: Date | null;
    maxSelections: number;
    keepSets: boolean;
  },
): Promise<string> {
  const row = await sql<{ id: string }>`
    INSERT INTO bb_box (municipality_code, owner, opens_at, closes_at, max_selections, keep_sets)
    VALUES (${b.municipalityCode}, ${b.owner}, ${b.opensAt}, ${b.closesAt}, ${b.maxSelections}, ${b.keepSets})
    RETURNING id`.execute(trx);
  return row.rows[0]!.id;
}

export async function boxRow(trx: Trx, ref: BoxRef, opts: { forUpdate?: boolean } = {}) {
  let q = trx
    .selectFrom('bb_box')
    .selectAll()
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function boxKeyRow(trx: Trx, ref: BoxRef) {
  return trx
    .selectFrom('bb_box')
    .select(['key_id', 'wrapped_key', 'max_selections', 'keys_destroyed_at'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId)
    .executeTakeFirst();
}

/** Stores a box's first wrapped data key; a key stored meanwhile by another process wins. */
export async function storeWrappedKey(trx: Trx, ref: BoxRef, keyId: string, wrapped: Buffer): Promise<void> {
  await trx
    .updateTable('bb_box')
    .set({ key_id: keyId, wrapped_key: wrapped })
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId)
    .where('wrapped_key', 'is', null)
    .where('keys_destroyed_at', 'is', null)
    .execute();
}

export async function updateBox(trx: Trx, ref: BoxRef, set: { closes_at?: Date | null }): Promise<number> {
  const r = await trx
    .updateTable('bb_box')
    .set(set)
    .where('municipality_code', '=', ref.municipalityCode)
    .where('id', '=', ref.boxId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Waits for every cast in flight (they hold the box's lock in shared mode), or blocks new ones. */
export async function lockBoxExclusive(trx: Trx, ref: BoxRef): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(1650, hashtext(${ref.boxId}::text))`.execute(trx);
}

export async function ballotCount(trx: Trx, ref: BoxRef, channel?: Channel): Promise<number> {
  let q = trx
    .selectFrom('bb_ballot')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId);
  if (channel) q = q.where('channel', '=', channel).where('status', '=', 'counted');
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function retentionDays(trx: Trx, municipalityCode: string): Promise<number | null> {
  const r = await trx
    .selectFrom('bb_retention')
    .select('days')
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  return r ? r.days : null;
}

export async function setRetentionDays(trx: Trx, municipalityCode: string, days: number, by: string | null) {
  await trx
    .insertInto('bb_retention')
    .values({ municipality_code: municipalityCode, days, updated_by: by, updated_at: sql<Date>`now()` })
    .onConflict((oc) =>
      oc.column('municipality_code').doUpdateSet({ days, updated_by: by, updated_at: sql<Date>`now()` }),
    )
    .execute();
}
