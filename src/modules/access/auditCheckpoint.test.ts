import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { testPlatform } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { inScope } from '../../platform/db/database';
import { appendAudit, canonicalJson, verifyAudit } from '../../platform/audit/audit';
import { runCli } from '../../cli/kov';
import { CHECKPOINT_JOB } from './auditCheckpoint';

// The checkpoints and the signing key live outside the database: a folder of this test's own.
const dir = mkdtempSync(path.join(os.tmpdir(), 'kov-audit-cp-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const auditEnv = {
  KOV_AUDIT_CHECKPOINT_DIR: path.join(dir, 'checkpoints'),
  KOV_AUDIT_SIGNING_KEY_FILE: path.join(dir, 'secrets', 'audit-signing-key.pem'),
};
const { ctx, ownerUrl, app } = await testPlatform({ env: auditEnv });
Object.assign(process.env, auditEnv, { DATABASE_URL: ownerUrl });

async function append(code: string, n: number) {
  for (let i = 0; i < n; i++)
    await inScope(ctx.db, { tenant: code }, (trx) =>
      appendAudit(trx, { municipalityCode: code, actorId: null, action: 'test.entry', details: { i } }),
    );
}

async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await runCli(args, (l) => lines.push(l));
  return { code, last: lines.at(-1) ?? '', all: lines.join('\n') };
}

/** What someone with owner rights does to hide the last `n` entries of a chain: delete them and rewind the head. */
async function cutTail(code: string, n: number) {
  await asOwner(ownerUrl, async (c) => {
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    const { rows } = await c.query<{ last_seq: string }>(
      'SELECT last_seq FROM audit_chain WHERE municipality_code = $1',
      [code],
    );
    const keep = Number(rows[0]!.last_seq) - n;
    await c.query('DELETE FROM audit_log WHERE municipality_code = $1 AND seq > $2', [code, keep]);
    await c.query(
      `UPDATE audit_chain SET last_seq = $2, last_hash = (SELECT hash FROM audit_log WHERE municipality_code = $1 AND seq = $2)
        WHERE municipality_code = $1`,
      [code, keep],
    );
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
}

test('the scheduled job writes a signed checkpoint outside the database, published at /audit/checkpoint', async () => {
  await append('0793', 6);
  await append('0171', 2);
  // Nothing published before the first checkpoint: a clear 404, not an error.
  const none = await app.inject({ method: 'GET', url: '/api/v1/audit/checkpoint' });
  assert.equal(none.statusCode, 404);
  assert.match(none.headers['content-type'] as string, /^application\/problem\+json/);
  await ctx.jobs.send(CHECKPOINT_JOB, {});
  assert.equal(await ctx.jobs.drain(CHECKPOINT_JOB), 1);
  const cp = JSON.parse(readFileSync(path.join(auditEnv.KOV_AUDIT_CHECKPOINT_DIR, 'latest.json'), 'utf8'));
  assert.equal(cp.kind, 'kov-audit-checkpoint');
  assert.deepEqual(
    cp.heads.map((h: { m: string; seq: number }) => [h.m, h.seq]),
    [
      ['0171', 2],
      ['0793', 6],
    ],
  );
  assert.match(cp.signature, /^[A-Za-z0-9+/]+=*$/);
  // Published as it was written; anyone checks it with the published key.
  const published = await app.inject({ method: 'GET', url: '/api/v1/audit/checkpoint' });
  assert.equal(published.statusCode, 200);
  assert.deepEqual(published.json(), cp);
  const key = (await app.inject({ method: 'GET', url: '/api/v1/audit/checkpoint/key' })).json();
  assert.equal(key.keyId, cp.keyId);
  const { signature, ...body } = cp;
  assert.ok(
    verify(null, Buffer.from(canonicalJson(body)), createPublicKey(key.publicKeyPem), Buffer.from(signature, 'base64')),
  );
  const ok = await cli('audit', 'verify');
  assert.equal(ok.code, 0, ok.all);
  assert.match(ok.last, /^OK: 8 entries in 2 chain\(s\), every link holds; every chain reaches the checkpoint of /);
});

test('deleting the last entries and rewinding the head passes the chain check but not the checkpoint', async () => {
  await append('0793', 2);
  const taken = await cli('audit', 'checkpoint');
  assert.equal(taken.code, 0, taken.all);
  assert.match(taken.last, /^checkpoint of 2 chain\(s\) signed by key [0-9a-f]{16}: /);

  await cutTail('0793', 3);
  // The chain alone is consistent again: this is the attack the checkpoint is for.
  assert.equal((await verifyAudit(ownerUrl)).broken, null);
  const res = await cli('audit', 'verify');
  assert.equal(res.code, 1);
  assert.match(
    res.last,
    /^BROKEN: chain 0793, entry 6: the checkpoint of .* records 8 entries but the chain now ends at 5 \(entries were removed and the head rewound\)$/,
  );

  // Refilling the chain to the same length with other entries does not reach the signed hash.
  await append('0793', 3);
  const again = await cli('audit', 'verify');
  assert.equal(again.code, 1);
  assert.match(again.last, /^BROKEN: chain 0793, entry 8: entry 8 does not have the hash the checkpoint .* records/);
});

test('a forged or altered checkpoint is rejected', async () => {
  const latest = path.join(auditEnv.KOV_AUDIT_CHECKPOINT_DIR, 'latest.json');
  const real = JSON.parse(readFileSync(latest, 'utf8'));

  // Altered: the attacker lowers the recorded head to match the cut chain, keeping the signature.
  const altered = { ...real, heads: real.heads.map((h: { m: string }) => (h.m === '0793' ? { ...h, seq: 5 } : h)) };
  const alteredFile = path.join(dir, 'altered.json');
  writeFileSync(alteredFile, JSON.stringify(altered));
  const a = await cli('audit', 'verify', '--checkpoint', alteredFile);
  assert.equal(a.code, 1);
  assert.match(a.last, /^BROKEN: checkpoint rejected: the checkpoint signature does not verify/);

  // Forged: signed properly, but with a key of the attacker's own.
  const { privateKey } = generateKeyPairSync('ed25519');
  const { signature: _drop, ...body } = altered;
  const forged = { ...body, signature: sign(null, Buffer.from(canonicalJson(body)), privateKey).toString('base64') };
  writeFileSync(latest, JSON.stringify(forged));
  const f = await cli('audit', 'verify');
  assert.equal(f.code, 1);
  assert.match(f.last, /^BROKEN: checkpoint rejected: the checkpoint signature does not verify/);

  // The real one still verifies its signature (and finds the cut chain).
  writeFileSync(latest, JSON.stringify(real));
  assert.match((await cli('audit', 'verify')).last, /^BROKEN: chain 0793/);
});
