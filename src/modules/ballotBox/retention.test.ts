import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { testContext, makePerson, testConfig } from '../../../test/support/app';
import { ConfigError, parseKeyList } from '../../config';
import { inScope } from '../../platform/db/database';
import { Problem } from '../../platform/http/problems';
import * as bb from './index';
import { keyringOf } from './keys';
import { checkMasterKeys, masterKeyUse, rekey, shredDueKeys } from './retention';
import { unwrapKey } from './seal';

/**
 * Crypto-shredding and the master keys: after the retention period the data key is gone, the
 * sealed ballots cannot be opened (not even a copy of the wrapped key from an old backup, once the
 * master key that wrapped it is retired), and counts, receipts and kept ballots remain.
 */
const M = '0793';
const oldKey = parseKeyList(readFileSync(process.env.KOV_BALLOT_KEY_FILE!, 'utf8')).keys[0]!;
const { ctx, ownerUrl } = await testContext();
const q = async <T>(text: string, values: unknown[] = []) => {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
};
const scoped = <T>(fn: Parameters<typeof inScope<T>>[2]) => inScope(ctx.db, { tenant: M }, fn);

async function votedBox(keepSets: boolean) {
  const boxId = await scoped((trx) =>
    bb.createBox(trx, { municipalityCode: M, owner: `test:${Math.random()}`, keepSets }),
  );
  const ref = { municipalityCode: M, boxId };
  await scoped((trx) => bb.openBox(ctx, trx, ref));
  const receipts: string[] = [];
  for (const sel of [[1], [2], [1, 3]]) {
    const p = await makePerson(ctx);
    const r = await bb.castBallot(ctx, null, {
      ...ref,
      personId: p.id,
      settlementCode: null,
      ballot: { format: 'plain/1', selections: sel },
    });
    receipts.push(r.receipt);
  }
  await scoped((trx) => bb.closeBox(ctx, trx, ref));
  return { ref, receipts };
}

