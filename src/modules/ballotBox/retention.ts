import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { appendAudit } from '../../platform/audit/audit';
import { inScope, type Trx } from '../../platform/db/database';
import { countBox } from './count';
import { canSeeRetention, canSetRetention } from './policy';
import { forgetBoxKey, keyringOf } from './keys';
import { unwrapKey, wrapKey } from './seal';
import { boxRow, retentionDays, setRetentionDays, type BoxRef } from './store';

/**
 * Crypto-shredding. When a box's results are final (its owner says so: a published vote, a closed
 * council vote), the retention period of its municipality starts (default 30 days: recounts and
 * appeals). When it has passed, the box is counted if it is not, and its wrapped data key is
 * deleted: the sealed ballots stay (receipts still check), but nothing can open them.
 *
 * A wrapped key deleted here still sits in backups and WAL archives taken before. What destroys
 * it there is the master key that wrapped it: `kov ballots rekey` re-wraps every live data key
 * under the newest master key; once the old master key is removed from the keyring (after the
 * backups made before the re-wrap have expired), no copy of a destroyed data key can be opened
 * anywhere. See docs/participation.md, "Sealing and crypto-shredding".
 */
export const DEFAULT_RETENTION_DAYS = 30;
export const SHRED_JOB = 'ballot-box.shred';

export async function retentionOf(trx: Trx, municipalityCode: string): Promise<number> {
  return (await retentionDays(trx, municipalityCode)) ?? DEFAULT_RETENTION_DAYS;
}

/** Admins of the municipality set its retention period (audited). */
export async function setRetention(ctx: AppContext, actor: Actor, municipalityCode: string, days: number) {
  const admin = canSetRetention(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    const before = await retentionOf(trx, municipalityCode);
    await setRetentionDays(trx, municipalityCode, days, admin.personId);
    await appendAudit(trx, {
      municipalityCode,
      actorId: admin.personId,
      action: 'ballot-box.retention.set',
      subject: `municipality:${municipalityCode}`,
      details: { from: before, to: days },
    });
    return { days };
  });
}

export async function getRetention(ctx: AppContext, actor: Actor, municipalityCode: string) {
  canSeeRetention(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => ({
    days: await retentionOf(trx, municipalityCode),
    defaultDays: DEFAULT_RETENTION_DAYS,
  }));
}

/**
 * The box's results are final: the ballots' key is destroyed when the municipality's retention
 * period has passed from now. The first call sets the date; later calls keep it.
 */
export async function finaliseBox(ctx: AppContext, trx: Trx, ref: BoxRef): Promise<Date> {
  await countBox(ctx, trx, ref);
  const days = await retentionOf(trx, ref.municipalityCode);
  const { rows } = await sql<{ destroy_after: Date }>`
    UPDATE bb_box SET final_at = COALESCE(final_at, now()),
                      destroy_after = COALESCE(destroy_after, now() + make_interval(days => ${days}))
     WHERE municipality_code = ${ref.municipalityCode} AND id = ${ref.boxId}
    RETURNING destroy_after`.execute(trx);
  return rows[0]!.destroy_after;
}

/** Destroys the data key of every box whose retention period has passed (job, daily and at start). */
export async function shredDueKeys(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const due = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('bb_box')
      .select(['municipality_code', 'id'])
      .where('destroy_after', '<=', now)
      .where('keys_destroyed_at', 'is', null)
      .execute(),
  );
  for (const b of due) await shredBox(ctx, { municipalityCode: b.municipality_code, boxId: b.id });
  return due.length;
}

async function shredBox(ctx: AppContext, ref: BoxRef): Promise<void> {
  await inScope(ctx.db, { tenant: ref.municipalityCode }, async (trx) => {
    const box = await boxRow(trx, ref, { forUpdate: true });
    if (!box || box.keys_destroyed_at || !box.destroy_after || box.destroy_after > ctx.now()) return;
    // What results and exports need is written before the key goes.
    await countBox(ctx, trx, ref);
    await sql`UPDATE bb_box SET wrapped_key = NULL, key_id = NULL, keys_destroyed_at = now()
               WHERE municipality_code = ${ref.municipalityCode} AND id = ${ref.boxId}`.execute(trx);
    await appendAudit(trx, {
      municipalityCode: ref.municipalityCode,
      actorId: null,
      action: 'ballot-box.keys-destroyed',
      subject: box.owner,
      details: { box: ref.boxId, finalAt: box.final_at, destroyAfter: box.destroy_after, masterKey: box.key_id },
    });
  });
  forgetBoxKey(ctx, ref);
}

