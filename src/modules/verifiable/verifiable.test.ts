import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/db';
import { testConfig, grantRole, sessionFor } from '../../../test/support/app';
import { createContext } from '../../platform/context';
import { createLogger } from '../../platform/log';
import { buildApp } from '../../app';
import { inScope } from '../../platform/db/database';
import * as bb from '../ballotBox';
import { createElectorate } from '../register';
import { actor, person, residences } from '../register/testSupport';
import { encryptBallot, encryptWith, choiceContext } from './crypto/ballot';
import { proveRange } from './crypto/proofs';
import { G, decodePoint, hexToBytes, pointToHex, q, randomScalar, scalarToHex, withTable } from './crypto/group';
import { partialDecrypt } from './crypto/decrypt';
import { deriveSecrets, evalPolynomial, lagrangeAtZero } from './crypto/dkg';
import { verifyRecord } from './crypto/verify';
import { paramsOf, type ElectionRecord } from './crypto/record';
import { findElection } from './store';
import { TrusteeSim, call, encryptFor } from './testSupport';

// ——— a platform whose every log line (level trace) is kept, to check that no secret is ever logged ———
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(String(chunk));
    cb();
  },
});
const ownerUrl = await createTestDatabase();
const ctx = createContext(testConfig(), ownerUrl, createLogger('trace', sink), { jobWorkers: false, poolSize: 10 });
const app = await buildApp(ctx);
await app.ready();
after(async () => {
  await app.close();
  await ctx.events.stop();
  await ctx.database.close();
});

const TARTU = '0793';
const official = await person(ctx, '1975-03-03', 'male', { givenName: 'Olev', familyName: 'Ametnik' });
await grantRole(ctx, TARTU, official.id, 'admin');
const officialH = (await sessionFor(ctx, official.id)).headers;
const trusteePersons = await Promise.all(
  [1, 2, 3].map((i) => person(ctx, `1970-0${i}-0${i}`, 'female', { givenName: 'Usaldus', familyName: `Isik${i}` })),
);
const trustees = await Promise.all(
  trusteePersons.map(async (p, i) => new TrusteeSim(i + 1, (await sessionFor(ctx, p.id)).headers)),
);
const voters = await Promise.all(
  [1, 2, 3, 4, 5, 6].map((i) =>
    person(ctx, `1985-0${i}-1${i}`, i % 2 ? 'female' : 'male', { givenName: 'Valija', familyName: `Nr${i}` }),
  ),
);
for (const v of voters.slice(0, 5)) await residences(ctx, TARTU, v.id, [{ validFrom: '2010-01-01' }]);
const voterH = await Promise.all(voters.map(async (v) => (await sessionFor(ctx, v.id)).headers));
const electorate = await createElectorate(
  ctx,
  actor(official.id, [{ municipalityCode: TARTU, role: 'admin' }]),
  TARTU,
  {
    name: 'Tartu 16+',
    scope: 'municipality',
    minAge: 16,
    maxAge: null,
    referenceDate: '2026-01-01',
    residenceAt: 'voting-time',
    mode: 'live',
  },
);

const api = `/api/v1/municipalities/${TARTU}/verifiable-votes`;
const input = {
  kind: 'poll',
  title: 'Kas ehitada uus sild?',
  questions: [
    {
      title: 'Millised projektid?',
      minSelections: 0,
      maxSelections: 2,
      choices: [{ label: 'Sild' }, { label: 'Park' }, { label: 'Raamatukogu' }, { label: 'Rattatee' }],
    },
  ],
  trustees: trusteePersons.map((p, i) => ({ idCode: p.idCode, name: `Usaldusisik ${i + 1}` })),
  threshold: 2,
  electorateId: electorate.id,
  opensAt: new Date(Date.now() - 60_000).toISOString(),
  closesAt: new Date(Date.now() + 3_600_000).toISOString(),
};

let id = '';
let base = '';
const cast: Partial<Record<string, { tracker: string; receipt: string }>> = {};

