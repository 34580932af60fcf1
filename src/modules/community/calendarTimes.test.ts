import { test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';

/**
 * iCalendar times as calendar apps read them: every feed (public, one event, personal) gives
 * absolute times — for events on both sides of the next daylight-saving changes in Tallinn, the
 * instant ical.js reads equals the JSON API's instant, and the time is UTC, not floating (a
 * floating time is whatever wall clock the reader's computer has, which is how the feeds were
 * two or three hours early). DTSTAMP is UTC; a midnight-to-midnight event is an all-day one.
 */
const { ctx, app } = await testPlatform();
const organiserP = await makePerson(ctx);
await grantRole(ctx, '0000', organiserP.id, 'editor');
const organiser = await sessionFor(ctx, organiserP.id);
const call = (method: string, url: string, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: organiser.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

/** The last Sunday of a month, at 01:00 UTC: when EU summer time starts (March) or ends (October). */
const lastSunday = (year: number, month: number) => {
  const d = new Date(Date.UTC(year, month + 1, 0, 1));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d;
};
const now = Date.now();
const year = new Date(now).getUTCFullYear();
const changes = [lastSunday(year, 2), lastSunday(year, 9), lastSunday(year + 1, 2), lastSunday(year + 1, 9)]
  .filter((d) => d.getTime() > now + 2 * 86_400_000)
  .slice(0, 2);
const day = 86_400_000;
// Noon in Tallinn the day before a change and the day after (10:00Z in winter, 09:00Z in summer), 2 h long.
const noon = (d: Date, offsetDays: number) => {
  const date = new Date(d.getTime() + offsetDays * day);
  const iso = date.toISOString().slice(0, 10);
  const utcHour = Number(
    new Intl.DateTimeFormat('en', { timeZone: 'Europe/Tallinn', timeZoneName: 'shortOffset' })
      .formatToParts(new Date(`${iso}T12:00:00Z`))
      .find((p) => p.type === 'timeZoneName')!
      .value.replace('GMT+', ''),
  );
  return new Date(`${iso}T${String(12 - utcHour).padStart(2, '0')}:00:00Z`);
};
const specs = changes.flatMap((c) => [
  { title: `Enne ${c.toISOString().slice(0, 10)}`, start: noon(c, -1), hours: 2 },
  { title: `Pärast ${c.toISOString().slice(0, 10)}`, start: noon(c, 1), hours: 2 },
  // Across the night of the change itself: 22:00 to 04:00 local, which is 6 or 5 or 7 wall-clock hours.
  { title: `Üle öö ${c.toISOString().slice(0, 10)}`, start: new Date(c.getTime() - 4 * 3_600_000), hours: 6 },
]);

const created: { id: string; startsAt: string; endsAt: string; title: string }[] = [];
for (const s of specs) {
  const r = await call('POST', '/community/events', {
    kind: 'webinar',
    title: s.title,
    startsAt: s.start.toISOString(),
    endsAt: new Date(s.start.getTime() + s.hours * 3_600_000).toISOString(),
    location: '',
    onlineUrl: 'https://meet.example.invalid/x',
    capacity: 50,
    visibility: 'public',
  });
  assert.equal(r.statusCode, 201, r.body);
  const json = (await call('GET', `/community/events/${r.json().id}`)).json();
  created.push({ id: json.id, startsAt: json.startsAt, endsAt: json.endsAt, title: json.title });
}
// An all-day event on the day summer time starts or ends: midnight to midnight in Tallinn (23 or 25 hours).
const changeDay = changes[0]!.toISOString().slice(0, 10);
const midnight = (iso: string) => {
  const probe = new Date(`${iso}T00:00:00Z`);
  const offset = Number(
    new Intl.DateTimeFormat('en', { timeZone: 'Europe/Tallinn', timeZoneName: 'shortOffset' })
      .formatToParts(probe)
      .find((p) => p.type === 'timeZoneName')!
      .value.replace('GMT+', ''),
  );
  return new Date(probe.getTime() - offset * 3_600_000);
};
const nextDay = new Date(Date.parse(`${changeDay}T12:00:00Z`) + day).toISOString().slice(0, 10);
const allDay = await call('POST', '/community/events', {
  kind: 'seminar',
  title: 'Päev läbi',
  startsAt: midnight(changeDay).toISOString(),
  endsAt: midnight(nextDay).toISOString(),
  location: 'Tartu',
  capacity: 50,
  visibility: 'public',
});
assert.equal(allDay.statusCode, 201, allDay.body);
const allDayId = allDay.json().id as string;

/** The VEVENTs of a feed, by UID, as ical.js reads them. */
function read(body: string) {
  const cal = new ICAL.Component(ICAL.parse(body));
  return new Map(
    cal.getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return [e.uid.replace('@kov-platform', ''), { e, v }] as const;
    }),
  );
}

