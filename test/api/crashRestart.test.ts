import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, liveServerOn } from '../../src/platform/db/embedded';

/**
 * Issue 14, item 7: the app is SIGKILLed (its embedded PostgreSQL child outlives it, re-parented),
 * and the real start path (`tsx src/main.ts`, no DATABASE_URL) runs again on the same data folder:
 * it stops the orphaned server cleanly, starts its own, serves, and the demo data is intact. A data
 * folder locked by a process that is not the platform's PostgreSQL gives a clear message.
 */
const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
// As root the server runs as the postgres user, which must be able to traverse to the folder.
const base = mkdtempSync(path.join('/var/tmp', 'kov-crash-'));
chmodSync(base, 0o755);
const dataDir = path.join(base, 'data');
const pgDir = path.join(dataDir, 'pg');
const children: ChildProcess[] = [];

async function start(): Promise<{
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: string[];
}> {
  const port = await freePort();
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATABASE_URL: '',
      KOV_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      KOV_MODE: 'test',
      KOV_SEED_DEMO: 'true',
      KOV_DEMO_RESIDENTS: '60',
      KOV_DEMO_IDP: 'true',
      KOV_WEB_DIST: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 240 s: ${output.join('')}`)), 240_000);
    child.once('message', (m: { ready?: boolean }) => {
      if (m?.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready: ${output.join('')}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, exited, output };
}

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  // A server that outlived everything (a failed assertion) is stopped too.
  const live = liveServerOn(pgDir);
  if (live?.ours) process.kill(live.pid, 'SIGINT');
  for (let i = 0; i < 100 && liveServerOn(pgDir); i++) await new Promise((r) => setTimeout(r, 100));
  rmSync(base, { recursive: true, force: true });
});

/** The demo's public reports of Tartu, as ids (seeded data, not reference data loaded on each start). */
const demoReports = async (url: string) => {
  const r = await fetch(`${url}/api/v1/municipalities/0793/reports?state=all&windowDays=365&limit=1000`);
  assert.equal(r.status, 200);
  return ((await r.json()) as { id: string }[]).map((x) => x.id).sort();
};

test('after a SIGKILL of the app, the start path stops the orphaned PostgreSQL and starts with the data intact', async () => {
  const first = await start();
  const before = await demoReports(first.url);
  assert.ok(before.length > 0, 'the demo seed wrote reports');
  const server = liveServerOn(pgDir);
  assert.ok(server?.ours, 'the embedded server runs on the data folder');
  assert.equal(server.parentPid, first.child.pid, 'as a child of the app');

  first.child.kill('SIGKILL');
  await first.exited;
  const orphan = liveServerOn(pgDir);
  assert.ok(orphan, 'the PostgreSQL child outlives the killed app');
  assert.equal(orphan.pid, server.pid);
  assert.notEqual(orphan.parentPid, first.child.pid);

  const second = await start();
  assert.deepEqual(await demoReports(second.url), before, 'the demo data is intact (not seeded again, not lost)');
  const now = liveServerOn(pgDir);
  assert.ok(now && now.pid !== orphan.pid && now.parentPid === second.child.pid, 'a server of its own, as its child');
  // A clean stop stops the database with it.
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
  for (let i = 0; i < 100 && liveServerOn(pgDir); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(liveServerOn(pgDir), undefined);
});

test('a data folder locked by a process that is not our PostgreSQL: a clear message, nothing touched', async () => {
  const other = path.join(base, 'other');
  mkdirSync(path.join(other, 'pg'), { recursive: true });
  // A copy of the real folder's version marker makes it an existing cluster; the lock names a live
  // process that is no PostgreSQL server (this test's own).
  writeFileSync(path.join(other, 'pg', 'PG_VERSION'), readFileSync(path.join(pgDir, 'PG_VERSION')));
  writeFileSync(path.join(other, 'pg', 'postmaster.pid'), `${process.pid}\n${path.join(other, 'pg')}\n`);
  const port = await freePort();
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATABASE_URL: '',
      KOV_DATA_DIR: other,
      PORT: String(port),
      KOV_MODE: 'test',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.notEqual(code, 0);
  assert.match(output, new RegExp(`locked by process ${process.pid} .*not the platform's embedded PostgreSQL`));
  assert.doesNotMatch(output, /must be able to reach/);
  assert.ok(readFileSync(path.join(other, 'pg', 'postmaster.pid'), 'utf8').startsWith(String(process.pid)));
});
