import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { G, ZERO, decodePoint, decodeScalar, pointToHex, q, randomScalar, scalarToHex, withTable } from './group';
import {
  checkAudit,
  encryptBallot,
  encryptWith,
  trackerOf,
  verifyBallot,
  choiceContext,
  selectionsContext,
  type BallotJson,
  type ElectionParams,
} from './ballot';
import { proveRange, proveKnowledge, verifyKnowledge, proveEquality, verifyEquality, decodeEquality } from './proofs';
import { Transcript } from './transcript';
import { CryptoError } from './errors';
import {
  collectShares,
  commitRound,
  confirmRound,
  dealRound,
  electionKey,
  encryptShare,
  lagrangeAtZero,
  verifyCommitment,
  verifyPublicShare,
  evalPolynomial,
} from './dkg';
import { combine, discreteLog, partialDecrypt, verifyPartial } from './decrypt';
import { createKeyFile, openKeyFile } from './keyfile';
import { exampleElection, runCeremony, seededRandom, simulateElection } from './simulate';
import { canonicalJson, fingerprintOf, paramsOf } from './record';
import { verifyRecord } from './verify';
import { hexToBytes } from '@noble/hashes/utils.js';

const VECTORS = path.join(import.meta.dirname, 'vectors.json');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function rejects(f: () => unknown, kind: CryptoError['kind'], message: RegExp) {
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof CryptoError, `expected a CryptoError, got ${String(err)}`);
    assert.equal(err.kind, kind, `kind of "${err.message}"`);
    assert.match(err.message, message);
    return true;
  });
}

// ————— the group —————

test('ristretto255: the RFC 9496 multiples of the generator, and its invalid encodings are refused', () => {
  const multiples = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76',
    '6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919',
    '94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259',
    'da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57',
    'e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e',
  ];
  let P = ZERO;
  for (const hex of multiples) {
    assert.equal(pointToHex(P), hex);
    assert.ok(decodePoint(hex, 'x', { allowIdentity: true }).equals(P));
    P = P.add(G);
  }
  // RFC 9496 A.2: non-canonical field encodings, negative field elements, non-square x².
  for (const bad of [
    '00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0100000000000000000000000000000000000000000000000000000000000000',
    '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371',
  ]) {
    rejects(() => decodePoint(bad, 'element'), 'malformed', /element: not a valid ristretto255 encoding/);
  }
  rejects(() => decodePoint(multiples[0], 'alpha'), 'malformed', /alpha: is the identity element/);
  rejects(
    () => decodePoint('E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D76', 'alpha'),
    'malformed',
    /64 lowercase hex/,
  );
  rejects(() => decodePoint('e2f2', 'alpha'), 'malformed', /64 lowercase hex/);
  rejects(() => decodeScalar(scalarToHex(q - 1n).replace(/^../, 'ff'), 's'), 'malformed', /not reduced/);
  assert.equal(decodeScalar(scalarToHex(q - 1n), 's'), q - 1n);
});

test('transcripts are unambiguous: moving a boundary between items changes the challenge', () => {
  const a = new Transcript('t').text('ab').text('c').challenge();
  const b = new Transcript('t').text('a').text('bc').challenge();
  assert.notEqual(a, b);
  assert.notEqual(new Transcript('t').int(1).challenge(), new Transcript('u').int(1).challenge());
});

// ————— known-answer vectors —————

