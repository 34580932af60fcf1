import { test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import type { PersonActor } from '../../platform/auth/actor';
import { REMIND_JOB, NOTIFY_JOB } from './registration';
import { myEvents } from './readEvents';
import { listParticipants } from './manageEvents';
import { listProgrammes, readGroup } from './training';

/** Events: capacity and waiting list under concurrent registrations, reminders, iCalendar, training. */
const platform = await testPlatform();
const { ctx, app } = platform;

const organiserP = await makePerson(ctx);
await grantRole(ctx, '0000', organiserP.id, 'editor');
const organiser = await sessionFor(ctx, organiserP.id);
const officials: { id: string; idCode: string; s: Awaited<ReturnType<typeof sessionFor>> }[] = [];
for (let i = 0; i < 20; i++) {
  const p = await makePerson(ctx, { givenName: `Ametnik${i}` });
  await grantRole(ctx, i % 2 ? '0793' : '0171', p.id, 'analyst');
  officials.push({ ...p, s: await sessionFor(ctx, p.id) });
}
const residentP = await makePerson(ctx);
const resident = await sessionFor(ctx, residentP.id);
const call = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const asActor = (personId: string, roles: PersonActor['roles'] = []): PersonActor => ({
  kind: 'person',
  personId,
  givenName: null,
  familyName: null,
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles,
  acr: 'high',
});
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const inDays = (d: number, h = 10) => new Date(Date.now() + d * 86_400_000 + h * 3_600_000).toISOString();
const event = (over: Record<string, unknown> = {}) => ({
  kind: 'workshop',
  title: 'Töötuba',
  startsAt: inDays(5),
  endsAt: inDays(5, 13),
  location: 'Tallinn',
  capacity: 5,
  visibility: 'officials',
  ...over,
});

test('concurrent registrations: exactly the capacity gets places, the rest join the waiting list in order', async () => {
  const created = await call('POST', '/community/events', organiser.headers, event());
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  const results = await Promise.all(
    officials.map((o) => call('POST', `/community/events/${id}/registration`, o.s.headers)),
  );
  for (const r of results) assert.equal(r.statusCode, 200, r.body);
  const bodies = results.map((r) => r.json());
  assert.equal(bodies.filter((b) => b.status === 'registered').length, 5);
  assert.equal(bodies.filter((b) => b.status === 'waitlisted').length, 15);
  assert.deepEqual(
    bodies
      .filter((b) => b.status === 'waitlisted')
      .map((b) => b.waitlistPosition)
      .sort((a, b) => a - b),
    Array.from({ length: 15 }, (_, i) => i + 1),
  );
  const e = (await call('GET', `/community/events/${id}`, officials[0]!.s.headers)).json();
  assert.equal(e.registered, 5);
  assert.equal(e.waitlisted, 15);
  assert.equal(e.placesLeft, 0);

  // Registering again changes nothing.
  const again = await call('POST', `/community/events/${id}/registration`, officials[0]!.s.headers);
  assert.equal(again.json().status, bodies[0].status);

  // Two registered people cancel at the same moment: the first two on the waiting list move up.
  const registered = officials.filter((_, i) => bodies[i].status === 'registered');
  const waiting = officials
    .map((o, i) => ({ o, pos: bodies[i].waitlistPosition as number | null }))
    .filter((x) => x.pos !== null)
    .sort((a, b) => a.pos! - b.pos!);
  await Promise.all(
    registered.slice(0, 2).map((o) => call('DELETE', `/community/events/${id}/registration`, o.s.headers)),
  );
  const after2 = (await call('GET', `/community/events/${id}`, officials[0]!.s.headers)).json();
  assert.equal(after2.registered, 5);
  assert.equal(after2.waitlisted, 13);
  for (const w of waiting.slice(0, 2))
    assert.equal((await call('GET', `/community/events/${id}`, w.o.s.headers)).json().myStatus, 'registered');
  assert.equal((await call('GET', `/community/events/${id}`, waiting[2]!.o.s.headers)).json().myWaitlistPosition, 1);
  assert.equal(await ctx.jobs.drain(NOTIFY_JOB), 2);
  const me = (await call('GET', '/community/me', waiting[0]!.o.s.headers)).json();
  assert.equal(me.notifications[0].kind, 'promoted');
  // The typed answers drop nothing: the HTTP answers equal the use cases' own results.
  assert.ok(me.registrations.length > 0 && me.notifications.length > 0);
  assert.deepEqual(me, asJson(await myEvents(ctx, asActor(waiting[0]!.o.id))));
  const participants = (await call('GET', `/community/events/${id}/participants`, organiser.headers)).json();
  assert.ok(participants.length > 0);
  assert.deepEqual(
    participants,
    asJson(await listParticipants(ctx, asActor(organiserP.id, [{ municipalityCode: '0000', role: 'editor' }]), id)),
  );

  // More capacity promotes from the waiting list.
  const bigger = await call('PUT', `/community/events/${id}`, organiser.headers, event({ capacity: 8 }));
  assert.equal(bigger.json().promoted, 3);
  assert.equal((await call('GET', `/community/events/${id}`, officials[0]!.s.headers)).json().registered, 8);
});

test('reminders are sent by a job a day before, once, and not to cancelled registrations', async () => {
  const id = (
    await call(
      'POST',
      '/community/events',
      organiser.headers,
      event({
        title: 'Homne veebiseminar',
        kind: 'webinar',
        startsAt: inDays(0, 20),
        endsAt: inDays(0, 21),
        capacity: null,
        location: '',
        onlineUrl: 'https://meet.example.invalid/x',
      }),
    )
  ).json().id;
  await call('POST', `/community/events/${id}/registration`, officials[0]!.s.headers);
  await call('POST', `/community/events/${id}/registration`, officials[1]!.s.headers);
  await call('DELETE', `/community/events/${id}/registration`, officials[1]!.s.headers);
  assert.ok((await ctx.jobs.drain(REMIND_JOB)) >= 2);
  const first = (await call('GET', '/community/me', officials[0]!.s.headers)).json();
  assert.equal(
    first.notifications.filter((n: { kind: string; eventId: string }) => n.kind === 'reminder' && n.eventId === id)
      .length,
    1,
  );
  const second = (await call('GET', '/community/me', officials[1]!.s.headers)).json();
  assert.equal(
    second.notifications.filter((n: { kind: string; eventId: string }) => n.kind === 'reminder' && n.eventId === id)
      .length,
    0,
  );
});

test('the public sees and subscribes to public events only; iCalendar output parses with ical.js', async () => {
  const pub = (
    await call(
      'POST',
      '/community/events',
      organiser.headers,
      event({
        title: 'Avalik veebiseminar: E-ITS',
        kind: 'webinar',
        visibility: 'public',
        location: '',
        onlineUrl: 'https://meet.example.invalid/e-its',
        capacity: 50,
      }),
    )
  ).json().id;
  const list = (await call('GET', '/community/events')).json();
  assert.deepEqual(
    list.map((e: { id: string }) => e.id),
    [pub],
  );
  assert.equal((await call('GET', '/community/events', resident.headers)).json().length, 1);
  const priv = (await call('GET', '/community/events', officials[0]!.s.headers))
    .json()
    .find((e: { visibility: string }) => e.visibility === 'officials');
  assert.equal((await call('GET', `/community/events/${priv.id}`)).statusCode, 404);
  assert.equal((await call('POST', `/community/events/${priv.id}/registration`, resident.headers)).statusCode, 404);
  assert.equal(
    (await call('POST', `/community/events/${pub}/registration`, resident.headers)).json().status,
    'registered',
  );

  const feed = await app.inject({ method: 'GET', url: '/ical/community/public.ics' });
  assert.equal(feed.statusCode, 200);
  assert.match(feed.headers['content-type'] as string, /text\/calendar/);
  const cal = new ICAL.Component(ICAL.parse(feed.body));
  const vevents = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.equal(vevents.length, 1);
  assert.equal(vevents[0]!.summary, 'Avalik veebiseminar: E-ITS');
  assert.equal(vevents[0]!.uid, `${pub}@kov-platform`);
  assert.equal(vevents[0]!.location, 'https://meet.example.invalid/e-its');
  assert.equal(vevents[0]!.endDate.toJSDate().getTime() - vevents[0]!.startDate.toJSDate().getTime(), 3 * 3_600_000);

  // A personal feed by secret address: my registrations, waiting ones marked.
  const { url } = (await call('POST', '/community/me/feed', officials[19]!.s.headers)).json();
  const personal = await app.inject({ method: 'GET', url: new URL(url).pathname });
  assert.equal(personal.statusCode, 200, personal.body);
  const mine = new ICAL.Component(ICAL.parse(personal.body))
    .getAllSubcomponents('vevent')
    .map((v) => new ICAL.Event(v).summary);
  assert.equal(mine.length, 1);
  assert.equal(
    (await app.inject({ method: 'GET', url: '/ical/community/me/AAAAAAAAAAAAAAAAAAAAAAAA.ics' })).statusCode,
    404,
  );

  // A cancelled event stays in the feed as CANCELLED with a higher SEQUENCE.
  await call('POST', `/community/events/${pub}/cancel`, organiser.headers);
  const after = new ICAL.Component(
    ICAL.parse((await app.inject({ method: 'GET', url: '/ical/community/public.ics' })).body),
  ).getFirstSubcomponent('vevent')!;
  assert.equal(after.getFirstPropertyValue('status'), 'CANCELLED');
  assert.equal(after.getFirstPropertyValue('sequence'), 1);
});

test('training: group members attend sessions and complete the programme at the required number', async () => {
  const programme = (
    await call('POST', '/training/programmes', organiser.headers, {
      title: 'Teenuste omanike arenguprogramm',
      requiredSessions: 2,
    })
  ).json().id;
  const badRegion = await call('POST', `/training/programmes/${programme}/groups`, organiser.headers, {
    name: 'Lõuna',
    regionCode: '0793',
  });
  assert.equal(badRegion.statusCode, 400);
  const group = (
    await call('POST', `/training/programmes/${programme}/groups`, organiser.headers, {
      name: 'Lõuna-Eesti',
      regionCode: '0079',
    })
  ).json().id;
  const [a, b] = [officials[3]!, officials[4]!];
  for (const m of [a, b])
    assert.equal(
      (await call('POST', `/training/groups/${group}/members`, organiser.headers, { personId: m.id })).statusCode,
      201,
    );
  assert.equal(
    (await call('POST', `/training/groups/${group}/members`, organiser.headers, { personId: residentP.id })).statusCode,
    400,
  );
  const sessions = [];
  for (let i = 1; i <= 3; i++)
    sessions.push(
      (
        await call(
          'POST',
          '/community/events',
          organiser.headers,
          event({ kind: 'training_meeting', title: `Kohtumine ${i}`, groupId: group, capacity: 20 }),
        )
      ).json().id,
    );
  assert.equal(
    (await call('POST', `/community/events/${sessions[0]}/registration`, officials[5]!.s.headers)).statusCode,
    403,
    'only members',
  );
  for (const s of sessions)
    for (const m of [a, b]) await call('POST', `/community/events/${s}/registration`, m.s.headers);
  await call('PUT', `/community/events/${sessions[0]}/attendance`, organiser.headers, {
    marks: [
      { personId: a.id, attended: true },
      { personId: b.id, attended: true },
    ],
  });
  const r = await call('PUT', `/community/events/${sessions[1]}/attendance`, organiser.headers, {
    marks: [
      { personId: a.id, attended: true },
      { personId: b.id, attended: false },
    ],
  });
  assert.equal(r.json().groupCompleted, 1);
  const g = (await call('GET', `/training/groups/${group}`, a.s.headers)).json();
  assert.deepEqual(g.members.map((m: { attended: number; completed: boolean }) => [m.attended, m.completed]).sort(), [
    [1, false],
    [2, true],
  ]);
  // A correction takes completion back.
  await call('PUT', `/community/events/${sessions[1]}/attendance`, organiser.headers, {
    marks: [{ personId: a.id, attended: false }],
  });
  const g2 = (await call('GET', `/training/groups/${group}`, a.s.headers)).json();
  assert.equal(g2.members.filter((m: { completed: boolean }) => m.completed).length, 0);
  const bad = await call('PUT', `/community/events/${sessions[2]}/attendance`, organiser.headers, {
    marks: [{ personId: residentP.id, attended: true }],
  });
  assert.equal(bad.statusCode, 400);
  const programmes = (await call('GET', '/training/programmes', a.s.headers)).json();
  assert.equal(programmes.find((p: { id: string }) => p.id === programme).groups[0].members, 2);
  // The typed answers drop nothing: the HTTP answers equal readGroup's and listProgrammes' own results.
  const aActor = asActor(a.id, [{ municipalityCode: '0171', role: 'analyst' }]);
  assert.ok(g2.sessions.length > 0 && g2.members.length > 0);
  assert.deepEqual(g2, asJson(await readGroup(ctx, aActor, group)));
  assert.deepEqual(programmes, asJson(await listProgrammes(ctx, aActor)));
});

test('organising is for ELVL editors; bad event input is explained', async () => {
  assert.equal((await call('POST', '/community/events', officials[0]!.s.headers, event())).statusCode, 403);
  const bad = await call('POST', '/community/events', organiser.headers, event({ endsAt: inDays(4), location: '' }));
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    bad.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/body/endsAt', '/body/location'],
  );
});

