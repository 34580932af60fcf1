/**
 * The typed vote schemas (schemas.ts: VoteSchema with its rules, MyVoteSchema) leave nothing out:
 * the HTTP answers of GET /participation/my-votes, GET …/votes/{id} and GET …/votes/{id}/me equal
 * the use cases' own results as JSON (the serializer writes only the fields a schema names). The
 * votes are a poll (voted), a budget with translations and districts, and an elder election, so
 * every field of the rules appears.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import type { PersonActor } from '../../platform/auth/actor';
import { residences } from '../register/testSupport';
import { myVotes } from './myVotes';
import { getVote } from './manageVotes';
import { myVoteStatus } from './castVote';

const M = '0793';
const { ctx, app } = await testPlatform();
const officialP = await makePerson(ctx);
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
const voterP = await makePerson(ctx, { birthDate: '1960-01-01' });
await residences(ctx, M, voterP.id, [{ validFrom: '2000-01-01', settlementCode: settlement }]);
const voter = await sessionFor(ctx, voterP.id);
const actor: PersonActor = {
  kind: 'person',
  personId: voterP.id,
  givenName: null,
  familyName: null,
  birthDate: '1960-01-01',
  idCodeMasked: '',
  roles: [],
  acr: 'high',
};
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const base = `/api/v1/municipalities/${M}/votes`;
const call = async (
  method: 'GET' | 'POST',
  url: string,
  who: { headers: Record<string, string> },
  payload?: object,
) => {
  const res = await app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  assert.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`);
  return res.json<Record<string, unknown> & { id: string }>();
};
const electorate = { scope: 'municipality', minAge: 16 };

test('votes answer in full over HTTP: my votes, a vote with its rules, my status', async () => {
  const poll = await call('POST', base, official, {
    kind: 'poll',
    title: 'Poll',
    opensAt: iso(-60_000),
    closesAt: iso(3_600_000),
    electorate,
    questions: [{ text: 'Yes?', kind: 'yesno', allowBlank: true }],
  });
  await call('POST', `${base}/${poll.id}/schedule`, official);
  await call('POST', `${base}/${poll.id}/ballots`, voter, { answers: [{ questionId: 1, choiceIds: [1] }] });
  const budget = await call('POST', base, official, {
    kind: 'budget',
    title: 'Eelarve',
    translations: { title: { ru: 'Бюджет', en: 'Budget' }, description: { en: 'Ideas' } },
    description: 'Ideed',
    proposalsCloseAt: iso(3_600_000),
    opensAt: iso(3_700_000),
    closesAt: iso(7_200_000),
    electorate,
    budget: {
      method: 'approval',
      greedy: 'stop',
      rule: 'equal-shares',
      utility: 'cardinality',
      completion: 'none',
      minSupport: 2,
      pooling: true,
      districts: [{ name: 'All', budgetCents: 100_00, settlementCodes: [settlement], minVoters: 3 }],
    },
  });
  await call('POST', `${base}/${budget.id}/proposals`, official);
  const elder = await call('POST', base, official, {
    kind: 'elder',
    title: 'Elder',
    proposalsCloseAt: iso(3_600_000),
    opensAt: iso(3_700_000),
    closesAt: iso(7_200_000),
    electorate,
    elder: { minTurnoutPercent: 12.5, tieRule: 'runoff', candidateMinAge: 21 },
  });
  await call('POST', `${base}/${elder.id}/proposals`, official);

  // My votes: every field of the use case's answer reaches the client.
  const mine = await myVotes(ctx, actor);
  assert.deepEqual(new Set(mine.map((v) => v.id)), new Set([poll.id, budget.id, elder.id]));
  assert.ok(mine.some((v) => v.voted && v.channel === 'internet'));
  const res = await app.inject({ method: 'GET', url: '/api/v1/participation/my-votes', headers: voter.headers });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), asJson(mine));

  for (const id of [poll.id, budget.id, elder.id]) {
    // The vote with its ballot and rules (the ballot box id is internal and not part of the answer).
    const { boxId: _box, ...vote } = await getVote(ctx, actor, M, id);
    assert.deepEqual(await call('GET', `${base}/${id}`, voter), asJson(vote));
    const { vote: v, ...status } = await myVoteStatus(ctx, actor, M, id);
    const { boxId: _b, ...statusVote } = v as typeof v & { boxId?: string };
    assert.deepEqual(await call('GET', `${base}/${id}/me`, voter), asJson({ vote: statusVote, ...status }));
  }
  const rules = (await getVote(ctx, actor, M, budget.id)).rules;
  assert.equal(rules.budget?.rule, 'equal-shares');
  assert.equal(rules.budget?.districts[0]?.minVoters, 3);
  assert.equal((await getVote(ctx, actor, M, elder.id)).rules.elder?.minTurnoutPercent, 12.5);
});
