/**
 * The independent verifier: re-checks a whole election record from its JSON alone and names
 * every item that fails. Used by `kov verify RECORD.json` (verifier/main.ts) and by the web app.
 *
 * Checks, in order:
 *  1. format, election definition, fingerprint;
 *  2. key ceremony: proofs of knowledge of every transport key and first coefficient, every public
 *     share against the commitments (with its proof), election key = Σ first commitments;
 *  3. every cast ballot: structure, encodings, tracker, every 0/1 and selection-count proof
 *     (bound to the vote, the fingerprint and the ballot's slot); no ciphertext used twice;
 *     statuses (the last ballot of a slot counts unless cancelled, earlier ones are superseded);
 *  4. every audited ballot: tracker, ciphertexts = encryptions of the revealed choices;
 *  5. tally = homomorphic product of the counted ballots;
 *  6. every partial decryption proof, at least `threshold` trustees;
 *  7. result = the decryption of the tally; totals with declared paper ballots.
 */
import { checkAudit, checkBallotShape, checkQuestionShapes, trackerOf, verifyBallot } from './ballot';
import { combine, discreteLog, emptyTally, verifyPartial } from './decrypt';
import { checkCeremonyShape, checkSharesShape, electionKey, verifyCommitment, verifyPublicShare, type CeremonyShape, type DecodedCommitment } from './dkg';
import { CryptoError } from './errors';
import { decodePoint, pointToHex, systemRandom, type Point, type RandomSource } from './group';
import { RECORD_FORMAT, fingerprintOf, paramsOf, type ElectionRecord } from './record';

export interface Finding {
  /** Where: a JSON path into the record, with the ballot's tracker or the trustee's index. */
  item: string;
  problem: string;
}

export interface Verdict {
  valid: boolean;
  failures: Finding[];
  /** What was checked (counts), for the report. */
  checked: {
    trustees: number;
    threshold: number;
    ballots: number;
    counted: number;
    superseded: number;
    cancelled: number;
    audited: number;
    partialDecryptions: number;
    decryptedBy: number[];
  };
  /** The verified result per question (choice id → count), when the record has one and it holds. */
  result?: { question: string; counts: { choice: string; count: number }[] }[];
  /** Declared paper ballots added to the verified result. */
  totals?: { question: string; counts: { choice: string; count: number }[] }[];
}

const MAX_FAILURES = 200;
const short = (h: unknown) => (typeof h === 'string' ? (h.length > 12 ? `${h.slice(0, 12)}…` : h) : '?');

export interface VerifyOptions {
  rng?: RandomSource;
  /** Called every 100 ballots. */
  progress?: (done: number, total: number) => void;
}