/** Everything deterministic from seeded randomness, compared with vectors.json. */
function computeVectors() {
  const rng = seededRandom('kov-verifiable known-answer vectors v1');
  const election = exampleElection({ trustees: 3, threshold: 2, choices: 3, min: 1, max: 2 });
  const { record } = simulateElection({
    election,
    voters: [
      { slot: 'slot-a', ballots: [[[0, 2]]] },
      { slot: 'slot-b', ballots: [[[1]], [[0]]] },
    ],
    audits: [[[1, 2]]],
    decryptors: [2, 3],
    rng,
  });
  const Y = decodePoint(record.publicKey, 'Y');
  const r = 0x1234567890abcdefn;
  const enc = encryptWith(Y, 1, r);
  const x = 0x0fedcba987654321n;
  return {
    canonicalJson: canonicalJson({ b: [1, 'x'], a: { d: null, c: true } }),
    fingerprint: record.fingerprint,
    commitment1: record.ceremony.commitments[0],
    share2to3: record.ceremony.shares[1]!.shares[1],
    publicShare3: record.ceremony.publicShares[2],
    publicKey: record.publicKey,
    encryptionOf1: { r: scalarToHex(r), alpha: pointToHex(enc.alpha), beta: pointToHex(enc.beta) },
    knowledgeProof: proveKnowledge(new Transcript('kat'), x, G.multiply(x), seededRandom('pok')),
    ballot: { slot: record.ballots[0]!.slot, tracker: record.ballots[0]!.tracker, ballot: record.ballots[0]!.ballot },
    audited: record.audited[0],
    tally: record.tally,
    partialDecryption2: record.decryption![0],
    result: record.result,
  };
}

test('known-answer vectors: encryption, every proof, the ceremony, tally, partial decryption and result', () => {
  const got = computeVectors();
  if (process.env.KOV_WRITE_VECTORS === '1') writeFileSync(VECTORS, JSON.stringify(got, null, 1) + '\n');
  const want = JSON.parse(readFileSync(VECTORS, 'utf8')) as ReturnType<typeof computeVectors>;
  assert.equal(got.canonicalJson, '{"a":{"c":true,"d":null},"b":[1,"x"]}');
  for (const key of Object.keys(want) as (keyof typeof want)[]) assert.deepEqual(got[key], want[key], `vector ${key}`);
  // Encryption of 1 with r: α = r·G, β = G + r·Y.
  const Y = decodePoint(want.publicKey, 'Y');
  assert.equal(want.encryptionOf1.alpha, pointToHex(G.multiply(0x1234567890abcdefn)));
  assert.equal(want.encryptionOf1.beta, pointToHex(G.add(Y.multiply(0x1234567890abcdefn))));
  // The stored vectors verify on their own (not just reproduce).
  const election = exampleElection({ trustees: 3, threshold: 2, choices: 3, min: 1, max: 2 });
  assert.equal(
    verifyBallot(paramsOf(election, want.publicKey), want.ballot.slot, want.ballot.ballot).tracker,
    want.ballot.tracker,
  );
  assert.deepEqual(want.result, { questions: [{ counts: [2, 0, 1] }] });
});

// ————— ballots: accepted and rejected —————

const x = randomScalar();
const Y = G.multiply(x);
const params: ElectionParams = {
  voteId: 'vote-1',
  fingerprint: 'ab'.repeat(32),
  publicKey: pointToHex(Y),
  questions: [{ choices: 4, minSelections: 1, maxSelections: 2 }],
};

test('a well-formed ballot verifies, and its tracker is the same for the voter and the server', () => {
  const e = encryptBallot(params, 'slot-1', [[0, 3]]);
  const v = verifyBallot(params, 'slot-1', e.ballot);
  assert.equal(v.tracker, e.tracker);
  assert.equal(v.alphas[0]!.length, 4);
  assert.deepEqual(checkAudit(params, e.ballot, e.reveal).selections, [[0, 3]]);
});