test('officials prepare a vote; validation errors name the field; drafts are hidden from the public', async () => {
  const bad = await call(app, 'POST', api, officialH, {
    ...input,
    threshold: 4,
    questions: [{ ...input.questions[0], maxSelections: 5 }],
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort(), [
    '/body/questions/0/maxSelections',
    '/body/threshold',
  ]);
  const knapsack = await call(app, 'POST', api, officialH, { ...input, kind: 'knapsack' });
  assert.equal(knapsack.status, 400, 'knapsack budgets are not offered');
  const byResident = await call(app, 'POST', api, voterH[0], input);
  assert.equal(byResident.status, 403);
  const r = await call(app, 'POST', api, officialH, input);
  assert.equal(r.status, 200, r.raw);
  id = r.body.id;
  base = `${api}/${id}`;
  assert.equal(r.body.phase, 'draft');
  assert.equal((await call(app, 'GET', base, undefined)).status, 404, 'a draft is not public');
  assert.equal((await call(app, 'GET', base, officialH)).status, 200);
  const opened = await call(app, 'POST', `${base}/open`, officialH);
  assert.equal(opened.status, 409, 'cannot open before the ceremony');
});

test('key ceremony: three rounds in the trustees’ browsers; a stranger cannot take part; the key is published', async () => {
  const started = await call(app, 'POST', `${base}/ceremony/start`, officialH);
  assert.equal(started.status, 200, started.raw);
  assert.equal(started.body.ceremonyRound, 1);
  assert.match(started.body.fingerprint, /^[0-9a-f]{64}$/);
  assert.equal((await call(app, 'PUT', base, officialH, input)).status, 409, 'the definition is frozen');
  // A voter pretending to be trustee 1.
  const impostor = new TrusteeSim(1, voterH[0]!);
  assert.equal((await impostor.commit(app, base)).body.type, '/problems/not-a-trustee');
  // Trustee 2 tries to publish as trustee 1.
  const wrongIndex = new TrusteeSim(1, trustees[1]!.headers);
  assert.equal((await wrongIndex.commit(app, base)).status, 403);
  for (const t of trustees) assert.equal((await t.commit(app, base)).status, 200);
  // A commitment whose proof was made for another trustee index is refused with the item named.
  assert.equal((await trustees[0]!.deal(app, base)).status, 200);
  const early = await trustees[0]!.confirm(app, base);
  assert.equal(early.status, 409, 'round 3 waits for every deal');
  for (const t of trustees.slice(1)) assert.equal((await t.deal(app, base)).status, 200);
  for (const t of trustees) {
    const r = await t.confirm(app, base);
    assert.equal(r.status, 200, r.raw);
  }
  const e = await call(app, 'GET', base, undefined);
  assert.equal(e.body.phase, 'ready');
  assert.equal(e.body.ceremonyRound, 4);
  assert.match(e.body.publicKey, /^[0-9a-f]{64}$/);
  // The key is Σ of the trustees' first commitments, and any two trustees' shares reconstruct its private key (only here, in the test).
  const x = [1, 3].reduce((acc, j) => (acc + lagrangeAtZero([1, 3], j) * trustees[j - 1]!.share!) % q, 0n);
  assert.ok(G.multiply(x).equals(decodePoint(e.body.publicKey, 'Y')));
  const opened = await call(app, 'POST', `${base}/open`, officialH);
  assert.equal(opened.status, 200, opened.raw);
  assert.equal(opened.body.phase, 'open');
});

test('voters cast encrypted ballots; re-voting replaces; a paper vote cancels; receipts say what became of each', async () => {
  const v1a = await encryptFor(app, base, voterH[0]!, [[0]]);
  const r1a = await call(app, 'POST', `${base}/ballots`, voterH[0], { ballot: v1a.ballot });
  assert.equal(r1a.status, 200, r1a.raw);
  assert.equal(r1a.body.tracker, v1a.tracker, 'the server computes the same tracker as the browser');
  assert.equal(r1a.body.replaced, false);
  const v1b = await encryptFor(app, base, voterH[0]!, [[1, 2]]);
  const r1b = await call(app, 'POST', `${base}/ballots`, voterH[0], { ballot: v1b.ballot });
  assert.equal(r1b.body.replaced, true);
  assert.equal(r1b.body.version, 2);
  cast.v1 = r1b.body as { tracker: string; receipt: string };
  const v2 = await encryptFor(app, base, voterH[1]!, [[2]]);
  cast.v2 = (await call(app, 'POST', `${base}/ballots`, voterH[1], { ballot: v2.ballot })).body as {
    tracker: string;
    receipt: string;
  };
  // Voter 3 audits a ballot first (Benaloh challenge), then casts a fresh one.
  const audit = await encryptFor(app, base, voterH[2]!, [[0, 3]]);
  const a = await call(app, 'POST', `${base}/audits`, voterH[2], { ballot: audit.ballot, reveal: audit.reveal });
  assert.equal(a.status, 200, a.raw);
  assert.deepEqual(a.body.selections, [[0, 3]]);
  const lie = JSON.parse(JSON.stringify(audit.reveal));
  lie.answers[0].choices[0].m = 0;
  const badAudit = await call(app, 'POST', `${base}/audits`, voterH[2], { ballot: audit.ballot, reveal: lie });
  assert.equal(badAudit.status, 422);
  assert.match(badAudit.body.detail, /answers\[0\]\.choices\[0\]: beta does not encrypt the revealed value 0/);
  const v3 = await encryptFor(app, base, voterH[2]!, [[0, 2]]);
  cast.v3 = (await call(app, 'POST', `${base}/ballots`, voterH[2], { ballot: v3.ballot })).body as {
    tracker: string;
    receipt: string;
  };
  // Voter 4 votes online, then on paper at a service point: the e-vote is cancelled, and no more e-votes.
  const v4 = await encryptFor(app, base, voterH[3]!, [[3]]);
  cast.v4 = (await call(app, 'POST', `${base}/ballots`, voterH[3], { ballot: v4.ballot })).body as {
    tracker: string;
    receipt: string;
  };
  const paper = await call(app, 'POST', `${base}/paper-voters`, officialH, { idCode: voters[3]!.idCode });
  assert.deepEqual(paper.body, { recorded: true, cancelledInternetBallot: true });
  const v4b = await encryptFor(app, base, voterH[3]!, [[1]]);
  const again = await call(app, 'POST', `${base}/ballots`, voterH[3], { ballot: v4b.ballot });
  assert.equal(again.status, 409);
  assert.equal(again.body.type, '/problems/voted-on-paper');
  // Voter 6 has no residence in Tartu.
  const v6 = await encryptFor(app, base, voterH[5]!, [[0]]);
  const notEligible = await call(app, 'POST', `${base}/ballots`, voterH[5], { ballot: v6.ballot });
  assert.equal(notEligible.status, 403);
  assert.equal(notEligible.body.reason, 'not-resident');
  // Receipts.
  const status = async (receipt: string) =>
    (await call(app, 'GET', `${base}/receipts/${receipt}`, undefined)).body.status;
  assert.equal(await status(r1a.body.receipt), 'superseded');
  assert.equal(await status(cast.v1!.receipt), 'counted');
  assert.equal(await status(cast.v4!.receipt), 'cancelled');
  // The board: ballots by slot pseudonym and version, no person, no time.
  const board = await call(app, 'GET', `${base}/board`, undefined);
  assert.equal(board.body.total, 5);
  assert.deepEqual(board.body.ballots.map((b: { status: string }) => b.status).sort(), [
    'cancelled',
    'counted',
    'counted',
    'counted',
    'superseded',
  ]);
  assert.deepEqual(Object.keys(board.body.ballots[0]).sort(), ['slot', 'status', 'tracker', 'version']);
  assert.equal(board.body.audited.length, 1);
  // Results are hidden while open: no tally, no decryption.
  assert.equal((await call(app, 'POST', `${base}/tally`, officialH)).status, 409);
  assert.equal((await call(app, 'POST', `${base}/close`, officialH)).status, 409, 'not before the closing time');
});

test('rejected with clear errors: a ballot encrypting 2, a proof for another vote, a reused ballot, another voter’s ballot, a malformed point, too many selections', async () => {
  const fresh = await encryptFor(app, base, voterH[4]!, [[1]]);
  const Y = withTable(decodePoint(fresh.params.publicKey, 'Y'));
  const Yb = hexToBytes(fresh.params.publicKey);
  const send = (ballot: unknown, who = voterH[4]!) => call(app, 'POST', `${base}/ballots`, who, { ballot });
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

  // A choice encrypting 2, with the best proof a cheater can make.
  const r = randomScalar();
  const c2 = encryptWith(Y, 2, r);
  const two = clone(fresh.ballot);
  two.answers[0]!.choices[0] = {
    alpha: pointToHex(c2.alpha),
    beta: pointToHex(c2.beta),
    proof: proveRange(choiceContext(fresh.params, fresh.slot, Yb, 0, 0), Y, c2.alpha, c2.beta, 1, r, 0, 1),
  };
  let res = await send(two);
  assert.equal(res.status, 422);
  assert.equal(res.body.type, '/problems/invalid-ballot');
  assert.equal(res.body.item, 'answers[0].choices[0].proof');
  assert.equal(res.body.check, 'proof');
  assert.match(res.body.detail, /does not encrypt 0 or 1/);

  // A proof made for another vote id.
  const other = encryptBallot({ ...fresh.params, voteId: '11111111-1111-4111-8111-111111111111' }, fresh.slot, [[1]]);
  res = await send(other.ballot);
  assert.equal(res.status, 422);
  assert.equal(res.body.check, 'binding');
  assert.match(res.body.detail, /made for another vote, voter or choice/);

  // Another voter's ballot (copied from the board): bound to their slot.
  const copied = await call(app, 'GET', `${base}/board/${cast.v2!.tracker}`, undefined);
  res = await send(copied.body.ballot);
  assert.equal(res.status, 422);
  assert.equal(res.body.check, 'binding');

  // The same ballot twice (a reused proof): accepted once, then refused.
  assert.equal((await send(fresh.ballot)).status, 200);
  res = await send(fresh.ballot);
  assert.equal(res.status, 409);
  assert.equal(res.body.type, '/problems/ballot-already-on-board');

  // A malformed point: a valid hex string that is not a ristretto255 encoding, and one that is not hex at all.
  const bad = clone(fresh.ballot);
  bad.answers[0]!.choices[2]!.beta = 'ff'.repeat(32);
  res = await send(bad);
  assert.equal(res.status, 422);
  assert.equal(res.body.item, 'answers[0].choices[2].beta');
  assert.match(res.body.detail, /not a valid ristretto255 encoding/);
  const notHex = clone(fresh.ballot);
  notHex.answers[0]!.choices[2]!.beta = 'zz'.repeat(32);
  res = await send(notHex);
  assert.equal(res.status, 400);
  assert.match(res.body.errors[0].pointer, /\/body\/ballot\/answers\/0\/choices\/2\/beta/);

  // Too many selections: three 1s where at most two are allowed (the count proof cannot be made) …
  const sel3 = encryptBallot(
    { ...fresh.params, questions: [{ choices: 4, minSelections: 0, maxSelections: 3 }] },
    fresh.slot,
    [[0, 1, 2]],
  );
  res = await send(sel3.ballot);
  assert.equal(res.status, 422);
  assert.equal(res.body.item, 'answers[0].selections');
  // … and a ballot with more choices than the question has.
  const five = clone(fresh.ballot);
  five.answers[0]!.choices.push(clone(five.answers[0]!.choices[0]!));
  res = await send(five);
  assert.equal(res.status, 422);
  assert.match(res.body.detail, /too many choices \(5; the question has 4\)/);
  // Nothing of the rejected ballots reached the board.
  assert.equal((await call(app, 'GET', `${base}/board`, undefined)).body.total, 6);
});

test('close, paper ballots, tally, threshold decryption by 2 of 3 trustees, published result; the record verifies', async () => {
  // Time passes: the closing time is now in the past.
  const past = new Date(Date.now() - 1000);
  await inScope(ctx.db, { tenant: TARTU }, async (trx) => {
    const e = await trx.selectFrom('vv_election').select('box_id').where('id', '=', id).executeTakeFirstOrThrow();
    await trx.updateTable('vv_election').set({ closes_at: past }).where('id', '=', id).execute();
    await bb.setClosingTime(trx, { municipalityCode: TARTU, boxId: e.box_id, closesAt: past });
  });
  const late = await encryptFor(app, base, voterH[1]!, [[0]]).catch(() => undefined);
  if (late) assert.equal((await call(app, 'POST', `${base}/ballots`, voterH[1], { ballot: late.ballot })).status, 409);
  assert.equal((await call(app, 'POST', `${base}/close`, officialH)).status, 200);
  const tooMany = await call(app, 'POST', `${base}/paper-ballots`, officialH, {
    ballots: [{ answers: [[1]] }, { answers: [[0]] }],
  });
  assert.equal(tooMany.status, 400, 'only one paper voter was recorded');
  const ruleBreak = await call(app, 'POST', `${base}/paper-ballots`, officialH, {
    ballots: [{ answers: [[0, 1, 2]] }],
  });
  assert.equal(ruleBreak.status, 400);
  assert.equal(
    (await call(app, 'POST', `${base}/paper-ballots`, officialH, { ballots: [{ answers: [[1]] }] })).status,
    200,
  );
  assert.equal((await trustees[0]!.decrypt(app, base, id)).status, 409, 'nothing to decrypt before the tally');
  const t = await call(app, 'POST', `${base}/tally`, officialH);
  assert.equal(t.status, 200, t.raw);
  assert.equal(t.body.tally.ballotsCounted, 4);
  assert.equal(t.body.paper.ballots, 1);
  // A trustee's partial decryption with a broken proof is refused, naming the item.
  const msg = await trustees[0]!.decrypt(app, base, id);
  assert.equal(msg.status, 200, msg.raw);
  assert.equal(msg.body.phase, 'tallied', 'one of two trustees is not enough');
  const e = await call(app, 'GET', base, undefined);
  const X3 = trustees[2]!;
  const alphas = e.body.tally.questions.map((qq: { choices: { alpha: string }[] }) =>
    qq.choices.map((c) => decodePoint(c.alpha, 'a', { allowIdentity: true })),
  );
  const forged = partialDecrypt(id, 3, X3.share!, alphas);
  forged.decryptions[0]![1]!.proof.s = scalarToHex(2n);
  const refused = await call(app, 'POST', `${base}/decryptions`, X3.headers, forged);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.item, 'decryptions[0][1].proof');
  const done = await X3.decrypt(app, base, id);
  assert.equal(done.status, 200, done.raw);
  assert.equal(done.body.phase, 'published');
  // v1 [1,2], v2 [2], v3 [0,2], voter 5 [1]; v4 cancelled; paper [1].
  assert.deepEqual(done.body.result.questions[0].counts, [1, 2, 3, 0]);
  assert.deepEqual(done.body.result.totals[0].counts, [1, 3, 3, 0]);
  assert.deepEqual(done.body.result.decryptedBy, [1, 3]);
  // The typed answer schemas drop nothing: the HTTP answers equal what the store holds.
  const stored = await inScope(ctx.db, { tenant: TARTU }, (trx) => findElection(trx, TARTU, id));
  const shown = await call(app, 'GET', base, undefined);
  assert.ok(stored?.tally && stored.paper && stored.result && stored.definition && stored.public_key);
  assert.deepEqual(
    { tally: shown.body.tally, paper: shown.body.paper, result: shown.body.result },
    { tally: stored.tally, paper: stored.paper, result: stored.result },
  );
  const slot = await call(app, 'GET', `${base}/my-slot`, voterH[0]);
  assert.equal(slot.status, 200, slot.raw);
  assert.deepEqual(slot.body.params, paramsOf(stored.definition, stored.public_key));
  // The exported record verifies independently.
  const rec = await call(app, 'GET', `${base}/record`, undefined);
  assert.equal(rec.status, 200);
  const record = rec.body as unknown as ElectionRecord;
  const v = verifyRecord(record);
  assert.deepEqual(v.failures, []);
  assert.deepEqual(
    v.result?.[0]?.counts.map((c) => c.count),
    [1, 2, 3, 0],
  );
  assert.deepEqual(
    v.totals?.[0]?.counts.map((c) => c.count),
    [1, 3, 3, 0],
  );
  assert.equal(v.checked.superseded, 1);
  assert.equal(v.checked.cancelled, 1);
  assert.equal(v.checked.audited, 1);
  // One changed character in a ballot, a proof or a partial decryption: invalid, naming the item.
  const flip = (h: string) => (h[5] === '0' ? h.slice(0, 5) + '1' + h.slice(6) : h.slice(0, 5) + '0' + h.slice(6));
  const r1 = structuredClone(record);
  r1.ballots[0]!.ballot.answers[0]!.choices[1]!.proof[0]!.c = flip(
    r1.ballots[0]!.ballot.answers[0]!.choices[1]!.proof[0]!.c,
  );
  assert.match(
    verifyRecord(r1)
      .failures.map((f) => `${f.item}: ${f.problem}`)
      .join('\n'),
    /^ballots\[0\] \(slot [0-9a-f]{12}…, version \d, tracker [0-9a-f]{12}…\)\.(tracker|ballot)/m,
  );
  const r2 = structuredClone(record);
  r2.decryption![1]!.decryptions[0]![3]!.factor = flip(r2.decryption![1]!.decryptions[0]![3]!.factor);
  assert.match(
    verifyRecord(r2)
      .failures.map((f) => f.item)
      .join('\n'),
    /decryption\[1\] \(trustee 3\)\.decryptions\[0\]\[3\]/,
  );
});

