import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import type { BenchScenario } from '../lib';
import { load, type LoadResult } from '../lib';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { createSession } from '../../src/platform/auth/sessions';
import { deliverDue } from '../../src/modules/notifications';
import { createMailer } from '../../src/modules/notifications/mailer';
import { tellAboutVotes } from '../../src/modules/participation/tellPeople';

/**
 * Issue 19: a vote opens to 100,000 eligible residents who all set up notifications (a verified
 * address, e-mail of the topic on). Measured: the time to enqueue (the participation sweep writes
 * the 100,000 notifications in one transaction), the time to deliver them all over SMTP to a
 * local SMTP server (real SMTP, npm smtp-server, in a process of its own as a relay is; it only
 * counts, and checks that every resident got exactly one), and the API's latency meanwhile — the
 * `me` request under the same load as the `me` scenario, in windows of BENCH_SECONDS for as long
 * as the send runs, against windows of the same run without it (one before, one after: the
 * machine's own drift shows as their difference). Delivery runs in the API's process, as the job
 * worker of a single node does: what the `notifications.deliver` job runs (`deliverDue`, two
 * loops at once taking batches of 200 with SKIP LOCKED, over pooled SMTP).
 *
 * BENCH_NOTIFY_RECIPIENTS (default 100,000) for a quicker run, e.g. 10000.
 */
const RECIPIENTS = Number(process.env.BENCH_NOTIFY_RECIPIENTS ?? 100_000);
const WORKERS = 2;
// Parallel SMTP connections of the node (SMTP_CONNECTIONS): each message costs the connection a few
// round trips, so with the event loop busy serving the API it is the number of connections, not
// the CPU, that bounds the rate.
const CONNECTIONS = Number(process.env.SMTP_CONNECTIONS ?? 16);
const M = '0784';

interface SinkCount {
  messages: number;
  bytes: number;
  recipients: number;
  repeats: number;
  cpuMs: number;
}
async function startSink(): Promise<{ port: number; count(): Promise<SinkCount>; stop(): Promise<void> }> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'smtpSink.cjs'), [], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
  });
  return {
    port,
    count: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as SinkCount));
        child.send('count');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

