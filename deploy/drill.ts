/**
 * `npm run drill -- NAME` (or `deploy/drill NAME`): the operations drills of docs/operations.md,
 * run against the reference cluster of deploy/cluster. Each prints writes acknowledged, writes
 * found after, lost, phantom and outage seconds, and exits non-zero when a target is missed.
 *
 *   app-kill          an app node SIGKILLed during casts and report intake through nginx
 *   primary-kill      the PostgreSQL primary (Patroni and postmaster) SIGKILLed during the same stream
 *   pitr              full backup + WAL, restore to a chosen time into a fresh cluster, compare
 *   rolling-upgrade   migrate while the old version serves, then replace the nodes one by one
 *   faults            wrong database password, a far-behind replica, a full WAL archive disk
 *   all               brings a cluster up, runs every drill above, tears it down
 *
 * Without a running cluster (no cluster.env in KOV_CLUSTER_DIR) a single drill brings one up and
 * tears it down afterwards too.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  cpSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createVote } from '../src/modules/participation/manageVotes';
import {
  M,
  ROOT,
  cluster,
  clusterAsync,
  clusterDir,
  httpsClient,
  kill,
  kov,
  members,
  nodeIndex,
  owner,
  pidOf,
  prepareDrill,
  printReckoning,
  prometheusAlert,
  readClusterEnv,
  reckon,
  say,
  sh,
  sleep,
  stream,
  until,
  type ClusterEnv,
  type DrillData,
} from './drills/lib';

type Outcome = { name: string; ok: boolean; figures: Record<string, string | number>; notes: string[] };
const dir = clusterDir();
const runId = () => Math.random().toString(36).slice(2, 8);

function verdict(name: string, checks: [string, boolean][], figures: Record<string, string | number>): Outcome {
  const failed = checks.filter(([, ok]) => !ok).map(([what]) => what);
  for (const [what, ok] of checks) console.log(`    ${ok ? '✔' : '✖'} ${what}`);
  return { name, ok: failed.length === 0, figures, notes: failed };
}

// ------------------------------------------------------------------ app node killed
async function appKill(env: ClusterEnv): Promise<Outcome> {
  const run = runId();
  const data = await prepareDrill(env, 'app-kill', 6000);
  try {
    const result = await stream(data, env, run, {
      seconds: 24,
      retry: 'once',
      events: [
        { atMs: 6000, name: 'SIGKILL app node 1', run: () => kill(pidOf(`${dir}/app1/pid`), 'SIGKILL') },
        { atMs: 14000, name: 'app node 1 started again', run: () => clusterAsync(['start-app', '1', 'nowait']) },
      ],
    });
    await until('app node 1 ready again', 120, async () => (await fetch(`${env.KOV_CLUSTER_APP1}/readyz`)).ok);
    const r = await reckon(data, run, result);
    printReckoning('app node SIGKILLed during casts and report intake (clients retry once)', r);
    return verdict(
      'app-kill',
      [
        ['0 acknowledged writes lost', r.lost === 0],
        ['0 phantom writes', r.phantom === 0],
        ['every write succeeded within one retry', r.failedAfterRetries === 0],
        ['writes were acknowledged', r.acknowledged > 0],
      ],
      { ...r },
    );
  } finally {
    await data.close();
  }
}

// ------------------------------------------------------------------ primary killed
async function primaryKill(env: ClusterEnv): Promise<Outcome> {
  const run = runId();
  const data = await prepareDrill(env, 'primary-kill', 8000);
  const before = await members(env);
  const leader = before.find((m) => m.role === 'leader');
  if (!leader) throw new Error('no leader before the drill');
  const i = nodeIndex(leader.name);
  let promotedAfter = NaN;
  let newLeader = '';
  try {
    let killedAt = 0;
    const result = await stream(data, env, run, {
      seconds: 50,
      retry: 'until-ok',
      events: [
        {
          atMs: 6000,
          name: `SIGKILL the primary ${leader.name} (Patroni and PostgreSQL)`,
          run: async () => {
            killedAt = Date.now();
            kill(pidOf(`${dir}/pg${i}/patroni.pid`), 'SIGKILL');
            kill(pidOf(`${dir}/pg${i}/data/postmaster.pid`), 'SIGKILL');
            const promoted = await until('a new primary', 60, async () => {
              const m = await members(env).catch(() => []);
              return m.find((x) => x.role === 'leader' && x.name !== leader.name && x.state === 'running');
            });
            promotedAfter = Math.round((Date.now() - killedAt) / 100) / 10;
            newLeader = promoted.name;
            say(`Patroni promoted ${newLeader} ${promotedAfter} s after the kill`);
          },
        },
      ],
    });
    const r = await reckon(data, run, result);
    // The old primary comes back as a replica of the new one (pg_rewind if needed).
    cluster(['start-pg', String(i)]);
    const rejoined = await until(`${leader.name} back as a replica`, 180, async () => {
      const m = await members(env);
      return m.find((x) => x.name === leader.name && x.state === 'running' && x.role !== 'leader');
    }).then(
      () => true,
      () => false,
    );
    printReckoning(
      `primary ${leader.name} SIGKILLed during casts and report intake (clients retry until it works)`,
      r,
      {
        'new primary': newLeader,
        'promotion after the kill (s)': promotedAfter,
        'old primary rejoined as replica': rejoined ? 'yes' : 'no',
      },
    );
    return verdict(
      'primary-kill',
      [
        ['0 acknowledged writes lost (synchronous replication)', r.lost === 0],
        ['0 phantom writes', r.phantom === 0],
        ['write outage under 30 s', r.outageSeconds < 30],
        ['every write eventually succeeded (the app recovered by itself)', r.failedAfterRetries === 0],
        ['the old primary rejoined as a replica', rejoined],
      ],
      { ...r, promotedAfter, newLeader },
    );
  } finally {
    await data.close();
  }
}

// ------------------------------------------------------------------ backup and point-in-time restore
async function tinyJpeg(n: number): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: { r: n % 255, g: 80, b: 160 } } })
    .jpeg()
    .toBuffer();
}

async function reportWithPhoto(env: ClusterEnv, description: string, n: number): Promise<number> {
  const request = httpsClient(env);
  const boundary = `----kovdrill${n}`;
  const photo = await tinyJpeg(n);
  const field = (name: string, value: string) =>
    `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(
      field('categoryCode', 'roads') +
        field('description', description) +
        field('lat', '58.3804') +
        field('lon', '26.7225'),
    ),
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="photos"; filename="auk${n}.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
    ),
    photo,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await request('POST', '/api/v1/reports/form', {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  if (res.status !== 201) throw new Error(`report with photo: ${res.status} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body).id as number;
}

interface Snapshot {
  ballots: number;
  receipts: string[];
  reports: number;
  audit: { municipality_code: string; last_seq: string; last_hash: string }[];
  files: { id: string; sha256: string; actual: string }[];
  votes: number;
}

async function snapshot(url: string, data: DrillData, run: string): Promise<Snapshot> {
  return owner(url, async (c) => {
    const b = await c.query<{ receipt: string }>(
      'SELECT receipt FROM bb_ballot WHERE municipality_code = $1 AND box_id = $2 ORDER BY receipt',
      [M, data.boxId],
    );
    const r = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM report WHERE municipality_code = $1 AND description LIKE $2`,
      [M, `Harjutus ${run} %`],
    );
    const a = await c.query(
      `SELECT municipality_code, last_seq::text, encode(last_hash, 'hex') AS last_hash FROM audit_chain ORDER BY 1`,
    );
    const f = await c.query(
      `SELECT id::text, sha256, encode(sha256(content), 'hex') AS actual FROM stored_file WHERE municipality_code = $1 ORDER BY id`,
      [M],
    );
    const v = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pv_vote WHERE municipality_code = $1`, [M]);
    return {
      ballots: b.rows.length,
      receipts: b.rows.map((x) => x.receipt),
      reports: r.rows[0]!.n,
      audit: a.rows,
      files: f.rows,
      votes: v.rows[0]!.n,
    };
  });
}

async function pitr(env: ClusterEnv): Promise<Outcome> {
  const run = runId();
  const data = await prepareDrill(env, 'pitr', 3000);
  const leader = (await members(env)).find((m) => m.role === 'leader')!;
  const li = nodeIndex(leader.name);
  const restoreDir = `${dir}/restore-${run}`;
  const port = Number(env.KOV_CLUSTER_PORT_BASE) + 470;
  const pgBin = process.env.KOV_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  let restored = false;
  try {
    let t0 = Date.now();
    say(`full backup on the primary ${leader.name}`);
    cluster(['backup', String(li), 'full']);
    const backupSeconds = Math.round((Date.now() - t0) / 100) / 10;

    say('phase A: casts, reports, two photos, an audited action');
    const a = await stream(data, env, run, { seconds: 8, retry: 'until-ok' });
    await reportWithPhoto(env, `Harjutus ${run} photo-a1`, 1);
    await reportWithPhoto(env, `Harjutus ${run} photo-a2`, 2);
    await createVote(data.ctx, data.official, M, {
      kind: 'poll',
      title: `PITR drill ${run} A`,
      opensAt: new Date(Date.now() + 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      electorate: { scope: 'municipality', minAge: 16 },
      questions: [{ text: 'A?', kind: 'yesno', allowBlank: false }],
    });
    // A signed checkpoint of the audit chains, as the nodes take every 15 minutes: the restored
    // database is verified against it (every chain must still reach its head).
    const checkpointFile = /: (\S+\.json)\s*$/m.exec(cluster(['kov', 'audit', 'checkpoint']))?.[1];
    if (!checkpointFile) throw new Error('kov audit checkpoint named no file');
    // The moment to restore to: after everything of phase A was acknowledged, before phase B.
    const target = (await owner(data.ownerUrl, (c) => c.query<{ t: string }>(`SELECT clock_timestamp()::text AS t`)))
      .rows[0]!.t;
    const atTarget = await snapshot(data.ownerUrl, data, run);
    say(
      `target time ${target}: ${atTarget.ballots} ballots, ${atTarget.reports} reports, ${atTarget.files.length} files`,
    );
    await sleep(1500);

    say('phase B (after the target): more casts, reports, a photo, an audited action');
    const b = await stream(data, env, `${run}`, { seconds: 5, retry: 'until-ok' });
    await reportWithPhoto(env, `Harjutus ${run} photo-b1`, 3);
    await createVote(data.ctx, data.official, M, {
      kind: 'poll',
      title: `PITR drill ${run} B`,
      opensAt: new Date(Date.now() + 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      electorate: { scope: 'municipality', minAge: 16 },
      questions: [{ text: 'B?', kind: 'yesno', allowBlank: false }],
    });
    const atEnd = await snapshot(data.ownerUrl, data, run);
    // Make sure the WAL holding the target is archived: switch segments and let pgBackRest check.
    await owner(data.ownerUrl, (c) => c.query('SELECT 1')); // the owner is not superuser: switch as postgres
    sh(
      'psql',
      [
        '-h',
        `${dir}/pg${li}`,
        '-p',
        String(Number(env.KOV_CLUSTER_PORT_BASE) + 431 + li),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-Atc',
        'SELECT pg_switch_wal()',
      ],
      {
        asPostgres: true,
      },
    );
    sh('pgbackrest', [`--config=${dir}/pg${li}/pgbackrest.conf`, '--stanza=kov', 'check'], { asPostgres: true });

    say(`restoring to ${target} into a fresh cluster (${restoreDir})`);
    t0 = Date.now();
    mkdirSync(restoreDir, { recursive: true });
    chmodSync(restoreDir, 0o700);
    if (process.getuid?.() === 0) spawnSync('chown', ['postgres:', restoreDir]);
    sh(
      'pgbackrest',
      [
        `--config=${dir}/pg${li}/pgbackrest.conf`,
        '--stanza=kov',
        `--pg1-path=${restoreDir}/data`,
        '--type=time',
        `--target=${target}`,
        '--target-action=promote',
        'restore',
      ],
      { asPostgres: true },
    );
    // The restored copy must not archive into the production repository, nor wait for standbys.
    sh(
      `${pgBin}/pg_ctl`,
      [
        '-D',
        `${restoreDir}/data`,
        '-l',
        `${restoreDir}/postgres.log`,
        '-w',
        '-t',
        '600',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${restoreDir} -c archive_mode=off -c synchronous_standby_names= -c hba_file=${restoreDir}/data/pg_hba.conf -c ident_file=${restoreDir}/data/pg_ident.conf`,
        'start',
      ],
      { asPostgres: true },
    );
    restored = true;
    const restoredUrl = (() => {
      const u = new URL(env.DATABASE_URL!);
      u.port = String(port);
      return u.toString();
    })();
    await until('the restored cluster promoted', 300, async () =>
      owner(restoredUrl, async (c) => !(await c.query('SELECT pg_is_in_recovery() AS r')).rows[0].r),
    );
    const restoreSeconds = Math.round((Date.now() - t0) / 100) / 10;
    const got = await snapshot(restoredUrl, data, run);
    const verify = kov(['audit', 'verify', '--checkpoint', checkpointFile], restoredUrl, {
      KOV_AUDIT_SIGNING_KEY_FILE: env.KOV_AUDIT_SIGNING_KEY_FILE!,
    });
    const ackedBefore = a.attempts.filter((x) => x.ok).length + 2;
    const receiptsAtTarget = new Set(atTarget.receipts);
    const lostBallots = atTarget.receipts.filter((r) => !got.receipts.includes(r)).length;
    const phantomBallots = got.receipts.filter((r) => !receiptsAtTarget.has(r)).length;
    const figures = {
      'writes acknowledged (before the target)': ackedBefore,
      'writes found after': got.ballots + got.reports,
      lost: lostBallots + Math.max(0, atTarget.reports - got.reports),
      phantom: phantomBallots + Math.max(0, got.reports - atTarget.reports),
      'outage seconds': 0,
      'backup seconds': backupSeconds,
      'restore seconds (restore + replay + promote)': restoreSeconds,
      'ballots at target / restored / at end': `${atTarget.ballots} / ${got.ballots} / ${atEnd.ballots}`,
      'reports at target / restored / at end': `${atTarget.reports} / ${got.reports} / ${atEnd.reports}`,
      'files at target / restored / at end': `${atTarget.files.length} / ${got.files.length} / ${atEnd.files.length}`,
      'phase B writes (after the target)': b.attempts.filter((x) => x.ok).length + 1,
      'kov audit verify': verify.status === 0 ? 'OK' : `FAILED: ${verify.output.trim().split('\n').pop()}`,
    };
    console.log('\n  backup and point-in-time restore into a fresh cluster');
    for (const [k, v] of Object.entries(figures)) console.log(`    ${k.padEnd(44)} ${v}`);
    return verdict(
      'pitr',
      [
        ['ballots equal to the target moment', JSON.stringify(got.receipts) === JSON.stringify(atTarget.receipts)],
        ['reports equal to the target moment', got.reports === atTarget.reports],
        ['phase B (after the target) absent', got.ballots < atEnd.ballots && got.reports < atEnd.reports],
        [
          'files equal to the target moment (ids and SHA-256 of the content)',
          JSON.stringify(got.files) === JSON.stringify(atTarget.files),
        ],
        ['every restored file matches its recorded SHA-256', got.files.every((f) => f.sha256 === f.actual)],
        ['audit chain heads equal to the target moment', JSON.stringify(got.audit) === JSON.stringify(atTarget.audit)],
        ['kov audit verify passes on the restored database', verify.status === 0],
        ['votes equal to the target moment', got.votes === atTarget.votes],
      ],
      figures,
    );
  } finally {
    await data.close();
    if (restored)
      spawnSync(
        process.getuid?.() === 0 ? 'runuser' : `${pgBin}/pg_ctl`,
        process.getuid?.() === 0
          ? ['-u', 'postgres', '--', `${pgBin}/pg_ctl`, '-D', `${restoreDir}/data`, '-m', 'fast', 'stop']
          : ['-D', `${restoreDir}/data`, '-m', 'fast', 'stop'],
      );
    rmSync(restoreDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ rolling upgrade
/** The "next version": this code plus one more (additive) migration, in a release folder of its own. */
function prepareRelease(): string {
  const release = `${dir}/release-next`;
  rmSync(release, { recursive: true, force: true });
  mkdirSync(release, { recursive: true });
  for (const d of ['src', 'migrations', 'resources', 'bin'])
    cpSync(path.join(ROOT, d), path.join(release, d), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json']) cpSync(path.join(ROOT, f), path.join(release, f));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(release, 'node_modules'));
  symlinkSync(path.join(ROOT, 'web'), path.join(release, 'web'));
  writeFileSync(
    path.join(release, 'migrations/0049_upgrade_drill.sql'),
    `-- Added by the rolling-upgrade drill: an additive change, as every migration of a rolling upgrade must be.
CREATE TABLE IF NOT EXISTS upgrade_drill (id integer PRIMARY KEY, note text);
`,
  );
  return release;
}

/** Waits until nginx's access log shows a request answered by app node `i` alone; seconds waited. */
async function nginxServesFrom(env: ClusterEnv, i: number, seconds: number): Promise<number> {
  const log = `${dir}/nginx/access.log`;
  const from = sizeOf(log);
  const t0 = Date.now();
  const port = Number(env.KOV_CLUSTER_PORT_BASE) + 100 + i;
  const served = new RegExp(`"upstream":"127\\.0\\.0\\.1:${port}","upstream_status":"2\\d\\d"`);
  await until(`nginx serving from app node ${i}`, seconds, async () => logHas(log, served, from));
  return (Date.now() - t0) / 1000;
}

async function rollingUpgrade(env: ClusterEnv): Promise<Outcome> {
  const run = runId();
  const data = await prepareDrill(env, 'rolling-upgrade', 8000);
  const release = prepareRelease();
  const nodes = Number(env.KOV_CLUSTER_APP_NODES);
  const hadIt = await owner(data.ownerUrl, (c) => c.query(`SELECT 1 FROM schema_migrations WHERE version = '0049'`));
  try {
    let migrateOutput = '';
    const result = await stream(data, env, run, {
      seconds: 40 + 25 * nodes,
      retry: 'never',
      reads: true,
      events: [
        {
          atMs: 4000,
          name: 'kov db migrate (new version) while the old version serves',
          run: async () => {
            // As the operator would: the new release's CLI with the owner's URL (deploy/cluster kov),
            // while the nodes keep serving as kov_app with the password the prepare step gave it.
            migrateOutput = (
              await clusterAsync(['kov', 'db', 'migrate'], { KOV_CLUSTER_KOV: path.join(release, 'bin/kov.js') })
            ).trim();
          },
        },
        {
          atMs: 12000,
          name: 'nodes replaced one by one (SIGTERM: drain; start the new version; wait until ready)',
          run: async () => {
            for (let i = 1; i <= nodes; i++) {
              const t = Date.now();
              await clusterAsync(['stop-app', String(i), 'TERM']);
              await clusterAsync(['start-app', String(i)], { KOV_CLUSTER_APP_MAIN: `${release}/src/main.ts` });
              say(`node ${i} runs the new version (${((Date.now() - t) / 1000).toFixed(1)} s)`);
              // Ready is not enough: nginx skips a node for fail_timeout (5 s) after a refused
              // connection, which it met while the node restarted. Stopping the next node before
              // nginx has taken this one back left it no live upstream: ~800 requests answered 502
              // in under a second (an earlier run). So wait until nginx serves from it again.
              const back = await nginxServesFrom(env, i, 60);
              say(`nginx serves from node ${i} again (${back.toFixed(1)} s after it was ready)`);
            }
          },
        },
      ],
    });
    const r = await reckon(data, run, result);
    const upgraded = await owner(data.ownerUrl, (c) =>
      c.query(`SELECT 1 FROM schema_migrations WHERE version = '0049'`),
    );
    printReckoning('rolling upgrade under casts, report intake and reads (no client retries)', r, {
      'reads answered / failed': `${result.reads.ok} / ${result.reads.failed}`,
      'read statuses': JSON.stringify(result.reads.statuses),
      migrate: migrateOutput.split('\n').slice(-2).join(' | '),
    });
    return verdict(
      'rolling-upgrade',
      [
        ['the new migration applied while the old version served', hadIt.rowCount === 0 && upgraded.rowCount === 1],
        ['no write failed', r.failedAfterRetries === 0],
        ['no read failed', result.reads.failed === 0],
        ['0 lost', r.lost === 0],
        ['0 phantom', r.phantom === 0],
      ],
      { ...r, readsOk: result.reads.ok, readsFailed: result.reads.failed },
    );
  } finally {
    await data.close();
  }
}

// ------------------------------------------------------------------ faults
async function readyz(url: string) {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { reason?: string } };
}