export function verifyRecord(input: unknown, opts: VerifyOptions = {}): Verdict {
  const rng = opts.rng ?? systemRandom;
  const failures: Finding[] = [];
  const checked: Verdict['checked'] = { trustees: 0, threshold: 0, ballots: 0, counted: 0, superseded: 0, cancelled: 0, audited: 0, partialDecryptions: 0, decryptedBy: [] };
  const fail = (item: string, problem: string) => {
    if (failures.length < MAX_FAILURES) failures.push({ item, problem });
  };
  /** Runs a check; a CryptoError (or any error) becomes a finding for `item`. Returns undefined on failure. */
  const check = <T>(item: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      fail(item, err instanceof CryptoError ? err.message : `unexpected error: ${(err as Error).message}`);
      return undefined;
    }
  };
  const done = (): Verdict => ({ valid: failures.length === 0, failures, checked });

  // 1. Format and election.
  if (typeof input !== 'object' || input === null) {
    fail('record', 'not a JSON object');
    return done();
  }
  const r = input as ElectionRecord;
  if (r.format !== RECORD_FORMAT || r.version !== 1) {
    fail('format', `expected "${RECORD_FORMAT}" version 1`);
    return done();
  }
  const e = r.election;
  const params = check('election', () => {
    if (typeof e !== 'object' || e === null || typeof e.voteId !== 'string' || !e.voteId) throw new CryptoError('malformed', 'missing voteId');
    if (!Array.isArray(e.questions)) throw new CryptoError('malformed', 'missing questions');
    e.questions.forEach((q, i) => {
      if (!Array.isArray(q?.choices)) throw new CryptoError('malformed', `questions[${i}].choices missing`);
    });
    if (!Array.isArray(e.trustees) || e.trustees.some((t, i) => t?.index !== i + 1)) throw new CryptoError('malformed', 'trustees must be listed with indices 1, 2, …');
    const p = paramsOf(e, typeof r.publicKey === 'string' ? r.publicKey : '');
    checkQuestionShapes(p.questions);
    checkCeremonyShape({ voteId: e.voteId, trustees: e.trustees.length, threshold: e.threshold });
    return p;
  });
  if (!params) return done();
  if (fingerprintOf(e) !== r.fingerprint) fail('fingerprint', 'does not match the election definition (titles, choices, rules or trustees were changed)');
  const shape: CeremonyShape = { voteId: e.voteId, trustees: e.trustees.length, threshold: e.threshold };
  checked.trustees = shape.trustees;
  checked.threshold = shape.threshold;

  // 2. Key ceremony.
  const cer = r.ceremony ?? ({} as ElectionRecord['ceremony']);
  const commitments: DecodedCommitment[] = [];
  const publicShares = new Map<number, Point>();
  check('ceremony', () => {
    if (!Array.isArray(cer.commitments) || !Array.isArray(cer.shares) || !Array.isArray(cer.publicShares)) throw new CryptoError('malformed', 'expected commitments, shares and publicShares');
    for (const [name, list] of [['commitments', cer.commitments], ['shares', cer.shares], ['publicShares', cer.publicShares]] as const) {
      if (list.length !== shape.trustees || list.some((m, i) => (m as { index?: number })?.index !== i + 1)) throw new CryptoError('malformed', `${name}: one message per trustee, in index order`);
    }
  });
  if (failures.length) return done();
  cer.commitments.forEach((m, i) => {
    const c = check(`ceremony.commitments[${i}] (trustee ${i + 1})`, () => verifyCommitment(shape, m, 'message'));
    if (c) commitments.push(c);
  });
  cer.shares.forEach((m, i) => check(`ceremony.shares[${i}] (trustee ${i + 1})`, () => checkSharesShape(shape, m, 'message')));
  if (commitments.length === shape.trustees) {
    cer.publicShares.forEach((m, i) => {
      const X = check(`ceremony.publicShares[${i}] (trustee ${i + 1})`, () => verifyPublicShare(shape, commitments, cer.shares, m, 'message'));
      if (X) publicShares.set(i + 1, X);
    });
    check('publicKey', () => {
      const Y = electionKey(commitments);
      const given = decodePoint(r.publicKey, 'publicKey');
      if (!Y.equals(given)) throw new CryptoError('mismatch', "is not the sum of the trustees' first commitments");
    });
  }
  if (failures.length) return done();

  // 3. Cast ballots.
  const ballots = Array.isArray(r.ballots) ? r.ballots : (fail('ballots', 'expected a list'), []);
  checked.ballots = ballots.length;
  const sizes = params.questions.map((q) => q.choices);
  const tally = emptyTally(sizes);
  const trackers = new Set<string>();
  const alphasSeen = new Map<string, string>();
  // The slot's versions must be 1, 2, …; the last one counts (unless cancelled), earlier ones are superseded.
  const versionsOfSlot = new Map<string, number[]>();
  ballots.forEach((b) => {
    if (typeof b?.slot === 'string') versionsOfSlot.set(b.slot, [...(versionsOfSlot.get(b.slot) ?? []), b.version]);
  });
  const lastOfSlot = new Map<string, number>();
  for (const [slot, vs] of versionsOfSlot) {
    lastOfSlot.set(slot, Math.max(...vs.map((v) => (Number.isInteger(v) ? v : 0))));
    const sorted = [...vs].sort((a, b) => a - b);
    if (sorted.some((v, i) => v !== i + 1)) fail(`ballots (slot ${short(slot)})`, `the slot's versions are ${vs.join(', ')}; expected 1, 2, … without gaps or repeats`);
  }
  let counted = 0;
  const slotsCounted = new Set<string>();
  ballots.forEach((b, i) => {
    const item = `ballots[${i}] (slot ${short(b?.slot)}, version ${b?.version ?? '?'}, tracker ${short(b?.tracker)})`;
    if (opts.progress && i % 100 === 0) opts.progress(i, ballots.length);
    if (typeof b !== 'object' || b === null || typeof b.slot !== 'string' || !b.slot || typeof b.tracker !== 'string' || !Number.isInteger(b.version)) {
      fail(item, 'expected {slot, version, tracker, status, ballot}');
      return;
    }
    if (trackers.has(b.tracker)) fail(item, 'the same ballot appears twice on the board');
    trackers.add(b.tracker);
    const computed = check(`${item}.ballot`, () => {
      checkBallotShape(params, b.ballot);
      return trackerOf(params.voteId, b.ballot);
    });
    if (computed === undefined) return;
    if (computed !== b.tracker) fail(`${item}.tracker`, `does not match the ballot (computed ${short(computed)}): the ballot or its tracker was altered`);
    const v = check(`${item}.ballot`, () => verifyBallot(params, b.slot, b.ballot, rng));
    if (v) {
      v.alphas.forEach((q, qi) =>
        q.forEach((a, ci) => {
          const key = pointToHex(a);
          const first = alphasSeen.get(key);
          if (first) fail(`${item}.ballot.answers[${qi}].choices[${ci}].alpha`, `ciphertext reused from ${first}`);
          else alphasSeen.set(key, `ballots[${i}]`);
        }),
      );
    }
    const isLast = lastOfSlot.get(b.slot) === b.version;
    if (b.status === 'counted') {
      if (!isLast) fail(`${item}.status`, 'counted, but a later ballot of the same slot exists (only the last ballot counts)');
      if (slotsCounted.has(b.slot)) fail(`${item}.status`, 'a second counted ballot for the slot');
      slotsCounted.add(b.slot);
      checked.counted++;
      if (v) {
        counted++;
        v.alphas.forEach((q, qi) => q.forEach((a, ci) => (tally.alphas[qi]![ci] = tally.alphas[qi]![ci]!.add(a))));
        v.betas.forEach((q, qi) => q.forEach((bb, ci) => (tally.betas[qi]![ci] = tally.betas[qi]![ci]!.add(bb))));
      }
    } else if (b.status === 'superseded') {
      if (isLast) fail(`${item}.status`, 'superseded, but it is the last ballot of its slot');
      checked.superseded++;
    } else if (b.status === 'cancelled') {
      if (!isLast) fail(`${item}.status`, 'cancelled, but a later ballot of the same slot exists');
      checked.cancelled++;
    } else {
      fail(`${item}.status`, 'expected counted, superseded or cancelled');
    }
  });

  // 4. Audited ballots.
  const audited = Array.isArray(r.audited) ? r.audited : (fail('audited', 'expected a list'), []);
  checked.audited = audited.length;
  audited.forEach((a, i) => {
    const item = `audited[${i}] (tracker ${short(a?.tracker)})`;
    const res = check(item, () => checkAudit(params, a?.ballot, a?.reveal));
    if (res && res.tracker !== a.tracker) fail(`${item}.tracker`, `does not match the ballot (computed ${short(res.tracker)})`);
  });

  // 5. Tally.
  if (!r.tally) return finish();
  const tallyOk = check('tally', () => {
    const t = r.tally!;
    if (t.ballotsCounted !== checked.counted) throw new CryptoError('mismatch', `ballotsCounted is ${t.ballotsCounted}, the board has ${checked.counted} counted ballots`);
    if (!Array.isArray(t.questions) || t.questions.length !== sizes.length) throw new CryptoError('malformed', 'one entry per question expected');
    return true;
  });
  const tallyA: Point[][] = [];
  const tallyB: Point[][] = [];
  if (tallyOk) {
    r.tally.questions.forEach((q, qi) => {
      tallyA.push([]);
      tallyB.push([]);
      if (!Array.isArray(q?.choices) || q.choices.length !== sizes[qi]) {
        fail(`tally.questions[${qi}]`, 'one ciphertext per choice expected');
        return;
      }
      q.choices.forEach((c, ci) => {
        const item = `tally.questions[${qi}].choices[${ci}]`;
        const A = check(`${item}.alpha`, () => decodePoint(c?.alpha, 'alpha', { allowIdentity: true }));
        const B = check(`${item}.beta`, () => decodePoint(c?.beta, 'beta', { allowIdentity: true }));
        if (A && B) {
          tallyA[qi]!.push(A);
          tallyB[qi]!.push(B);
          if (counted === checked.counted && (!A.equals(tally.alphas[qi]![ci]!) || !B.equals(tally.betas[qi]![ci]!))) {
            fail(item, 'is not the homomorphic product of the counted ballots');
          }
        }
      });
    });
  }

  // 6. Partial decryptions (checked against the tally in the record, even if a ballot failed).
  if (!r.decryption || tallyA.length !== sizes.length || tallyA.some((q, qi) => q.length !== sizes[qi])) return finish();
  const partials = sizes.map((n) => Array.from({ length: n }, () => new Map<number, Point>()));
  if (!Array.isArray(r.decryption)) {
    fail('decryption', 'expected a list');
    return finish();
  }
  const seen = new Set<number>();
  r.decryption.forEach((m, i) => {
    const item = `decryption[${i}] (trustee ${m?.index ?? '?'})`;
    const X = publicShares.get(m?.index);
    if (!X || seen.has(m.index)) {
      fail(item, 'not a trustee of this vote, or a second message from the same trustee');
      return;
    }
    seen.add(m.index);
    if (!Array.isArray(m.decryptions) || m.decryptions.length !== sizes.length || m.decryptions.some((q, qi) => !Array.isArray(q) || q.length !== sizes[qi])) {
      fail(`${item}.decryptions`, 'one partial decryption per question and choice expected');
      return;
    }
    m.decryptions.forEach((q, qi) =>
      q.forEach((pd, ci) => {
        const D = check(`${item}.decryptions[${qi}][${ci}]`, () => verifyPartial(e.voteId, m.index, X, qi, ci, tallyA[qi]![ci]!, pd, 'partial decryption', (h, w) => decodePoint(h, w, { allowIdentity: true }), rng));
        if (D) {
          partials[qi]![ci]!.set(m.index, D);
          checked.partialDecryptions++;
        }
      }),
    );
  });
  checked.decryptedBy = [...seen].sort((a, b) => a - b);
  if (seen.size < shape.threshold) fail('decryption', `${seen.size} trustee(s) decrypted; ${shape.threshold} are needed`);

  // 7. Result.
  if (!r.result) return finish();
  const decrypted: number[][] = [];
  const resultOk = check('result', () => {
    if (!Array.isArray(r.result!.questions) || r.result!.questions.length !== sizes.length) throw new CryptoError('malformed', 'one entry per question expected');
    return true;
  });
  if (!resultOk) return finish();
  r.result.questions.forEach((q, qi) => {
    decrypted.push([]);
    if (!Array.isArray(q?.counts) || q.counts.length !== sizes[qi]) {
      fail(`result.questions[${qi}].counts`, 'one count per choice expected');
      return;
    }
    q.counts.forEach((announced, ci) => {
      if (partials[qi]![ci]!.size < shape.threshold) {
        fail(`result.questions[${qi}].counts[${ci}]`, `cannot be checked: only ${partials[qi]![ci]!.size} valid partial decryption(s), ${shape.threshold} needed`);
        return;
      }
      const n = check(`result.questions[${qi}].counts[${ci}]`, () => discreteLog(combine(tallyB[qi]![ci]!, partials[qi]![ci]!), checked.counted));
      if (n === undefined) return;
      decrypted[qi]!.push(n);
      if (announced !== n) fail(`result.questions[${qi}].counts[${ci}]`, `announced ${JSON.stringify(announced)}, the decryption gives ${n}`);
    });
  });
  if (failures.length) return finish();
  const named = (counts: number[][]) => e.questions.map((q, qi) => ({ question: q.id, counts: q.choices.map((c, ci) => ({ choice: c.id, count: counts[qi]![ci]! })) }));
  const verdict = finish();
  verdict.result = named(decrypted);
  if (r.paper) {
    const paper = r.paper;
    const ok = check('paper', () => {
      if (!Number.isInteger(paper.ballots) || paper.ballots < 0 || !Array.isArray(paper.questions) || paper.questions.length !== sizes.length) throw new CryptoError('malformed', 'expected {ballots, questions: [{counts}]}');
      paper.questions.forEach((q, qi) => {
        if (!Array.isArray(q?.counts) || q.counts.length !== sizes[qi] || q.counts.some((c) => !Number.isInteger(c) || c < 0)) throw new CryptoError('malformed', `questions[${qi}].counts: one non-negative count per choice`);
      });
      return true;
    });
    if (ok) verdict.totals = named(decrypted.map((q, qi) => q.map((n, ci) => n + paper.questions[qi]!.counts[ci]!)));
    verdict.valid = failures.length === 0;
  }
  return verdict;

  function finish(): Verdict {
    if (opts.progress) opts.progress(ballots.length, ballots.length);
    return done();
  }
}

