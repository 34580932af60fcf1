import { after } from 'node:test';
import { loadConfig, type Config } from '../../src/config';
import { createContext, type AppContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/log';
import { buildApp } from '../../src/app';
import { freePort } from '../../src/platform/db/embedded';
import { createSession } from '../../src/platform/auth/sessions';
import { upsertPerson } from '../../src/platform/auth/persons';
import { inScope } from '../../src/platform/db/database';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import type { Role } from '../../src/platform/db/tables';
import type { Api, KovModule } from '../../src/platform/module';
import { createTestDatabase, dropTestDatabase } from './db';
import { modules as allModules } from '../../src/modules';

export interface TestPlatform {
  ctx: AppContext;
  ownerUrl: string;
  app: Api;
  /** Base URL when started with `listen: true`. */
  url: string;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    KOV_MODE: 'test',
    KOV_WEB_DIST: '',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The test run's ballot master key (scripts/test.ts writes it into its temporary folder).
    ...(process.env.KOV_BALLOT_KEY_FILE && !env.KOV_BALLOT_MASTER_KEYS
      ? { KOV_BALLOT_KEY_FILE: process.env.KOV_BALLOT_KEY_FILE }
      : {}),
    ...env,
  });
}

/**
 * A context on a fresh database; closed after the file's tests. With `jobs` (default on) the
 * modules' queues are defined and the queue is started without workers: jobs can be sent, and a
 * test runs them when it wants with `ctx.jobs.drain(name)`.
 */
export async function testContext(
  opts: { env?: Record<string, string>; ownerUrl?: string; jobs?: boolean; modules?: KovModule[] } = {},
): Promise<{ ctx: AppContext; ownerUrl: string; close(): Promise<void> }> {
  // The database is dropped after the context is closed (not before: open connections would be cut).
  const ownerUrl = opts.ownerUrl ?? (await createTestDatabase({ dropAfter: false }));
  const ownsDatabase = !opts.ownerUrl;
  const config = testConfig(opts.env);
  const ctx = createContext(config, ownerUrl, createLogger(config.logLevel), { jobWorkers: false, poolSize: 10 });
  if (opts.jobs !== false) {
    for (const m of opts.modules ?? allModules) m.jobs?.(ctx);
    await ctx.jobs.start();
  }
  for (const m of opts.modules ?? allModules) await m.start?.(ctx);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (opts.jobs !== false) await ctx.jobs.stop().catch(() => {});
    await ctx.events.stop();
    await ctx.database.close();
    if (ownsDatabase) await dropTestDatabase(ownerUrl);
  };
  after(close);
  return { ctx, ownerUrl, close };
}

/**
 * The whole platform on a fresh database: `app.inject()` for API tests, or a listening server
 * (`listen: true`) for tests that need real HTTP (login, browsers, SSE).
 */
export async function testPlatform(
  opts: {
    listen?: boolean;
    env?: Record<string, string>;
    modules?: KovModule[];
    webDist?: string;
    ownerUrl?: string;
    events?: boolean;
  } = {},
): Promise<TestPlatform> {
  const port = opts.listen ? await freePort() : 0;
  const env: Record<string, string> = {
    PORT: String(port),
    ...(opts.webDist ? { KOV_WEB_DIST: opts.webDist } : {}),
    ...opts.env,
  };
  const {
    ctx,
    ownerUrl,
    close: closeCtx,
  } = await testContext({
    env,
    ...(opts.ownerUrl ? { ownerUrl: opts.ownerUrl } : {}),
    ...(opts.modules ? { modules: opts.modules } : {}),
  });
  if (opts.events) await ctx.events.start();
  const app = await buildApp(ctx, opts.modules ? { modules: opts.modules } : {});
  let url = '';
  if (opts.listen) {
    await app.listen({ host: '127.0.0.1', port });
    url = `http://127.0.0.1:${port}`;
  } else {
    await app.ready();
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await closeCtx();
  };
  after(close);
  return { ctx, ownerUrl, app, url, close };
}

let serial = 0;
/** A person with a valid, unique ID code (born `birthDate`). */
export async function makePerson(
  ctx: AppContext,
  p: { birthDate?: string; givenName?: string; familyName?: string; sex?: 'male' | 'female'; idCode?: string } = {},
) {
  const birthDate = p.birthDate ?? '1980-05-17';
  const idCode = p.idCode ?? makeIdCode(p.sex ?? 'female', birthDate, (process.pid * 7 + serial++) % 1000);
  const id = await upsertPerson(ctx.db, {
    idCode,
    givenName: p.givenName ?? 'Test',
    familyName: p.familyName ?? `Person${serial}`,
    birthDate,
  });
  return { id, idCode };
}

export async function grantRole(ctx: AppContext, municipalityCode: string, personId: string, role: Role) {
  await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    trx
      .insertInto('role_grant')
      .values({ municipality_code: municipalityCode, person_id: personId, role, granted_by: null })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
}

/** A logged-in browser session for a person, without going through the identity provider. */
export async function sessionFor(ctx: AppContext, personId: string) {
  const s = await createSession(ctx.db, personId, { idleMinutes: 30, absoluteHours: 12 }, { amr: 'mID', acr: 'high' });
  const cookie = `kov_session=${s.token}`;
  return { cookie, csrf: s.csrfToken, headers: { cookie, 'x-csrf-token': s.csrfToken } };
}
