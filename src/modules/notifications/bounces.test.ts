import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testPlatform, makePerson, sessionFor } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { giveVerifiedEmail, mailForTests, deliverNow } from './testSupport';
import { notify, VERIFY_JOB } from './index';
import { bounceToken } from './tokens';

/**
 * Asynchronous bounces through the real path: the relay (the mail catcher, real SMTP) accepts a
 * message, later writes a delivery status notification (RFC 3464) to the message's VERP envelope
 * sender and passes it on over real HTTP to `POST /api/v1/notifications/bounces`, as a relay's
 * pipe to the platform does. A permanent failure stops all further mail to the address (and the
 * person sees it); a transient one is counted and stops nothing; forged bounces and bad input
 * change nothing.
 */
const SECRET = 'b'.repeat(40);
const { catcher, env } = await mailForTests();
const platform = await testPlatform({ env: { ...env, MAIL_BOUNCE_SECRET: SECRET }, listen: true });
const { ctx } = platform;
const TARTU = '0793';
const ENDPOINT = `${platform.url}/api/v1/notifications/bounces`;

const post = (body: string | Buffer, opts: { to?: string; auth?: string | null; type?: string } = {}) =>
  fetch(`${ENDPOINT}${opts.to ? `?to=${encodeURIComponent(opts.to)}` : ''}`, {
    method: 'POST',
    headers: {
      'content-type': opts.type ?? 'message/rfc822',
      ...(opts.auth === null ? {} : { authorization: `Bearer ${opts.auth ?? SECRET}` }),
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
const dsnsPassedOn: { to: string; status: number; body: { outcome: string } }[] = [];
catcher.onBounce(async (dsn, to) => {
  const r = await post(dsn, { to });
  dsnsPassedOn.push({ to, status: r.status, body: (await r.json()) as { outcome: string } });
});

async function person(name: string, email: string) {
  const p = await makePerson(ctx, { givenName: name, familyName: 'Bounce' });
  await giveVerifiedEmail(ctx, p.id, email);
  return { ...p, s: await sessionFor(ctx, p.id) };
}
const tell = (personId: string, reportId: number) =>
  inScope(ctx.db, { tenant: TARTU }, (trx) =>
    notify(ctx, trx, {
      to: personId,
      topic: 'reports.status',
      municipalityCode: TARTU,
      params: { reportId, category: { et: 'Teed' }, status: 'in_progress' },
      link: `/teated/${reportId}`,
    }),
  );
const settingsOf = async (headers: Record<string, string>) =>
  (await platform.app.inject({ method: 'GET', url: '/api/v1/me/notification-settings', headers })).json() as {
    email: string | null;
    emailBouncedAt: string | null;
  };
const bouncesOf = (email: string) =>
  inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('notification_bounce').selectAll().where('email', '=', email).orderBy('id').execute(),
  );
const stateOf = async (personId: string) =>
  inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .selectFrom('notification')
      .select(['id', 'email_state', 'email_error'])
      .where('person_id', '=', personId)
      .orderBy('id')
      .execute(),
  );
const VERP = /^bounces\+n(\d+)\.[0-9a-f]{16}@kov\.test$/;

test('a DSN the relay sends after accepting a message (5.x.x) stops all further mail to that address', async () => {
  const hele = await person('Hele', 'hele@example.ee');
  catcher.setRules([{ to: 'hele@example.ee', dsn: { status: '5.1.1' }, times: 1 }]);
  await tell(hele.id, 1);
  const first = await deliverNow(ctx);
  assert.equal(first.sent, 1, 'the relay accepted it');
  const [caught] = catcher.list().filter((m) => m.to.includes('hele@example.ee'));
  const verp = VERP.exec(caught!.from);
  assert.ok(verp, `the envelope sender is a VERP address of the message: ${caught!.from}`);
  const [n1] = await stateOf(hele.id);
  assert.equal(verp[1], String(n1!.id));

  await catcher.bouncesDone();
  const passed = dsnsPassedOn.find((d) => d.to === caught!.from);
  assert.deepEqual(passed && { status: passed.status, outcome: passed.body.outcome }, {
    status: 202,
    outcome: 'permanent',
  });
  const [b] = await bouncesOf('hele@example.ee');
  assert.equal(b?.kind, 'permanent');
  assert.equal(b?.status, '5.1.1');
  assert.equal((await stateOf(hele.id))[0]!.email_state, 'failed', 'the notification was not delivered after all');
  assert.ok((await settingsOf(hele.s.headers)).emailBouncedAt, 'the person sees on the settings page that it bounced');

  // Nothing more goes to the address (the catcher would take it: its rule was used up).
  await tell(hele.id, 2);
  const next = await deliverNow(ctx);
  assert.equal(next.sent, 0);
  assert.equal(next.skipped, 1);
  assert.equal((await catcher.messagesTo('hele@example.ee')).length, 1);

  // The relay passing the same DSN on twice: counted once.
  const again = await post(await dsnFor(caught!.from, 'hele@example.ee', '5.1.1', '<same@relay>'));
  assert.equal(((await again.json()) as { outcome: string }).outcome, 'permanent');
  const repeat = await post(await dsnFor(caught!.from, 'hele@example.ee', '5.1.1', '<same@relay>'));
  assert.equal(((await repeat.json()) as { outcome: string }).outcome, 'repeat');
  assert.equal((await bouncesOf('hele@example.ee')).length, 2);
});

test('a transient DSN (4.x.x) is counted and stops nothing', async () => {
  const ivo = await person('Ivo', 'ivo@example.ee');
  catcher.setRules([{ to: 'ivo@example.ee', dsn: { status: '4.4.7', action: 'delayed' }, times: 1 }]);
  await tell(ivo.id, 3);
  assert.equal((await deliverNow(ctx)).sent, 1);
  await catcher.bouncesDone();
  const rows = await bouncesOf('ivo@example.ee');
  assert.deepEqual(
    rows.map((r) => [r.kind, r.status]),
    [['transient', '4.4.7']],
  );
  assert.equal((await settingsOf(ivo.s.headers)).emailBouncedAt, null);
  assert.equal((await stateOf(ivo.id))[0]!.email_state, 'sent');
  await tell(ivo.id, 4);
  assert.equal((await deliverNow(ctx)).sent, 1, 'mail still goes to the address');
  assert.equal((await catcher.messagesTo('ivo@example.ee')).length, 2);
});

test('a verification mail that bounces later puts the pending address on the suppression list', async () => {
  const jaan = await makePerson(ctx, { givenName: 'Jaan', familyName: 'Bounce' });
  const s = await sessionFor(ctx, jaan.id);
  catcher.setRules([{ to: 'jaan@example.ee', dsn: { status: '5.2.1' }, times: 1 }]);
  const set = await platform.app.inject({
    method: 'PUT',
    url: '/api/v1/me/notification-settings/email',
    headers: s.headers,
    payload: { email: 'jaan@example.ee' },
  });
  assert.equal(set.statusCode, 202, set.body);
  assert.equal(await ctx.jobs.drain(VERIFY_JOB), 1);
  await catcher.bouncesDone();
  const [b] = await bouncesOf('jaan@example.ee');
  assert.equal(b?.token_kind, 'v');
  const suppressed = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('notification_suppression').select('email').where('email', '=', 'jaan@example.ee').execute(),
  );
  assert.equal(suppressed.length, 1);
});

