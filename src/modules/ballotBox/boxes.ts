import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';
import { countBox } from './count';
import { boxKey } from './keys';
import { ballotCount, boxRow, insertBox, lockBoxExclusive, updateBox, type BoxRef, type BoxState } from './store';

export interface BoxView {
  id: string;
  owner: string;
  state: BoxState;
  opensAt: Date | null;
  closesAt: Date | null;
  closedAt: Date | null;
  /** When the results became final (the retention period runs from then). */
  finalAt: Date | null;
  /** When the sealed ballots' key will be destroyed (crypto-shredding), once results are final. */
  destroyAfter: Date | null;
  /** When it was destroyed: the ballots can no longer be opened by anyone. */
  keysDestroyedAt: Date | null;
}

export interface BoxOptions {
  /** The most choices one ballot can make: every sealed ballot of the box is padded to it. */
  maxSelections?: number;
  /** Keep whole ballots (choices in random order, no slot or receipt) after counting, for exports. */
  keepSets?: boolean;
}

export async function createBox(
  trx: Trx,
  b: { municipalityCode: string; owner: string; opensAt?: Date | null; closesAt?: Date | null } & BoxOptions,
): Promise<string> {
  return insertBox(trx, {
    municipalityCode: b.municipalityCode,
    owner: b.owner,
    opensAt: b.opensAt ?? null,
    closesAt: b.closesAt ?? null,
    maxSelections: clampSelections(b.maxSelections),
    keepSets: b.keepSets ?? false,
  });
}

const clampSelections = (n: number | undefined) => Math.min(65535, Math.max(1, Math.floor(n ?? 16)));

export async function getBox(trx: Trx, ref: BoxRef): Promise<BoxView | undefined> {
  const r = await boxRow(trx, ref);
  return r
    ? {
        id: r.id,
        owner: r.owner,
        state: r.state,
        opensAt: r.opens_at,
        closesAt: r.closes_at,
        closedAt: r.closed_at,
        finalAt: r.final_at,
        destroyAfter: r.destroy_after,
        keysDestroyedAt: r.keys_destroyed_at,
      }
    : undefined;
}

/**
 * Opens the box for casting within [opensAt, closesAt) (either may be null = unbounded), and
 * makes its data key if it has none. `maxSelections` (the ballot is final now) sets the padding.
 */
export async function openBox(
  ctx: AppContext,
  trx: Trx,
  ref: BoxRef & { opensAt?: Date | null; closesAt?: Date | null } & BoxOptions,
): Promise<void> {
  await sql`UPDATE bb_box SET state = 'open', opens_at = ${ref.opensAt ?? null}, closes_at = ${ref.closesAt ?? null},
                              max_selections = COALESCE(${ref.maxSelections === undefined ? null : clampSelections(ref.maxSelections)}::integer, max_selections),
                              keep_sets = COALESCE(${ref.keepSets ?? null}::boolean, keep_sets)
             WHERE municipality_code = ${ref.municipalityCode} AND id = ${ref.boxId} AND state <> 'closed'`.execute(
    trx,
  );
  await boxKey(ctx, trx, ref);
}

/** Changes the closing time of an open box (the owner decides whether that is allowed). */
export async function setClosingTime(trx: Trx, ref: BoxRef & { closesAt: Date }): Promise<void> {
  await lockBoxExclusive(trx, ref);
  await updateBox(trx, ref, { closes_at: ref.closesAt });
}

/**
 * Takes an open box back to "ready" (its owner unschedules the vote), only if no ballot is in it;
 * answers false otherwise. Casts in flight finish first (the box's lock).
 */
export async function withdrawBox(trx: Trx, ref: BoxRef): Promise<boolean> {
  await lockBoxExclusive(trx, ref);
  if ((await ballotCount(trx, ref)) > 0) return false;
  await sql`UPDATE bb_box SET state = 'ready' WHERE municipality_code = ${ref.municipalityCode} AND id = ${ref.boxId} AND state = 'open'`.execute(
    trx,
  );
  return true;
}

/**
 * Closes the box: waits for every cast in flight (they hold the box's lock in shared mode), then
 * refuses all later ones, and counts it (the ballots are opened in memory; counts, and whole
 * ballots in random order where the box keeps them, are written). After this commits, the
 * counted ballots are final.
 */
export async function closeBox(ctx: AppContext, trx: Trx, ref: BoxRef): Promise<void> {
  await lockBoxExclusive(trx, ref);
  await sql`UPDATE bb_box SET state = 'closed', closed_at = now()
             WHERE municipality_code = ${ref.municipalityCode} AND id = ${ref.boxId} AND state <> 'closed'`.execute(
    trx,
  );
  await countBox(ctx, trx, ref);
}
