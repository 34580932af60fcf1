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
import {
  checkCeremonyShape,
  checkSharesShape,
  electionKey,
  verifyCommitment,
  verifyPublicShare,
  type CeremonyShape,
  type DecodedCommitment,
} from './dkg';
import { CryptoError } from './errors';
import { decodePoint, pointToHex, systemRandom, type Point, type RandomSource } from './group';
import { RECORD_FORMAT, fingerprintOf, paramsOf, type ElectionRecord, type RecordBallot } from './record';

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

/** The record without its ballots (what the verifier keeps in memory). */
export type RecordHead = Omit<ElectionRecord, 'ballots'>;

/**
 * The verifier, fed piece by piece so that a record of any size can be checked with its ballots
 * streamed one at a time: `start(head)`, `ballot(b, i)` for each ballot, then `finish()` (the head
 * holds everything but `ballots`). `verifyRecord` does this for a record in memory.
 */
export class RecordVerifier {
  private readonly rng: RandomSource;
  readonly failures: Finding[] = [];
  readonly checked: Verdict['checked'] = {
    trustees: 0,
    threshold: 0,
    ballots: 0,
    counted: 0,
    superseded: 0,
    cancelled: 0,
    audited: 0,
    partialDecryptions: 0,
    decryptedBy: [],
  };
  private head: RecordHead | undefined;
  private params: ReturnType<typeof paramsOf> | undefined;
  private shape: CeremonyShape | undefined;
  private publicShares = new Map<number, Point>();
  private usable = false;
  private tally: ReturnType<typeof emptyTally> | undefined;
  private verifiedCounted = 0;
  private trackers = new Set<string>();
  private alphasSeen = new Map<string, string>();
  private entries: { slot: string; version: number; status: unknown; item: string }[] = [];

  constructor(private readonly opts: VerifyOptions = {}) {
    this.rng = opts.rng ?? systemRandom;
  }

  private fail(item: string, problem: string) {
    if (this.failures.length < MAX_FAILURES) this.failures.push({ item, problem });
  }