export const notificationsScenario: BenchScenario = {
  name: 'notifications',
  title: `A vote opening to ${RECIPIENTS.toLocaleString('en')} residents: enqueue, SMTP delivery, API p99 meanwhile`,
  async run(env) {
    const owner = new pg.Client({ connectionString: env.ownerUrl });
    await owner.connect();
    const t0 = performance.now();
    await owner.query(
      `
      INSERT INTO person (id_code, given_name, family_name, birth_date)
      SELECT '6' || lpad(g::text, 10, '0'), 'Elanik', 'Nr' || g, date '1980-01-01' + (g % 9000)
        FROM generate_series(1, $1) g
      ON CONFLICT (id_code) DO NOTHING`,
      [RECIPIENTS],
    );
    await owner.query(`
      INSERT INTO notification_profile (person_id, language, email, email_verified_at, digest, created_at, updated_at)
      SELECT id, (ARRAY['et','et','ru','en'])[1 + (right(id_code, 4)::int % 4)], 'bench' || right(id_code, 10) || '@example.test',
             now(), 'off', now(), now()
        FROM person WHERE id_code LIKE '6%' AND given_name = 'Elanik'
      ON CONFLICT (person_id) DO NOTHING`);
    const e = await owner.query<{ id: string }>(
      `INSERT INTO electorate (municipality_code, name, scope, reference_date, residence_at, mode, frozen_at, frozen_size, frozen_sha256)
       VALUES ($1, 'Bench electorate', 'list', current_date, 'reference-date', 'frozen', now(), $2, 'bench') RETURNING id`,
      [M, RECIPIENTS],
    );
    const electorateId = e.rows[0]!.id;
    await owner.query(
      `INSERT INTO electorate_voter (municipality_code, electorate_id, person_id, settlement_code, basis)
       SELECT $1, $2, id, NULL, 'include-list' FROM person WHERE id_code LIKE '6%' AND given_name = 'Elanik'`,
      [M, electorateId],
    );
    const box = await owner.query<{ id: string }>(
      `INSERT INTO bb_box (municipality_code, owner, state, opens_at, closes_at)
       VALUES ($1, 'bench.notifications:' || gen_random_uuid(), 'open', now() - interval '1 minute', now() + interval '3 days') RETURNING id`,
      [M],
    );
    await owner.query(
      `INSERT INTO pv_vote (municipality_code, kind, title, status, opens_at, closes_at, opened_at, electorate_id, electorate_size, box_id)
       VALUES ($1, 'poll', 'Pingirahastu 2027', 'open', now() - interval '1 minute', now() + interval '3 days', now(), $2, $3, $4)`,
      [M, electorateId, RECIPIENTS, box.rows[0]!.id],
    );
    await owner.query('ANALYZE person; ANALYZE notification_profile; ANALYZE electorate_voter');
    env.log(`setup: ${RECIPIENTS} residents with verified addresses in ${Math.round(performance.now() - t0)} ms`);

    const personId = await upsertPerson(env.ctx.db, {
      idCode: makeIdCode('female', '1985-06-01', 101),
      givenName: 'Bench',
      familyName: 'Mark',
      birthDate: '1985-06-01',
    });
    const s = await createSession(env.ctx.db, personId, { idleMinutes: 30, absoluteHours: 12 });
    const me = () =>
      load({ url: `${env.url}/api/v1/me`, duration: env.seconds, headers: { cookie: `kov_session=${s.token}` } });

    const quiet = await me();
    env.log(`me without the send: ${quiet.requestsPerSecond} req/s, p99 ${quiet.p99Ms} ms`);

    const sink = await startSink();
    const mailer = createMailer({
      ...env.ctx.config.mail,
      smtp: {
        host: '127.0.0.1',
        port: sink.port,
        secure: false,
        requireTLS: false,
        rejectUnauthorized: false,
        user: undefined,
        password: undefined,
        connections: CONNECTIONS,
      },
    })!;
    let done = false;
    const windows: LoadResult[] = [];
    const during = (async () => {
      while (!done) windows.push(await me());
    })();
    const sinkBefore = await sink.count();
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    await tellAboutVotes(env.ctx);
    const enqueueMs = performance.now() - start;
    const written = Number(
      (await owner.query(`SELECT count(*) AS n FROM notification WHERE topic = 'participation.vote-opened'`)).rows[0].n,
    );
    env.log(`enqueued ${written} notifications in ${Math.round(enqueueMs)} ms`);
    let sent = 0;
    const progress = setInterval(() => {
      void sink
        .count()
        .then((c) => env.log(`  … ${c.messages} delivered after ${Math.round((performance.now() - start) / 1000)} s`));
    }, 30_000);
    // What the `notifications.deliver` job does: runs with a budget, enqueueing itself again while more is due.
    for (;;) {
      const r = await deliverDue(env.ctx, { mailer, budgetMs: 120_000, runs: WORKERS });
      sent += r.sent;
      if (!r.more) break;
    }
    const deliverMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(progress);
    done = true;
    await during;
    mailer.close();
    const got = await sink.count();
    await sink.stop();
    const received = got.messages;
    const after = await me();
    env.log(`me after the send: ${after.requestsPerSecond} req/s, p99 ${after.p99Ms} ms`);
    await owner.end();
    const worst = windows.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a), windows[0]!);
    const p99s = windows.map((w) => w.p99Ms).sort((a, b) => a - b);
    env.log(
      `delivered ${sent} (SMTP server received ${received}, ${got.recipients} distinct recipients, ${got.repeats} repeats, ${Math.round(got.bytes / Math.max(1, received))} bytes each) in ${Math.round(deliverMs)} ms; me during: ${windows.length} windows, p99 median ${p99s[Math.floor(p99s.length / 2)]} ms, worst ${worst.p99Ms} ms`,
    );
    return {
      metrics: {
        recipients: RECIPIENTS,
        enqueued: written,
        enqueueMs: Math.round(enqueueMs),
        enqueuedPerSecond: Math.round(written / (enqueueMs / 1000)),
        delivered: received,
        distinctRecipients: got.recipients,
        repeats: got.repeats,
        enqueueAndDeliverMs: Math.round(deliverMs),
        deliveredPerSecond: Math.round(received / (deliverMs / 1000)),
        // CPU time, not wall time (less sensitive to the machine's load), per message: the
        // platform's process (all its threads: it also serves the me load and runs the load
        // generator meanwhile, so an upper bound) and the SMTP server's.
        platformCpuMsPerMessage: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, received)) * 100) / 100,
        smtpServerCpuMsPerMessage: Math.round(((got.cpuMs - sinkBefore.cpuMs) / Math.max(1, received)) * 100) / 100,
        meQuietRps: quiet.requestsPerSecond,
        meQuietP50Ms: quiet.p50Ms,
        meQuietP99Ms: quiet.p99Ms,
        meAfterRps: after.requestsPerSecond,
        meAfterP99Ms: after.p99Ms,
        meDuringRps: Math.round(windows.reduce((a, w) => a + w.requestsPerSecond, 0) / windows.length),
        meDuringP50MsMedian: windows.map((w) => w.p50Ms).sort((a, b) => a - b)[Math.floor(windows.length / 2)]!,
        meDuringP99MsMedian: p99s[Math.floor(p99s.length / 2)]!,
        meDuringP99MsWorst: worst.p99Ms,
        meDuringErrors: windows.reduce((a, w) => a + w.errors + w.non2xx, 0),
      },
      notes: [
        'enqueue = the participation sweep writing every notification in one transaction; deliver = from the start of the enqueue until the SMTP server has accepted the last message',
        `delivery: as the notifications.deliver job, ${WORKERS} delivery loops at once (pooled SMTP, ${CONNECTIONS} connections), in the API's process; the SMTP server in its own process`,
        `baseline of this run: ${env.baseline?.insertsPerSecond ?? '?'} single-row inserts/s, p99 ${env.baseline?.p99Ms ?? '?'} ms`,
      ],
    };
  },
};
