/**
 * What every drill shares: the running cluster's settings (deploy/cluster writes them), an HTTPS
 * client that trusts the cluster's own certificate, a stream of writes through nginx (ballot casts
 * and report intake, each attempt recorded), and the reckoning afterwards against the database:
 * writes acknowledged, found, lost, phantom, and the write outage.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config';
import { createContext, type AppContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/log';
import { inScope } from '../../src/platform/db/database';
import type { PersonActor } from '../../src/platform/auth/actor';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { advanceVote, createVote, scheduleVote } from '../../src/modules/participation/manageVotes';
import { upsertPersons } from '../../src/platform/auth/persons';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLUSTER = path.join(ROOT, 'deploy/cluster');
export const M = '0793'; // Tartu

export type ClusterEnv = Record<string, string>;

export function clusterDir(): string {
  return process.env.KOV_CLUSTER_DIR ?? '/var/tmp/kov-cluster';
}

export function readClusterEnv(): ClusterEnv {
  const text = readFileSync(path.join(clusterDir(), 'cluster.env'), 'utf8');
  const env: ClusterEnv = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

/** Runs `deploy/cluster …` and returns its output (throws with the output when it fails). */
export function cluster(args: string[], extraEnv: Record<string, string> = {}): string {
  const r = spawnSync(CLUSTER, args, { env: { ...process.env, ...extraEnv }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`deploy/cluster ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

/**
 * The same, without blocking this process: drills run it while their clients keep sending requests
 * (a synchronous child would freeze the clients and fake an outage).
 */
export function clusterAsync(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return runAsync(CLUSTER, args, extraEnv);
}

export function runAsync(cmd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${code}):\n${out}`)),
    );
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const say = (line: string) => console.log(`  ${line}`);

// ------------------------------------------------------------------ HTTPS through nginx
export interface HttpAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export function httpsClient(env: ClusterEnv) {
  const base = new URL(env.KOV_CLUSTER_URL!);
  const agent = new https.Agent({ ca: readFileSync(env.KOV_CLUSTER_CA!), keepAlive: true, maxSockets: 64 });
  return function request(
    method: string,
    pathname: string,
    opts: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path: pathname,
          agent,
          headers: {
            ...(opts.body ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
            ...opts.headers,
          },
          timeout: opts.timeoutMs ?? 15_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      if (opts.body) req.write(opts.body);
      req.end();
    });
  };
}

// ------------------------------------------------------------------ data for the drill
export interface DrillData {
  ctx: AppContext;
  ownerUrl: string;
  official: PersonActor;
  voteId: string;
  boxId: string;
  castPath: string;
  /** Browser sessions of eligible voters: [cookie token, CSRF token]. */
  voters: (readonly [string, string])[];
  close(): Promise<void>;
}

export async function owner<T>(ownerUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ownerUrl });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A context on the cluster's primary (through HAProxy), for setting up and for reckoning. */
export function clusterContext(env: ClusterEnv): AppContext {
  // As the application role, like the nodes (the owner's URL is only for the reckoning's reads).
  const config = loadConfig({
    KOV_MODE: 'test',
    KOV_WEB_DIST: '',
    LOG_LEVEL: 'silent',
    KOV_DEMO_IDP: 'true',
    KOV_APP_DATABASE_URL: env.KOV_APP_DATABASE_URL,
    KOV_BALLOT_KEY_FILE: env.KOV_BALLOT_KEY_FILE,
    KOV_AUDIT_SIGNING_KEY_FILE: env.KOV_AUDIT_SIGNING_KEY_FILE,
    KOV_AUDIT_CHECKPOINT_DIR: env.KOV_AUDIT_CHECKPOINT_DIR,
  });
  return createContext(config, env.DATABASE_URL!, createLogger('silent'), { jobWorkers: false, poolSize: 4 });
}

