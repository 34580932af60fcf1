import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testContext, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { asOwner, createTestDatabase, dropTestDatabase } from '../../../test/support/db';
import { startAppProcess, type AppProcess } from '../../../test/support/process';
import { inScope } from '../../platform/db/database';
import { residences } from '../register/testSupport';
import { participationResultsProvider } from './openData';
import { advanceVote } from './manageVotes';
import { openCountedBallots } from '../ballotBox/testSupport';

/**
 * Integrity of casting with real app processes (separate OS processes) on one database:
 * concurrency (one voter, many parallel casts, on one node and spread over two; knapsack ballots),
 * a SIGKILL in the middle of a stream of casts, and the secrecy of everything an official can reach
 * (API answers, exports, the audit log, log lines, and every table of the database).
 */
const M = '0793';
const ownerUrl = await createTestDatabase({ dropAfter: false });
const { ctx } = await testContext({ ownerUrl });
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
const procs: AppProcess[] = [];
const start = async (opts: { captureOutput?: boolean; env?: Record<string, string> } = {}) => {
  const p = await startAppProcess(ownerUrl, opts.env ?? {}, { captureOutput: opts.captureOutput ?? false });
  procs.push(p);
  return p;
};
const [a, b] = await Promise.all([
  start({ captureOutput: true, env: { LOG_LEVEL: 'info' } }),
  start({ captureOutput: true, env: { LOG_LEVEL: 'info' } }),
]);
// Hooks run in the order registered: the context closes first (testContext), then the app
// processes stop, and only then does the database go.
after(async () => {
  await Promise.all(procs.map((p) => p.kill()));
  await dropTestDatabase(ownerUrl);
});

async function resident() {
  const p = await makePerson(ctx);
  await residences(ctx, M, p.id, [{ validFrom: '2000-01-01', settlementCode: settlement }]);
  return { ...p, s: await sessionFor(ctx, p.id) };
}
type Who = { headers: Record<string, string> };
const send = (node: AppProcess, method: string, path: string, who: Who | null, body?: unknown) =>
  fetch(`${node.url}/api/v1${path}`, {
    method,
    headers: { ...(who?.headers ?? {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
/**
 * A cast as a real client sends it: a 503 (the node could not get a database connection in time,
 * as happens on a loaded machine) recorded nothing and says when to retry, so the client does.
 */
async function cast(node: AppProcess, path: string, who: Who, body: unknown): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await send(node, 'POST', path, who, body);
    if (res.status !== 503 || attempt === 20) return res;
    await res.arrayBuffer();
    const wait = Math.min(Number(res.headers.get('retry-after') ?? 1) * 1000, 1000);
    await new Promise((r) => setTimeout(r, wait));
  }
}
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });
const base = `/municipalities/${M}/votes`;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const q = <T = any>(text: string, values: unknown[] = []) =>
  asOwner(ownerUrl, async (c) => (await c.query(text, values)).rows as T[]);

async function openPoll(title: string, questions: unknown[]) {
  const c = await json(
    await send(a, 'POST', base, official, {
      kind: 'poll',
      title,
      opensAt: iso(-60_000),
      closesAt: iso(3_600_000),
      electorate: { scope: 'municipality', minAge: 16 },
      questions,
    }),
  );
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const s = await json(await send(a, 'POST', `${base}/${c.body.id}/schedule`, official, {}));
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.phase, 'open');
  return s.body as { id: string };
}
// The counted ballots of a vote, opened with the master key as an auditor could (they are sealed).
const counted = async (voteId: string) =>
  openCountedBallots(ctx, {
    municipalityCode: M,
    boxId: (await q<{ box_id: string }>(`SELECT box_id FROM pv_vote WHERE id = $1`, [voteId]))[0]!.box_id,
  });
const voterRows = (voteId: string) =>
  q<{ person_id: string }>(`SELECT x.person_id FROM bb_voter x JOIN pv_vote v ON v.box_id = x.box_id WHERE v.id = $1`, [
    voteId,
  ]);