test('after the retention period the key is destroyed; counts, receipts and kept ballots remain', async () => {
  await q(
    `INSERT INTO bb_retention (municipality_code, days) VALUES ($1, 0) ON CONFLICT (municipality_code) DO UPDATE SET days = 0`,
    [M],
  );
  const kept = await votedBox(true);
  const notKept = await votedBox(false);
  const backup = await q<{ id: string; wrapped_key: Buffer }>(`SELECT id, wrapped_key FROM bb_box WHERE id = ANY($1)`, [
    [kept.ref.boxId, notKept.ref.boxId],
  ]);
  for (const b of [kept, notKept]) {
    const at = await scoped((trx) => bb.finaliseBox(ctx, trx, b.ref));
    assert.ok(at.getTime() <= Date.now() + 1000, 'zero days: due now');
  }
  assert.equal(await shredDueKeys(ctx), 2);
  assert.equal(await shredDueKeys(ctx), 0, 'once');
  const rows = await q<{ wrapped_key: Buffer | null; key_id: string | null; keys_destroyed_at: Date | null }>(
    `SELECT wrapped_key, key_id, keys_destroyed_at FROM bb_box WHERE id = ANY($1)`,
    [[kept.ref.boxId, notKept.ref.boxId]],
  );
  assert.ok(rows.every((r) => r.wrapped_key === null && r.key_id === null && r.keys_destroyed_at));
  const sealed = await q<{ n: number }>(
    `SELECT count(*)::int AS n FROM bb_ballot WHERE box_id = $1 AND sealed IS NOT NULL`,
    [kept.ref.boxId],
  );
  assert.equal(sealed[0]!.n, 3, 'the sealed ballots stay (their receipts still check)');

  // What results need is there.
  const t = await scoped((trx) => bb.tallySelections(ctx, trx, kept.ref));
  assert.deepEqual([...t.choices.keys()].sort(), [1, 2, 3]);
  assert.deepEqual(t.choices.get(1), { ballots: 2, points: 2 });
  assert.equal(await scoped((trx) => bb.receiptStatus(trx, { ...kept.ref, receipt: kept.receipts[0]! })), 'counted');
  assert.equal((await scoped((trx) => bb.ballotSets(ctx, trx, kept.ref))).length, 3, 'kept whole ballots remain');
  assert.deepEqual(await scoped((trx) => bb.ballotsTouching(ctx, trx, kept.ref, [[3], [2]])), [1, 1]);
  // Anything that needs the ballots themselves answers "destroyed on DATE".
  const today = new Date().toISOString().slice(0, 10);
  for (const attempt of [
    () => scoped((trx) => bb.ballotSets(ctx, trx, notKept.ref)),
    () =>
      scoped(async (trx) => {
        for await (const page of bb.countedBallots(ctx, trx, kept.ref)) void page;
      }),
  ])
    await assert.rejects(attempt(), (e: unknown) => {
      assert.ok(e instanceof Problem);
      assert.equal(e.status, 410);
      assert.match(e.detail, new RegExp(`destroyed on ${today}`));
      return true;
    });
  const audit = await q<{ action: string; subject: string }>(
    `SELECT action, subject FROM audit_log WHERE municipality_code = $1 AND action = 'ballot-box.keys-destroyed'`,
    [M],
  );
  assert.equal(audit.length, 2, 'each destruction is audited');

  // A copy of a wrapped data key in an old backup still opens with the master key that wrapped it …
  const ring = keyringOf(ctx.config);
  assert.doesNotThrow(() =>
    unwrapKey(ring.current.key, { municipalityCode: M, boxId: backup[0]!.id }, backup[0]!.wrapped_key),
  );
  // … until that master key is retired: a new key first, re-wrap the live data keys, drop the old one.
  const live = await votedBox(false);
  const newKey = randomBytes(32).toString('hex');
  const rotated = await testContext({ ownerUrl, env: { KOV_BALLOT_MASTER_KEYS: `${newKey},${oldKey}` }, jobs: false });
  const use = await masterKeyUse(rotated.ctx);
  assert.ok(
    use.used.some((u) => !u.current && u.inKeyring),
    'the old master key still wraps live data keys',
  );
  assert.ok((await rekey(rotated.ctx)).rewrapped >= 1);
  const after = await masterKeyUse(rotated.ctx);
  assert.ok(after.used.every((u) => u.current));
  assert.equal(after.unused.length, 1, 'the old master key wraps nothing now: it can be retired');
  const retired = await testContext({ ownerUrl, env: { KOV_BALLOT_MASTER_KEYS: newKey }, jobs: false });
  const newRing = keyringOf(retired.ctx.config);
  for (const b of backup)
    for (const key of newRing.byId.values())
      assert.throws(() => unwrapKey(key, { municipalityCode: M, boxId: b.id }, b.wrapped_key), /does not open/);
  // The live box counts with the new key alone.
  await q(`UPDATE bb_box SET counted_at = NULL WHERE id = $1`, [live.ref.boxId]);
  const liveTally = await inScope(retired.ctx.db, { tenant: M }, (trx) =>
    bb.tallySelections(retired.ctx, trx, live.ref),
  );
  assert.equal(liveTally.ballots, 3);
  await q(`DELETE FROM bb_retention WHERE municipality_code = $1`, [M]);
});

test('a missing or wrong master key stops the start with a clear message', async () => {
  await votedBox(false);
  const wrong = await testContext({
    ownerUrl,
    env: { KOV_BALLOT_MASTER_KEYS: randomBytes(32).toString('hex') },
    jobs: false,
    modules: [],
  });
  await assert.rejects(
    checkMasterKeys(wrong.ctx),
    /ballot box\(es\) have their data key wrapped by master key [0-9a-f]{16}, which is not in KOV_BALLOT_MASTER_KEYS/,
  );
  // Production without a key, or with a malformed one, does not start.
  const prod = {
    KOV_MODE: 'production',
    TARA_ISSUER: 'https://tara.ria.ee',
    TARA_CLIENT_ID: 'x',
    TARA_CLIENT_SECRET: 'y',
    KOV_PSEUDONYM_KEY: 'ab'.repeat(32),
  };
  assert.throws(
    () => testConfig({ ...prod, KOV_BALLOT_KEY_FILE: '' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /KOV_BALLOT_MASTER_KEYS or KOV_BALLOT_KEY_FILE is required in production/);
      return true;
    },
  );
  assert.throws(() => testConfig({ ...prod, KOV_BALLOT_MASTER_KEYS: 'not-a-key' }), /KOV_BALLOT_MASTER_KEYS must list/);
  assert.throws(() => testConfig({ ...prod, KOV_BALLOT_KEY_FILE: '/nonexistent/keys' }), /cannot be read/);
});
