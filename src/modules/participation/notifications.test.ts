import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { inScope } from '../../platform/db/database';
import { residences } from '../register/testSupport';
import { deliverNow, giveVerifiedEmail, linksIn, mailForTests } from '../notifications/testSupport';
import { advanceVote } from './manageVotes';
import { tellAboutVotes } from './tellPeople';

/**
 * What a vote tells its electorate, through real SMTP: that it opened (to those who set up
 * notifications), a reminder a day before it closes to those who have not voted — and to nobody
 * else, with nothing that shows who was reminded —, the published results; and the author of an
 * idea is told of its review. Each once.
 */
const M = '0793';
const { catcher, env } = await mailForTests();
const { ctx, app } = await testPlatform({ env });
const officialP = await makePerson(ctx, { givenName: 'Olev', familyName: 'Ametnik' });
await grantRole(ctx, M, officialP.id, 'admin');
const official = await sessionFor(ctx, officialP.id);
const settlement = (
  await ctx.db
    .selectFrom('place')
    .select('code')
    .where('municipality_code', '=', M)
    .where('level', '=', 'settlement')
    .orderBy('code')
    .executeTakeFirstOrThrow()
).code;

async function resident(email: string | null, lang: 'et' | 'ru' | 'en' = 'et', municipality = M) {
  const p = await makePerson(ctx, { birthDate: '1980-02-02' });
  if (municipality === M)
    await residences(ctx, M, p.id, [{ validFrom: '2000-01-01', settlementCode: settlement, municipalityCode: M }]);
  if (email) await giveVerifiedEmail(ctx, p.id, email, { language: lang });
  return { ...p, s: await sessionFor(ctx, p.id) };
}
const voter = await resident('voter@example.ee');
await resident('other@example.ee', 'en');
await resident(null); // eligible, never set up notifications: not written to
await resident('outsider@example.ee', 'et', '0000'); // not in the electorate

const call = async (method: string, url: string, who: { headers: Record<string, string> } | null, body?: unknown) => {
  const r = await app.inject({
    method: method as 'POST',
    url: `/api/v1${url}`,
    headers: who?.headers ?? {},
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null };
};
const base = `/municipalities/${M}/votes`;
const subjects = async (to: string) => (await catcher.messagesTo(to)).map((m) => m.subject);
const moveClose = (voteId: string, interval: string) =>
  inScope(ctx.db, { tenant: M }, async (trx) => {
    await sql`UPDATE pv_vote SET closes_at = now() + ${interval}::interval WHERE municipality_code = ${M} AND id = ${voteId}`.execute(
      trx,
    );
    await sql`UPDATE bb_box SET closes_at = now() + ${interval}::interval
               WHERE municipality_code = ${M} AND id = (SELECT box_id FROM pv_vote WHERE municipality_code = ${M} AND id = ${voteId})`.execute(
      trx,
    );
  });

let voteId = '';

test('a vote opening is told to its electorate who set up notifications, once, in their language', async () => {
  const created = await call('POST', base, official, {
    kind: 'poll',
    title: 'Uus mänguväljak',
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    electorate: { scope: 'municipality', minAge: 16 },
    questions: [{ text: 'Kas ehitame?', kind: 'yesno', allowBlank: false }],
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  voteId = created.body.id;
  assert.equal((await call('POST', `${base}/${voteId}/schedule`, official)).body.phase, 'open');
  await advanceVote(ctx, M, voteId);
  assert.equal(await tellAboutVotes(ctx), 1);
  assert.equal(await tellAboutVotes(ctx), 0, 'told once');
  await deliverNow(ctx);
  assert.deepEqual(await subjects('voter@example.ee'), ['Hääletus on avatud: Uus mänguväljak']);
  const [en] = await catcher.messagesTo('other@example.ee');
  assert.equal(en?.subject, 'Voting is open: Uus mänguväljak');
  assert.ok(linksIn(en!).includes(`${ctx.config.publicUrl}/haaletused/${M}/${voteId}`));
  assert.deepEqual(await subjects('outsider@example.ee'), []);
  const written = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('notification').select('person_id').where('topic', '=', 'participation.vote-opened').execute(),
  );
  assert.equal(written.length, 2, 'only those who set up notifications get one');
});

test('the reminder before closing reaches only those who have not voted, and shows no one else who they are', async () => {
  const cast = await call('POST', `${base}/${voteId}/ballots`, voter.s, {
    answers: [{ questionId: 1, choiceIds: [1] }],
  });
  assert.equal(cast.status, 200, JSON.stringify(cast.body));
  await moveClose(voteId, '3 hours');
  assert.equal(await tellAboutVotes(ctx), 1);
  assert.equal(await tellAboutVotes(ctx), 0);
  await deliverNow(ctx);
  assert.deepEqual(
    await subjects('voter@example.ee'),
    ['Hääletus on avatud: Uus mänguväljak'],
    'the voter is not reminded',
  );
  const reminder = (await catcher.messagesTo('other@example.ee')).at(-1)!;
  assert.equal(reminder.subject, 'Voting closes soon: Uus mänguväljak');
  // The message says the same to everyone (the footer names the topic, as in every message).
  assert.doesNotMatch(reminder.text.split('\n-- \n')[0]!, /voted/i, 'the text is the same for everyone');
  // Nobody but the recipient can see who was reminded: not the municipality's officials.
  const seen = await inScope(ctx.db, { tenant: M, actor: officialP.id }, (trx) =>
    trx.selectFrom('notification').select('person_id').where('topic', '=', 'participation.vote-reminder').execute(),
  );
  assert.deepEqual(seen, []);
  const mine = await call('GET', '/me/notifications', voter.s);
  assert.equal(
    mine.body.items.some((n: { topic: string }) => n.topic === 'participation.vote-reminder'),
    false,
  );
});

test('published results are told to the electorate once', async () => {
  await moveClose(voteId, '-1 second');
  assert.equal(await advanceVote(ctx, M, voteId), 'closed');
  assert.equal((await call('POST', `${base}/${voteId}/publish`, official)).status, 200);
  assert.equal(await tellAboutVotes(ctx), 1);
  assert.equal(await tellAboutVotes(ctx), 0);
  await deliverNow(ctx);
  assert.equal((await subjects('voter@example.ee')).at(-1), 'Tulemused: Uus mänguväljak');
  assert.equal((await subjects('other@example.ee')).at(-1), 'Results: Uus mänguväljak');
  assert.equal((await subjects('other@example.ee')).filter((s) => s.startsWith('Results')).length, 1);
});
