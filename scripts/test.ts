/**
 * `npm test`: type-checks, builds the web app, starts a real PostgreSQL (embedded, or the server
 * in DATABASE_URL), prepares a migrated template database, then runs every test with
 * `node --test`. Each test file clones the template into a database of its own.
 *
 *   npm test                      everything
 *   npm test -- --no-e2e          skip browser tests (and the web build)
 *   npm test -- src/modules/x     only test files under these paths
 *   npm test -- --no-lint         skip ESLint, Prettier and the module boundaries (dependency-cruiser);
 *                                 a run limited to paths skips them too
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/db/embedded';
import { migrate } from '../src/platform/db/migrate';
import { withDatabase } from '../src/platform/db/database';
import { loadPlaces } from '../src/platform/places/ehak';
import { ensureLoginRoles } from '../src/platform/db/roles';
import { installJobQueue } from '../src/platform/jobs/jobs';

const args = process.argv.slice(2);
const noE2e = args.includes('--no-e2e');
const noTypecheck = args.includes('--no-typecheck');
const noLint = args.includes('--no-lint');
const filters = args.filter((a) => !a.startsWith('--'));
const root = path.resolve(import.meta.dirname, '..');

function step(title: string) {
  console.log(`\n▶ ${title}`);
}

function run(cmd: string, cmdArgs: string[]) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`✖ ${cmd} ${cmdArgs.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out;
}

async function main() {
  if (!noLint && filters.length === 0) {
    step('linting (ESLint, Prettier) and module boundaries (dependency-cruiser)');
    run('npx', ['eslint', '.']);
    run('npx', ['prettier', '--check', '.', '--log-level', 'warn']);
    run('npm', ['run', '--silent', 'lint:deps']);
  }
  if (!noTypecheck) {
    step('type-checking (tsc)');
    run('npx', ['tsc', '-p', '.']);
    run('npx', ['tsc', '-p', 'web']);
  }
  let files = [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))].sort();
  if (filters.length) files = files.filter((f) => filters.some((flt) => f.startsWith(flt.replace(/^\.\//, ''))));
  if (noE2e) files = files.filter((f) => !f.startsWith('test/e2e/'));
  // Each run builds the web app into a folder of its own, so that concurrent runs do not clash.
  const webDist = path.join(os.tmpdir(), `kov-web-${process.pid}`);
  if (files.some((f) => f.startsWith('test/e2e/'))) {
    step('building the web app');
    run('node', ['scripts/build-web.mjs', '--out', webDist]);
  }

  step(
    process.env.DATABASE_URL
      ? 'using the PostgreSQL server in DATABASE_URL'
      : 'starting an embedded PostgreSQL for the tests',
  );
  let serverUrl: string;
  let stopServer = async () => {};
  let tmp: string | undefined;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
  } else {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kov-test-'));
    chmodSync(tmp, 0o755); // as root, the server runs as the postgres user, which must reach it
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), ephemeral: true, fsync: false });
    serverUrl = server.url;
    stopServer = server.stop;
  }
  // The run's ballot master key, outside the database (every test process and app process reads it).
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'kov-test-keys-'));
  const ballotKeyFile = path.join(keyDir, 'ballot-master-keys');
  writeFileSync(ballotKeyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const template = `kov_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const { rows } = await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  console.log(`  PostgreSQL ${rows[0]!.v}`);
  await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
  await admin.query(`CREATE DATABASE "${template}"`);
  const templateUrl = withDatabase(serverUrl, template);
  await migrate(templateUrl);
  await loadPlaces(templateUrl);
  // The login roles the tests connect as (application, read-only): cluster-wide, set up once.
  await ensureLoginRoles(templateUrl);
  // Install the job queue's schema (and kov_app's grants on it) once, so that every cloned database has it.
  await installJobQueue(templateUrl);
  await admin.query(`ALTER DATABASE "${template}" WITH is_template true`);

  step(`running ${files.length} test file(s)`);
  const code = await new Promise<number>((resolve) => {
    // A test that hangs fails after 10 minutes (the slowest takes about 2) instead of holding CI
    // until its limit; a file whose tests and hooks are done exits even if a handle is left open.
    const child = spawn(
      'node',
      [
        '--import',
        'tsx',
        '--test',
        `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
        '--test-timeout=600000',
        '--test-force-exit',
        '--test-reporter=spec',
        ...files,
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          KOV_TEST_SERVER_URL: serverUrl,
          KOV_TEST_TEMPLATE: template,
          KOV_MODE: 'test',
          NODE_ENV: 'test',
          KOV_TEST_WEB_DIST: webDist,
          KOV_BALLOT_KEY_FILE: ballotKeyFile,
          KOV_AUDIT_SIGNING_KEY_FILE: path.join(keyDir, 'audit-signing-key.pem'),
        },
      },
    );
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });

  await admin.query(`ALTER DATABASE "${template}" WITH is_template false`).catch(() => {});
  await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => {});
  await admin.end();
  await stopServer();
  if (tmp && existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  rmSync(keyDir, { recursive: true, force: true });
  rmSync(webDist, { recursive: true, force: true });
  console.log(code === 0 ? '\n✔ all tests passed' : '\n✖ some tests failed');
  process.exit(code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