test('no table, log line or API answer holds a private key, a key share, a seed, or a decrypted individual ballot', async () => {
  const secrets = new Map<string, string>();
  for (const t of trustees) {
    secrets.set(`trustee ${t.index} seed`, Buffer.from(t.seed).toString('hex'));
    secrets.set(`trustee ${t.index} key share`, scalarToHex(t.share!));
    const s = deriveSecrets(t.seed, 2);
    secrets.set(`trustee ${t.index} transport key`, scalarToHex(s.transport));
    s.coefficients.forEach((a, l) => secrets.set(`trustee ${t.index} coefficient ${l}`, scalarToHex(a)));
    for (const j of [1, 2, 3]) secrets.set(`share ${t.index}→${j}`, scalarToHex(evalPolynomial(s.coefficients, j)));
  }
  const x = [1, 2].reduce((acc, j) => (acc + lagrangeAtZero([1, 2], j) * trustees[j - 1]!.share!) % q, 0n);
  secrets.set('election private key', scalarToHex(x));
  // Every column of every table, as the database owner sees it.
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  const tables = (
    await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")
  ).rows.map((r) => r.t);
  let dump = '';
  for (const t of tables) {
    const rows = await c.query(`SELECT t::text AS x FROM "${t}" t`);
    dump += rows.rows.map((r) => r.x).join('\n');
  }
  // Encrypted ballots in the ballot box: format only, nothing sealed, content = the tracker.
  const boxRows = await c.query(
    "SELECT format, content, sealed FROM bb_ballot WHERE format = 'elgamal-ristretto255/1'",
  );
  await c.end();
  assert.ok(boxRows.rows.length >= 4);
  for (const r of boxRows.rows) {
    assert.equal(r.sealed, null);
    assert.deepEqual(Object.keys(r.content), ['tracker']);
  }
  const logs = logLines.join('');
  assert.ok(logs.length > 1000, 'the logs were captured');
  const answers = JSON.stringify(
    await Promise.all([
      call(app, 'GET', base, officialH),
      call(app, 'GET', `${base}/ceremony`, undefined),
      call(app, 'GET', `${base}/record`, undefined),
    ]),
  );
  for (const [what, hex] of secrets) {
    // Scalars appear little-endian in hex; look for both byte orders to be safe.
    const be = Buffer.from(hex, 'hex').reverse().toString('hex');
    for (const [where, text] of [
      ['a table', dump],
      ['a log line', logs],
      ['an API answer', answers],
    ] as const) {
      assert.ok(!text.includes(hex) && !text.includes(be), `${what} found in ${where}`);
    }
  }
  // No vv_* column can hold a decrypted ballot: the board keeps ciphertexts, trackers and statuses.
  const cols = await inScope(ctx.db, { tenant: TARTU }, (trx) =>
    trx
      .selectFrom('information_schema.columns' as never)
      .select(['table_name', 'column_name'] as never)
      .where('table_name' as never, 'like', 'vv_%' as never)
      .execute(),
  );
  const names = (cols as { table_name: string; column_name: string }[])
    .map((r) => `${r.table_name}.${r.column_name}`)
    .sort();
  assert.ok(
    !names.some((n) => /\.(selections?|plaintext|choices?|answers?|secret|seed|private_key|share)$/.test(n)),
    names.join(', '),
  );
});

