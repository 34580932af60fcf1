import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext } from '../../../test/support/app';
import { asOwner } from '../../../test/support/db';
import { inScope } from '../db/database';

const { ctx, ownerUrl } = await testContext({ jobs: false });
await ctx.events.start();

function next(topic: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const off = ctx.events.subscribe(topic, (p) => {
      off();
      resolve(p);
    });
  });
}

test('an event published inside a transaction arrives on commit, and not after a rollback', async () => {
  const got = next('t.commit');
  await inScope(ctx.db, {}, (trx) => ctx.events.publishInTx(trx, 't.commit', { n: 1 }));
  assert.deepEqual(await got, { n: 1 });

  let rolledBack = false;
  const off = ctx.events.subscribe('t.rollback', () => (rolledBack = true));
  await assert.rejects(
    inScope(ctx.db, {}, async (trx) => {
      await ctx.events.publishInTx(trx, 't.rollback', { n: 2 });
      throw new Error('abort');
    }),
  );
  await ctx.events.publish('t.after', {});
  await new Promise((r) => setTimeout(r, 100));
  off();
  assert.equal(rolledBack, false);
});

test('after the listening connection is cut, the node reconnects, tells its listeners, and receives again', async () => {
  const reconnected = new Promise<void>((resolve) => {
    const off = ctx.events.onReconnect(() => {
      off();
      resolve();
    });
  });
  await asOwner(ownerUrl, (c) =>
    c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kov-events' AND datname = current_database()`,
    ),
  );
  await reconnected;
  const got = next('t.again');
  await ctx.events.publish('t.again', { ok: true });
  assert.deepEqual(await got, { ok: true });
});

test('payloads beyond NOTIFY’s limit are refused before they are sent', async () => {
  await assert.rejects(ctx.events.publish('t.big', { s: 'x'.repeat(9000) }), /too large/);
});