/** A line matching `pattern` written to `file` after `from` (bytes). */
function logHas(file: string, pattern: RegExp, from = 0): string | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file)
    .subarray(from)
    .toString('utf8')
    .split('\n')
    .find((l) => pattern.test(l));
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

async function alertRaised(env: ClusterEnv, name: string, seconds: number): Promise<string> {
  return until(`alert ${name}`, seconds, async () => {
    const s = await prometheusAlert(env, name);
    return s === 'pending' || s === 'firing' ? s : undefined;
  }).catch(() => 'not raised');
}

async function faults(env: ClusterEnv): Promise<Outcome> {
  const checks: [string, boolean][] = [];
  const figures: Record<string, string | number> = {};
  const base = Number(env.KOV_CLUSTER_PORT_BASE);
  const only = (process.env.KOV_DRILL_FAULTS ?? '1,2,3').split(',');

  // 1. A node started with a wrong database password.
  if (only.includes('1')) {
    say('fault 1: app node 2 restarted with a wrong database password');
    const log1 = sizeOf(`${dir}/app2/app.log`);
    cluster(['stop-app', '2', 'TERM']);
    // A wrong password for the application role kov_app (the only credentials a node has).
    cluster(['start-app', '2', 'nowait'], { KOV_CLUSTER_WRONG_PASSWORD: 'wrong-password' });
    const r1 = await until('app node 2 listening and unready', 90, async () => {
      const r = await readyz(env.KOV_CLUSTER_APP2!).catch(() => undefined);
      return r && r.status === 503 && /credentials/.test(r.body.reason ?? '') ? r : undefined;
    }).catch(() => undefined);
    const line1 = logHas(`${dir}/app2/app.log`, /refused the credentials/, log1);
    const alert1 = await alertRaised(env, 'KovDatabaseUnusable', 60);
    const served = await httpsClient(env)('GET', '/api/v1/municipalities/0793/reports/statistics');
    figures['wrong password: /readyz'] = r1 ? `${r1.status} ${r1.body.reason}` : 'not red';
    figures['wrong password: log line'] = line1 ? line1.slice(0, 200) : 'none';
    figures['wrong password: alert KovDatabaseUnusable'] = alert1;
    checks.push(['wrong password: /readyz red with the reason', !!r1]);
    checks.push(['wrong password: a clear log line', !!line1]);
    checks.push(['wrong password: alert raised', alert1 !== 'not raised']);
    checks.push(['wrong password: the service still answers through the other node', served.status === 200]);
    cluster(['stop-app', '2', 'TERM']);
    cluster(['start-app', '2']);
  }

  // 2. A replica far behind: its WAL receiver stopped (as by a partition or a stuck disk) on an
  // asynchronous replica while the primary writes.
  const m = await members(env);
  const lagging = m.find((x) => x.role === 'replica');
  const leader = m.find((x) => x.role === 'leader')!;
  if (lagging && only.includes('2')) {
    const haproxyFrom = sizeOf(`${dir}/haproxy/haproxy.log`);
    const li = nodeIndex(lagging.name);
    const rest = env[`KOV_CLUSTER_PG${li}`]!.split('rest=')[1]!;
    const psqlAt = (i: number, q: string) =>
      sh('psql', ['-h', `${dir}/pg${i}`, '-p', String(base + 431 + i), '-U', 'postgres', '-d', 'kov', '-Atc', q], {
        asPostgres: true,
      });
    const receiver = Number(psqlAt(li, 'SELECT pid FROM pg_stat_wal_receiver').trim());
    say(`fault 2: WAL receiver of ${lagging.name} stopped (SIGSTOP ${receiver}); the primary writes 64 MB of WAL`);
    kill(receiver, 'SIGSTOP');
    psqlAt(
      nodeIndex(leader.name),
      `CREATE TABLE drill_wal AS SELECT g, repeat(md5(g::text), 8) AS x FROM generate_series(1, 200000) g; DROP TABLE drill_wal; SELECT pg_switch_wal();`,
    );
    const red = await until(`${lagging.name}'s health check red`, 60, async () => {
      const res = await fetch(`http://${rest}/replica?lag=16MB`);
      return res.status === 503 ? res.status : undefined;
    }).catch(() => undefined);
    const haproxyLine = await until('HAProxy takes it out', 30, async () =>
      logHas(`${dir}/haproxy/haproxy.log`, new RegExp(`replicas/${lagging.name} is DOWN`), haproxyFrom),
    ).catch(() => undefined);
    const alert2 = await alertRaised(env, 'KovReplicationLag', 90);
    const reads = await httpsClient(env)('GET', '/api/3/action/package_search?rows=1');
    figures['far-behind replica: Patroni /replica?lag=16MB'] = red ? `${red} (red)` : 'still 200';
    figures['far-behind replica: HAProxy log line'] = haproxyLine ? haproxyLine.slice(0, 160) : 'none';
    figures['far-behind replica: alert KovReplicationLag'] = alert2;
    checks.push(["far-behind replica: its readiness (Patroni's health check) red", !!red]);
    checks.push(['far-behind replica: HAProxy logs it out of the read pool', !!haproxyLine]);
    checks.push(['far-behind replica: alert raised', alert2 !== 'not raised']);
    checks.push(['far-behind replica: read endpoints still answer', reads.status === 200]);
    kill(receiver, 'SIGCONT');
    await until(`${lagging.name} caught up`, 120, async () => (await fetch(`http://${rest}/replica?lag=16MB`)).ok);
  }

  // 3. The WAL archive's disk is full.
  const repo = `${dir}/backrest-repo`;
  if (!only.includes('3')) {
    /* not asked for */
  } else if (existsSync(`${dir}/backrest-repo.mounted`)) {
    say('fault 3: the WAL archive repository (a tmpfs of fixed size) filled up');
    const appLog = sizeOf(`${dir}/app1/app.log`);
    const free = Number(sh('df', ['--output=avail', '-B1', repo]).split('\n')[1]!.trim());
    sh('fallocate', ['-l', String(Math.max(0, free - 64 * 1024)), `${repo}/filler`]);
    const li = nodeIndex((await members(env)).find((x) => x.role === 'leader')!.name);
    const pgLogFrom = sizeOf(`${dir}/pg${li}/patroni.log`);
    const psql = (q: string) =>
      sh('psql', ['-h', `${dir}/pg${li}`, '-p', String(base + 431 + li), '-U', 'postgres', '-d', 'kov', '-Atc', q], {
        asPostgres: true,
      });
    psql(
      `CREATE TABLE drill_wal2 AS SELECT g FROM generate_series(1, 100000) g; DROP TABLE drill_wal2; SELECT pg_switch_wal();`,
    );
    const r3 = await until('/readyz red for WAL archiving', 90, async () => {
      const r = await readyz(env.KOV_CLUSTER_APP1!);
      return r.status === 503 && /WAL archiving/.test(r.body.reason ?? '') ? r : undefined;
    }).catch(() => undefined);
    // The node logs when the condition starts (its monitor's next round, a few seconds at most).
    const line3 = await until('the log line', 30, async () =>
      logHas(`${dir}/app1/app.log`, /WAL archiving is failing/, appLog),
    ).catch(() => undefined);
    const pgLine = logHas(`${dir}/pg${li}/patroni.log`, /archive command failed|No space left/, pgLogFrom);
    const alert3 = await alertRaised(env, 'KovWalArchiveFailing', 90);
    // Writes during the fault are kept by the primary (and its synchronous standby), not lost.
    const w = await httpsClient(env)('POST', '/api/v1/reports', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ categoryCode: 'roads', description: 'Harjutus arhiiv täis', lat: 58.38, lon: 26.72 }),
    });
    rmSync(`${repo}/filler`, { force: true });
    psql('SELECT pg_switch_wal()');
    const back = await until('/readyz green once the archive has room', 180, async () => {
      const r = await readyz(env.KOV_CLUSTER_APP1!);
      return r.status === 200 ? r : undefined;
    }).catch(() => undefined);
    figures['archive full: /readyz'] = r3 ? `${r3.status} ${r3.body.reason?.slice(0, 120)}` : 'not red';
    figures['archive full: app log line'] = line3 ? line3.slice(0, 200) : 'none';
    figures['archive full: PostgreSQL log line'] = pgLine ? pgLine.slice(0, 200) : 'none';
    figures['archive full: alert KovWalArchiveFailing'] = alert3;
    checks.push(['archive full: /readyz red with the reason', !!r3]);
    checks.push(['archive full: a clear log line', !!line3]);
    checks.push(['archive full: alert raised', alert3 !== 'not raised']);
    checks.push([
      'archive full: a write during the fault is acknowledged (kept by the primary and its standby)',
      w.status === 201,
    ]);
    checks.push(['archive full: ready again once the archive has room', !!back]);
  } else {
    say(
      'fault 3 skipped: the repository is not a fixed-size disk (start the cluster with KOV_CLUSTER_REPO_MB=…, as root)',
    );
    checks.push(['archive full: drill ran (needs KOV_CLUSTER_REPO_MB)', false]);
  }
  console.log('\n  faults');
  for (const [k, v] of Object.entries(figures)) console.log(`    ${k.padEnd(48)} ${v}`);
  return verdict('faults', checks, figures);
}