  /** Runs a check; a CryptoError (or any error) becomes a finding for `item`. Returns undefined on failure. */
  private check<T>(item: string, f: () => T): T | undefined {
    try {
      return f();
    } catch (err) {
      this.fail(item, err instanceof CryptoError ? err.message : `unexpected error: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Steps 1–2: format, election, key ceremony. Returns false when ballots cannot be checked. */
  start(input: unknown): boolean {
    if (typeof input !== 'object' || input === null) {
      this.fail('record', 'not a JSON object');
      return false;
    }
    const r = input as RecordHead;
    this.head = r;
    if (r.format !== RECORD_FORMAT || r.version !== 1) {
      this.fail('format', `expected "${RECORD_FORMAT}" version 1`);
      return false;
    }
    const e = r.election;
    const params = this.check('election', () => {
      if (typeof e !== 'object' || e === null || typeof e.voteId !== 'string' || !e.voteId)
        throw new CryptoError('malformed', 'missing voteId');
      if (!Array.isArray(e.questions)) throw new CryptoError('malformed', 'missing questions');
      e.questions.forEach((q, i) => {
        if (!Array.isArray(q?.choices)) throw new CryptoError('malformed', `questions[${i}].choices missing`);
      });
      if (!Array.isArray(e.trustees) || e.trustees.some((t, i) => t?.index !== i + 1))
        throw new CryptoError('malformed', 'trustees must be listed with indices 1, 2, …');
      const p = paramsOf(e, typeof r.publicKey === 'string' ? r.publicKey : '');
      checkQuestionShapes(p.questions);
      checkCeremonyShape({ voteId: e.voteId, trustees: e.trustees.length, threshold: e.threshold });
      return p;
    });
    if (!params) return false;
    this.params = params;
    if (fingerprintOf(e) !== r.fingerprint)
      this.fail(
        'fingerprint',
        'does not match the election definition (titles, choices, rules or trustees were changed)',
      );
    const shape: CeremonyShape = { voteId: e.voteId, trustees: e.trustees.length, threshold: e.threshold };
    this.shape = shape;
    this.checked.trustees = shape.trustees;
    this.checked.threshold = shape.threshold;

    const cer = r.ceremony ?? ({} as ElectionRecord['ceremony']);
    const commitments: DecodedCommitment[] = [];
    const ok = this.check('ceremony', () => {
      if (!Array.isArray(cer.commitments) || !Array.isArray(cer.shares) || !Array.isArray(cer.publicShares))
        throw new CryptoError('malformed', 'expected commitments, shares and publicShares');
      for (const [name, list] of [
        ['commitments', cer.commitments],
        ['shares', cer.shares],
        ['publicShares', cer.publicShares],
      ] as const) {
        if (list.length !== shape.trustees || list.some((m, i) => (m as { index?: number })?.index !== i + 1))
          throw new CryptoError('malformed', `${name}: one message per trustee, in index order`);
      }
      return true;
    });
    if (!ok) return false;
    cer.commitments.forEach((m, i) => {
      const c = this.check(`ceremony.commitments[${i}] (trustee ${i + 1})`, () =>
        verifyCommitment(shape, m, 'message'),
      );
      if (c) commitments.push(c);
    });
    cer.shares.forEach((m, i) =>
      this.check(`ceremony.shares[${i}] (trustee ${i + 1})`, () => checkSharesShape(shape, m, 'message')),
    );
    if (commitments.length === shape.trustees) {
      cer.publicShares.forEach((m, i) => {
        const X = this.check(`ceremony.publicShares[${i}] (trustee ${i + 1})`, () =>
          verifyPublicShare(shape, commitments, cer.shares, m, 'message'),
        );
        if (X) this.publicShares.set(i + 1, X);
      });
      this.check('publicKey', () => {
        const Y = electionKey(commitments);
        const given = decodePoint(r.publicKey, 'publicKey');
        if (!Y.equals(given)) throw new CryptoError('mismatch', "is not the sum of the trustees' first commitments");
      });
    }
    if (this.failures.length) return false;
    this.tally = emptyTally(params.questions.map((q) => q.choices));
    this.usable = true;
    return true;
  }

  /** Step 3, one cast ballot (the i-th on the board). */
  ballot(b: RecordBallot, i: number) {
    if (!this.usable) return;
    const params = this.params!;
    this.checked.ballots++;
    const item = `ballots[${i}] (slot ${short(b?.slot)}, version ${b?.version ?? '?'}, tracker ${short(b?.tracker)})`;
    if (
      typeof b !== 'object' ||
      b === null ||
      typeof b.slot !== 'string' ||
      !b.slot ||
      typeof b.tracker !== 'string' ||
      !Number.isInteger(b.version)
    ) {
      this.fail(item, 'expected {slot, version, tracker, status, ballot}');
      return;
    }
    this.entries.push({ slot: b.slot, version: b.version, status: b.status, item });
    if (b.status === 'counted') this.checked.counted++;
    else if (b.status === 'superseded') this.checked.superseded++;
    else if (b.status === 'cancelled') this.checked.cancelled++;
    else this.fail(`${item}.status`, 'expected counted, superseded or cancelled');
    if (this.trackers.has(b.tracker)) this.fail(item, 'the same ballot appears twice on the board');
    this.trackers.add(b.tracker);
    const computed = this.check(`${item}.ballot`, () => {
      checkBallotShape(params, b.ballot);
      return trackerOf(params.voteId, b.ballot);
    });
    if (computed === undefined) return;
    if (computed !== b.tracker)
      this.fail(
        `${item}.tracker`,
        `does not match the ballot (computed ${short(computed)}): the ballot or its tracker was altered`,
      );
    const v = this.check(`${item}.ballot`, () => verifyBallot(params, b.slot, b.ballot, this.rng));
    if (!v) return;
    v.alphas.forEach((q, qi) =>
      q.forEach((a, ci) => {
        const key = pointToHex(a);
        const first = this.alphasSeen.get(key);
        if (first) this.fail(`${item}.ballot.answers[${qi}].choices[${ci}].alpha`, `ciphertext reused from ${first}`);
        else this.alphasSeen.set(key, `ballots[${i}]`);
      }),
    );
    if (b.status === 'counted') {
      const t = this.tally!;
      this.verifiedCounted++;
      v.alphas.forEach((q, qi) => q.forEach((a, ci) => (t.alphas[qi]![ci] = t.alphas[qi]![ci]!.add(a))));
      v.betas.forEach((q, qi) => q.forEach((bb, ci) => (t.betas[qi]![ci] = t.betas[qi]![ci]!.add(bb))));
    }
  }

  /** Statuses: the slot's versions are 1, 2, …; the last one counts (unless cancelled), earlier ones are superseded. */
  private checkStatuses() {
    const bySlot = new Map<string, { version: number; status: unknown; item: string }[]>();
    for (const e of this.entries) {
      const list = bySlot.get(e.slot);
      if (list) list.push(e);
      else bySlot.set(e.slot, [e]);
    }
    for (const [slot, list] of bySlot) {
      const vs = list.map((x) => x.version);
      const sorted = [...vs].sort((a, b) => a - b);
      if (sorted.some((v, i) => v !== i + 1))
        this.fail(
          `ballots (slot ${short(slot)})`,
          `the slot's versions are ${vs.join(', ')}; expected 1, 2, … without gaps or repeats`,
        );
      const last = Math.max(...vs);
      let counted = 0;
      for (const x of list) {
        const isLast = x.version === last;
        if (x.status === 'counted') {
          if (!isLast)
            this.fail(
              `${x.item}.status`,
              'counted, but a later ballot of the same slot exists (only the last ballot counts)',
            );
          else if (++counted > 1) this.fail(`${x.item}.status`, 'a second counted ballot for the slot');
        } else if (x.status === 'superseded' && isLast)
          this.fail(`${x.item}.status`, 'superseded, but it is the last ballot of its slot');
        else if (x.status === 'cancelled' && !isLast)
          this.fail(`${x.item}.status`, 'cancelled, but a later ballot of the same slot exists');
      }
    }
  }

