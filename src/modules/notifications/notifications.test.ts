import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import type { AppContext } from '../../platform/context';
import { giveVerifiedEmail, linksIn, mailForTests, deliverNow } from './testSupport';
import { notify, notifyAreaFollowers, notifyAudience, VERIFY_JOB } from './index';
import { requestEmail } from './settings';
import { deliverDue, sendDigests } from './deliver';
import { unsubscribeToken } from './tokens';

/**
 * The notification service through real SMTP (the mail catcher is a real SMTP server): the
 * address verification link, notifications written in the caller's transaction (and not at all
 * when it rolls back), e-mail in the recipient's language with text and HTML parts and RFC 8058
 * headers, retries after a temporary refusal, suppression after a permanent one, one-click
 * unsubscribe without a login, the digest, followed areas, and the centre.
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
const later = (ms: number): AppContext => ({ ...ctx, now: () => new Date(Date.now() + ms) });

async function person(name: string) {
  const p = await makePerson(ctx, { givenName: name, familyName: 'Testija' });
  return { ...p, s: await sessionFor(ctx, p.id) };
}

async function tell(personId: string, topic: Parameters<typeof notify>[2]['topic'], params: Record<string, unknown>) {
  await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    notify(ctx, trx, { to: personId, topic, municipalityCode: TARTU, params, link: '/teated/1' }),
  );
}

const mailsTo = (address: string) => catcher.messagesTo(address);

test('an address is used only after its verification link is opened; the link works without a login', async () => {
  const anna = await person('Anna');
  const set = await call('PUT', '/api/v1/me/notification-settings/email', anna.s.headers, {
    email: 'anna@example.ee',
    language: 'en',
  });
  assert.equal(set.statusCode, 202, set.body);
  assert.equal(set.json().email, null);
  assert.equal(set.json().pendingEmail, 'anna@example.ee');
  // Nothing is e-mailed to an unverified address.
  await tell(anna.id, 'reports.status', {
    reportId: 1,
    category: { et: 'Teed', en: 'Roads', ru: 'Дороги' },
    status: 'fixed',
  });
  const stats = await deliverNow(ctx);
  assert.equal(stats.sent, 0);
  assert.equal(stats.skipped, 1);

  assert.equal(await ctx.jobs.drain(VERIFY_JOB), 1);
  const [mail] = await mailsTo('anna@example.ee');
  assert.ok(mail, 'the verification mail arrived');
  assert.equal(mail.subject, 'Confirm your e-mail address');
  const link = linksIn(mail).find((l) => l.includes('/teavitused/kinnita/'))!;
  assert.ok(link.startsWith(ctx.config.publicUrl));
  const token = link.split('/').pop()!;
  const ok = await call('POST', '/api/v1/notifications/verify', {}, { token });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().email, 'anna@example.ee');
  const again = await call('POST', '/api/v1/notifications/verify', {}, { token });
  assert.equal(again.statusCode, 400, 'a used link does not work twice');
  assert.equal(again.json().type, '/problems/notification-verification-invalid');
  const settings = (await call('GET', '/api/v1/me/notification-settings', anna.s.headers)).json();
  assert.equal(settings.email, 'anna@example.ee');
  assert.equal(settings.language, 'en');
  assert.ok(settings.emailVerifiedAt);
});

test('bad input is refused with a clear answer and changes nothing', async () => {
  const bert = await person('Bert');
  const carl = await person('Carl');
  await giveVerifiedEmail(ctx, carl.id, 'carl@example.ee');
  const before = (await call('GET', '/api/v1/me/notification-settings', bert.s.headers)).json();

  const invalidAddress = await call('PUT', '/api/v1/me/notification-settings/email', bert.s.headers, {
    email: 'not an address',
  });
  assert.equal(invalidAddress.statusCode, 400);
  assert.equal(invalidAddress.json().errors[0].pointer, '/body/email');

  const taken = await call('PUT', '/api/v1/me/notification-settings/email', bert.s.headers, {
    email: 'CARL@example.ee',
  });
  assert.equal(taken.statusCode, 409);
  assert.equal(taken.json().type, '/problems/notification-email-taken');

  // A link asked for three days ago has expired.
  await requestEmail(later(-3 * 86_400_000), await actorOf(bert.id), { email: 'bert@example.ee' });
  await ctx.jobs.drain(VERIFY_JOB);
  const expiredMail = (await mailsTo('bert@example.ee')).at(-1);
  assert.equal(expiredMail, undefined, 'an expired request sends nothing');
  const { token: expiredToken } = await pendingTokenFor(bert.id, 'bert@example.ee', later(-3 * 86_400_000));
  const expired = await call('POST', '/api/v1/notifications/verify', {}, { token: expiredToken });
  assert.equal(expired.statusCode, 410);
  assert.equal(expired.json().type, '/problems/notification-verification-expired');

  const forged = await call('POST', '/api/v1/notifications/verify', {}, { token: 'x'.repeat(43) });
  assert.equal(forged.statusCode, 400);

  // A forged unsubscribe token: refused, the preference is unchanged.
  const real = unsubscribeToken(ctx.config.secrets.pseudonymKey, bert.id, 'reports.status');
  const forgedUnsub = real.slice(0, -4) + (real.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const r = await call('POST', '/api/v1/notifications/unsubscribe', {}, { token: forgedUnsub });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().type, '/problems/notification-unsubscribe-invalid');
  const otherPerson = unsubscribeToken(ctx.config.secrets.pseudonymKey, carl.id, 'reports.status').split('.');
  const mixed = [...real.split('.').slice(0, -1), otherPerson.at(-1)].join('.');
  assert.equal((await call('POST', '/api/v1/notifications/unsubscribe', {}, { token: mixed })).statusCode, 400);

  const after = (await call('GET', '/api/v1/me/notification-settings', bert.s.headers)).json();
  assert.equal(after.email, before.email);
  assert.deepEqual(after.topics, before.topics);
  // Carl still has his address.
  assert.equal((await call('GET', '/api/v1/me/notification-settings', carl.s.headers)).json().email, 'carl@example.ee');
});

test('a notification of a rolled-back change is never written or sent; a committed one is sent once', async () => {
  const dora = await person('Dora');
  await giveVerifiedEmail(ctx, dora.id, 'dora@example.ee', { language: 'ru' });
  await assert.rejects(
    inScope(ctx.db, { tenant: TARTU }, async (trx) => {
      await notify(ctx, trx, {
        to: dora.id,
        topic: 'reports.closed',
        municipalityCode: TARTU,
        params: { reportId: 7 },
        link: '/teated/7',
      });
      throw new Error('the change failed');
    }),
  );
  await tell(dora.id, 'reports.closed', {
    reportId: 8,
    category: { et: 'Teed', ru: 'Дороги', en: 'Roads' },
    status: 'fixed',
    text: 'Auk on parandatud. Teataja 38001085718 tänab.',
    surveyPath: '/teated/8?key=abc',
  });
  const stats = await deliverNow(ctx);
  assert.equal(stats.sent, 1);
  assert.equal((await deliverNow(ctx)).sent, 0, 'nothing is sent twice');
  const mails = await mailsTo('dora@example.ee');
  assert.equal(mails.length, 1);
  const m = mails[0]!;
  assert.match(m.subject, /Сообщение Дороги #8 решено/);
  assert.ok(m.html?.includes('lang="ru"'));
  assert.ok(m.text.includes('Оценить решение: http'));
  assert.ok(linksIn(m).includes(`${ctx.config.publicUrl}/teated/8?key=abc`), 'the satisfaction link');
  assert.equal(/38001085718/.test(m.text + m.html + m.subject), false, 'no personal ID code in any part');
  assert.ok(m.text.includes('380010*****'));
  assert.match(m.headers['list-unsubscribe-post'] ?? '', /List-Unsubscribe=One-Click/);
  assert.match(m.headers['list-unsubscribe'] ?? '', /^<http:\/\/.+\/teavitused\/loobu\/u1\./);
  assert.equal(m.headers['content-language'], 'ru');
  assert.equal(m.headers['auto-submitted'], 'auto-generated');
  assert.ok(m.messageId);
});

test('a temporary refusal is retried with backoff and delivered once', async () => {
  const eero = await person('Eero');
  await giveVerifiedEmail(ctx, eero.id, 'eero@example.ee');
  catcher.setRules([{ to: 'eero@example.ee', code: 451, message: 'Greylisted, try again later', times: 1 }]);
  await tell(eero.id, 'reports.received', { reportId: 9, category: { et: 'Valgustus' }, municipality: 'Tartu linn' });
  const first = await deliverNow(ctx);
  assert.equal(first.retried, 1);
  assert.equal((await mailsTo('eero@example.ee')).length, 0);
  // Not before its time …
  assert.equal((await deliverNow(ctx)).sent, 0);
  // … but once the backoff has passed.
  const second = await deliverDue(later(10 * 60_000));
  assert.equal(second.sent, 1);
  assert.equal((await deliverDue(later(60 * 60_000))).sent, 0);
  assert.equal((await mailsTo('eero@example.ee')).length, 1);
  catcher.setRules([]);
});

test('a permanent refusal stops all further mail to that address until it is verified again', async () => {
  const fred = await person('Fred');
  await giveVerifiedEmail(ctx, fred.id, 'fred@example.ee');
  catcher.setRules([{ to: 'fred@example.ee', code: 550, message: 'No such user' }]);
  await tell(fred.id, 'reports.received', { reportId: 10, category: { et: 'Teed' }, municipality: 'Tartu linn' });
  const r = await deliverNow(ctx);
  assert.equal(r.bounced, 1);
  catcher.setRules([]);
  await tell(fred.id, 'reports.status', { reportId: 10, category: { et: 'Teed' }, status: 'in_progress' });
  const next = await deliverNow(ctx);
  assert.equal(next.sent, 0);
  assert.equal(next.skipped, 1);
  assert.equal((await mailsTo('fred@example.ee')).length, 0);
  const s = (await call('GET', '/api/v1/me/notification-settings', fred.s.headers)).json();
  assert.ok(s.emailBouncedAt, 'the person sees that the address bounced');
  // The centre still shows both.
  const centre = (await call('GET', '/api/v1/me/notifications', fred.s.headers)).json();
  assert.equal(centre.items.length, 2);
});

test('one-click unsubscribe (RFC 8058): a POST to the List-Unsubscribe address, without a login, stops that topic only', async () => {
  const gert = await person('Gert');
  await giveVerifiedEmail(ctx, gert.id, 'gert@example.ee');
  await tell(gert.id, 'reports.status', { reportId: 11, category: { et: 'Teed' }, status: 'in_progress' });
  await deliverNow(ctx);
  const [m] = await mailsTo('gert@example.ee');
  const url = new URL(/^<(.+)>$/.exec(m!.headers['list-unsubscribe']!)![1]!);
  // A link scanner's GET changes nothing (it is the web page).
  const get = await call('GET', url.pathname);
  assert.notEqual(get.statusCode, 200);
  const post = await app.inject({
    method: 'POST',
    url: url.pathname,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(post.statusCode, 200, post.body);
  // Multipart, as some providers send it, works too (and repeating changes nothing).
  const boundary = '----kov';
  const multipart = await app.inject({
    method: 'POST',
    url: url.pathname,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
  });
  assert.equal(multipart.statusCode, 200, multipart.body);
  const settings = (await call('GET', '/api/v1/me/notification-settings', gert.s.headers)).json();
  const status = settings.topics.find((t: { topic: string }) => t.topic === 'reports.status');
  assert.deepEqual([status.inApp, status.email], [true, false]);
  await tell(gert.id, 'reports.status', { reportId: 11, category: { et: 'Teed' }, status: 'fixed' });
  await tell(gert.id, 'reports.answered', { reportId: 11, category: { et: 'Teed' }, text: 'Vastus' });
  const r = await deliverNow(ctx);
  assert.equal(r.sent, 1, 'only the other topic');
  assert.deepEqual(
    (await mailsTo('gert@example.ee')).map((x) => x.subject),
    ['Teade Teed #11: töös', 'Vastus teatele Teed #11'],
  );
  const bad = await app.inject({
    method: 'POST',
    url: '/teavitused/loobu/u1.garbage.reports.status.xx',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(bad.statusCode, 400);
});

test('the daily digest holds e-mails and sends them together; urgent topics are not held', async () => {
  const hele = await person('Hele');
  await giveVerifiedEmail(ctx, hele.id, 'hele@example.ee', { digest: 'daily' });
  await tell(hele.id, 'reports.status', { reportId: 12, category: { et: 'Teed' }, status: 'in_progress' });
  await tell(hele.id, 'reports.answered', { reportId: 12, category: { et: 'Teed' }, text: 'Tuleme homme.' });
  await tell(hele.id, 'community.reminder', { title: 'Veebiseminar', startsAt: new Date().toISOString() });
  const r = await deliverNow(ctx);
  assert.deepEqual([r.held, r.sent], [2, 1]);
  assert.equal(await sendDigests(ctx), 1);
  assert.equal(await sendDigests(ctx), 0);
  const mails = await mailsTo('hele@example.ee');
  assert.equal(mails.length, 2);
  const digest = mails.find((m) => m.subject.startsWith('Teie igapäevane kokkuvõte'))!;
  assert.match(digest.subject, /2 teavitust/);
  assert.ok(digest.text.includes('Tuleme homme.'));
});

test('followers of a settlement unit or of a drawn area are told of a report there; others are not', async () => {
  const ivo = await person('Ivo');
  const juta = await person('Juta');
  const kalle = await person('Kalle');
  // Tartu's settlement unit 'Tartu linn' (8151) and a square around Raekoja plats.
  const place = await call('POST', '/api/v1/me/follows', ivo.s.headers, { placeCode: '8151', frequency: 'instant' });
  assert.equal(place.statusCode, 201, place.body);
  assert.equal(place.json().placeName, 'Tartu linn');
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [26.71, 58.375],
        [26.73, 58.375],
        [26.73, 58.385],
        [26.71, 58.385],
        [26.71, 58.375],
      ],
    ],
  };
  const area = await call('POST', '/api/v1/me/follows', juta.s.headers, {
    area: square,
    name: 'Kesklinn',
    frequency: 'daily',
  });
  assert.equal(area.statusCode, 201, area.body);
  assert.equal(area.json().municipalityCode, TARTU);
  const far = await call('POST', '/api/v1/me/follows', kalle.s.headers, {
    area: { ...square, coordinates: [square.coordinates[0]!.map(([x, y]) => [x! + 0.2, y!])] },
    name: 'Kaugel',
    frequency: 'instant',
  });
  assert.equal(far.statusCode, 201);
  const dupe = await call('POST', '/api/v1/me/follows', ivo.s.headers, { placeCode: '8151', frequency: 'daily' });
  assert.equal(dupe.statusCode, 409);
  const badPlace = await call('POST', '/api/v1/me/follows', ivo.s.headers, { placeCode: '9999', frequency: 'daily' });
  assert.equal(badPlace.statusCode, 400);
  const openRing = await call('POST', '/api/v1/me/follows', ivo.s.headers, {
    area: { type: 'Polygon', coordinates: [square.coordinates[0]!.slice(0, 4)] },
    name: 'x',
    frequency: 'daily',
  });
  assert.equal(openRing.statusCode, 400);

  const n = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    notifyAreaFollowers(ctx, trx, {
      municipalityCode: TARTU,
      topic: 'reports.area',
      placeCodes: ['8151', TARTU],
      point: { lat: 58.38, lon: 26.72 },
      params: { reportId: 99, category: { et: 'Teed' }, place: 'Tartu linn', description: 'Auk' },
      areaName: (f) => f.name ?? 'Tartu linn',
      link: '/teated/99',
    }),
  );
  assert.equal(n, 2);
  const ivoItems = (await call('GET', '/api/v1/me/notifications', ivo.s.headers)).json().items;
  assert.equal(ivoItems.length, 1);
  assert.equal(ivoItems[0].title, 'Uus teade: Teed — Tartu linn');
  assert.equal((await call('GET', '/api/v1/me/notifications', kalle.s.headers)).json().items.length, 0);
  const jutaItems = (await call('GET', '/api/v1/me/notifications?lang=en', juta.s.headers)).json().items;
  assert.match(jutaItems[0].text, /an area you follow \(Kesklinn\)/);
  // Juta chose "daily": her e-mail waits for the digest.
  await giveVerifiedEmail(ctx, juta.id, 'juta@example.ee');
  await deliverNow(ctx);
  assert.equal((await mailsTo('juta@example.ee')).length, 0);
  await sendDigests(ctx);
  const [digest] = await mailsTo('juta@example.ee');
  assert.ok(digest?.text.includes('Uus teade: Teed — Tartu linn'), digest?.text);

  const list = (await call('GET', '/api/v1/me/follows', juta.s.headers)).json();
  const del = await call('DELETE', `/api/v1/me/follows/${list[0].id}`, juta.s.headers);
  assert.equal(del.statusCode, 204);
  assert.equal((await call('DELETE', `/api/v1/me/follows/${list[0].id}`, juta.s.headers)).statusCode, 404);
});

test('the centre: unread count, mark read, topics switched off for the centre are hidden', async () => {
  const liis = await person('Liis');
  await tell(liis.id, 'reports.received', { reportId: 20, category: { et: 'Teed' }, municipality: 'Tartu linn' });
  await tell(liis.id, 'reports.status', { reportId: 20, category: { et: 'Teed' }, status: 'in_progress' });
  let page = (await call('GET', '/api/v1/me/notifications', liis.s.headers)).json();
  assert.equal(page.unread, 2);
  const read = await call('POST', `/api/v1/me/notifications/${page.items[0].id}/read`, liis.s.headers);
  assert.equal(read.json().unread, 1);
  const off = await call('PUT', '/api/v1/me/notification-settings', liis.s.headers, {
    topics: [{ topic: 'reports.received', inApp: false, email: false }],
  });
  assert.equal(off.statusCode, 200, off.body);
  page = (await call('GET', '/api/v1/me/notifications', liis.s.headers)).json();
  assert.deepEqual(
    page.items.map((i: { topic: string }) => i.topic),
    ['reports.status'],
  );
  assert.equal((await call('POST', '/api/v1/me/notifications/read-all', liis.s.headers)).json().unread, 0);
  // Someone else's notification cannot be marked.
  const other = await person('Other');
  assert.equal(
    (await call('POST', `/api/v1/me/notifications/${page.items[0].id}/read`, other.s.headers)).statusCode,
    404,
  );
  // A required topic cannot be switched off.
  const official = await person('Mati');
  await grantRole(ctx, TARTU, official.id, 'council_member');
  const s2 = await sessionFor(ctx, official.id);
  const req = await call('PUT', '/api/v1/me/notification-settings', s2.headers, {
    topics: [{ topic: 'council.convocation', inApp: true, email: false }],
  });
  assert.equal(req.statusCode, 409);
  assert.equal(req.json().type, '/problems/notification-required');
});

test("officials of the municipality cannot read its residents' notifications (row-level security)", async () => {
  const mari = await person('Mari');
  await tell(mari.id, 'reports.received', { reportId: 21, category: { et: 'Teed' }, municipality: 'Tartu linn' });
  const seen = await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM notification WHERE municipality_code = ${TARTU}`.execute(trx),
  );
  assert.equal(seen.rows[0]!.n, 0);
  const own = await inScope(ctx.db, { actor: mari.id }, (trx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM notification`.execute(trx),
  );
  assert.equal(own.rows[0]!.n, 1);
});

test('an audience is told once, only those who set up notifications and have the topic on', async () => {
  const people = await Promise.all(['Nele', 'Olev', 'Peeter'].map(person));
  await giveVerifiedEmail(ctx, people[0]!.id, 'nele@example.ee');
  await giveVerifiedEmail(ctx, people[1]!.id, 'olev@example.ee');
  // Olev switched the topic off everywhere; Peeter never set anything up.
  await call('PUT', '/api/v1/me/notification-settings', people[1]!.s.headers, {
    topics: [{ topic: 'participation.vote-opened', inApp: false, email: false }],
  });
  const ids = people.map((p) => p.id);
  const send = () =>
    inScope(ctx.db, { tenant: '*' }, (trx) =>
      notifyAudience(ctx, trx, {
        topic: 'participation.vote-opened',
        municipalityCode: TARTU,
        params: { title: 'Küsitlus', closesAt: new Date().toISOString(), municipality: 'Tartu linn' },
        link: '/haaletused/0793/x',
        dedupeKey: 'vote-opened:x',
        audience: sql<{ person_id: string }>`SELECT unnest(${ids}::uuid[]) AS person_id`,
      }),
    );
  assert.equal(await send(), 1);
  assert.equal(await send(), 0, 'the dedupe key makes a repeat write nothing');
  await deliverNow(ctx);
  assert.equal((await mailsTo('nele@example.ee')).length, 1);
  assert.equal((await mailsTo('olev@example.ee')).length, 0);
});

async function actorOf(personId: string) {
  const s = await sessionFor(ctx, personId);
  const me = (await call('GET', '/api/v1/me', s.headers)).json();
  return {
    kind: 'person' as const,
    personId,
    givenName: me.person.givenName,
    familyName: me.person.familyName,
    birthDate: me.person.birthDate,
    idCodeMasked: me.person.idCodeMasked,
    roles: [],
    acr: 'high',
  };
}

async function pendingTokenFor(personId: string, email: string, at: AppContext) {
  const { verificationToken, VERIFICATION_HOURS } = await import('./tokens');
  const expires = new Date(at.now().getTime() + VERIFICATION_HOURS * 3600_000);
  // The request above stored the hash of the token for the expiry it computed; recompute it.
  const row = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    sql<{
      pending_expires_at: Date;
    }>`SELECT pending_expires_at FROM notification_profile WHERE person_id = ${personId}`.execute(trx),
  );
  const exp = row.rows[0]?.pending_expires_at ?? expires;
  return { token: verificationToken(ctx.config.secrets.pseudonymKey, personId, email, exp) };
}
