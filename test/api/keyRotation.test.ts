import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makePerson, testContext } from '../support/app';
import { inScope } from '../../src/platform/db/database';
import { appendAudit, canonicalJson } from '../../src/platform/audit/audit';
import { runCli } from '../../src/cli/kov';
import * as bb from '../../src/modules/ballotBox';

/**
 * The runbook of docs/operations.md, "Rotate the ballot sealing master key" and "Rotate the audit
 * signing key", step by step with the real `kov` commands: ballots sealed under key A stay
 * countable, openable and checkable after A is gone; checkpoints signed by a retired audit key
 * still verify, and the retired key cannot vouch for anything later.
 */
const M = '0793';
const dir = mkdtempSync(path.join(os.tmpdir(), 'kov-key-rotation-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = path.join(dir, 'ballot-master-keys');
const keyA = randomBytes(32).toString('hex');
const keyB = randomBytes(32).toString('hex');
writeFileSync(keyFile, `${keyA}\n`, { mode: 0o600 });

const audit = {
  KOV_AUDIT_CHECKPOINT_DIR: path.join(dir, 'checkpoints'),
  KOV_AUDIT_SIGNING_KEY_FILE: path.join(dir, 'audit-a.pem'),
};
const { ctx, ownerUrl } = await testContext({ env: { KOV_BALLOT_KEY_FILE: keyFile, ...audit } });
// The operator's shell: the same key file and key settings as the nodes, the owner's URL.
Object.assign(process.env, { DATABASE_URL: ownerUrl, KOV_BALLOT_KEY_FILE: keyFile }, audit);
delete process.env.KOV_BALLOT_MASTER_KEYS;

async function kov(...args: string[]) {
  const lines: string[] = [];
  const code = await runCli(args, (l) => lines.push(l));
  return { code, out: lines.join('\n'), last: lines.at(-1) ?? '' };
}

test('ballot sealing master key: seal under A, rotate to [B, A], restart, rekey, remove A; boxes still count and open, receipts check', async () => {
  const scoped = <T>(c: typeof ctx, fn: Parameters<typeof inScope<T>>[2]) => inScope(c.db, { tenant: M }, fn);
  // Two boxes sealed under A: one closed (kept whole ballots, to be opened), one still open.
  const boxes = [];
  for (const keepSets of [true, false]) {
    const boxId = await scoped(ctx, (trx) =>
      bb.createBox(trx, { municipalityCode: M, owner: `rotation:${Math.random()}`, keepSets }),
    );
    const ref = { municipalityCode: M, boxId };
    await scoped(ctx, (trx) => bb.openBox(ctx, trx, ref));
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
    boxes.push({ ref, receipts });
  }
  const [closed, open] = boxes as [(typeof boxes)[0], (typeof boxes)[0]];
  await scoped(ctx, (trx) => bb.closeBox(ctx, trx, closed.ref));
  // (The first context stays open: closing it drops the test database. A "restart" is a new context.)

  // 1. The new key first, the old one after it; restart (a new context reads the file).
  writeFileSync(keyFile, `# newest first\n${keyB}\n${keyA}\n`);
  const rotated = await testContext({ ownerUrl, env: { KOV_BALLOT_KEY_FILE: keyFile, ...audit }, jobs: false });
  const before = await kov('ballots', 'keys');
  assert.equal(before.code, 0, before.out);
  assert.match(before.out, /box\(es\)$/m, 'the old key still wraps live data keys');
  assert.doesNotMatch(before.out, /MISSING/);
  // A ballot cast now is sealed in the open box (its data key still wrapped by A: rekey re-wraps it).
  const late = await bb.castBallot(rotated.ctx, null, {
    ...open.ref,
    personId: (await makePerson(rotated.ctx)).id,
    settlementCode: null,
    ballot: { format: 'plain/1', selections: [2] },
  });
  open.receipts.push(late.receipt);

  // 2. kov ballots rekey: every live data key under B; A wraps nothing any more.
  const rekeyed = await kov('ballots', 'rekey');
  assert.equal(rekeyed.code, 0, rekeyed.out);
  assert.match(rekeyed.last, /^re-wrapped [1-9]\d* data key\(s\) under the newest master key$/);
  const use = await kov('ballots', 'keys');
  assert.equal(use.code, 0, use.out);
  assert.match(use.out, /wraps no live data key: can be retired/);
  for (const line of use.out.split('\n').filter((l) => /box\(es\)/.test(l)))
    assert.match(line, /\(newest: wraps new data keys\)/, 'only the newest key wraps live data keys');
  await rotated.close();

  // 3. Remove A; restart with B alone: the start's key check passes (it refuses keys that open nothing).
  writeFileSync(keyFile, `${keyB}\n`);
  const retired = await testContext({ ownerUrl, env: { KOV_BALLOT_KEY_FILE: keyFile, ...audit }, jobs: false });
  const after = await kov('ballots', 'keys');
  assert.equal(after.code, 0, after.out);
  assert.doesNotMatch(after.out, /MISSING|can be retired/);

  // The closed box counts and its kept ballots open; the open box closes and counts too.
  const t = await scoped(retired.ctx, (trx) => bb.tallySelections(retired.ctx, trx, closed.ref));
  assert.equal(t.ballots, 3);
  assert.deepEqual(t.choices.get(1), { ballots: 2, points: 2 });
  const sets = await scoped(retired.ctx, (trx) => bb.ballotSets(retired.ctx, trx, closed.ref));
  assert.equal(sets.length, 3, 'the sealed ballots open with B');
  await scoped(retired.ctx, (trx) => bb.closeBox(retired.ctx, trx, open.ref));
  const t2 = await scoped(retired.ctx, (trx) => bb.tallySelections(retired.ctx, trx, open.ref));
  assert.equal(t2.ballots, 4);
  assert.deepEqual(t2.choices.get(2), { ballots: 2, points: 2 });
  // Receipts still check.
  for (const b of [closed, open])
    for (const receipt of b.receipts)
      assert.equal(await scoped(retired.ctx, (trx) => bb.receiptStatus(trx, { ...b.ref, receipt })), 'counted');
  await retired.close();
});

test('audit signing key: checkpoints signed by the retired key still verify; the retired key vouches for nothing later; a forged one is rejected', async () => {
  const { ctx: c2 } = await testContext({ ownerUrl, env: { KOV_BALLOT_KEY_FILE: keyFile, ...audit }, jobs: false });
  const append = async (n: number) => {
    for (let i = 0; i < n; i++)
      await inScope(c2.db, { tenant: M }, (trx) =>
        appendAudit(trx, { municipalityCode: M, actorId: null, action: 'test.rotation', details: { i } }),
      );
  };
  await append(3);
  const a = await kov('audit', 'checkpoint');
  assert.equal(a.code, 0, a.out);
  const fileA = /: (\S+\.json)$/.exec(a.last)![1]!;
  const cpA = JSON.parse(readFileSync(fileA, 'utf8'));

  // Rotate: a new signing key B; the public keyring holds A (retired now) and B.
  const oldPem = readFileSync(audit.KOV_AUDIT_SIGNING_KEY_FILE, 'utf8');
  const b = generateKeyPairSync('ed25519');
  const newFile = path.join(dir, 'audit-b.pem');
  writeFileSync(newFile, b.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const retiredAt = new Date().toISOString();
  const ring = path.join(dir, 'audit-public-keys.pem');
  writeFileSync(
    ring,
    `# retired ${retiredAt}\n${publicPem(oldPem)}\n${b.publicKey.export({ format: 'pem', type: 'spki' })}`,
  );
  Object.assign(process.env, { KOV_AUDIT_SIGNING_KEY_FILE: newFile, KOV_AUDIT_PUBLIC_KEY_FILE: ring });
  await new Promise((r) => setTimeout(r, 5)); // checkpoints after the rotation carry a later time
  await append(2);
  const bcp = await kov('audit', 'checkpoint');
  assert.equal(bcp.code, 0, bcp.out);
  assert.notEqual(JSON.parse(readFileSync(/: (\S+\.json)$/.exec(bcp.last)![1]!, 'utf8')).keyId, cpA.keyId);

  // The checkpoint signed by A verifies with the keyring; so does the latest (B).
  const old = await kov('audit', 'verify', '--checkpoint', fileA);
  assert.equal(old.code, 0, old.out);
  assert.match(old.last, /^OK: .* every chain reaches the checkpoint of /);
  const latest = await kov('audit', 'verify');
  assert.equal(latest.code, 0, latest.out);
  assert.match(latest.last, /^OK: /);

  // Without the keyring (only the new key trusted) the old checkpoint would not verify: why step 3 exists.
  delete process.env.KOV_AUDIT_PUBLIC_KEY_FILE;
  const noRing = await kov('audit', 'verify', '--checkpoint', fileA);
  assert.equal(noRing.code, 1);
  assert.match(noRing.last, /^BROKEN: checkpoint rejected/);
  process.env.KOV_AUDIT_PUBLIC_KEY_FILE = ring;

  // Whoever kept the retired key A cannot vouch for a later (rewound) head: a checkpoint signed by
  // A but taken after A's retirement is rejected.
  const { signature: _s, ...bodyA } = cpA;
  const later = { ...bodyA, at: new Date(Date.parse(retiredAt) + 60_000).toISOString() };
  const stolen = { ...later, signature: sign(null, Buffer.from(canonicalJson(later)), oldPem).toString('base64') };
  const stolenFile = path.join(dir, 'stolen.json');
  writeFileSync(stolenFile, JSON.stringify(stolen));
  const s = await kov('audit', 'verify', '--checkpoint', stolenFile);
  assert.equal(s.code, 1);
  assert.match(
    s.last,
    /^BROKEN: checkpoint rejected: .* retired at .*: a retired key vouches only for checkpoints taken before/,
  );

  // Forged with a key of the attacker's own: named as B (signature fails) or as itself (unknown key).
  const evil = generateKeyPairSync('ed25519');
  for (const keyId of [
    JSON.parse(readFileSync(/: (\S+\.json)$/.exec(bcp.last)![1]!, 'utf8')).keyId,
    'feedfeedfeedfeed',
  ]) {
    const body = { ...bodyA, keyId };
    const forged = {
      ...body,
      signature: sign(null, Buffer.from(canonicalJson(body)), evil.privateKey).toString('base64'),
    };
    writeFileSync(stolenFile, JSON.stringify(forged));
    const f = await kov('audit', 'verify', '--checkpoint', stolenFile);
    assert.equal(f.code, 1);
    assert.match(
      f.last,
      /^BROKEN: checkpoint rejected: (the checkpoint signature does not verify|the checkpoint is signed by key feedfeedfeedfeed, which is not among the trusted audit keys)/,
    );
  }
});

function publicPem(privatePem: string): string {
  return createPublicKey(privatePem).export({ format: 'pem', type: 'spki' }).toString();
}