test('rejected: a choice that encrypts 2', () => {
  const Yt = withTable(Y);
  const Yb = hexToBytes(params.publicKey);
  const e = encryptBallot(params, 'slot-1', [[0]]);
  const r = randomScalar();
  const c = encryptWith(Y, 2, r);
  // The best a cheating client can do: prove "1" for a ciphertext of 2.
  const forged = clone(e.ballot);
  forged.answers[0]!.choices[1] = {
    alpha: pointToHex(c.alpha),
    beta: pointToHex(c.beta),
    proof: proveRange(choiceContext(params, 'slot-1', Yb, 0, 1), Yt, c.alpha, c.beta, 1, r, 0, 1),
  };
  rejects(
    () => verifyBallot(params, 'slot-1', forged),
    'proof',
    /^answers\[0\]\.choices\[1\]\.proof: the 0\/1 proof does not verify \(the choice does not encrypt 0 or 1\)/,
  );
  // …and the honest prover refuses to make one.
  rejects(
    () => proveRange(choiceContext(params, 'slot-1', Yb, 0, 1), Yt, c.alpha, c.beta, 2, r, 0, 1),
    'rule',
    /cannot prove 2 is within 0–1/,
  );
});

test('rejected: a proof made for another vote id, another voter slot, or another election definition', () => {
  const e = encryptBallot(params, 'slot-1', [[1]]);
  rejects(
    () => verifyBallot({ ...params, voteId: 'vote-2' }, 'slot-1', e.ballot),
    'binding',
    /^answers\[0\]\.choices\[0\]\.proof: the challenges do not match this vote, ballot slot and position/,
  );
  rejects(() => verifyBallot(params, 'slot-2', e.ballot), 'binding', /made for another vote, voter or choice/);
  rejects(
    () => verifyBallot({ ...params, fingerprint: 'cd'.repeat(32) }, 'slot-1', e.ballot),
    'binding',
    /challenges do not match/,
  );
});

test('rejected: a reused proof — a choice copied to another position, or another ballot’s selection proof', () => {
  const e = encryptBallot(params, 'slot-1', [[1]]);
  const moved = clone(e.ballot);
  moved.answers[0]!.choices[0] = clone(e.ballot.answers[0]!.choices[1]!);
  moved.answers[0]!.choices[1] = clone(e.ballot.answers[0]!.choices[0]!);
  rejects(
    () => verifyBallot(params, 'slot-1', moved),
    'binding',
    /^answers\[0\]\.choices\[0\]\.proof: the challenges do not match/,
  );
  const other = encryptBallot(params, 'slot-1', [[2]]);
  const mixed = clone(e.ballot);
  mixed.answers[0]!.selections = other.ballot.answers[0]!.selections;
  rejects(
    () => verifyBallot(params, 'slot-1', mixed),
    'binding',
    /^answers\[0\]\.selections: the challenges do not match/,
  );
});

test('rejected: a malformed point, a non-canonical scalar, a missing field, an extra field', () => {
  const e = encryptBallot(params, 'slot-1', [[1]]);
  const bad = clone(e.ballot);
  bad.answers[0]!.choices[2]!.alpha = 'ff'.repeat(32);
  rejects(
    () => verifyBallot(params, 'slot-1', bad),
    'malformed',
    /^answers\[0\]\.choices\[2\]\.alpha: not a valid ristretto255 encoding/,
  );
  const id = clone(e.ballot);
  id.answers[0]!.choices[2]!.alpha = '00'.repeat(32);
  rejects(() => verifyBallot(params, 'slot-1', id), 'malformed', /choices\[2\]\.alpha: is the identity element/);
  const sc = clone(e.ballot);
  sc.answers[0]!.choices[0]!.proof[1]!.s = 'ff'.repeat(32);
  rejects(() => verifyBallot(params, 'slot-1', sc), 'malformed', /proof, branch 1, s: scalar is not reduced/);
  const extra = clone(e.ballot) as unknown as { answers: Record<string, unknown>[] };
  extra.answers[0]!.plaintext = [1];
  rejects(() => verifyBallot(params, 'slot-1', extra), 'malformed', /^answers\[0\]: unexpected plaintext/);
  rejects(() => verifyBallot(params, 'slot-1', { answers: [{ choices: [] }] }), 'malformed', /missing selections/);
  rejects(() => verifyBallot(params, 'slot-1', null), 'malformed', /ballot: expected an object/);
});

