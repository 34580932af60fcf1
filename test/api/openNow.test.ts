import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../support/app';
import type { PersonActor } from '../../src/platform/auth/actor';
import { residences } from '../../src/modules/register/testSupport';
import { createVote, scheduleVote } from '../../src/modules/participation/manageVotes';
import { makeCouncil, makeSitting } from '../../src/modules/council/testkit';

/**
 * `GET /api/v1/now` (issue 17): what is open for me now in one answer: the person's own items
 * (votes they can take part in and whether they voted, reports, surveys, events) and what is open
 * in the chosen municipality (votes, live and coming council sittings), for strangers too.
 */
const ELVA = '0171';
const platform = await testPlatform();
const { ctx, app } = platform;
const officialP = await makePerson(ctx);
await grantRole(ctx, ELVA, officialP.id, 'admin');
const official: PersonActor = {
  kind: 'person',
  personId: officialP.id,
  givenName: null,
  familyName: null,
  birthDate: '1980-01-01',
  idCodeMasked: '',
  roles: [{ municipalityCode: ELVA, role: 'admin' }],
  acr: 'high',
};
const settlement = (await ctx.db
  .selectFrom('place')
  .select('code')
  .where('municipality_code', '=', ELVA)
  .where('level', '=', 'settlement')
  .orderBy('code')
  .executeTakeFirstOrThrow())!.code;
const resident = await makePerson(ctx, { birthDate: '1980-02-02' });
await residences(ctx, ELVA, resident.id, [{ validFrom: '2000-01-01', settlementCode: settlement }]);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const poll = (title: string, extra: Record<string, unknown> = {}) =>
  createVote(ctx, official, ELVA, {
    kind: 'poll',
    title,
    opensAt: iso(-60_000),
    closesAt: iso(3_600_000),
    electorate: { scope: 'municipality', minAge: 16 },
    questions: [{ text: 'Jah või ei?', kind: 'yesno' }],
    ...extra,
  });
const translated = await poll('Elva park', { translations: { title: { ru: 'Парк Эльвы' } } });
await scheduleVote(ctx, official, ELVA, translated.id);
const plain = await poll('Elva raamatukogu');
await scheduleVote(ctx, official, ELVA, plain.id);
const draft = await poll('Mustand');
const council = await makeCouncil(ctx, { code: ELVA });
const live = await makeSitting(ctx, council);
const coming = await makeSitting(ctx, council, undefined, { open: false });

type Item = { id: string; title: string; status: string; untranslated?: boolean };
const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'GET', url, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

test('a stranger sees what is open in the chosen municipality, in their language or marked Estonian', async () => {
  const now = await get(`/api/v1/now?municipality=${ELVA}&lang=ru`);
  assert.equal(now.mine, null);
  const votes: Item[] = now.open.vote.items;
  assert.deepEqual(votes.map((v: Item) => v.id).sort(), [translated.id, plain.id].sort());
  assert.ok(!votes.some((v: Item) => v.id === draft.id), 'no drafts');
  const tr = votes.find((v: Item) => v.id === translated.id)!;
  assert.equal(tr.title, 'Парк Эльвы');
  assert.equal(tr.untranslated, undefined);
  assert.equal(votes.find((v: Item) => v.id === plain.id)!.untranslated, true);
  const sittings = now.open.sitting.items;
  assert.deepEqual(
    sittings.map((s: Item) => [s.id, s.status]).sort(),
    [
      [live.sittingId, 'live'],
      [coming.sittingId, 'coming'],
    ].sort(),
  );
  // Without a municipality: nothing open is guessed.
  const none = await get('/api/v1/now');
  assert.deepEqual(none.open, {});
  const bad = await app.inject({ method: 'GET', url: '/api/v1/now?municipality=abc' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.headers['content-type'] as string, /problem\+json/);
});

test('a resident sees the votes they can take part in, which they voted in, and what is open', async () => {
  const s = await sessionFor(ctx, resident.id);
  const cast = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/votes/${plain.id}/ballots`,
    headers: s.headers,
    payload: { answers: [{ questionId: 1, choiceIds: [1] }] },
  });
  assert.equal(cast.statusCode, 200, cast.body);
  const now = await get(`/api/v1/now?municipality=${ELVA}&lang=et`, s.headers);
  const mine = Object.fromEntries(now.mine.vote.items.map((v: Item) => [v.id, v.status]));
  assert.deepEqual(mine, { [translated.id]: 'open', [plain.id]: 'voted' });
  assert.deepEqual(now.mine.report, { items: [] });
  assert.deepEqual(now.mine.event, { items: [] });
  assert.equal(now.open.sitting.items.length, 2);
});
