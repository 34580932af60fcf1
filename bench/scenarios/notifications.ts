import pg from 'pg';
import type { BenchScenario } from '../lib';
import { load, type LoadResult } from '../lib';
import { makeIdCode } from '../../src/platform/identity/personalIdCode';
import { upsertPerson } from '../../src/platform/auth/persons';
import { createSession } from '../../src/platform/auth/sessions';
import { deliverDue, startMailCatcher } from '../../src/modules/notifications';
import { createMailer } from '../../src/modules/notifications/mailer';
import { tellAboutVotes } from '../../src/modules/participation/tellPeople';

/**
 * Issue 19: a vote opens to 100,000 eligible residents who all set up notifications (a verified
 * address, e-mail of the topic on). Measured: the time to enqueue (the participation sweep writes
 * the 100,000 notifications in one transaction), the time to deliver them all over SMTP to a
 * local SMTP server (the mail catcher: real SMTP, it only counts), and the API's latency
 * meanwhile — the `me` request under the same load as the `me` scenario, in windows of
 * BENCH_SECONDS for as long as the send runs, against a window of the same run without it.
 * Delivery runs in the API's process, as the job worker of a single node does.
 */
const RECIPIENTS = Number(process.env.BENCH_NOTIFY_RECIPIENTS ?? 100_000);
const WORKERS = 2;
const M = '0784';

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

    const catcher = await startMailCatcher({ clock: () => new Date(), register: false, keep: 100 });
    const mailer = createMailer({
      ...env.ctx.config.mail,
      smtp: {
        host: catcher.host,
        port: catcher.port,
        secure: false,
        requireTLS: false,
        rejectUnauthorized: false,
        user: undefined,
        password: undefined,
        connections: 4,
      },
    })!;
    let done = false;
    const windows: LoadResult[] = [];
    const during = (async () => {
      while (!done) windows.push(await me());
    })();
    const start = performance.now();
    await tellAboutVotes(env.ctx);
    const enqueueMs = performance.now() - start;
    const written = Number(
      (await owner.query(`SELECT count(*) AS n FROM notification WHERE topic = 'participation.vote-opened'`)).rows[0].n,
    );
    env.log(`enqueued ${written} notifications in ${Math.round(enqueueMs)} ms`);
    let sent = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (;;) {
          const r = await deliverDue(env.ctx, { mailer, budgetMs: 3_600_000 });
          sent += r.sent;
          if (!r.more) return;
        }
      }),
    );
    const deliverMs = performance.now() - start;
    done = true;
    await during;
    mailer.close();
    const received = catcher.received();
    await catcher.stop();
    await owner.end();
    const worst = windows.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a), windows[0]!);
    const p99s = windows.map((w) => w.p99Ms).sort((a, b) => a - b);
    env.log(
      `delivered ${sent} (catcher received ${received}) in ${Math.round(deliverMs)} ms; me during: ${windows.length} windows, p99 median ${p99s[Math.floor(p99s.length / 2)]} ms, worst ${worst.p99Ms} ms`,
    );
    return {
      metrics: {
        recipients: RECIPIENTS,
        enqueued: written,
        enqueueMs: Math.round(enqueueMs),
        enqueuedPerSecond: Math.round(written / (enqueueMs / 1000)),
        delivered: received,
        enqueueAndDeliverMs: Math.round(deliverMs),
        deliveredPerSecond: Math.round(received / (deliverMs / 1000)),
        meQuietRps: quiet.requestsPerSecond,
        meQuietP50Ms: quiet.p50Ms,
        meQuietP99Ms: quiet.p99Ms,
        meDuringRps: Math.round(windows.reduce((a, w) => a + w.requestsPerSecond, 0) / windows.length),
        meDuringP50MsMedian: windows.map((w) => w.p50Ms).sort((a, b) => a - b)[Math.floor(windows.length / 2)]!,
        meDuringP99MsMedian: p99s[Math.floor(p99s.length / 2)]!,
        meDuringP99MsWorst: worst.p99Ms,
        meDuringErrors: windows.reduce((a, w) => a + w.errors + w.non2xx, 0),
      },
      notes: [
        'enqueue = the participation sweep writing every notification in one transaction; deliver = from the start of the enqueue until the SMTP server has accepted the last message',
        `delivery: ${WORKERS} delivery runs at once (pooled SMTP, 4 connections), in the API's process`,
      ],
    };
  },
};