test('rejected: too many selections, and a ballot with more choices than the question', () => {
  assert.throws(() => encryptBallot(params, 'slot-1', [[0, 1, 2]]), /choose 1–2, not 3/);
  // A cheating client encrypts three 1s and claims "2 selections" in the count proof.
  const Yt = withTable(Y);
  const Yb = hexToBytes(params.publicKey);
  const honest = encryptBallot(params, 'slot-1', [[0, 1]]);
  const cheat = clone(honest.ballot);
  const r = randomScalar();
  const c = encryptWith(Y, 1, r);
  cheat.answers[0]!.choices[2] = {
    alpha: pointToHex(c.alpha),
    beta: pointToHex(c.beta),
    proof: proveRange(choiceContext(params, 'slot-1', Yb, 0, 2), Yt, c.alpha, c.beta, 1, r, 0, 1),
  };
  const reveal = honest.reveal.answers[0]!.choices;
  const sumR = reveal.reduce((s, ch, i) => s + (i === 2 ? r : decodeScalar(ch.r, 'r')), 0n) % q;
  const sumA = cheat.answers[0]!.choices.reduce((s, ch) => s.add(decodePoint(ch.alpha, 'a')), ZERO);
  const sumB = cheat.answers[0]!.choices.reduce(
    (s, ch) => s.add(decodePoint(ch.beta, 'b', { allowIdentity: true })),
    ZERO,
  );
  cheat.answers[0]!.selections = proveRange(
    selectionsContext(params, 'slot-1', Yb, 0, 1, 2),
    Yt,
    sumA,
    sumB,
    2,
    sumR,
    1,
    2,
  );
  rejects(
    () => verifyBallot(params, 'slot-1', cheat),
    'proof',
    /^answers\[0\]\.selections: the selection-count proof does not verify \(the number of selections is not within 1–2\)/,
  );
  const tooMany = clone(honest.ballot);
  tooMany.answers[0]!.choices.push(clone(honest.ballot.answers[0]!.choices[0]!));
  rejects(
    () => verifyBallot(params, 'slot-1', tooMany),
    'rule',
    /^answers\[0\]\.choices: too many choices \(5; the question has 4\)/,
  );
});

test('audit (Benaloh challenge): a ballot that does not encrypt what the voter chose is caught', () => {
  const e = encryptBallot(params, 'slot-1', [[1]]);
  const lie = clone(e.reveal);
  lie.answers[0]!.choices[1]!.m = 0;
  lie.answers[0]!.choices[2]!.m = 1;
  rejects(
    () => checkAudit(params, e.ballot, lie),
    'mismatch',
    /^answers\[0\]\.choices\[1\]: beta does not encrypt the revealed value 0/,
  );
  const wrongR = clone(e.reveal);
  wrongR.answers[0]!.choices[0]!.r = scalarToHex(randomScalar());
  rejects(() => checkAudit(params, e.ballot, wrongR), 'mismatch', /alpha is not r·G/);
});

test('property: flipping any hex digit of a ballot makes it fail, naming the altered part', () => {
  const e = encryptBallot({ ...params, questions: [{ choices: 2, minSelections: 0, maxSelections: 1 }] }, 'slot-9', [
    [1],
  ]);
  const p2 = { ...params, questions: [{ choices: 2, minSelections: 0, maxSelections: 1 }] };
  const paths: { path: (string | number)[] }[] = [];
  e.ballot.answers[0]!.choices.forEach((c, ci) => {
    paths.push({ path: ['choices', ci, 'alpha'] }, { path: ['choices', ci, 'beta'] });
    c.proof.forEach((_b, bi) =>
      ['a', 'b', 'c', 's'].forEach((k) => paths.push({ path: ['choices', ci, 'proof', bi, k] })),
    );
  });
  e.ballot.answers[0]!.selections.forEach((_b, bi) =>
    ['a', 'b', 'c', 's'].forEach((k) => paths.push({ path: ['selections', bi, k] })),
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...paths),
      fc.integer({ min: 0, max: 63 }),
      fc.integer({ min: 1, max: 15 }),
      ({ path: p }, pos, delta) => {
        const b = clone(e.ballot) as unknown as Record<string, unknown>;
        let o = (b.answers as unknown[])[0] as Record<string | number, unknown>;
        for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
        const key = p[p.length - 1]!;
        const hex = o[key] as string;
        o[key] = hex.slice(0, pos) + ((parseInt(hex[pos]!, 16) + delta) % 16).toString(16) + hex.slice(pos + 1);
        assert.throws(
          () => verifyBallot(p2, 'slot-9', b),
          (err: unknown) =>
            err instanceof CryptoError &&
            err.message.startsWith(`answers[0].${p[0]}${p[0] === 'choices' ? `[${p[1]}]` : ''}`),
        );
      },
    ),
    { numRuns: 60 },
  );
});

