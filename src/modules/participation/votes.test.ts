import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { residences } from '../register/testSupport';
import sharp from 'sharp';
import type { PersonActor } from '../../platform/auth/actor';
import { Problem } from '../../platform/http/problems';
import { inScope } from '../../platform/db/database';
import { advanceVote } from './manageVotes';
import { addIdeaPhoto, submitIdea } from './proposals';

/** The rules of polls, elder elections and budgets through the API (and so through the use cases). */
const M = '0793'; // Tartu
const platform = await testPlatform();
const { ctx, app } = platform;
const officialP = await makePerson(ctx, { givenName: 'Olev', familyName: 'Ametnik' });
await grantRole(ctx, M, officialP.id, 'admin');
const official = await sessionFor(ctx, officialP.id);
const settlements = (
  await ctx.db
    .selectFrom('place')
    .select('code')
    .where('municipality_code', '=', M)
    .where('level', '=', 'settlement')
    .orderBy('code')
    .execute()
).map((r) => r.code);
const [S1, S2] = [settlements[0]!, settlements[1]!];

async function resident(opts: { birthDate?: string; settlement?: string; municipality?: string } = {}) {
  const p = await makePerson(ctx, { birthDate: opts.birthDate ?? '1985-03-03' });
  await residences(ctx, opts.municipality ?? M, p.id, [
    { validFrom: '2000-01-01', settlementCode: opts.settlement ?? S1, municipalityCode: opts.municipality ?? M },
  ]);
  return { ...p, s: await sessionFor(ctx, p.id) };
}
const call = async (
  method: string,
  url: string,
  who: { headers: Record<string, string> } | null,
  payload?: unknown,
) => {
  const res = await app.inject({
    method: method as any,
    url: `/api/v1${url}`,
    headers: who?.headers ?? {},
    ...(payload !== undefined ? { payload: payload as any } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
};
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const base = `/municipalities/${M}/votes`;

async function openPoll(extra: Record<string, unknown> = {}) {
  const created = await call('POST', base, official, {
    kind: 'poll',
    title: 'Test poll',
    opensAt: iso(-60_000),
    closesAt: iso(3_600_000),
    electorate: { scope: 'municipality', minAge: 16 },
    questions: [
      { text: 'Yes or no?', kind: 'yesno', allowBlank: true },
      { text: 'Pick up to two', kind: 'multiple', choices: ['A', 'B', 'C'], minChoices: 1, maxChoices: 2 },
    ],
    ...extra,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const scheduled = await call('POST', `${base}/${created.body.id}/schedule`, official);
  assert.equal(scheduled.status, 200, JSON.stringify(scheduled.body));
  assert.equal(scheduled.body.phase, 'open');
  return scheduled.body;
}
const answers = (yes: number, multi: number[]) => ({
  answers: [
    { questionId: 1, choiceIds: [yes] },
    { questionId: 2, choiceIds: multi },
  ],
});
async function closeNow(vote: any) {
  // Move the closing time into the past as the clock would, then let the job close it.
  const { sql } = await import('kysely');
  await sql`UPDATE pv_vote SET closes_at = now() - interval '1 second', opens_at = now() - interval '2 minutes' WHERE id = ${vote.id}`.execute(
    ownerDb(),
  );
  await sql`UPDATE bb_box SET closes_at = now() - interval '1 second', opens_at = now() - interval '2 minutes' WHERE id = ${vote.boxId ?? (await boxOf(vote.id))}`.execute(
    ownerDb(),
  );
  assert.equal(await advanceVote(ctx, M, vote.id), 'closed');
}
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
let owner: Kysely<any> | undefined;
const ownerDb = () =>
  (owner ??= new Kysely<any>({ dialect: new PostgresDialect({ pool: quietPool(platform.ownerUrl) }) }));
function quietPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  return pool;
}
const boxOf = async (voteId: string) =>
  (await ownerDb().selectFrom('pv_vote').select('box_id').where('id', '=', voteId).executeTakeFirstOrThrow())
    .box_id as string;
import { after } from 'node:test';
after(() => owner?.destroy());

test('poll: cast, re-vote (last counts), results hidden until close, publish, receipts', async () => {
  const v = await openPoll();
  // Scheduling enqueued the phase changes (opening, closing) in the same transaction.
  const { sql } = await import('kysely');
  const jobs = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'participation.advance' AND data->>'voteId' = ${v.id}`.execute(
    ownerDb(),
  );
  assert.equal(jobs.rows[0]!.n, 2);
  const a = await resident();
  const b = await resident({ settlement: S2 });
  const r1 = await call('POST', `${base}/${v.id}/ballots`, a.s, answers(1, [4]));
  assert.equal(r1.status, 200, JSON.stringify(r1.body));
  const r2 = await call('POST', `${base}/${v.id}/ballots`, a.s, answers(2, [4, 5]));
  assert.equal(r2.body.replaced, true);
  await call('POST', `${base}/${v.id}/ballots`, b.s, answers(2, [6]));
  const me = await call('GET', `${base}/${v.id}/me`, a.s);
  assert.equal(me.body.voted, true);
  assert.equal(me.body.eligible, true);
  // Hidden from everyone (the admin too) while open.
  for (const who of [official, a.s, null]) {
    const res = await call('GET', `${base}/${v.id}/results`, who);
    assert.equal(res.status, 409);
    assert.equal(res.body.type, '/problems/results-hidden');
  }
  assert.equal((await call('GET', `${base}/${v.id}/results.csv`, official)).status, 409);
  const turnout = await call('GET', `${base}/${v.id}/turnout`, official);
  assert.equal(turnout.body.voters, 2);
  assert.deepEqual(Object.keys(turnout.body).sort(), [
    'bySettlement',
    'electorateSize',
    'internet',
    'paper',
    'percent',
    'voters',
  ]);
  assert.equal((await call('GET', `${base}/${v.id}/receipts/${r1.body.receipt}`, null)).body.status, 'superseded');
  assert.equal((await call('GET', `${base}/${v.id}/receipts/${r2.body.receipt}`, null)).body.status, 'counted');

  await closeNow(v);
  assert.equal(
    (await call('POST', `${base}/${v.id}/ballots`, a.s, answers(1, [4]))).body.type,
    '/problems/vote-not-open',
  );
  assert.equal((await call('GET', `${base}/${v.id}/results`, a.s)).status, 409, 'residents wait for publication');
  const res = await call('GET', `${base}/${v.id}/results`, official);
  assert.equal(res.status, 200);
  assert.equal(res.body.ballots, 2);
  const q1 = res.body.questions[0].choices;
  assert.deepEqual(
    q1.map((c: any) => [c.code, c.votes]),
    [
      ['yes', 0],
      ['no', 2],
      ['blank', 0],
    ],
  );
  const pub = await call('POST', `${base}/${v.id}/publish`, official);
  assert.equal(pub.status, 200);
  const publicRes = await call('GET', `${base}/${v.id}/results`, null);
  assert.equal(publicRes.body.status, 'published');
  assert.equal(publicRes.body.turnout.voters, 2);
  const receipts = await call('GET', `${base}/${v.id}/receipts`, null);
  assert.equal(receipts.body.length, 2);
  assert.ok(receipts.body.includes(r2.body.receipt) && !receipts.body.includes(r1.body.receipt));
  const csv = await app.inject({ method: 'GET', url: `/api/v1${base}/${v.id}/results.csv` });
  assert.match(csv.body, /^question_id,question,choice_id,choice,votes/);
  assert.match(csv.body, /Pick up to two,5,B,1,1/);
});

test('bad ballots and bad timing are clear problems; the rules lock once open; only extending is allowed', async () => {
  const v = await openPoll();
  const a = await resident();
  const expect = async (body: unknown, status: number, type: string, reason?: string) => {
    const r = await call('POST', `${base}/${v.id}/ballots`, a.s, body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.type, type);
    if (reason) assert.equal(r.body.reason, reason);
    assert.ok(r.body.detail);
  };
  await expect(answers(1, [4, 5, 6]), 422, '/problems/invalid-ballot', 'too-many-choices');
  await expect(answers(1, []), 422, '/problems/invalid-ballot', 'too-few-choices');
  await expect(answers(99, [4]), 422, '/problems/invalid-ballot', 'unknown-choice');
  await expect({ answers: [{ questionId: 1, choiceIds: [1] }] }, 422, '/problems/invalid-ballot', 'missing-answer');
  await expect({ answers: 'x' }, 400, '/problems/validation');
  await expect({ answers: [], extra: 1 }, 400, '/problems/validation');
  const young = await resident({ birthDate: '2015-01-01' });
  const r = await call('POST', `${base}/${v.id}/ballots`, young.s, answers(1, [4]));
  assert.equal(r.status, 403);
  assert.equal(r.body.type, '/problems/not-eligible');
  assert.equal(r.body.reason, 'under-age');
  const elsewhere = await resident({
    municipality: '0171',
    settlement: (
      await ctx.db
        .selectFrom('place')
        .select('code')
        .where('municipality_code', '=', '0171')
        .where('level', '=', 'settlement')
        .executeTakeFirstOrThrow()
    ).code,
  });
  assert.equal(
    (await call('POST', `${base}/${v.id}/ballots`, elsewhere.s, answers(1, [4]))).body.reason,
    'not-resident',
  );
  assert.equal((await call('POST', `${base}/${v.id}/ballots`, null, answers(1, [4]))).status, 401);

  // Rules locked once open.
  const change = await call('PUT', `${base}/${v.id}`, official, {
    kind: 'poll',
    title: 'Changed',
    opensAt: v.opensAt,
    closesAt: v.closesAt,
    questions: [{ text: 'x', kind: 'yesno' }],
  });
  assert.equal(change.status, 409);
  assert.equal(change.body.type, '/problems/vote-locked');
  assert.match(change.body.detail, /only the closing time can be extended/i);
  const shorter = await call('POST', `${base}/${v.id}/extend`, official, { closesAt: iso(60_000) });
  assert.equal(shorter.status, 409);
  const longer = await call('POST', `${base}/${v.id}/extend`, official, { closesAt: iso(7_200_000) });
  assert.equal(longer.status, 200);
  assert.equal(longer.body.closesAt, new Date(longer.body.closesAt).toISOString());
  assert.equal((await call('POST', `${base}/${v.id}/close`, official)).status, 409, 'never closed early');
  const audit = await call('GET', `/municipalities/${M}/audit?limit=20`, official);
  assert.ok(audit.body.some((e: any) => e.action === 'participation.vote.extended'));
  // A vote that has not opened yet refuses ballots.
  const later = await call('POST', base, official, {
    kind: 'poll',
    title: 'Later',
    opensAt: iso(3_600_000),
    closesAt: iso(7_200_000),
    electorate: { scope: 'municipality', minAge: 16 },
    questions: [{ text: 'q', kind: 'yesno' }],
  });
  await call('POST', `${base}/${later.body.id}/schedule`, official);
  const early = await call('POST', `${base}/${later.body.id}/ballots`, a.s, {
    answers: [{ questionId: 1, choiceIds: [1] }],
  });
  assert.equal(early.status, 409);
  assert.equal(early.body.type, '/problems/vote-not-open');
  // Incomplete votes cannot be scheduled.
  const empty = await call('POST', base, official, {
    kind: 'poll',
    title: 'Empty',
    opensAt: iso(3_600_000),
    closesAt: iso(7_200_000),
  });
  const sched = await call('POST', `${base}/${empty.body.id}/schedule`, official);
  assert.equal(sched.status, 422);
  assert.deepEqual(sched.body.errors.map((e: any) => e.pointer).sort(), ['/body/electorate', '/body/questions']);
  const badDates = await call('POST', base, official, {
    kind: 'poll',
    title: 'x',
    opensAt: iso(3_600_000),
    closesAt: iso(0),
  });
  assert.equal(badDates.status, 400);
  // Residents cannot create votes.
  assert.equal(
    (await call('POST', base, a.s, { kind: 'poll', title: 'x', opensAt: iso(0), closesAt: iso(10) })).status,
    403,
  );
});

test('paper votes cancel the internet ballot (IVXV), are audited, and paper ballots are counted after closing', async () => {
  const v = await openPoll();
  const a = await resident();
  const b = await resident();
  await call('POST', `${base}/${v.id}/ballots`, a.s, answers(1, [4]));
  await call('POST', `${base}/${v.id}/ballots`, b.s, answers(1, [4]));
  const paper = await call('POST', `${base}/${v.id}/paper-votes`, official, { idCode: a.idCode });
  assert.deepEqual(paper.body, { recorded: true, cancelledInternetBallot: true });
  assert.equal((await call('POST', `${base}/${v.id}/paper-votes`, official, { idCode: a.idCode })).status, 409);
  const again = await call('POST', `${base}/${v.id}/ballots`, a.s, answers(2, [4]));
  assert.equal(again.status, 409);
  assert.equal(again.body.type, '/problems/voted-on-paper');
  const audit = await call('GET', `/municipalities/${M}/audit?limit=10`, official);
  const entry = audit.body.find((e: any) => e.action === 'participation.paper-vote.recorded');
  assert.equal(entry.actorId, officialP.id);
  assert.equal(
    (await call('POST', `${base}/${v.id}/paper-ballots`, official, { ballots: [answers(2, [5])] })).status,
    409,
    'entered after closing',
  );
  await closeNow(v);
  assert.equal(
    (await call('POST', `${base}/${v.id}/paper-ballots`, official, { ballots: [answers(2, [5]), answers(2, [5])] }))
      .status,
    400,
    'no more paper ballots than paper voters',
  );
  assert.equal(
    (await call('POST', `${base}/${v.id}/paper-ballots`, official, { ballots: [answers(2, [5])] })).status,
    200,
  );
  const res = await call('GET', `${base}/${v.id}/results`, official);
  assert.equal(res.body.ballots, 2);
  assert.deepEqual(res.body.byChannel, { internet: 1, paper: 1, import: 0 });
  assert.deepEqual(
    res.body.questions[0].choices.map((c: any) => c.votes),
    [1, 1, 0],
  );
  assert.equal(res.body.turnout.paper, 1);
});

test('participatory budget: ideas, review, knapsack within budget, winners, districts, Pabulib export', async () => {
  const created = await call('POST', base, official, {
    kind: 'budget',
    title: 'Budget 2027',
    proposalsCloseAt: iso(3_000),
    opensAt: iso(4_000),
    closesAt: iso(3_600_000),
    electorate: { scope: 'municipality', minAge: 14 },
    budget: {
      method: 'knapsack',
      greedy: 'skip',
      districts: [
        { name: 'North', budgetCents: 100_00, settlementCodes: [S1] },
        { name: 'South', budgetCents: 50_00, settlementCodes: [S2], minVoters: 5 },
      ],
    },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.id;
  assert.equal(
    (await call('POST', `${base}/${id}/ideas`, (await resident()).s, { title: 'Too early', description: 'x' })).status,
    404,
    'a draft is not public',
  );
  assert.equal((await call('POST', `${base}/${id}/proposals`, official)).status, 200);
  const author = await resident();
  const ideaIds: string[] = [];
  for (const [title, s, cost] of [
    ['North 1', S1, 60_00],
    ['North 2', S1, 50_00],
    ['North 3', S1, 30_00],
    ['South 1', S2, 40_00],
  ] as const) {
    const r = await call('POST', `${base}/${id}/ideas`, author.s, {
      title,
      description: `${title} idea`,
      settlementCode: s,
      estimatedCostCents: cost,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    ideaIds.push(r.body.id);
    const rev = await call('PUT', `${base}/${id}/ideas/${r.body.id}/review`, official, {
      status: 'feasible',
      finalCostCents: cost,
    });
    assert.equal(rev.status, 200, JSON.stringify(rev.body));
  }
  const noReason = await call('PUT', `${base}/${id}/ideas/${ideaIds[0]}/review`, official, { status: 'infeasible' });
  assert.equal(noReason.status, 400);
  await new Promise((r) => setTimeout(r, 4_200));
  assert.equal(await advanceVote(ctx, M, id), 'review');
  const sched = await call('POST', `${base}/${id}/schedule`, official);
  assert.equal(sched.status, 200, JSON.stringify(sched.body));
  assert.equal(sched.body.ballot.questions[0].choices.length, 4);
  const n = sched.body.ballot.questions[0].choices.map((c: any) => c.id);
  const voter = await resident();
  const over = await call('POST', `${base}/${id}/ballots`, voter.s, {
    answers: [{ questionId: 1, choiceIds: [n[0], n[1]] }],
  });
  assert.equal(over.status, 422);
  assert.equal(over.body.reason, 'over-budget');
  assert.match(over.body.detail, /more than the budget of North/);
  for (let i = 0; i < 3; i++)
    assert.equal(
      (
        await call('POST', `${base}/${id}/ballots`, (await resident()).s, {
          answers: [{ questionId: 1, choiceIds: [n[0], n[2], n[3]] }],
        })
      ).status,
      200,
    );
  assert.equal(
    (await call('POST', `${base}/${id}/ballots`, voter.s, { answers: [{ questionId: 1, choiceIds: [n[1]] }] })).status,
    200,
  );
  await closeNow({ id });
  const res = await call('GET', `${base}/${id}/results`, official);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // North: N1 (3 votes, 60) + N3 (3, 30) fit; N2 (1) does not. South has 3 < 5 voters: does not count.
  assert.deepEqual(res.body.budget.winners.map((w: any) => w.id).sort(), [n[0], n[2]].sort());
  assert.deepEqual(
    res.body.budget.districts.map((d: any) => [d.name, d.voters, d.valid]),
    [
      ['North', 4, true],
      ['South', 3, false],
    ],
  );
  await call('POST', `${base}/${id}/publish`, official);
  const pb = await app.inject({ method: 'GET', url: `/api/v1${base}/${id}/results.pb?district=1` });
  assert.equal(pb.statusCode, 200);
  assert.match(pb.body, /^META\nkey;value\n/);
  assert.match(pb.body, /vote_type;approval/);
  assert.match(pb.body, /max_sum_cost;100/);
  assert.equal(pb.body.split('VOTES\n')[1]!.trim().split('\n').length, 5);
  const impl = await call('PUT', `${base}/${id}/ideas/${ideaIds[0]}/implementation`, official, {
    status: 'in_progress',
    note: 'Tender announced',
  });
  assert.equal(impl.body.implementationStatus, 'in_progress');
});

test('after the retention period the ballots are destroyed: results, receipts and exports remain; officials see the date', async () => {
  const editorP = await makePerson(ctx);
  await grantRole(ctx, M, editorP.id, 'editor');
  const editor = await sessionFor(ctx, editorP.id);
  // Only admins set the retention period (a valid body: the 403 is the policy's); it is audited.
  const refused = await call('PUT', `/municipalities/${M}/ballot-retention`, editor, { days: 0 });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.type, '/problems/forbidden');
  assert.equal((await call('GET', `/municipalities/${M}/ballot-retention`, editor)).body.days, 30, 'default 30 days');
  assert.equal((await call('PUT', `/municipalities/${M}/ballot-retention`, official, { days: 0 })).status, 200);
  assert.equal((await call('GET', `/municipalities/${M}/ballot-retention`, editor)).body.days, 0);
  const audit = await call('GET', `/municipalities/${M}/audit?limit=5`, official);
  assert.ok(
    (audit.body as { action: string; details: { to?: number } }[]).some(
      (e) => e.action === 'ballot-box.retention.set' && e.details.to === 0,
    ),
  );

  const v = await openPoll();
  const a = await resident();
  const cast = await call('POST', `${base}/${v.id}/ballots`, a.s, answers(1, [4, 5]));
  assert.equal(cast.status, 200);
  const before = await call('GET', `${base}/${v.id}/sealing`, official);
  assert.deepEqual(before.body, { retentionDays: 0, finalAt: null, destroyAfter: null, destroyedAt: null });
  await closeNow(v);
  assert.equal((await call('POST', `${base}/${v.id}/publish`, official)).status, 200);
  const dated = await call('GET', `${base}/${v.id}/sealing`, official);
  assert.ok(dated.body.destroyAfter, 'officials see when the ballots will be destroyed');
  // The hourly job destroys the key.
  await ctx.jobs.send('ballot-box.shred', {});
  assert.ok((await ctx.jobs.drain('ballot-box.shred')) >= 1);
  const after = await call('GET', `${base}/${v.id}/sealing`, official);
  assert.ok(after.body.destroyedAt, 'officials see that the ballots were destroyed');
  const { sql } = await import('kysely');
  const box = await sql<{
    wrapped_key: Buffer | null;
  }>`SELECT wrapped_key FROM bb_box WHERE id = ${await boxOf(v.id)}`.execute(ownerDb());
  assert.equal(box.rows[0]!.wrapped_key, null, 'the data key is gone from the database');
  // What was published stays: results, the CSV, the receipt list, and a voter's receipt check.
  const res = await call('GET', `${base}/${v.id}/results`, null);
  assert.equal(res.status, 200);
  assert.equal(res.body.ballots, 1);
  assert.equal((res.body.questions[0].choices as { id: number; votes: number }[]).find((c) => c.id === 1)!.votes, 1);
  const csv = await app.inject({ method: 'GET', url: `/api/v1${base}/${v.id}/results.csv` });
  assert.equal(csv.statusCode, 200);
  assert.deepEqual((await call('GET', `${base}/${v.id}/receipts`, null)).body, [cast.body.receipt]);
  assert.equal((await call('GET', `${base}/${v.id}/receipts/${cast.body.receipt}`, null)).body.status, 'counted');
  const log = await call('GET', `/municipalities/${M}/audit?limit=5`, official);
  assert.ok(
    (log.body as { action: string }[]).some((e) => e.action === 'ballot-box.keys-destroyed'),
    'the destruction is audited',
  );
  await call('PUT', `/municipalities/${M}/ballot-retention`, official, { days: 30 });
});

test('village elder: nomination with consent and age, approval, one vote, turnout rule', async () => {
  const village = S2;
  const created = await call('POST', base, official, {
    kind: 'elder',
    title: 'Elder of the village',
    proposalsCloseAt: iso(2_000),
    opensAt: iso(3_000),
    closesAt: iso(3_600_000),
    electorate: { scope: 'settlements', settlementCodes: [village], minAge: 16 },
    elder: { minTurnoutPercent: 0, tieRule: 'oldest', candidateMinAge: 21 },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.id;
  const prop = await call('POST', `${base}/${id}/proposals`, official);
  assert.equal(prop.status, 200, JSON.stringify(prop.body));
  const c1 = await resident({ settlement: village, birthDate: '1960-01-01' });
  const c2 = await resident({ settlement: village, birthDate: '1970-01-01' });
  const young = await resident({ settlement: village, birthDate: '2008-01-01' });
  const outsider = await resident({ settlement: S1 });
  assert.equal(
    (await call('POST', `${base}/${id}/candidates`, young.s, { statement: 'me' })).status,
    400,
    'under the candidates\u2019 minimum age',
  );
  assert.equal((await call('POST', `${base}/${id}/candidates`, outsider.s, {})).body.reason, 'wrong-settlement');
  const self = await call('POST', `${base}/${id}/candidates`, c1.s, { statement: 'Roads' });
  assert.equal(self.status, 200, JSON.stringify(self.body));
  const other = await call('POST', `${base}/${id}/candidates`, c1.s, { idCode: c2.idCode });
  assert.equal(other.body.consented, false);
  assert.equal(
    (await call('PUT', `${base}/${id}/candidates/${other.body.id}/review`, official, { status: 'approved' })).status,
    400,
    'needs consent',
  );
  assert.equal(
    (await call('PUT', `${base}/${id}/candidates/${other.body.id}/consent`, c2.s, { consent: true })).body.consented,
    true,
  );
  for (const c of [self.body, other.body])
    assert.equal(
      (await call('PUT', `${base}/${id}/candidates/${c.id}/review`, official, { status: 'approved' })).status,
      200,
    );
  await new Promise((r) => setTimeout(r, 3_100));
  await advanceVote(ctx, M, id);
  const sched = await call('POST', `${base}/${id}/schedule`, official);
  assert.equal(sched.status, 200, JSON.stringify(sched.body));
  const choices = sched.body.ballot.questions[0].choices;
  assert.equal(choices.length, 2);
  const v1 = await resident({ settlement: village });
  assert.equal(
    (
      await call('POST', `${base}/${id}/ballots`, v1.s, {
        answers: [{ questionId: 1, choiceIds: [choices[0].id, choices[1].id] }],
      })
    ).body.reason,
    'too-many-choices',
  );
  assert.equal(
    (
      await call('POST', `${base}/${id}/ballots`, outsider.s, {
        answers: [{ questionId: 1, choiceIds: [choices[0].id] }],
      })
    ).body.reason,
    'wrong-settlement',
  );
  await call('POST', `${base}/${id}/ballots`, v1.s, { answers: [{ questionId: 1, choiceIds: [choices[1].id] }] });
  await call('POST', `${base}/${id}/ballots`, c2.s, { answers: [{ questionId: 1, choiceIds: [choices[0].id] }] });
  await closeNow({ id });
  const res = await call('GET', `${base}/${id}/results`, official);
  assert.equal(res.body.elder.status, 'elected');
  assert.equal(res.body.elder.tie.rule, 'oldest');
  assert.equal(res.body.elder.winnerChoiceId, choices[0].id, 'the older candidate (born 1960) wins the tie');
});

test('a budget idea keeps at most 5 photos: the sixth is refused naming the field, nothing stored (use case, no HTTP)', async () => {
  const created = await call('POST', base, official, {
    kind: 'budget',
    title: 'Photos',
    proposalsCloseAt: iso(3_600_000),
    opensAt: iso(3_700_000),
    closesAt: iso(7_200_000),
    electorate: { scope: 'municipality', minAge: 14 },
    budget: {
      method: 'knapsack',
      greedy: 'skip',
      districts: [{ name: 'All', budgetCents: 100_00, settlementCodes: [S1] }],
    },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.id as string;
  assert.equal((await call('POST', `${base}/${id}/proposals`, official)).status, 200);
  const author = await resident();
  const actor: PersonActor = {
    kind: 'person',
    personId: author.id,
    givenName: null,
    familyName: null,
    birthDate: '1985-03-03',
    idCodeMasked: author.idCode.slice(0, 6),
    roles: [],
    acr: 'high',
  };
  const idea = await submitIdea(ctx, actor, M, id, { title: 'A bench', description: 'By the river' });
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0a7' } })
    .png()
    .toBuffer();
  for (let i = 0; i < 5; i++) await addIdeaPhoto(ctx, actor, M, id, idea.id, { filename: `p${i}.png`, content: png });
  await assert.rejects(
    addIdeaPhoto(ctx, actor, M, id, idea.id, { filename: 'p5.png', content: png }),
    (err: unknown) =>
      err instanceof Problem &&
      err.kind.status === 400 &&
      err.extras.errors?.length === 1 &&
      err.extras.errors[0]!.pointer === '/body/files' &&
      /at most 5 photos/.test(err.extras.errors[0]!.detail),
  );
  const files = await inScope(ctx.db, { tenant: M }, (trx) =>
    trx
      .selectFrom('stored_file')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('purpose', '=', 'participation.idea-photo')
      .where('uploaded_by', '=', author.id)
      .executeTakeFirstOrThrow(),
  );
  assert.equal(Number(files.n), 5, 'the refused photo left no file behind');
});