function checkTimes(body: string, ids: string[]) {
  assert.doesNotMatch(body, /X-WR-TIMEZONE/, 'no calendar-wide zone that times would float in');
  const events = read(body);
  for (const c of created.filter((x) => ids.includes(x.id))) {
    const got = events.get(c.id);
    assert.ok(got, `${c.title} is in the feed`);
    const { e, v } = got;
    for (const [t, json] of [
      [e.startDate, c.startsAt],
      [e.endDate, c.endsAt],
    ] as const) {
      assert.equal(t.isDate, false);
      assert.equal(t.zone?.tzid, 'UTC', `${c.title}: an absolute (UTC) time, not a floating one`);
      assert.equal(t.toJSDate().toISOString(), json, `${c.title}: the instant of the JSON API`);
    }
    const stamp = v.getFirstProperty('dtstamp')!;
    assert.match(String(stamp.toICALString()), /^DTSTAMP:\d{8}T\d{6}Z$/, 'DTSTAMP in UTC');
  }
  const d = events.get(allDayId);
  if (d) {
    assert.equal(d.e.startDate.isDate, true, 'all-day: a DATE');
    assert.equal(d.e.startDate.toString(), changeDay);
    assert.equal(d.e.endDate.isDate, true);
    assert.equal(d.e.endDate.toString(), nextDay, 'the end date is exclusive');
    assert.match(d.v.toString(), /DTSTART;VALUE=DATE:\d{8}\r\n/);
  }
}

test('the public feed: absolute times on both sides of the daylight-saving changes, DTSTAMP in UTC, all-day as DATE', async () => {
  assert.equal(changes.length, 2);
  const feed = await app.inject({ method: 'GET', url: '/ical/community/public.ics' });
  assert.equal(feed.statusCode, 200);
  checkTimes(
    feed.body,
    created.map((c) => c.id),
  );
  assert.ok(read(feed.body).has(allDayId));
  // Summer and winter: the same wall-clock noon is a different UTC hour, and the feed says so.
  const hours = created.filter((c) => !c.title.startsWith('Üle')).map((c) => new Date(c.startsAt).getUTCHours());
  assert.deepEqual(
    [...new Set(hours)].sort((a, b) => a - b),
    [9, 10],
  );
});

test('one event’s .ics and the personal feed give the same absolute times', async () => {
  for (const c of created) {
    const ics = await call('GET', `/community/events/${c.id}/event.ics`);
    assert.equal(ics.statusCode, 200);
    checkTimes(ics.body, [c.id]);
    assert.equal((await call('POST', `/community/events/${c.id}/registration`)).statusCode, 200);
  }
  const one = await call('GET', `/community/events/${allDayId}/event.ics`);
  checkTimes(one.body, []);
  assert.equal(read(one.body).get(allDayId)!.e.startDate.isDate, true);

  const { url } = (await call('POST', '/community/me/feed')).json();
  const personal = await app.inject({ method: 'GET', url: new URL(url).pathname });
  assert.equal(personal.statusCode, 200, personal.body);
  checkTimes(
    personal.body,
    created.map((c) => c.id),
  );
  assert.equal(read(personal.body).size, created.length);
});