let officialSerial = 0;
export async function makeOfficial(ctx: AppContext): Promise<PersonActor> {
  const n = 700 + ((process.pid + officialSerial++) % 200);
  const personId = await upsertPerson(ctx.db, {
    idCode: makeIdCode('female', '1972-04-04', n),
    givenName: 'Drill',
    familyName: 'Official',
    birthDate: '1972-04-04',
  });
  await inScope(ctx.db, { tenant: M }, (trx) =>
    trx
      .insertInto('role_grant')
      .values({ municipality_code: M, person_id: personId, role: 'admin', granted_by: null })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
  return {
    kind: 'person',
    personId,
    givenName: 'Drill',
    familyName: 'Official',
    birthDate: '1972-04-04',
    idCodeMasked: '',
    roles: [{ municipalityCode: M, role: 'admin' }],
    acr: 'high',
  };
}

/** An open poll in Tartu and `count` eligible voters with a browser session each, on the cluster. */
export async function prepareDrill(env: ClusterEnv, label: string, count: number): Promise<DrillData> {
  const ctx = clusterContext(env);
  const data = await prepareVote(ctx, env.DATABASE_URL!, label, count);
  return {
    ...data,
    close: async () => {
      await ctx.events.stop().catch(() => {});
      await ctx.database.close();
      await ctx.readDatabase?.close();
    },
  };
}

/**
 * An open poll in Tartu (electorate checked live against the register extract) and `count`
 * eligible voters with a browser session each, on the database behind `ctx` (the drills' cluster,
 * or the benchmark's single node). `close` is left to the caller, who owns the context.
 */
export async function prepareVote(
  ctx: AppContext,
  ownerUrl: string,
  label: string,
  count: number,
): Promise<Omit<DrillData, 'close'>> {
  const official = await makeOfficial(ctx);
  const settlement = (
    await ctx.db
      .selectFrom('place')
      .select('code')
      .where('municipality_code', '=', M)
      .where('level', '=', 'settlement')
      .orderBy('code')
      .executeTakeFirstOrThrow()
  ).code;
  // Voters: unique ID codes per drill run (a random serial block), a residence in Tartu, a session.
  const block = 100 + (randomBytes(2).readUInt16BE() % 800);
  const people = Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(1940, 0, 1) + ((block * 37 + i) % 20_000) * 86_400_000).toISOString().slice(0, 10);
    return { idCode: makeIdCode(i % 2 ? 'male' : 'female', d, block), birthDate: d };
  });
  // The application role creates persons by code only through kov_person_upsert (issue 13).
  const ids = await upsertPersons(
    ctx.db,
    people.map((p) => ({ idCode: p.idCode, givenName: 'Drill', familyName: 'Voter', birthDate: p.birthDate })),
  );
  await inScope(ctx.db, { tenant: M }, (trx) =>
    sql`INSERT INTO register_residence (municipality_code, person_id, valid_from, residence_municipality_code, settlement_code, address, source)
        SELECT ${M}, p, '2000-01-01', ${M}, ${settlement}, 'Drill 1', 'extract' FROM unnest(${ids}::uuid[]) AS p
        ON CONFLICT DO NOTHING`.execute(trx),
  );
  const voters = ids.map(() => [randomBytes(32).toString('base64url'), randomBytes(24).toString('base64url')] as const);
  // Sessions as if each voter had logged in: the application role has no rights on `session`
  // (only the kov_session_* functions taking the caller's token), so the owner writes them.
  await owner(ownerUrl, (c) =>
    c.query(
      `INSERT INTO session (id_hash, person_id, csrf_token, amr, acr, expires_at, last_seen_at)
       SELECT h, p, c, 'mID', 'high', now() + interval '12 hours', now()
         FROM unnest($1::bytea[], $2::uuid[], $3::text[]) AS t(h, p, c)`,
      [voters.map((s) => createHash('sha256').update(s[0]).digest()), ids, voters.map((s) => s[1])],
    ),
  );
  const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
  const v = await createVote(ctx, official, M, {
    kind: 'poll',
    title: `Drill ${label} ${new Date().toISOString()}`,
    opensAt: iso(-60_000),
    closesAt: iso(6 * 3600_000),
    electorate: { scope: 'municipality', minAge: 16 },
    questions: [{ text: 'Kas harjutus õnnestub?', kind: 'yesno', allowBlank: false }],
  });
  await scheduleVote(ctx, official, M, v.id);
  await advanceVote(ctx, M, v.id);
  const boxId = (
    await owner(ownerUrl, (c) => c.query<{ box_id: string }>('SELECT box_id FROM pv_vote WHERE id = $1', [v.id]))
  ).rows[0]!.box_id;
  return {
    ctx,
    ownerUrl,
    official,
    voteId: v.id,
    boxId,
    castPath: `/api/v1/municipalities/${M}/votes/${v.id}/ballots`,
    voters,
  };
}

// ------------------------------------------------------------------ the stream of writes
export interface Attempt {
  kind: 'cast' | 'report';
  /** Voter index, or the report's unique description. */
  key: string;
  tries: number;
  ok: boolean;
  status: number;
  error?: string;
  /** Receipt (casts) or report id (reports) when acknowledged. */
  ack?: string;
  /** Reports: the Idempotency-Key sent with every try of this report. */
  idempotencyKey?: string;
  /** The acknowledgement was the stored answer of an earlier try (`Idempotent-Replayed`). */
  replayed?: boolean;
  at: number;
}