async function closeNow(voteId: string) {
  await q(`UPDATE pv_vote SET closes_at = now() - interval '1 second' WHERE id = $1`, [voteId]);
  await q(
    `UPDATE bb_box SET closes_at = now() - interval '1 second' WHERE id = (SELECT box_id FROM pv_vote WHERE id = $1)`,
    [voteId],
  );
  const r = await send(a, 'POST', `${base}/${voteId}/close`, official, {});
  assert.equal(r.status, 200, await r.text());
}

// ---------------------------------------------------------------------------------------------

test('200 parallel casts of one voter leave exactly one counted ballot, on one app process and spread over two', async () => {
  const v = await openPoll('Parallel', [{ text: 'Which?', kind: 'single', choices: ['A', 'B', 'C'] }]);
  for (const nodes of [[a], [a, b]]) {
    const r = await resident();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        cast(nodes[i % nodes.length]!, `${base}/${v.id}/ballots`, r.s, {
          answers: [{ questionId: 1, choiceIds: [1 + (i % 3)] }],
        }).then(json),
      ),
    );
    assert.ok(
      results.every((x) => x.status === 200),
      JSON.stringify(results.find((x) => x.status !== 200)),
    );
    assert.equal(new Set(results.map((x) => x.body.receipt)).size, 200, 'every cast got its own receipt');
    assert.equal(results.filter((x) => !x.body.replaced).length, 1, 'exactly one cast found no earlier ballot');
    const mine = (await counted(v.id)).filter((c) => results.some((x) => x.body.receipt === c.receipt));
    assert.equal(mine.length, 1, 'exactly one of the 200 receipts is counted');
    // The other 199 receipts say "superseded", on either node.
    const statuses = await Promise.all(
      results.map((x, i) =>
        send(nodes[i % nodes.length]!, 'GET', `${base}/${v.id}/receipts/${x.body.receipt}`, null).then(json),
      ),
    );
    assert.equal(statuses.filter((s) => s.body.status === 'counted').length, 1);
    assert.equal(statuses.filter((s) => s.body.status === 'superseded').length, 199);
  }
  assert.equal((await voterRows(v.id)).length, 2, 'one voter row per voter');
  assert.equal((await counted(v.id)).length, 2, 'one counted ballot per voter');
});