// ---------------------------------------------------------------------------------------------
// Master keys: which are in use, and re-wrapping under the newest

export interface KeyUse {
  keyId: string;
  inKeyring: boolean;
  current: boolean;
  boxes: number;
}

/** Master keys that wrap live data keys, and the keyring's keys that wrap none (safe to retire). */
export async function masterKeyUse(ctx: AppContext): Promise<{ used: KeyUse[]; unused: string[] }> {
  const ring = keyringOf(ctx.config);
  const rows = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('bb_box')
      .select(['key_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('wrapped_key', 'is not', null)
      .groupBy('key_id')
      .execute(),
  );
  const used = rows.map((r) => ({
    keyId: r.key_id!,
    inKeyring: ring.byId.has(r.key_id!),
    current: r.key_id === ring.current.id,
    boxes: Number(r.n),
  }));
  const unused = [...ring.byId.keys()].filter((id) => id !== ring.current.id && !used.some((u) => u.keyId === id));
  return { used, unused };
}

/**
 * Checks at start-up that the keyring opens every live data key: a data key wrapped by a master
 * key that is missing, or that the key given does not open, stops the start with what is wrong.
 */
export async function checkMasterKeys(ctx: AppContext): Promise<void> {
  const ring = keyringOf(ctx.config);
  const rows = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{ municipality_code: string; id: string; key_id: string; wrapped_key: Buffer; n: number }>`
      SELECT DISTINCT ON (key_id) municipality_code, id, key_id, wrapped_key, count(*) OVER (PARTITION BY key_id) AS n
        FROM bb_box WHERE wrapped_key IS NOT NULL ORDER BY key_id, created_at DESC`.execute(trx),
  );
  const problems: string[] = [];
  for (const r of rows.rows) {
    const master = ring.byId.get(r.key_id);
    if (!master) {
      problems.push(
        `${r.n} ballot box(es) have their data key wrapped by master key ${r.key_id}, which is not in ${ring.source}`,
      );
      continue;
    }
    try {
      unwrapKey(master, { municipalityCode: r.municipality_code, boxId: r.id }, r.wrapped_key);
    } catch {
      problems.push(
        `the master key ${r.key_id} in ${ring.source} does not open the data key of ballot box ${r.id} (a wrong key, or the database was altered)`,
      );
    }
  }
  if (problems.length)
    throw new Error(
      `The ballot master keys do not fit this database, so sealed ballots could not be counted:\n  - ${problems.join('\n  - ')}`,
    );
}

/** Re-wraps every live data key under the newest master key (then older master keys can be retired). */
export async function rekey(ctx: AppContext): Promise<{ rewrapped: number }> {
  const ring = keyringOf(ctx.config);
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const rows = await trx
      .selectFrom('bb_box')
      .select(['municipality_code', 'id', 'key_id', 'wrapped_key'])
      .where('wrapped_key', 'is not', null)
      .where('key_id', '!=', ring.current.id)
      .forUpdate()
      .execute();
    for (const r of rows) {
      const master = ring.byId.get(r.key_id!);
      if (!master) throw new Error(`master key ${r.key_id} (box ${r.id}) is not in ${ring.source}`);
      const ref = { municipalityCode: r.municipality_code, boxId: r.id };
      const dataKey = unwrapKey(master, ref, r.wrapped_key!);
      await sql`UPDATE bb_box SET key_id = ${ring.current.id}, wrapped_key = ${wrapKey(ring.current.key, ref, dataKey)}
                 WHERE municipality_code = ${r.municipality_code} AND id = ${r.id}`.execute(trx);
    }
    return { rewrapped: rows.length };
  });
}