test('forged or stale bounce addresses and bad input change nothing', async () => {
  const kati = await person('Kati', 'kati@example.ee');
  await tell(kati.id, 5);
  assert.equal((await deliverNow(ctx)).sent, 1);
  const [n] = await stateOf(kati.id);
  const genuine = `bounces+${bounceToken(ctx.config.secrets.pseudonymKey, 'n', n!.id, 'kati@example.ee')}@kov.test`;
  const forged = genuine.replace(/[0-9a-f]{4}@/, (m) => (m.startsWith('0000') ? '1111@' : '0000@'));
  const otherMessage = genuine.replace(`+n${n!.id}.`, `+n${n!.id + 1}.`);
  const otherAddress = `bounces+${bounceToken(ctx.config.secrets.pseudonymKey, 'n', n!.id, 'someone@else.ee')}@kov.test`;
  for (const to of [forged, otherMessage, otherAddress, 'bounces+garbage@kov.test', 'postmaster@kov.test']) {
    const r = await post(await dsnFor(to, 'kati@example.ee', '5.1.1'), { to });
    assert.equal(r.status, 202, to);
    assert.equal(((await r.json()) as { outcome: string }).outcome, 'ignored', to);
  }
  // Not a DSN (an auto-reply to the bounce address), or a DSN of a delivered message.
  const autoReply = `From: kati@example.ee\r\nTo: ${genuine}\r\nSubject: Out of office\r\nContent-Type: text/plain\r\n\r\nAway until Monday.\r\n`;
  assert.equal(((await (await post(autoReply)).json()) as { outcome: string }).outcome, 'ignored');
  const delivered = (await dsnFor(genuine, 'kati@example.ee', '2.0.0'))
    .toString()
    .replace('Action: failed', 'Action: delivered');
  assert.equal(((await (await post(delivered)).json()) as { outcome: string }).outcome, 'ignored');

  // Bad input: a clear problem, nothing changed.
  const real = await dsnFor(genuine, 'kati@example.ee', '5.1.1');
  const cases: [Response, number, string][] = [
    [await post(real, { auth: null }), 401, '/problems/notification-bounce-unauthorized'],
    [await post(real, { auth: 'x'.repeat(40) }), 401, '/problems/notification-bounce-unauthorized'],
    [await post('', {}), 400, ''],
    [await post('just some words\r\n', {}), 400, '/problems/notification-bounce-unreadable'],
    [await post(real, { type: 'application/json' }), 415, ''],
    [await post(Buffer.alloc(3 * 1024 * 1024, 0x41)), 413, ''],
  ];
  for (const [r, status, type] of cases) {
    assert.equal(r.status, status);
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    if (type) assert.equal(((await r.json()) as { type: string }).type, type);
  }
  assert.equal((await bouncesOf('kati@example.ee')).length, 0);
  assert.equal((await settingsOf(kati.s.headers)).emailBouncedAt, null);
  assert.equal((await stateOf(kati.id))[0]!.email_state, 'sent');
  const count = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM notification_suppression WHERE email = 'kati@example.ee'`.execute(
      trx,
    ),
  );
  assert.equal(count.rows[0]!.n, 0);

  // The genuine one counts.
  const ok = await post(real);
  assert.equal(((await ok.json()) as { outcome: string }).outcome, 'permanent');
  assert.ok((await settingsOf(kati.s.headers)).emailBouncedAt);
});

/** A DSN as a relay writes it (RFC 3464), addressed to a bounce address (To: header only). */
async function dsnFor(to: string, rcpt: string, status: string, messageId = `<${Math.random()}@relay.example>`) {
  return Buffer.from(
    [
      'From: MAILER-DAEMON@relay.example',
      `To: ${to}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: ${messageId}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="XYZ"',
      '',
      '--XYZ',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '--XYZ',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.example',
      '',
      `Final-Recipient: rfc822; ${rcpt}`,
      'Action: failed',
      `Status: ${status}`,
      '',
      '--XYZ--',
      '',
    ].join('\r\n'),
  );
}