// ————— proofs of knowledge and of correct decryption —————

test('Schnorr and Chaum–Pedersen proofs verify only in their own context', () => {
  const s = randomScalar();
  const X = G.multiply(s);
  const pok = proveKnowledge(new Transcript('kat').text('a'), s, X);
  verifyKnowledge(new Transcript('kat').text('a'), X, pok, 'pok');
  rejects(
    () => verifyKnowledge(new Transcript('kat').text('b'), X, pok, 'pok'),
    'proof',
    /pok: the proof of knowledge/,
  );
  const B = G.multiply(randomScalar());
  const D = B.multiply(s);
  const cp = proveEquality(new Transcript('kat'), s, X, B, D);
  verifyEquality(new Transcript('kat'), X, B, D, decodeEquality(cp, 'cp'), 'cp');
  rejects(
    () => verifyEquality(new Transcript('kat'), X, B, D.add(G), decodeEquality(cp, 'cp'), 'cp'),
    'proof',
    /cp: the Chaum–Pedersen proof/,
  );
});

// ————— the key ceremony and threshold decryption —————

test('2-of-3 ceremony: public shares match the commitments; any 2 trustees decrypt, 1 cannot', () => {
  const election = exampleElection({ trustees: 3, threshold: 2 });
  const cer = runCeremony(election);
  const shape = cer.shape;
  const decoded = cer.ceremony.commitments.map((m, i) => verifyCommitment(shape, m, `c${i}`));
  cer.ceremony.publicShares.forEach((m, i) => verifyPublicShare(shape, decoded, cer.ceremony.shares, m, `p${i}`));
  const Yk = electionKey(decoded);
  // x = Σ λⱼ xⱼ for any two; the private key itself is only computed here, in the test.
  const xFrom = (set: number[]) => set.reduce((acc, j) => (acc + lagrangeAtZero(set, j) * cer.shares[j - 1]!) % q, 0n);
  assert.ok(G.multiply(xFrom([1, 2])).equals(Yk));
  assert.ok(G.multiply(xFrom([1, 3])).equals(Yk));
  assert.ok(G.multiply(xFrom([2, 3])).equals(Yk));
  assert.ok(!G.multiply(cer.shares[0]!).equals(Yk));
  // Decrypt an encryption of 5 with trustees 3 and 1.
  const c = encryptWith(Yk, 5, randomScalar());
  const partials = new Map<number, typeof ZERO>();
  for (const j of [3, 1]) {
    const msg = partialDecrypt(election.voteId, j, cer.shares[j - 1]!, [[c.alpha]]);
    const X = decodePoint(cer.ceremony.publicShares[j - 1]!.publicShare, 'X');
    partials.set(
      j,
      verifyPartial(election.voteId, j, X, 0, 0, c.alpha, msg.decryptions[0]![0], 'pd', (h, w) => decodePoint(h, w)),
    );
  }
  assert.equal(discreteLog(combine(c.beta, partials), 10), 5);
  const one = new Map([[1, partials.get(1)!]]);
  assert.throws(() => discreteLog(combine(c.beta, one), 10), /not a count between 0 and 10/);
});