  /** Steps 4–7, after the last ballot: audits, tally, partial decryptions, result. */
  finish(): Verdict {
    const done = (): Verdict => {
      if (this.opts.progress) this.opts.progress(this.checked.ballots, this.checked.ballots);
      return { valid: this.failures.length === 0, failures: this.failures, checked: this.checked };
    };
    if (!this.usable) return done();
    this.checkStatuses();
    const r = this.head!;
    const params = this.params!;
    const shape = this.shape!;
    const e = r.election;
    const sizes = params.questions.map((q) => q.choices);
    const checked = this.checked;

    // 4. Audited ballots.
    const audited = Array.isArray(r.audited) ? r.audited : (this.fail('audited', 'expected a list'), []);
    checked.audited = audited.length;
    audited.forEach((a, i) => {
      const item = `audited[${i}] (tracker ${short(a?.tracker)})`;
      const res = this.check(item, () => checkAudit(params, a?.ballot, a?.reveal));
      if (res && res.tracker !== a.tracker)
        this.fail(`${item}.tracker`, `does not match the ballot (computed ${short(res.tracker)})`);
    });

    // 5. Tally.
    if (!r.tally) return done();
    const tallyOk = this.check('tally', () => {
      const t = r.tally!;
      if (t.ballotsCounted !== checked.counted)
        throw new CryptoError(
          'mismatch',
          `ballotsCounted is ${t.ballotsCounted}, the board has ${checked.counted} counted ballots`,
        );
      if (!Array.isArray(t.questions) || t.questions.length !== sizes.length)
        throw new CryptoError('malformed', 'one entry per question expected');
      return true;
    });
    const tallyA: Point[][] = [];
    const tallyB: Point[][] = [];
    if (tallyOk) {
      r.tally.questions.forEach((q, qi) => {
        tallyA.push([]);
        tallyB.push([]);
        if (!Array.isArray(q?.choices) || q.choices.length !== sizes[qi]) {
          this.fail(`tally.questions[${qi}]`, 'one ciphertext per choice expected');
          return;
        }
        q.choices.forEach((c, ci) => {
          const item = `tally.questions[${qi}].choices[${ci}]`;
          const A = this.check(`${item}.alpha`, () => decodePoint(c?.alpha, 'alpha', { allowIdentity: true }));
          const B = this.check(`${item}.beta`, () => decodePoint(c?.beta, 'beta', { allowIdentity: true }));
          if (A && B) {
            tallyA[qi]!.push(A);
            tallyB[qi]!.push(B);
            if (
              this.verifiedCounted === checked.counted &&
              (!A.equals(this.tally!.alphas[qi]![ci]!) || !B.equals(this.tally!.betas[qi]![ci]!))
            ) {
              this.fail(item, 'is not the homomorphic product of the counted ballots');
            }
          }
        });
      });
    }

    // 6. Partial decryptions (checked against the tally in the record, even if a ballot failed).
    if (!r.decryption || tallyA.length !== sizes.length || tallyA.some((q, qi) => q.length !== sizes[qi]))
      return done();
    const partials = sizes.map((n) => Array.from({ length: n }, () => new Map<number, Point>()));
    if (!Array.isArray(r.decryption)) {
      this.fail('decryption', 'expected a list');
      return done();
    }
    const seen = new Set<number>();
    r.decryption.forEach((m, i) => {
      const item = `decryption[${i}] (trustee ${m?.index ?? '?'})`;
      const X = this.publicShares.get(m?.index);
      if (!X || seen.has(m.index)) {
        this.fail(item, 'not a trustee of this vote, or a second message from the same trustee');
        return;
      }
      seen.add(m.index);
      if (
        !Array.isArray(m.decryptions) ||
        m.decryptions.length !== sizes.length ||
        m.decryptions.some((q, qi) => !Array.isArray(q) || q.length !== sizes[qi])
      ) {
        this.fail(`${item}.decryptions`, 'one partial decryption per question and choice expected');
        return;
      }
      m.decryptions.forEach((q, qi) =>
        q.forEach((pd, ci) => {
          const D = this.check(`${item}.decryptions[${qi}][${ci}]`, () =>
            verifyPartial(
              e.voteId,
              m.index,
              X,
              qi,
              ci,
              tallyA[qi]![ci]!,
              pd,
              'partial decryption',
              (h, w) => decodePoint(h, w, { allowIdentity: true }),
              this.rng,
            ),
          );
          if (D) {
            partials[qi]![ci]!.set(m.index, D);
            checked.partialDecryptions++;
          }
        }),
      );
    });
    checked.decryptedBy = [...seen].sort((a, b) => a - b);

    // 7. Result (a record without one is still being decrypted: not an error).
    if (!r.result) return done();
    if (seen.size < shape.threshold)
      this.fail('decryption', `${seen.size} trustee(s) decrypted; ${shape.threshold} are needed for a result`);
    const decrypted: number[][] = [];
    const resultOk = this.check('result', () => {
      if (!Array.isArray(r.result!.questions) || r.result!.questions.length !== sizes.length)
        throw new CryptoError('malformed', 'one entry per question expected');
      return true;
    });
    if (!resultOk) return done();
    r.result.questions.forEach((q, qi) => {
      decrypted.push([]);
      if (!Array.isArray(q?.counts) || q.counts.length !== sizes[qi]) {
        this.fail(`result.questions[${qi}].counts`, 'one count per choice expected');
        return;
      }
      q.counts.forEach((announced, ci) => {
        if (partials[qi]![ci]!.size < shape.threshold) {
          this.fail(
            `result.questions[${qi}].counts[${ci}]`,
            `cannot be checked: only ${partials[qi]![ci]!.size} valid partial decryption(s), ${shape.threshold} needed`,
          );
          return;
        }
        const n = this.check(`result.questions[${qi}].counts[${ci}]`, () =>
          discreteLog(combine(tallyB[qi]![ci]!, partials[qi]![ci]!), checked.counted),
        );
        if (n === undefined) return;
        decrypted[qi]!.push(n);
        if (announced !== n)
          this.fail(
            `result.questions[${qi}].counts[${ci}]`,
            `announced ${JSON.stringify(announced)}, the decryption gives ${n}`,
          );
      });
    });
    if (this.failures.length) return done();
    const named = (counts: number[][]) =>
      e.questions.map((q, qi) => ({
        question: q.id,
        counts: q.choices.map((c, ci) => ({ choice: c.id, count: counts[qi]![ci]! })),
      }));
    const verdict = done();
    verdict.result = named(decrypted);
    if (r.paper) {
      const paper = r.paper;
      const ok = this.check('paper', () => {
        if (
          !Number.isInteger(paper.ballots) ||
          paper.ballots < 0 ||
          !Array.isArray(paper.questions) ||
          paper.questions.length !== sizes.length
        )
          throw new CryptoError('malformed', 'expected {ballots, questions: [{counts}]}');
        paper.questions.forEach((q, qi) => {
          if (
            !Array.isArray(q?.counts) ||
            q.counts.length !== sizes[qi] ||
            q.counts.some((c) => !Number.isInteger(c) || c < 0)
          )
            throw new CryptoError('malformed', `questions[${qi}].counts: one non-negative count per choice`);
        });
        return true;
      });
      if (ok) verdict.totals = named(decrypted.map((q, qi) => q.map((n, ci) => n + paper.questions[qi]!.counts[ci]!)));
      verdict.valid = this.failures.length === 0;
    }
    return verdict;
  }
}