test('parallel knapsack casts of one voter on two app processes never leave an overspent ballot', async () => {
  // Ideas cost €60, €50 and €40 of a €100 budget: {1,2}, {1,3}+{2} … any ballot with 1 and 2 overspends.
  const c = await json(
    await send(a, 'POST', base, official, {
      kind: 'budget',
      title: 'Knapsack',
      proposalsCloseAt: iso(3_600_000),
      opensAt: iso(3_600_000),
      closesAt: iso(7_200_000),
      electorate: { scope: 'municipality', minAge: 16 },
      budget: { method: 'knapsack', districts: [{ name: 'City', budgetCents: 100_00, settlementCodes: [] }] },
    }),
  );
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const id = c.body.id as string;
  assert.equal((await send(a, 'POST', `${base}/${id}/proposals`, official, {})).status, 200);
  const author = await resident();
  for (const [t, cost] of [
    ['Idea one', 60_00],
    ['Idea two', 50_00],
    ['Idea three', 40_00],
  ] as const) {
    const i = await json(
      await send(b, 'POST', `${base}/${id}/ideas`, author.s, { title: t, description: t, estimatedCostCents: cost }),
    );
    assert.equal(i.status, 200, JSON.stringify(i.body));
    assert.equal(
      (
        await send(a, 'PUT', `${base}/${id}/ideas/${i.body.id}/review`, official, {
          status: 'feasible',
          finalCostCents: cost,
          districtId: 1,
        })
      ).status,
      200,
    );
  }
  // The call for ideas ends and voting opens (as the clock would move them).
  await q(
    `UPDATE pv_vote SET proposals_close_at = now() - interval '2 minutes', opens_at = now() - interval '1 minute' WHERE id = $1`,
    [id],
  );
  assert.equal(await advanceVote(ctx, M, id), 'review');
  const s = await json(await send(a, 'POST', `${base}/${id}/schedule`, official, {}));
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.phase, 'open');
  const cost = [0, 60, 50, 40];
  const bodies = [[1, 3], [2, 3], [1, 2], [1], [2], [3], [1, 2, 3], [1, 2]];
  for (let round = 0; round < 3; round++) {
    const r = await resident();
    const results = await Promise.all(
      Array.from({ length: 160 }, (_, i) =>
        cast(i % 2 ? a : b, `${base}/${id}/ballots`, r.s, {
          answers: [{ questionId: 1, choiceIds: bodies[i % bodies.length] }],
        }).then(json),
      ),
    );
    const over = results.filter((x, i) => bodies[i % bodies.length]!.reduce((n, k) => n + cost[k]!, 0) > 100);
    assert.ok(
      over.every((x) => x.status === 422 && x.body.reason === 'over-budget'),
      'every over-budget ballot is refused with its reason',
    );
    assert.ok(results.filter((x) => !over.includes(x)).every((x) => x.status === 200));
  }
  const rows = await counted(id);
  assert.equal(rows.length, 3, 'one ballot per voter');
  for (const row of rows)
    assert.ok(
      row.selections!.reduce((n, k) => n + cost[k]!, 0) <= 100,
      `the counted ballot ${row.selections} is within the budget`,
    );
});

test('SIGKILL in the middle of a stream of casts: after restart every receipted cast is counted, and nothing else', async (t) => {
  const v = await openPoll('Crash', [{ text: 'Yes or no?', kind: 'yesno' }]);
  const victim = await start();
  const voters: Awaited<ReturnType<typeof resident>>[] = [];
  for (let i = 0; i < 20; i++) voters.push(...(await Promise.all(Array.from({ length: 10 }, () => resident()))));
  const receipts = new Map<number, string>();
  const failed = new Set<number>();
  let killed: Promise<void> | undefined;
  await Promise.all(
    voters.map(async (p, i) => {
      await new Promise((r) => setTimeout(r, i * 4));
      try {
        const res = await cast(victim, `${base}/${v.id}/ballots`, p.s, {
          answers: [{ questionId: 1, choiceIds: [1 + (i % 2)] }],
        });
        const body = (await res.json()) as { receipt: string };
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        receipts.set(i, body.receipt);
        // Kill the server once a fair number of receipts have been handed out, casts still streaming in.
        if (receipts.size === 50) killed = victim.kill('SIGKILL');
      } catch {
        failed.add(i);
      }
    }),
  );
  await killed;
  assert.ok(
    receipts.size >= 50 && failed.size > 0,
    `the kill landed mid-stream (${receipts.size} receipted, ${failed.size} failed)`,
  );
  assert.equal(receipts.size + failed.size, voters.length);

  // Restart: a new process on the same database.
  const again = await start();
  const rows = await counted(v.id);
  const inBox = new Set(rows.map((r) => r.receipt));
  for (const r of receipts.values()) assert.ok(inBox.has(r), `receipted ballot ${r} is counted`);
  const statuses = await Promise.all(
    [...receipts.values()].map((r) => send(again, 'GET', `${base}/${v.id}/receipts/${r}`, null).then(json)),
  );
  assert.ok(
    statuses.every((x) => x.body.status === 'counted'),
    'the restarted server confirms every receipt',
  );
  // Nothing else: a ballot without a receipt can only be a cast whose commit raced the kill (the
  // answer was lost). Each failed voter casts again: `replaced` tells whether their first cast
  // had committed; exactly those account for the counted ballots beyond the receipts.
  const extra = rows.length - receipts.size;
  const again2 = await Promise.all(
    [...failed].map((i) =>
      cast(again, `${base}/${v.id}/ballots`, voters[i]!.s, {
        answers: [{ questionId: 1, choiceIds: [1] }],
      }).then(json),
    ),
  );
  assert.ok(again2.every((r) => r.status === 200));
  const replaced = again2.filter((r) => r.body.replaced).length;
  t.diagnostic(
    `${receipts.size} casts receipted before the kill, ${failed.size} failed; ${extra} of those had committed`,
  );
  assert.equal(
    replaced,
    extra,
    `the ${extra} ballot(s) counted without a receipt are exactly the casts that committed before the kill`,
  );
  // Atomic: a voter row exists exactly for each ballot, and every voter now has exactly one ballot.
  assert.equal((await voterRows(v.id)).length, voters.length);
  assert.equal((await counted(v.id)).length, voters.length);
});