test('ceremony: a wrong share is detected by its recipient, a wrong public share by everybody', () => {
  const election = exampleElection({ trustees: 3, threshold: 2 });
  const shape = { voteId: election.voteId, trustees: 3, threshold: 2 };
  const seeds = [1, 2, 3].map((i) => seededRandom(`seed-${i}`)(32));
  const msgs = seeds.map((s, i) => commitRound(shape, i + 1, s));
  const decoded = msgs.map((m, i) => verifyCommitment(shape, m, `c${i}`));
  const deals = seeds.map((s, i) => dealRound(shape, i + 1, s, decoded));
  // Trustee 1 deals trustee 2 a share off its polynomial (re-encrypted properly, so only the commitment check catches it).
  const T2 = decoded[1]!.T;
  const wrong = (evalPolynomial([1n, 2n], 2) + 1n) % q;
  deals[0]!.shares[0] = encryptShare(election.voteId, 1, 2, T2, wrong);
  const out = collectShares(shape, 2, seeds[1]!, decoded, deals);
  assert.equal(out.share, undefined);
  assert.deepEqual(
    out.complaints.map((c) => c.against),
    [1],
  );
  assert.match(out.complaints[0]!.reason, /does not match the published commitments/);
  // A tampered ciphertext fails authentication.
  const deals2 = seeds.map((s, i) => dealRound(shape, i + 1, s, decoded));
  const ct = deals2[2]!.shares[0]!.ciphertext;
  deals2[2]!.shares[0]!.ciphertext = (ct[0] === '0' ? '1' : '0') + ct.slice(1);
  assert.match(collectShares(shape, 1, seeds[0]!, decoded, deals2).complaints[0]!.reason, /does not authenticate/);
  // Public share not matching the commitments, and a proof of possession for another trustee.
  const ok = collectShares(shape, 3, seeds[2]!, decoded, deals2).share!;
  const pub = confirmRound(election.voteId, 3, ok, deals2);
  verifyPublicShare(shape, decoded, deals2, pub, 'p3');
  rejects(
    () => verifyPublicShare(shape, decoded, deals2, confirmRound(election.voteId, 3, (ok + 1n) % q, deals2), 'p3'),
    'mismatch',
    /p3\.publicShare: does not match the trustees' commitments/,
  );
  rejects(
    () => verifyPublicShare(shape, decoded, deals2, { ...pub, index: 2 }, 'p2'),
    'proof',
    /p2\.proof: the proof of knowledge/,
  );
  // The shares trustee 3 received are bound to its proof: changing one afterwards breaks it.
  const swapped = clone(deals2);
  swapped[0]!.shares[1]!.tag = flip(swapped[0]!.shares[1]!.tag);
  rejects(
    () => verifyPublicShare(shape, decoded, swapped, pub, 'p3'),
    'proof',
    /or the shares dealt to this trustee were changed/,
  );
  // A commitment whose proof of possession was made by another trustee (rogue-key attempt).
  rejects(() => verifyCommitment(shape, { ...msgs[0]!, index: 2 }, 'c'), 'proof', /c\.transportProof/);
});

test('trustee key file: plain and passphrase-protected; wrong passphrase and other votes refused', async () => {
  const seed = seededRandom('file')(32);
  const meta = { voteId: 'v', municipalityCode: '0793', trusteeIndex: 2, trustees: 3, threshold: 2 };
  const plain = await createKeyFile(meta, seed);
  assert.deepEqual((await openKeyFile(clone(plain), undefined, { voteId: 'v', trusteeIndex: 2 })).seed, seed);
  const fast = { N: 1 << 10, r: 8, p: 1 };
  const prot = await createKeyFile(meta, seed, 'correct horse', fast);
  assert.equal(prot.seed, undefined);
  assert.ok(!JSON.stringify(prot).includes(Buffer.from(seed).toString('hex')));
  assert.deepEqual((await openKeyFile(clone(prot), 'correct horse')).seed, seed);
  await assert.rejects(openKeyFile(clone(prot), 'wrong'), /wrong passphrase/);
  await assert.rejects(openKeyFile(clone(prot), undefined), /protected by a passphrase/);
  await assert.rejects(openKeyFile(clone(prot), 'correct horse', { voteId: 'other' }), /belongs to another vote/);
  await assert.rejects(openKeyFile(clone(plain), undefined, { trusteeIndex: 1 }), /belongs to another trustee/);
  await assert.rejects(
    openKeyFile({ ...clone(prot), trusteeIndex: 3 }, 'correct horse'),
    /wrong passphrase \(or the file was altered\)/,
  );
});

