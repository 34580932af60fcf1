import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testContext, makePerson } from '../../../test/support/app';
import pg from 'pg';
import { asOwner } from '../../../test/support/db';
import { queryRegister } from './register';

/**
 * The database server going away (the primary killed in the cluster drill) must not end the
 * process: every connection of the register's query-log pool is told FATAL and then loses its
 * socket — two 'error' events on each idle client, the second of which once found no listener
 * ("Connection terminated unexpectedly", both app nodes died). Here the server ends every backend
 * of the test database; the process lives on and the next query works on new connections.
 */
test('the register query log survives its connections being cut by the server', async () => {
  const { ctx, ownerUrl } = await testContext({ jobs: false });
  const person = await makePerson(ctx);
  const ask = () =>
    queryRegister(ctx, {
      municipalityCode: '0793',
      personId: person.id,
      idCode: person.idCode,
      purpose: 'eligibility',
      askedBy: null,
    });
  await ask();
  // The next query's log insert waits (the table locked by the owner) on a checked-out connection
  // of the log pool; then the server ends every other backend: the insert gets the FATAL message,
  // then the socket ends.
  const locker = new pg.Client({ connectionString: ownerUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE register_query_log IN ACCESS EXCLUSIVE MODE');
  const waiting = ask().then(
    () => 'answered',
    () => 'failed',
  );
  await new Promise((r) => setTimeout(r, 500));
  const cut = (
    await locker.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    )
  ).rows[0]!.n;
  assert.ok(cut > 0, 'backends were cut');
  await new Promise((r) => setTimeout(r, 1000)); // the FATAL message and the socket's end arrive
  await locker.query('ROLLBACK');
  await locker.end();
  assert.equal(await waiting, 'failed', 'the query whose log was cut fails (503), the process lives');
  // The pools reconnect: the next query works and is logged.
  await ask();
  const logged = await asOwner(
    ownerUrl,
    async (c) =>
      (
        await c.query<{ n: number }>('SELECT count(*)::int AS n FROM register_query_log WHERE subject_id = $1', [
          person.id,
        ])
      ).rows[0]!.n,
  );
  assert.ok(logged >= 2, `queries logged: ${logged}`);
});
