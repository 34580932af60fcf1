import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform } from '../support/app';
import { asOwner, createTestDatabase, dropTestDatabase } from '../support/db';
import { startAppProcess } from '../support/process';
import { inScope } from '../../src/platform/db/database';

/**
 * Issue 13: the running platform holds no owner connection. The owner prepares the database
 * (migrations, roles, the job queue's schema) and closes its connection; requests, the job queue
 * and the LISTEN connection of live events all connect as `kov_app`.
 */

/** Who is connected to the database of `ownerUrl`, besides the connection asking. */
async function connectedRoles(ownerUrl: string) {
  return asOwner(
    ownerUrl,
    async (c) =>
      (
        await c.query<{ role: string; app: string }>(
          `SELECT usename AS role, application_name AS app FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            ORDER BY 1, 2`,
        )
      ).rows,
  );
}

test('a test platform with jobs and live events connects only as kov_app', async () => {
  const { ctx, ownerUrl } = await testPlatform({ events: true });
  // Use every kind of connection: the pool, the job queue (in a request's transaction too), an event.
  const got = new Promise((resolve) => {
    const off = ctx.events.subscribe('t.least-privilege', (p) => {
      off();
      resolve(p);
    });
  });
  await inScope(ctx.db, {}, (trx) => ctx.events.publishInTx(trx, 't.least-privilege', { ok: true }));
  assert.deepEqual(await got, { ok: true });
  assert.ok(await ctx.jobs.send('access.purge-sessions', {}));
  assert.equal(await ctx.jobs.drain('access.purge-sessions'), 1);

  const seen = await connectedRoles(ownerUrl);
  assert.ok(
    seen.some((s) => s.app === 'kov-events'),
    'the LISTEN connection is among them',
  );
  assert.ok(
    seen.some((s) => s.app === 'kov-jobs'),
    'the job queue is among them',
  );
  assert.deepEqual(
    seen.filter((s) => s.role !== 'kov_app'),
    [],
    'connections of the platform not as kov_app',
  );
});

test('the platform started as a process prepares the database as the owner, then runs as kov_app only', async () => {
  const ownerUrl = await createTestDatabase({ dropAfter: false });
  const app = await startAppProcess(ownerUrl);
  try {
    assert.equal((await fetch(`${app.url}/readyz`)).status, 200);
    const seen = await connectedRoles(ownerUrl);
    assert.ok(
      seen.some((s) => s.app === 'kov-events'),
      'the LISTEN connection is among them',
    );
    assert.ok(
      seen.some((s) => s.app === 'kov-jobs'),
      'the job queue is among them',
    );
    assert.deepEqual(
      seen.filter((s) => s.role !== 'kov_app'),
      [],
      'connections of the platform not as kov_app',
    );
    // The queue's workers and scheduler ran as kov_app: the schedules are written.
    const schedules = await asOwner(
      ownerUrl,
      async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.schedule`)).rows[0]!.n,
    );
    assert.ok(schedules > 0, 'schedules written by the running platform');
    // kov_app owns nothing in the queue's schema either.
    const owned = await asOwner(
      ownerUrl,
      async (c) =>
        (
          await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
              WHERE n.nspname = 'pgboss' AND k.relowner = (SELECT oid FROM pg_roles WHERE rolname = 'kov_app')`,
          )
        ).rows[0]!.n,
    );
    assert.equal(owned, 0);
  } finally {
    await app.kill('SIGTERM');
    await dropTestDatabase(ownerUrl);
  }
});