/** Verifies a whole record held in memory. */
export function verifyRecord(input: unknown, opts: VerifyOptions = {}): Verdict {
  const v = new RecordVerifier(opts);
  if (v.start(input)) {
    const ballots = (input as ElectionRecord).ballots;
    if (!Array.isArray(ballots)) v.failures.push({ item: 'ballots', problem: 'expected a list' });
    else
      ballots.forEach((b, i) => {
        if (opts.progress && i % 100 === 0) opts.progress(i, ballots.length);
        v.ballot(b, i);
      });
  }
  return v.finish();
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
  lines.push(
    `Checked: key ceremony of ${c.trustees} trustee(s) (threshold ${c.threshold}); ${c.ballots} ballot(s) on the board (${c.counted} counted, ${c.superseded} superseded, ${c.cancelled} cancelled by paper votes); ${c.audited} audited ballot(s); ${c.partialDecryptions} partial decryption(s) by trustee(s) ${c.decryptedBy.join(', ') || '—'}.`,
  );
  if (record && !record.tally) lines.push('The record has no tally yet (the vote is not closed).');
  else if (record && !record.result) lines.push('The record has no result yet (not decrypted).');
  const labels = (qid: string) => record?.election.questions.find((q) => q.id === qid);
  const text = (t: unknown) =>
    typeof t === 'string'
      ? t
      : t && typeof t === 'object'
        ? String(Object.values(t as Record<string, unknown>)[0] ?? '')
        : String(t);
  const print = (title: string, rs: NonNullable<Verdict['result']>) => {
    lines.push(title);
    for (const q of rs) {
      const def = labels(q.question);
      lines.push(`  ${def ? text(def.title) : q.question}`);
      for (const x of q.counts)
        lines.push(
          `    ${String(x.count).padStart(7)}  ${text(def?.choices.find((ch) => ch.id === x.choice)?.label ?? x.choice)}`,
        );
    }
  };
  if (v.result) print('Verified result of the encrypted ballots:', v.result);
  if (v.totals)
    print(
      `With ${record?.paper?.ballots ?? 0} paper ballot(s) declared by the officials (not cryptographically verifiable):`,
      v.totals,
    );
  return lines.join('\n');
}