export interface StreamOptions {
  seconds: number;
  /** Concurrent clients (half cast, half report). */
  clients?: number;
  /** How a client treats a failed attempt: retry once, retry until it works, or never. */
  retry: 'once' | 'until-ok' | 'never';
  /** Things to do while the stream runs, at a time after its start (ms). */
  events?: { atMs: number; name: string; run: () => Promise<void> | void }[];
  /** Also read pages and analytics (GETs) in the stream; counted as failures if they fail. */
  reads?: boolean;
}

export interface StreamResult {
  attempts: Attempt[];
  reads: { ok: number; failed: number; statuses: Record<string, number> };
  /** Longest time no write succeeded after the first event (s). */
  outageSeconds: number;
  /** When each event ran, relative to the start (ms). */
  eventsAt: Record<string, number>;
  startedAt: number;
}

const REPORT_POINTS: [number, number][] = [
  [58.3804, 26.7225],
  [58.3776, 26.729],
  [58.3661, 26.7401],
  [58.3912, 26.6953],
];

const votersUsed = new WeakMap<DrillData, number>();

export async function stream(
  data: DrillData,
  env: ClusterEnv,
  run: string,
  opts: StreamOptions,
): Promise<StreamResult> {
  const request = httpsClient(env);
  const attempts: Attempt[] = [];
  const reads = { ok: 0, failed: 0, statuses: {} as Record<string, number> };
  const startedAt = Date.now();
  const until = startedAt + opts.seconds * 1000;
  // Voters already used by an earlier stream on the same data (the pitr drill's phase B) have voted.
  let nextVoter = votersUsed.get(data) ?? 0;
  let nextReport = 0;
  const okTimes: number[] = [];
  const eventsAt: Record<string, number> = {};

  const cast = async (): Promise<Attempt | undefined> => {
    const i = nextVoter++;
    if (i >= data.voters.length) return undefined;
    const [token, csrf] = data.voters[i]!;
    const a: Attempt = { kind: 'cast', key: String(i), tries: 0, ok: false, status: 0, at: Date.now() };
    attempts.push(a);
    await attempt(
      a,
      () =>
        request('POST', data.castPath, {
          headers: { 'content-type': 'application/json', cookie: `kov_session=${token}`, 'x-csrf-token': csrf },
          body: JSON.stringify({ answers: [{ questionId: 1, choiceIds: [1 + (i % 2)] }] }),
        }),
      (body) => JSON.parse(body).receipt as string,
    );
    return a;
  };
  const report = async (): Promise<Attempt> => {
    const n = nextReport++;
    const description = `Harjutus ${run} ${n}`;
    const [lat, lon] = REPORT_POINTS[n % REPORT_POINTS.length]!;
    // One key per report, sent with each of its tries: a retry after an answer lost with a node
    // or a primary gets the first answer again instead of storing the report twice.
    const idempotencyKey = randomUUID();
    const a: Attempt = {
      kind: 'report',
      key: description,
      idempotencyKey,
      tries: 0,
      ok: false,
      status: 0,
      at: Date.now(),
    };
    attempts.push(a);
    await attempt(
      a,
      () =>
        request('POST', '/api/v1/reports', {
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify({ categoryCode: 'roads', description, lat, lon }),
        }),
      (body) => String(JSON.parse(body).id),
    );
    return a;
  };
  const attempt = async (a: Attempt, send: () => Promise<HttpAnswer>, ackOf: (body: string) => string) => {
    for (;;) {
      a.tries += 1;
      try {
        const res = await send();
        a.status = res.status;
        if (res.status >= 200 && res.status < 300) {
          a.ok = true;
          a.ack = ackOf(res.body);
          if (res.headers['idempotent-replayed'] === 'true') a.replayed = true;
          delete a.error;
          okTimes.push(Date.now());
          return;
        }
        a.error = `${res.status} ${res.body.slice(0, 160)}`;
        // A user's mistake is not retried; an unavailable dependency is.
        if (res.status < 500 && res.status !== 429) return;
      } catch (err) {
        a.status = 0;
        a.error = (err as Error).message;
      }
      if (opts.retry === 'never') return;
      if (opts.retry === 'once' && a.tries >= 2) return;
      if (Date.now() > until + 60_000) return;
      await sleep(opts.retry === 'once' ? 100 : 500);
    }
  };
  const readOnce = async (n: number) => {
    const paths = [
      '/readyz',
      `/api/v1/municipalities/${M}/reports?windowDays=7`,
      '/api/3/action/package_search?rows=5',
      `/api/v1/municipalities/${M}/reports/statistics`,
      '/',
    ];
    const p = paths[n % paths.length]!;
    try {
      const res = await request('GET', p, { headers: { accept: p === '/' ? 'text/html' : 'application/json' } });
      reads.statuses[res.status] = (reads.statuses[res.status] ?? 0) + 1;
      if (res.status >= 200 && res.status < 300) reads.ok += 1;
      else reads.failed += 1;
    } catch (err) {
      reads.failed += 1;
      reads.statuses[(err as Error).message] = (reads.statuses[(err as Error).message] ?? 0) + 1;
    }
  };

  const clients = opts.clients ?? 8;
  const workers: Promise<void>[] = [];
  for (let w = 0; w < clients; w++) {
    workers.push(
      (async () => {
        let n = 0;
        while (Date.now() < until) {
          if (w % 2 === 0) {
            if (!(await cast())) await report();
          } else await report();
          if (opts.reads) await readOnce(w + n++);
        }
      })(),
    );
  }
  const events = (opts.events ?? []).map(async (e) => {
    await sleep(Math.max(0, startedAt + e.atMs - Date.now()));
    eventsAt[e.name] = Date.now() - startedAt;
    say(`${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${e.name}`);
    await e.run();
  });
  await Promise.all([...workers, ...events]);
  votersUsed.set(data, nextVoter);

  // The write outage: the longest gap between acknowledged writes from the first event on — counted
  // from the event itself, and up to the end when writes still failed then (nodes that died with the
  // primary once showed as a 0.2 s "outage": the gaps were measured between successes only).
  const firstEvent = Math.min(...Object.values(eventsAt).map((ms) => startedAt + ms), until);
  const times = okTimes.filter((t) => t >= firstEvent - 1000).sort((a, b) => a - b);
  if (Object.keys(eventsAt).length) times.unshift(firstEvent);
  if (attempts.some((a) => !a.ok)) times.push(Date.now());
  times.sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  return { attempts, reads, outageSeconds: Math.round(gap / 100) / 10, eventsAt, startedAt };
}