test('three languages: Russian and English titles and descriptions are kept, blank ones dropped, an edit without them keeps them; readers get their language or the Estonian text flagged', async () => {
  const created = await call(
    'POST',
    '/community/events',
    organiser.headers,
    event({
      title: 'Kogukonnapäev',
      description: 'Tule kõik!',
      visibility: 'public',
      translations: { title: { ru: ' День общины ', en: '  ' }, description: { en: 'Come all!' } },
    }),
  );
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  const read = async () => (await call('GET', `/community/events/${id}`, resident.headers)).json();
  assert.deepEqual((await read()).translations, { title: { ru: 'День общины' }, description: { en: 'Come all!' } });

  // An edit without translations (an older client) keeps them; an empty object removes them.
  const base = event({ title: 'Kogukonnapäev', description: 'Tule kõik!', visibility: 'public' });
  const kept = await call('PUT', `/community/events/${id}`, organiser.headers, base);
  assert.equal(kept.statusCode, 200, kept.body);
  assert.deepEqual((await read()).translations, { title: { ru: 'День общины' }, description: { en: 'Come all!' } });

  // An untranslated event beside it.
  const plain = await call(
    'POST',
    '/community/events',
    organiser.headers,
    event({ title: 'Ainult eesti keeles', visibility: 'public' }),
  );
  assert.equal(plain.statusCode, 201, plain.body);
  assert.deepEqual(
    (await call('GET', `/community/events/${plain.json().id}`, resident.headers)).json().translations,
    {},
  );

  // "Minu vald" / what is open now, in Russian: the Russian title, and the Estonian one flagged.
  for (const e of [id, plain.json().id]) {
    const r = await call('POST', `/community/events/${e}/registration`, resident.headers);
    assert.equal(r.statusCode, 200, r.body);
  }
  const now = await call('GET', '/now?lang=ru', resident.headers);
  assert.equal(now.statusCode, 200, now.body);
  const items = Object.fromEntries(
    (now.json().mine.event.items as { id: string; title: string; untranslated?: boolean }[]).map((i) => [i.id, i]),
  );
  assert.equal(items[id]?.title, 'День общины');
  assert.equal(items[id]?.untranslated, undefined);
  assert.equal(items[plain.json().id]?.title, 'Ainult eesti keeles');
  assert.equal(items[plain.json().id]?.untranslated, true);

  const cleared = await call('PUT', `/community/events/${id}`, organiser.headers, { ...base, translations: {} });
  assert.equal(cleared.statusCode, 200, cleared.body);
  assert.deepEqual((await read()).translations, {});

  // Bad input names the field.
  const tooLong = await call('PUT', `/community/events/${id}`, organiser.headers, {
    ...base,
    translations: { title: { ru: 'я'.repeat(201) } },
  });
  assert.equal(tooLong.statusCode, 400, tooLong.body);
  assert.match(tooLong.body, /translations\/title\/ru/);
  const unknownField = await call('PUT', `/community/events/${id}`, organiser.headers, {
    ...base,
    translations: { location: { ru: 'Таллинн' } },
  });
  assert.equal(unknownField.statusCode, 400, unknownField.body);
});
