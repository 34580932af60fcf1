import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { deliverNow, giveVerifiedEmail, linksIn, mailForTests } from '../notifications/testSupport';
import { sendReportAlerts } from './alerts';
import { notifyOverdue } from './overdue';
import { sendWorkDigests } from './workDigest';

/**
 * What the reports module tells people, through real SMTP: the reporter (received, status,
 * answer, closed with a questionnaire link that works without logging in, reopened), the
 * followers of the area, the official a report is assigned to, the handler of a reopened or
 * overdue report, and the officials' daily digest. Each arrives once.
 */
const { catcher, env } = await mailForTests();
const platform = await testPlatform({ env });
const { ctx, app } = platform;
const TARTU = '0793';

const call = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
async function person(name: string, email: string, language: 'et' | 'ru' | 'en' = 'et') {
  const p = await makePerson(ctx, { givenName: name, familyName: 'Test' });
  await giveVerifiedEmail(ctx, p.id, email, { language });
  return { ...p, s: await sessionFor(ctx, p.id) };
}

const reporter = await person('Riina', 'riina@example.ee');
const neighbour = await person('Naaber', 'naaber@example.ee', 'en');
const handler = await person('Ott', 'ott@example.ee');
const lead = await person('Juhataja', 'juht@example.ee');
await grantRole(ctx, TARTU, handler.id, 'editor');
await grantRole(ctx, TARTU, lead.id, 'admin');
const subjects = async (to: string) => (await catcher.messagesTo(to)).map((m) => m.subject);

let reportId = 0;

test('a new report: the reporter is told it was received, followers of the area are told of it, once', async () => {
  const f = await call('POST', '/api/v1/me/follows', neighbour.s.headers, { placeCode: '8151', frequency: 'instant' });
  assert.equal(f.statusCode, 201, f.body);
  const r = await call('POST', '/api/v1/reports', reporter.s.headers, {
    categoryCode: 'roads',
    description: 'Sügav auk Raekoja platsil.',
    lat: 58.3804,
    lon: 26.7225,
  });
  assert.equal(r.statusCode, 201, r.body);
  reportId = r.json().id;
  assert.equal(await sendReportAlerts(ctx), 1);
  assert.equal(await sendReportAlerts(ctx), 0, 'each report is told about once');
  await deliverNow(ctx);
  assert.deepEqual(await subjects('riina@example.ee'), [`Teade Teed ja tänavad #${reportId} on kätte saadud`]);
  const [alert] = await catcher.messagesTo('naaber@example.ee');
  assert.equal(alert?.subject, 'New report: Roads and streets — Tartu linn');
  assert.ok(alert!.text.includes('Sügav auk Raekoja platsil.'));
  assert.ok(linksIn(alert!).includes(`${ctx.config.publicUrl}/teated/${reportId}`));
  // The reporter is not told of their own report as a follower, even if they follow the area.
});

test('assignment, status, answer and closing reach the right people; the closing link rates without a login', async () => {
  const base = `/api/v1/municipalities/${TARTU}/reports/${reportId}`;
  assert.equal(
    (await call('POST', `${base}/assign`, lead.s.headers, { assigneePersonId: handler.id, department: 'Teed' }))
      .statusCode,
    200,
  );
  assert.equal((await call('POST', `${base}/updates`, handler.s.headers, { status: 'in_progress' })).statusCode, 200);
  assert.equal(
    (await call('POST', `${base}/updates`, handler.s.headers, { text: 'Paik tuleb neljapäeval.' })).statusCode,
    200,
  );
  assert.equal(
    (await call('POST', `${base}/updates`, handler.s.headers, { internal: true, text: 'Sisemine märge' })).statusCode,
    200,
  );
  assert.equal(
    (await call('POST', `${base}/updates`, handler.s.headers, { status: 'fixed', text: 'Auk on paigatud.' }))
      .statusCode,
    200,
  );
  await deliverNow(ctx);
  assert.deepEqual(await subjects('ott@example.ee'), [`Teile määrati teade Teed ja tänavad #${reportId}`]);
  const mails = await catcher.messagesTo('riina@example.ee');
  assert.deepEqual(
    mails.map((m) => m.subject),
    [
      `Teade Teed ja tänavad #${reportId} on kätte saadud`,
      `Teade Teed ja tänavad #${reportId}: töös`,
      `Vastus teatele Teed ja tänavad #${reportId}`,
      `Teade Teed ja tänavad #${reportId} on lahendatud — kuidas läks?`,
    ],
    'no mail for the internal note',
  );
  const closing = mails.at(-1)!;
  assert.equal(/Sisemine/.test(closing.text), false);
  const survey = linksIn(closing).find((l) => l.includes('key=rk1.'))!;
  assert.ok(survey, closing.text);
  const key = new URL(survey).searchParams.get('key')!;
  // Without a session: the page offers the questionnaire and accepts the answer.
  const view = (await call('GET', `/api/v1/reports/${reportId}?key=${encodeURIComponent(key)}`)).json();
  assert.equal(view.viewer.canRate, true);
  const forged = await call(
    'POST',
    `/api/v1/reports/${reportId}/survey`,
    {},
    {
      fixed: 'no',
      rating: 1,
      manageToken: key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA'),
    },
  );
  assert.equal(forged.statusCode, 403);
  const rated = await call(
    'POST',
    `/api/v1/reports/${reportId}/survey`,
    {},
    {
      fixed: 'no',
      rating: 2,
      comment: 'Auk on ikka alles.',
      reopen: true,
      manageToken: key,
    },
  );
  assert.equal(rated.statusCode, 200, rated.body);
  await deliverNow(ctx);
  assert.deepEqual((await subjects('ott@example.ee')).at(-1), `Teataja avas teate Teed ja tänavad #${reportId} uuesti`);
  // The official reopening it tells the reporter.
  await call('POST', `${base}/updates`, handler.s.headers, { status: 'fixed' });
  await call('POST', `${base}/updates`, handler.s.headers, { status: 'open', text: 'Vaatame uuesti.' });
  await deliverNow(ctx);
  assert.equal((await subjects('riina@example.ee')).at(-1), `Teade Teed ja tänavad #${reportId} avati uuesti`);
});

test('a report past its deadline is told to its handler once; the officials get their daily digest', async () => {
  await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    sql`UPDATE report SET sla_due_at = now() - interval '1 hour' WHERE municipality_code = ${TARTU} AND id = ${reportId}`.execute(
      trx,
    ),
  );
  assert.equal(await notifyOverdue(ctx), 1);
  assert.equal(await notifyOverdue(ctx), 0);
  assert.equal(await sendWorkDigests(ctx), 2, 'the handler and the admin');
  assert.equal(await sendWorkDigests(ctx), 0, 'once a day');
  await deliverNow(ctx);
  const ott = await catcher.messagesTo('ott@example.ee');
  assert.equal(ott.filter((m) => m.subject.startsWith('Tähtaeg ületatud')).length, 1);
  const digest = ott.find((m) => m.subject.startsWith('Töölaud'))!;
  assert.match(digest.subject, /1 teid ootavat teadet, 1 üle tähtaja/);
  assert.ok(linksIn(digest).includes(`${ctx.config.publicUrl}/teated/${reportId}`));
  const juht = await catcher.messagesTo('juht@example.ee');
  assert.match(juht.find((m) => m.subject.startsWith('Töölaud'))!.subject, /0 teid ootavat teadet/);
});
