import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { deliverNow, giveVerifiedEmail, linksIn, mailForTests } from '../notifications/testSupport';
import { NOTIFY_JOB, REMIND_JOB } from './registration';

/**
 * Community events tell their participants through real SMTP, each once, in their language:
 * registration confirmed or on the waiting list, promoted from it, the reminder a day before, the
 * cancellation.
 */
const { catcher, env } = await mailForTests();
const { ctx, app } = await testPlatform({ env });
const organiserP = await makePerson(ctx);
await grantRole(ctx, '0000', organiserP.id, 'editor');
const organiser = await sessionFor(ctx, organiserP.id);
async function official(email: string, lang: 'et' | 'en') {
  const p = await makePerson(ctx);
  await grantRole(ctx, '0793', p.id, 'analyst');
  await giveVerifiedEmail(ctx, p.id, email, { language: lang });
  return sessionFor(ctx, p.id);
}
const anu = await official('anu@example.ee', 'et');
const ben = await official('ben@example.ee', 'en');
const call = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const subjects = async (to: string) => (await catcher.messagesTo(to)).map((m) => m.subject);

test('registered, waiting list, promoted, reminded, cancelled: each told once', async () => {
  const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const created = await call('POST', '/community/events', organiser.headers, {
    kind: 'workshop',
    title: 'Andmekaitse töötuba',
    startsAt: at(20),
    endsAt: at(23),
    location: 'Tartu',
    capacity: 1,
    visibility: 'officials',
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  assert.equal((await call('POST', `/community/events/${id}/registration`, anu.headers)).json().status, 'registered');
  assert.equal((await call('POST', `/community/events/${id}/registration`, ben.headers)).json().status, 'waitlisted');
  await deliverNow(ctx);
  assert.deepEqual(await subjects('anu@example.ee'), ['Registreerumine kinnitatud: Andmekaitse töötuba']);
  const [waiting] = await catcher.messagesTo('ben@example.ee');
  assert.equal(waiting?.subject, 'You are on the waiting list: Andmekaitse töötuba');
  assert.match(waiting!.text, /number 1 on the waiting list/);
  assert.ok(linksIn(waiting!).includes(`${ctx.config.publicUrl}/uritused/${id}`));

  assert.equal((await call('DELETE', `/community/events/${id}/registration`, anu.headers)).statusCode, 200);
  assert.equal(await ctx.jobs.drain(NOTIFY_JOB), 1);
  assert.ok((await ctx.jobs.drain(REMIND_JOB)) >= 1);
  assert.equal(await ctx.jobs.drain(REMIND_JOB), 0);
  await deliverNow(ctx);
  assert.deepEqual((await subjects('ben@example.ee')).slice(1), [
    'You got a place: Andmekaitse töötuba',
    (await subjects('ben@example.ee')).find((s) => s.startsWith('Reminder: Andmekaitse töötuba'))!,
  ]);
  assert.equal((await subjects('anu@example.ee')).filter((s) => s.startsWith('Meeldetuletus')).length, 0);

  assert.equal((await call('POST', `/community/events/${id}/cancel`, organiser.headers)).statusCode, 200);
  await ctx.jobs.drain(NOTIFY_JOB);
  await deliverNow(ctx);
  assert.equal((await subjects('ben@example.ee')).at(-1), 'Event cancelled: Andmekaitse töötuba');
  assert.equal((await subjects('ben@example.ee')).filter((s) => s.startsWith('Event cancelled')).length, 1);
});
