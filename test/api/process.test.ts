import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, dropTestDatabase } from '../support/db';
import { startAppProcess } from '../support/process';

test('two app processes serve the same database; SIGTERM shuts one down gracefully', async () => {
  const ownerUrl = await createTestDatabase({ dropAfter: false });
  const [a, b] = await Promise.all([startAppProcess(ownerUrl), startAppProcess(ownerUrl)]);
  for (const p of [a, b]) {
    const res = await fetch(`${p.url}/readyz`);
    assert.equal(res.status, 200);
  }
  await a.kill('SIGTERM');
  assert.equal(a.child.exitCode, 0, 'graceful shutdown exits 0');
  assert.equal((await fetch(`${b.url}/healthz`)).status, 200);
  await b.kill('SIGTERM');
  await dropTestDatabase(ownerUrl);
});