test('secrecy: nothing an official can reach — API, exports, audit log, log lines, any table — links a ballot to a person', async () => {
  const v = await openPoll('Secret', [{ text: 'A or B?', kind: 'single', choices: ['Alpha', 'Beta'] }]);
  const people = await Promise.all(Array.from({ length: 12 }, () => resident()));
  const receipts: string[] = [];
  const superseded: string[] = [];
  for (const [i, p] of people.entries()) {
    // Some vote twice (the superseded receipt is kept as history): that history must not link either.
    if (i % 4 === 0)
      superseded.push(
        (
          await json(
            await send(i % 2 ? a : b, 'POST', `${base}/${v.id}/ballots`, p.s, {
              answers: [{ questionId: 1, choiceIds: [2] }],
            }),
          )
        ).body.receipt,
      );
    const r = await json(
      await send(i % 2 ? a : b, 'POST', `${base}/${v.id}/ballots`, p.s, {
        answers: [{ questionId: 1, choiceIds: [1 + (i % 2)] }],
      }),
    );
    assert.equal(r.status, 200);
    receipts.push(r.body.receipt);
  }
  // A paper vote recorded at a service point (the voter's identity is in the audit log, by law).
  const paper = await resident();
  assert.equal((await send(a, 'POST', `${base}/${v.id}/paper-votes`, official, { idCode: paper.idCode })).status, 200);
  const personMarks = people.flatMap((p) => [p.id, p.idCode]);
  const hasPerson = (text: string) => personMarks.some((m) => text.includes(m));
  const hasBallot = (text: string) => [...receipts, ...superseded].some((r) => text.includes(r));

  // 1. Everything the official reads through the API, while open, after closing and after publishing.
  const reads: { path: string; text: string }[] = [];
  const paths = [
    base,
    `${base}/${v.id}`,
    `${base}/${v.id}/me`,
    `${base}/${v.id}/turnout`,
    `${base}/${v.id}/electorate-preview`,
    `${base}/${v.id}/results`,
    `${base}/${v.id}/results.csv`,
    `${base}/${v.id}/results.csv?part=turnout`,
    `${base}/${v.id}/receipts`,
    `/municipalities/${M}/audit?limit=500`,
    '/participation/my-votes',
  ];
  const readAll = async () => {
    for (const p of paths)
      for (const node of [a, b]) reads.push({ path: p, text: await (await send(node, 'GET', p, official)).text() });
  };
  await readAll();
  assert.ok(!reads.some((r) => hasBallot(r.text)), 'no receipt or content is readable while the vote is open');
  await closeNow(v.id);
  assert.equal(
    (
      await send(a, 'POST', `${base}/${v.id}/paper-ballots`, official, {
        ballots: [{ answers: [{ questionId: 1, choiceIds: [2] }] }],
      })
    ).status,
    200,
  );
  await readAll();
  assert.equal((await send(a, 'POST', `${base}/${v.id}/publish`, official, {})).status, 200);
  await readAll();
  // The open-data export of the results.
  const exported = await inScope(ctx.db, { tenant: M }, (trx) => participationResultsProvider.collect(trx, M, ctx));
  reads.push({ path: 'open data', text: JSON.stringify(exported) });
  for (const r of reads) assert.ok(!hasPerson(r.text), `no voter appears in ${r.path}`);
  const list = reads.find((r) => r.path === `${base}/${v.id}/receipts` && r.text.startsWith('['))!;
  assert.ok(
    receipts.every((r) => list.text.includes(r)),
    'the published ballot list has every receipt (voters can check their ballot)',
  );
  const receiptList = JSON.parse(list.text) as string[];
  assert.deepEqual(receiptList, [...receiptList].sort(), 'the ballot list is sorted by receipt, not by casting order');

  // 2. Log lines of both app processes (request logs at info level included).
  const lines = [...a.output, ...b.output];
  assert.ok(lines.length > 0, 'log lines were captured');
  for (const line of lines) {
    assert.ok(!(hasPerson(line) && hasBallot(line)), `no log line holds a voter and a ballot: ${line}`);
    assert.ok(!/"answers"|choiceIds|selections/.test(line), `no log line holds ballot content: ${line}`);
  }

  // 3. Every table of the database (read as its owner, more than any official can): the rows that
  // hold a ballot (its receipt) hold nothing that identifies a person, and no value of those rows
  // (other than the municipality and the ballot box) appears in any other table — no join key.
  const tables = (
    await q<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    )
  ).map((t) => t.table_name);
  const dump = new Map<string, string[]>();
  await asOwner(ownerUrl, async (c) => {
    for (const t of tables)
      dump.set(
        t,
        (await c.query(`SELECT to_jsonb(x)::text AS j FROM "${t}" x`)).rows.map((r) => r.j as string),
      );
  });
  const ballotTables = [...dump].filter(([, rows]) => rows.some(hasBallot)).map(([t]) => t);
  assert.deepEqual(ballotTables.sort(), ['bb_ballot', 'bb_receipt_history'], 'receipts are only in the ballot tables');
  const boxId = (await q(`SELECT box_id FROM pv_vote WHERE id = $1`, [v.id]))[0].box_id as string;
  const ballotValues = new Set<string>();
  for (const t of ballotTables) {
    for (const row of dump.get(t)!) {
      assert.ok(!hasPerson(row), `${t} holds no person`);
      for (const [k, val] of Object.entries(JSON.parse(row) as Record<string, unknown>)) {
        assert.ok(!/(_at|time|seq|person|voter)$/.test(k), `${t}.${k}: ballots carry no time, sequence or person`);
        // The identifying values of a ballot row: its slot and its receipt.
        if ((k === 'slot' || k === 'receipt') && typeof val === 'string') ballotValues.add(val);
      }
    }
  }
  for (const [t, rows] of dump) {
    if (ballotTables.includes(t)) continue;
    const text = rows.join('\n');
    for (const val of ballotValues)
      assert.ok(!text.includes(val), `a value of a ballot (${val.slice(0, 20)}…) appears in ${t}`);
  }
  // The slot is a keyed pseudonym: not the person id, nor a plain hash of it or of the ID code.
  const slots = (await q<{ slot: Buffer }>(`SELECT slot FROM bb_ballot WHERE box_id = $1`, [boxId])).map((r) =>
    r.slot.toString('hex'),
  );
  for (const p of people)
    for (const h of ['sha256', 'md5', 'sha1'])
      for (const x of [p.id, p.idCode, `${boxId}${p.id}`])
        assert.ok(!slots.includes(createHash(h).update(x).digest('hex').slice(0, slots[0]!.length)));
  // The voters' table holds who (and turnout), nothing of what.
  const voterCols = (
    await q<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'bb_voter'`)
  ).map((c) => c.column_name);
  assert.deepEqual(
    voterCols.filter((c) => /slot|receipt|selection|content|weight/.test(c)),
    [],
  );
});