/** A human-readable report of a verdict (what `kov verify` prints). */
export function formatVerdict(v: Verdict, record?: ElectionRecord): string {
  const lines: string[] = [];
  const c = v.checked;
  if (v.valid) {
    lines.push('VALID: every check of the election record passed.');
  } else {
    lines.push(`INVALID: ${v.failures.length}${v.failures.length >= MAX_FAILURES ? '+' : ''} check(s) failed:`);
    for (const f of v.failures) lines.push(`  ✖ ${f.item}: ${f.problem}`);
  }
  lines.push('');
  lines.push(`Checked: key ceremony of ${c.trustees} trustee(s) (threshold ${c.threshold}); ${c.ballots} ballot(s) on the board (${c.counted} counted, ${c.superseded} superseded, ${c.cancelled} cancelled by paper votes); ${c.audited} audited ballot(s); ${c.partialDecryptions} partial decryption(s) by trustee(s) ${c.decryptedBy.join(', ') || '—'}.`);
  if (record && !record.tally) lines.push('The record has no tally yet (the vote is not closed).');
  else if (record && !record.result) lines.push('The record has no result yet (not decrypted).');
  const labels = (qid: string) => record?.election.questions.find((q) => q.id === qid);
  const text = (t: unknown) => (typeof t === 'string' ? t : t && typeof t === 'object' ? String(Object.values(t as Record<string, unknown>)[0] ?? '') : String(t));
  const print = (title: string, rs: NonNullable<Verdict['result']>) => {
    lines.push(title);
    for (const q of rs) {
      const def = labels(q.question);
      lines.push(`  ${def ? text(def.title) : q.question}`);
      for (const x of q.counts) lines.push(`    ${String(x.count).padStart(7)}  ${text(def?.choices.find((ch) => ch.id === x.choice)?.label ?? x.choice)}`);
    }
  };
  if (v.result) print('Verified result of the encrypted ballots:', v.result);
  if (v.totals) print(`With ${record?.paper?.ballots ?? 0} paper ballot(s) declared by the officials (not cryptographically verifiable):`, v.totals);
  return lines.join('\n');
}