// ------------------------------------------------------------------ main
const drills: Record<string, (env: ClusterEnv) => Promise<Outcome>> = {
  'app-kill': appKill,
  'primary-kill': primaryKill,
  pitr,
  'rolling-upgrade': rollingUpgrade,
  faults,
};

async function main() {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (names.length === 0 || names.some((n) => n !== 'all' && !drills[n])) {
    console.error(`usage: npm run drill -- ${Object.keys(drills).join(' | ')} | all   (several may be given)`);
    process.exit(2);
  }
  const chosen = names.includes('all') ? Object.keys(drills) : names;
  const ownCluster = !existsSync(`${dir}/cluster.env`);
  const t0 = Date.now();
  if (ownCluster) {
    console.log(`▶ bringing the cluster up in ${dir}`);
    const out = cluster(['up'], { KOV_CLUSTER_REPO_MB: process.env.KOV_CLUSTER_REPO_MB ?? '1024' });
    console.log(out.trim().split('\n').slice(-1)[0]);
  }
  const outcomes: Outcome[] = [];
  try {
    const env = readClusterEnv();
    for (const name of chosen) {
      console.log(`\n▶ drill ${name}`);
      const t = Date.now();
      try {
        outcomes.push({ ...(await drills[name]!(env)), name });
      } catch (err) {
        console.error(`  ✖ ${name} failed: ${(err as Error).stack}`);
        outcomes.push({ name, ok: false, figures: {}, notes: [(err as Error).message] });
      }
      console.log(
        `  (${Math.round((Date.now() - t) / 1000)} s, load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')})`,
      );
    }
  } finally {
    if (ownCluster) {
      console.log('\n▶ tearing the cluster down');
      console.log(cluster(['down']).trim().split('\n').slice(-1)[0]);
    }
  }
  console.log(`\n${'drill'.padEnd(18)} result`);
  for (const o of outcomes)
    console.log(`${o.name.padEnd(18)} ${o.ok ? '✔ passed' : `✖ FAILED: ${o.notes.join('; ')}`}`);
  console.log(
    `\n${outcomes.filter((o) => o.ok).length} passed, ${outcomes.filter((o) => !o.ok).length} failed (${Math.round((Date.now() - t0) / 1000)} s)`,
  );
  const resultsDir = path.join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  for (const o of outcomes)
    writeFileSync(
      path.join(resultsDir, `drill-${o.name}.json`),
      JSON.stringify({ at: new Date().toISOString(), loadAverage: os.loadavg(), ...o }, null, 2) + '\n',
    );
  process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