test('ballots are verified in worker threads, with the same answers and errors as inline', async () => {
  const { verifyInPool, verifyPoolSize } = await import('./verifyPool');
  const { verifyForCasting } = await import('./verifyWorker');
  const Y = G.multiply(randomScalar());
  const params = {
    voteId: 'v',
    fingerprint: 'ab'.repeat(32),
    publicKey: pointToHex(Y),
    questions: [{ choices: 3, minSelections: 0, maxSelections: 1 }],
  };
  const e = encryptBallot(params, 's', [[2]]);
  const viaPool = await verifyInPool(params, 's', e.ballot);
  assert.ok(verifyPoolSize() >= 1, 'worker threads are running');
  assert.equal(viaPool.tracker, e.tracker);
  assert.deepEqual([...viaPool.form], [...verifyForCasting(params, 's', e.ballot).form]);
  await assert.rejects(
    verifyInPool(params, 'other slot', e.ballot),
    (err: Error) => err.name === 'CryptoError' && /challenges do not match/.test(err.message),
  );
});

test('no server code path touches a trustee secret: the server-side files import no secret-handling function', () => {
  const dir = import.meta.dirname;
  const forbidden =
    /\b(partialDecrypt|collectShares|commitRound|dealRound|confirmRound|deriveSecrets|newSeed|decryptShare|openKeyFile|createKeyFile|evalPolynomial|encryptBallot)\b|crypto\/simulate|crypto\/keyfile/;
  const serverFiles = readdirSync(dir).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'testSupport.ts' && f !== 'seed.ts',
  );
  assert.ok(serverFiles.includes('routes.ts') && serverFiles.includes('counting.ts'));
  for (const f of serverFiles) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    assert.ok(!forbidden.test(text), `${f} uses ${text.match(forbidden)?.[0]}`);
  }
  // No route accepts a field that could carry a key, a share, a seed or a passphrase.
  const spec = app.swagger() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  const bodies = JSON.stringify(
    Object.entries(spec.paths)
      .filter(([p]) => p.includes('verifiable'))
      .map(([, ops]) => Object.values(ops).map((o) => o.requestBody)),
  );
  for (const word of ['seed', 'passphrase', 'privateKey', 'secret', 'keyFile', '"share"'])
    assert.ok(!bodies.includes(word), `a verifiable route accepts ${word}`);
});
