import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import { boxKey } from './keys';
import { sealBallot, type SealedContent } from './seal';
import { type BoxRef } from './store';

/**
 * Ballots stored in the clear by versions before sealing: migration 0156 moved their content to
 * `bb_legacy_ballot` and rewrote `bb_ballot` without it. The application seals them at start-up
 * (it alone has the master key), box by box, then empties the holding table with TRUNCATE (a new
 * empty file; the old one is removed). Counting a box seals its own first, should it come first.
 */
export async function sealLegacyBallots(ctx: AppContext, trx: Trx, ref: BoxRef): Promise<number> {
  const rows = await trx
    .selectFrom('bb_legacy_ballot')
    .select(['receipt', 'content', 'selections', 'weights'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .execute();
  if (rows.length === 0) return 0;
  const { key, maxSelections } = await boxKey(ctx, trx, ref);
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const sealed = part.map((r) => {
      const c: SealedContent = r.selections
        ? { selections: r.selections.map(Number), weights: r.weights ? r.weights.map(Number) : null }
        : { content: r.content };
      return sealBallot(
        key,
        { municipalityCode: ref.municipalityCode, boxId: ref.boxId, receipt: r.receipt },
        c,
        maxSelections,
      );
    });
    await sql`UPDATE bb_ballot b SET sealed = t.s
                FROM unnest(${part.map((r) => r.receipt)}::text[], ${sealed}::bytea[]) AS t(r, s)
               WHERE b.municipality_code = ${ref.municipalityCode} AND b.box_id = ${ref.boxId} AND b.receipt = t.r
                 AND b.sealed IS NULL AND b.content IS NULL`.execute(trx);
  }
  await trx
    .deleteFrom('bb_legacy_ballot')
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .execute();
  // Counted before they were sealed? (Counting seals first, so this is for safety only.)
  await sql`UPDATE bb_box SET counted_at = NULL WHERE municipality_code = ${ref.municipalityCode} AND id = ${ref.boxId}`.execute(
    trx,
  );
  return rows.length;
}

/** The start-up pass: seals every legacy ballot, then empties the holding table. */
export async function sealAllLegacyBallots(ctx: AppContext): Promise<number> {
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    // One node at a time (several may start together).
    await sql`SELECT pg_advisory_xact_lock(1652, 0)`.execute(trx);
    const boxes = await trx.selectFrom('bb_legacy_ballot').select(['municipality_code', 'box_id']).distinct().execute();
    let n = 0;
    for (const b of boxes)
      n += await sealLegacyBallots(ctx, trx, { municipalityCode: b.municipality_code, boxId: b.box_id });
    // Rows deleted box by box leave their old versions in the table's pages: TRUNCATE replaces the file.
    const size = await sql<{ n: number }>`SELECT pg_relation_size('bb_legacy_ballot') AS n`.execute(trx);
    if (boxes.length || Number(size.rows[0]!.n) > 0) await sql`TRUNCATE bb_legacy_ballot`.execute(trx);
    return n;
  });
}
