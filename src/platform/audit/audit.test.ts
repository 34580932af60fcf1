import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { inScope } from '../db/database';
import { appendAudit, canonicalJson, verifyAudit } from './audit';
import { runCli } from '../../cli/kov';

const { ctx, ownerUrl } = await testContext();
for (const [code, n] of [
  ['0793', 5],
  ['0171', 3],
] as const) {
  for (let i = 0; i < n; i++) {
    await inScope(ctx.db, { tenant: code }, (trx) =>
      appendAudit(trx, {
        municipalityCode: code,
        actorId: null,
        action: 'test.entry',
        subject: `thing:${i}`,
        details: { i, nested: { b: 2, a: [1, 'x'] } },
      }),
    );
  }
}

test('canonical JSON sorts keys at every level', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } }),
    '{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}',
  );
});

test('an intact log verifies', async () => {
  const report = await verifyAudit(ownerUrl);
  assert.equal(report.broken, null);
  assert.equal(report.entries, 8);
  assert.equal(report.chains, 2);
});

test('concurrent appends keep one unbroken chain', async () => {
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      inScope(ctx.db, { tenant: '0784' }, (trx) =>
        appendAudit(trx, { municipalityCode: '0784', actorId: null, action: 'test.parallel', details: { i } }),
      ),
    ),
  );
  const report = await verifyAudit(ownerUrl, { municipalityCode: '0784' });
  assert.equal(report.broken, null);
  assert.equal(report.entries, 20);
});

test('kov audit verify detects one tampered row and names it', async () => {
  process.env.DATABASE_URL = ownerUrl;
  const lines: string[] = [];
  assert.equal(await runCli(['audit', 'verify'], (l) => lines.push(l)), 0);
  assert.match(lines.at(-1)!, /^OK: 28 entries in 3 chain\(s\)/);

  // Someone with database superuser rights edits entry 3 of Tartu's chain.
  await asOwner(ownerUrl, async (c) => {
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await c.query(`UPDATE audit_log SET details = '{"i": 99}' WHERE municipality_code = '0793' AND seq = 3`);
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
  lines.length = 0;
  assert.equal(await runCli(['audit', 'verify'], (l) => lines.push(l)), 1);
  assert.equal(lines.at(-1), 'BROKEN: chain 0793, entry 3: content does not match its hash (the entry was altered)');
});

test('a deleted entry is detected too', async () => {
  await asOwner(ownerUrl, async (c) => {
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await c.query(`DELETE FROM audit_log WHERE municipality_code = '0171' AND seq = 2`);
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
  const report = await verifyAudit(ownerUrl, { municipalityCode: '0171' });
  assert.deepEqual(report.broken, { municipalityCode: '0171', seq: 3, reason: 'entry 2 is missing' });
});

test('kov explains its commands and refuses bad options', async () => {
  const lines: string[] = [];
  assert.equal(await runCli(['--help'], (l) => lines.push(l)), 0);
  assert.match(lines.join('\n'), /audit verify/);
  lines.length = 0;
  assert.equal(await runCli(['audit', 'verify', '--help'], (l) => lines.push(l)), 0);
  assert.match(lines.join('\n'), /Usage: kov audit verify/);
  assert.equal(await runCli(['audit', 'verify', '--municipality', 'Tartu'], () => {}), 2);
  assert.equal(await runCli(['no', 'such'], () => {}), 2);
});