test('discrete log by baby-step giant-step at the edges of the bound', () => {
  for (const [m, max] of [
    [0, 0],
    [0, 100],
    [1, 1],
    [99, 100],
    [100, 100],
    [12345, 100000],
    [100000, 100000],
  ] as const) {
    assert.equal(discreteLog(m === 0 ? ZERO : G.multiply(BigInt(m)), max), m);
  }
  assert.throws(() => discreteLog(G.multiply(101n), 100), /not a count between 0 and 100/);
});

// ————— the record and the verifier —————

const recElection = exampleElection({ trustees: 3, threshold: 2, choices: 3, min: 0, max: 2 });
const sim = simulateElection({
  election: recElection,
  voters: [
    { slot: 's-1', ballots: [[[0]], [[1, 2]]] },
    { slot: 's-2', ballots: [[[2]]] },
    { slot: 's-3', ballots: [[[]]] },
    { slot: 's-4', ballots: [[[0]]], cancelled: true },
  ],
  audits: [[[0, 1]]],
  decryptors: [1, 3],
});

test('verifier: the simulated record is valid and its result is the expected count', () => {
  const v = verifyRecord(sim.record);
  assert.deepEqual(v.failures, []);
  assert.equal(v.valid, true);
  assert.deepEqual(
    v.result?.[0]?.counts.map((c) => c.count),
    sim.expected[0],
  );
  assert.deepEqual(v.checked, {
    trustees: 3,
    threshold: 2,
    ballots: 5,
    counted: 3,
    superseded: 1,
    cancelled: 1,
    audited: 1,
    partialDecryptions: 6,
    decryptedBy: [1, 3],
  });
});

function flip(hex: string, pos = 7) {
  return hex.slice(0, pos) + ((parseInt(hex[pos]!, 16) + 1) % 16).toString(16) + hex.slice(pos + 1);
}