// ------------------------------------------------------------------ the reckoning
export interface Reckoning {
  acknowledged: number;
  foundAfter: number;
  lost: number;
  phantom: number;
  /** Attempts that failed for the client but whose write did commit (the answer was lost). */
  inDoubtCommitted: number;
  failedAfterRetries: number;
  retried: number;
  /** Report retries answered with the stored answer of their Idempotency-Key (not stored again). */
  replayed: number;
  outageSeconds: number;
}

export async function reckon(data: DrillData, run: string, result: StreamResult): Promise<Reckoning> {
  const casts = result.attempts.filter((a) => a.kind === 'cast');
  const reports = result.attempts.filter((a) => a.kind === 'report');
  const ackedReceipts = new Set(casts.filter((a) => a.ok).map((a) => a.ack!));
  const { ballots, receipts, voters } = await owner(data.ownerUrl, async (c) => {
    const b = await c.query<{ receipt: string }>(
      'SELECT receipt FROM bb_ballot WHERE municipality_code = $1 AND box_id = $2',
      [M, data.boxId],
    );
    const v = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM bb_voter WHERE municipality_code = $1 AND box_id = $2',
      [M, data.boxId],
    );
    return { ballots: b.rows.length, receipts: new Set(b.rows.map((r) => r.receipt)), voters: v.rows[0]!.n };
  });
  const reportRows = await owner(data.ownerUrl, (c) =>
    c.query<{ id: number; description: string }>(
      `SELECT id, description FROM report WHERE municipality_code = $1 AND description LIKE $2`,
      [M, `Harjutus ${run} %`],
    ),
  );
  const reportByDescription = new Map<string, string[]>();
  for (const r of reportRows.rows)
    reportByDescription.set(r.description, [...(reportByDescription.get(r.description) ?? []), String(r.id)]);
  // Each report attempt has its own description and its own Idempotency-Key, so the rows found for
  // a description are the rows its key produced: more than one is a report stored twice.
  const attemptedDescriptions = new Set(reports.map((a) => a.key));

  const lostCasts = [...ackedReceipts].filter((r) => !receipts.has(r)).length;
  const lostReports = reports.filter((a) => a.ok && !reportByDescription.get(a.key)?.includes(a.ack!)).length;
  // Phantoms: ballots beyond one per voter who tried, receipts nobody was given that are not
  // explained by an attempt whose answer was lost, reports nobody sent or stored twice.
  const unackedCasts = casts.filter((a) => !a.ok).length;
  const unexplainedBallots = Math.max(0, ballots - ackedReceipts.size - unackedCasts);
  const extraVoters = Math.max(0, voters - casts.length);
  const unsentReports = [...reportByDescription.keys()].filter((d) => !attemptedDescriptions.has(d)).length;
  const duplicateReports = [...reportByDescription.values()].reduce((n, ids) => n + Math.max(0, ids.length - 1), 0);
  const inDoubtCasts = Math.max(0, ballots - ackedReceipts.size - unexplainedBallots);
  const inDoubtReports = reports.filter((a) => !a.ok && reportByDescription.has(a.key)).length;
  const phantomDetail = { unexplainedBallots, extraVoters, unsentReports, duplicateReports };
  if (Object.values(phantomDetail).some((n) => n > 0)) say(`phantom detail: ${JSON.stringify(phantomDetail)}`);
  return {
    acknowledged: ackedReceipts.size + reports.filter((a) => a.ok).length,
    foundAfter:
      [...ackedReceipts].filter((r) => receipts.has(r)).length + reports.filter((a) => a.ok).length - lostReports,
    lost: lostCasts + lostReports,
    phantom: unexplainedBallots + extraVoters + unsentReports + duplicateReports,
    inDoubtCommitted: inDoubtCasts + inDoubtReports,
    failedAfterRetries: result.attempts.filter((a) => !a.ok).length,
    retried: result.attempts.filter((a) => a.tries > 1).length,
    replayed: reports.filter((a) => a.replayed).length,
    outageSeconds: result.outageSeconds,
  };
}

