import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { appRoleUrl, withDatabase } from '../../src/platform/db/database';

/**
 * A fresh database for one test file, cloned from the migrated template that `npm test`
 * prepared on a real PostgreSQL server. Dropped when the file's tests end.
 */
export function testServer(): { serverUrl: string; template: string } {
  const serverUrl = process.env.KOV_TEST_SERVER_URL;
  const template = process.env.KOV_TEST_TEMPLATE;
  if (!serverUrl || !template)
    throw new Error('Run tests through `npm test` (it starts PostgreSQL and prepares the template database)');
  return { serverUrl, template };
}

export async function dropTestDatabase(url: string): Promise<void> {
  const { serverUrl } = testServer();
  const name = new URL(url).pathname.slice(1);
  const c = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  await c.end();
}

export async function createTestDatabase(opts: { dropAfter?: boolean } = {}): Promise<string> {
  const { serverUrl, template } = testServer();
  const name = `kov_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        // Two files cloning the template at the same instant: PostgreSQL refuses one; try again.
        if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  if (opts.dropAfter !== false) {
    after(() => dropTestDatabase(withDatabase(serverUrl, name)));
  }
  return withDatabase(serverUrl, name);
}

/** Runs SQL as the database owner (bypasses row-level security): for setting up and inspecting. */
export async function asOwner<T>(ownerUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A test database's URL for one of the platform's database roles: the application's (runtime) or the owner's (migrations). */
export function withRole(ownerUrl: string, role: 'app' | 'owner'): string {
  return role === 'app' ? appRoleUrl(ownerUrl) : ownerUrl;
}