test('verifier names the item: a changed ballot, proof, partial decryption, tally, result, status, key', () => {
  const cases: [string, (r: typeof sim.record) => void, RegExp][] = [
    [
      'ballot alpha',
      (r) =>
        (r.ballots[2]!.ballot.answers[0]!.choices[1]!.alpha = flip(r.ballots[2]!.ballot.answers[0]!.choices[1]!.alpha)),
      /^ballots\[2\] \(slot s-2, version 1, tracker [0-9a-f]{12}…\)\.(tracker|ballot)/,
    ],
    [
      'proof response',
      (r) =>
        (r.ballots[1]!.ballot.answers[0]!.selections[0]!.s = flip(
          r.ballots[1]!.ballot.answers[0]!.selections[0]!.s,
          3,
        )),
      /^ballots\[1\] \(slot s-1, version 2, tracker [0-9a-f]{12}…\)\.ballot: answers\[0\]\.selections: the selection-count proof does not verify/,
    ],
    [
      'partial decryption factor',
      (r) => (r.decryption![1]!.decryptions[0]![2]!.factor = flip(r.decryption![1]!.decryptions[0]![2]!.factor)),
      /^decryption\[1\] \(trustee 3\)\.decryptions\[0\]\[2\]/,
    ],
    [
      'partial decryption proof',
      (r) => (r.decryption![0]!.decryptions[0]![0]!.proof.s = flip(r.decryption![0]!.decryptions[0]![0]!.proof.s, 2)),
      /^decryption\[0\] \(trustee 1\)\.decryptions\[0\]\[0\]: partial decryption\.proof: the Chaum–Pedersen proof/,
    ],
    [
      'tally',
      (r) =>
        (r.tally!.questions[0]!.choices[0]!.beta = pointToHex(
          decodePoint(r.tally!.questions[0]!.choices[0]!.beta, 'b').add(G),
        )),
      /^tally\.questions\[0\]\.choices\[0\]: is not the homomorphic product/,
    ],
    [
      'result',
      (r) => (r.result!.questions[0]!.counts[1]! += 1),
      /^result\.questions\[0\]\.counts\[1\]: announced \d+, the decryption gives \d+/,
    ],
    [
      'status',
      (r) => (r.ballots[0]!.status = 'counted'),
      /^ballots\[0\] .*\.status: counted, but a later ballot of the same slot exists/,
    ],
    [
      'slot',
      (r) => (r.ballots[2]!.slot = 's-9'),
      /^ballots\[2\] .*\.ballot: answers\[0\]\.choices\[0\]\.proof: the challenges do not match/,
    ],
    [
      'label',
      (r) => ((r.election.questions[0]!.choices[0]! as { label: unknown }).label = 'Something else'),
      /^fingerprint: does not match the election definition/,
    ],
    [
      'commitment',
      (r) => (r.ceremony.commitments[1]!.commitments[1] = pointToHex(G)),
      /^ceremony\.publicShares\[\d\] \(trustee \d\): message\.publicShare: does not match/,
    ],
    [
      'audited',
      (r) => (r.audited[0]!.reveal.answers[0]!.choices[0]!.m = 0),
      /^audited\[0\] \(tracker [0-9a-f]{12}…\): answers\[0\]\.choices\[0\]: beta does not encrypt the revealed value 0/,
    ],
    [
      'duplicate',
      (r) => r.ballots.splice(2, 0, { ...clone(r.ballots[1]!), version: 3 }),
      /the same ballot appears twice on the board/,
    ],
    ['version gap', (r) => (r.ballots[1]!.version = 3), /the slot's versions are 1, 3; expected 1, 2/],
  ];
  for (const [name, change, expected] of cases) {
    const r = clone(sim.record);
    change(r);
    const v = verifyRecord(r);
    assert.equal(v.valid, false, `${name}: must be invalid`);
    assert.ok(
      v.failures.some((f) => expected.test(`${f.item}: ${f.problem}`)),
      `${name}: expected a failure matching ${expected}, got:\n${v.failures.map((f) => `${f.item}: ${f.problem}`).join('\n')}`,
    );
  }
});

test('property: changing any one hex digit anywhere in the record makes it invalid', () => {
  const positions: { path: (string | number)[]; len: number }[] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) positions.push({ path: p, len: 64 });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(sim.record, []);
  assert.ok(positions.length > 300, `hex fields: ${positions.length}`);
  fc.assert(
    fc.property(fc.constantFrom(...positions), fc.integer({ min: 0, max: 63 }), ({ path: p }, pos) => {
      const r = clone(sim.record) as unknown as Record<string | number, unknown>;
      let o = r;
      for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      const key = p[p.length - 1]!;
      o[key] = flip(o[key] as string, pos);
      const v = verifyRecord(r);
      assert.equal(v.valid, false, `changing ${p.join('.')} at ${pos} went unnoticed`);
    }),
    { numRuns: 40 },
  );
});

test('fingerprint covers the definition, and ballots made for one definition fail under another', () => {
  const changed = clone(recElection);
  changed.questions[0]!.maxSelections = 3;
  assert.notEqual(fingerprintOf(changed), fingerprintOf(recElection));
  const b = sim.record.ballots[1]!;
  assert.throws(
    () => verifyBallot(paramsOf(changed, sim.record.publicKey), b.slot, b.ballot),
    /selections: expected 4 branches/,
  );
  assert.equal(trackerOf(recElection.voteId, b.ballot as BallotJson), b.tracker);
});