export function printReckoning(name: string, r: Reckoning, extra: Record<string, string | number> = {}) {
  console.log(`\n  ${name}`);
  const rows: [string, string | number][] = [
    ['writes acknowledged', r.acknowledged],
    ['writes found after', r.foundAfter],
    ['lost', r.lost],
    ['phantom', r.phantom],
    ['outage seconds', r.outageSeconds],
    ['attempts retried', r.retried],
    ['attempts failed after retries', r.failedAfterRetries],
    ['report retries answered by Idempotency-Key', r.replayed],
    ['unacknowledged but committed (answer lost)', r.inDoubtCommitted],
    ...Object.entries(extra),
  ];
  for (const [k, v] of rows) console.log(`    ${k.padEnd(44)} ${v}`);
}

// ------------------------------------------------------------------ cluster helpers
export interface PatroniMember {
  name: string;
  role: string;
  state: string;
  host: string;
  port: number;
  lag?: number | string;
}

export async function members(env: ClusterEnv): Promise<PatroniMember[]> {
  const rest = env.KOV_CLUSTER_PG1!.split('rest=')[1]!;
  for (let i = 1; i <= Number(env.KOV_CLUSTER_PG_NODES); i++) {
    const r = env[`KOV_CLUSTER_PG${i}`]!.split('rest=')[1]!;
    try {
      const res = await fetch(`http://${r}/cluster`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return ((await res.json()) as { members: PatroniMember[] }).members;
    } catch {
      /* try the next node */
    }
  }
  throw new Error(`no Patroni REST API answers (first: ${rest})`);
}

export function nodeIndex(name: string): number {
  return Number(name.replace(/^pg/, ''));
}

export function pidOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]!.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function kill(pid: number | undefined, signal: NodeJS.Signals) {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** `kov` CLI with a DATABASE_URL; returns exit status and output. */
export function kov(
  args: string[],
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): { status: number; output: string } {
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/node'), [path.join(ROOT, 'bin/kov.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, KOV_MODE: 'test', LOG_LEVEL: 'warn', ...extraEnv },
    encoding: 'utf8',
  });
  return { status: r.status ?? 1, output: (r.stdout ?? '') + (r.stderr ?? '') };
}

export async function prometheusAlert(env: ClusterEnv, name: string): Promise<string | undefined> {
  const res = await fetch(`${env.KOV_CLUSTER_PROMETHEUS}/api/v1/alerts`);
  const body = (await res.json()) as { data: { alerts: { labels: { alertname: string }; state: string }[] } };
  return body.data.alerts.find((a) => a.labels.alertname === name)?.state;
}

/** Waits until `check` returns a truthy value (polling), or fails after `seconds`. */
export async function until<T>(what: string, seconds: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(`${what}: not within ${seconds} s${last ? ` (${(last as Error).message})` : ''}`);
    await sleep(500);
  }
}

export function sh(cmd: string, args: string[], opts: { asPostgres?: boolean } = {}): string {
  const asRoot = process.getuid?.() === 0;
  const [c, a] = opts.asPostgres && asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return execFileSync(c, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
