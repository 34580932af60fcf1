/**
 * Encrypted ballots: one exponential ElGamal ciphertext per choice with a 0/1 proof, and per
 * question a proof that the number of selections is within min–max. Every proof is bound by its
 * Fiat–Shamir transcript to the vote id, the voter's ballot slot, the election key and its
 * position (question, choice), so it verifies nowhere else.
 *
 * Ballot JSON:
 *   { "answers": [ { "choices": [ { "alpha", "beta", "proof": [branch v=0, branch v=1] } … ],
 *                    "selections": [branch v=min, …, branch v=max] } … ] }
 * The tracker (the voter's receipt) is SHA-256 of the "tracker" transcript: vote id, then every
 * element and scalar of the ballot in order (see trackerOf). It does not include the slot, so an
 * audited ballot can be published without it.
 */
import { Batch } from './batch';
import { CryptoError, located } from './errors';
import {
  G,
  ZERO,
  decodePoint,
  decodeScalar,
  hexToBytes,
  mod,
  mulSecret,
  pointToHex,
  randomScalar,
  scalarToHex,
  smallMultiple,
  systemRandom,
  withTable,
  type Point,
  type RandomSource,
} from './group';
import {
  addRangeEquations,
  decodeRange,
  proveRange,
  rangeChallengeHolds,
  type RangeBranch,
  type RangeBranchJson,
} from './proofs';
import { Transcript } from './transcript';

export interface QuestionShape {
  /** Number of choices. */
  choices: number;
  minSelections: number;
  maxSelections: number;
}

/** What the cryptography needs to know about an election. */
export interface ElectionParams {
  voteId: string;
  /** SHA-256 of the election definition (record.ts `fingerprintOf`): binds titles, labels and rules. */
  fingerprint: string;
  /** The election public key (hex). */
  publicKey: string;
  questions: QuestionShape[];
}

export interface ChoiceJson {
  alpha: string;
  beta: string;
  proof: RangeBranchJson[];
}
export interface AnswerJson {
  choices: ChoiceJson[];
  selections: RangeBranchJson[];
}
export interface BallotJson {
  answers: AnswerJson[];
}
/** What an audited ballot reveals: per choice the plaintext (0/1) and the randomness r. */
export interface RevealJson {
  answers: { choices: { m: 0 | 1; r: string }[] }[];
}

export const MAX_CHOICES = 64;
export const MAX_QUESTIONS = 16;

/** Context of a choice's 0/1 proof: vote id, election fingerprint, ballot slot, election key, position. */
export function choiceContext(p: ElectionParams, slot: string, Ybytes: Uint8Array, question: number, choice: number) {
  return new Transcript('choice').text(p.voteId).text(p.fingerprint).text(slot).point(Ybytes).int(question).int(choice);
}

/** Context of a question's selection-count proof. */
export function selectionsContext(
  p: ElectionParams,
  slot: string,
  Ybytes: Uint8Array,
  question: number,
  min: number,
  max: number,
) {
  return new Transcript('selections')
    .text(p.voteId)
    .text(p.fingerprint)
    .text(slot)
    .point(Ybytes)
    .int(question)
    .int(min)
    .int(max);
}

/** Checks the question shapes themselves (used when an election is set up and by the verifier). */
export function checkQuestionShapes(questions: QuestionShape[]) {
  if (!Array.isArray(questions) || questions.length < 1 || questions.length > MAX_QUESTIONS)
    throw new CryptoError('malformed', `an election has 1–${MAX_QUESTIONS} questions`);
  questions.forEach((q, i) => {
    if (!Number.isInteger(q.choices) || q.choices < 1 || q.choices > MAX_CHOICES)
      throw new CryptoError('malformed', `questions[${i}]: 1–${MAX_CHOICES} choices`);
    if (
      !Number.isInteger(q.minSelections) ||
      !Number.isInteger(q.maxSelections) ||
      q.minSelections < 0 ||
      q.maxSelections < q.minSelections ||
      q.maxSelections > q.choices
    ) {
      throw new CryptoError('malformed', `questions[${i}]: need 0 ≤ minSelections ≤ maxSelections ≤ number of choices`);
    }
  });
}

export interface EncryptedBallot {
  ballot: BallotJson;
  reveal: RevealJson;
  tracker: string;
}

/**
 * Encrypts a voter's selections (per question, the indices of the chosen choices) and proves it
 * well-formed, for this vote and this ballot slot.
 */
export function encryptBallot(
  params: ElectionParams,
  slot: string,
  selections: number[][],
  rng: RandomSource = systemRandom,
): EncryptedBallot {
  checkQuestionShapes(params.questions);
  const Ybytes = hexToBytes(params.publicKey);
  const Y = withTable(decodePoint(params.publicKey, 'election public key'));
  if (selections.length !== params.questions.length)
    throw new CryptoError('rule', `expected selections for ${params.questions.length} question(s)`);
  const answers: AnswerJson[] = [];
  const reveal: RevealJson = { answers: [] };
  params.questions.forEach((q, qi) => {
    const chosen = new Set(selections[qi]);
    if (
      chosen.size !== selections[qi]!.length ||
      [...chosen].some((c) => !Number.isInteger(c) || c < 0 || c >= q.choices)
    )
      throw new CryptoError('rule', `question ${qi + 1}: invalid choice indices`);
    if (chosen.size < q.minSelections || chosen.size > q.maxSelections) {
      throw new CryptoError(
        'rule',
        `question ${qi + 1}: choose ${q.minSelections === q.maxSelections ? q.minSelections : `${q.minSelections}–${q.maxSelections}`}, not ${chosen.size}`,
      );
    }
    const choices: ChoiceJson[] = [];
    const revealed: { m: 0 | 1; r: string }[] = [];
    let sumA = ZERO;
    let sumB = ZERO;
    let sumR = 0n;
    for (let ci = 0; ci < q.choices; ci++) {
      const m = chosen.has(ci) ? 1 : 0;
      const r = randomScalar(rng);
      const alpha = mulSecret(G, r);
      const beta = mulSecret(Y, r).add(m ? G : ZERO);
      const proof = proveRange(choiceContext(params, slot, Ybytes, qi, ci), Y, alpha, beta, m, r, 0, 1, rng);
      choices.push({ alpha: pointToHex(alpha), beta: pointToHex(beta), proof });
      revealed.push({ m, r: scalarToHex(r) });
      sumA = sumA.add(alpha);
      sumB = sumB.add(beta);
      sumR = mod(sumR + r);
    }
    const sel = proveRange(
      selectionsContext(params, slot, Ybytes, qi, q.minSelections, q.maxSelections),
      Y,
      sumA,
      sumB,
      chosen.size,
      sumR,
      q.minSelections,
      q.maxSelections,
      rng,
    );
    answers.push({ choices, selections: sel });
    reveal.answers.push({ choices: revealed });
  });
  const ballot = { answers };
  return { ballot, reveal, tracker: trackerOf(params.voteId, ballot) };
}

// ————— shape checks —————

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exactKeys(v: unknown, keys: string[], what: string): Record<string, unknown> {
  if (!isObject(v)) throw new CryptoError('malformed', `${what}: expected an object`);
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  const missing = keys.filter((k) => !(k in v));
  if (extra.length || missing.length)
    throw new CryptoError(
      'malformed',
      `${what}: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`,
    );
  return v;
}

/**
 * Checks a ballot's structure against the election (numbers of questions, choices and proof
 * branches, field names). Errors name the place, e.g. `answers[0].choices`: "too many choices".
 */
export function checkBallotShape(params: ElectionParams, ballot: unknown): asserts ballot is BallotJson {
  const b = exactKeys(ballot, ['answers'], 'ballot');
  if (!Array.isArray(b.answers)) throw new CryptoError('malformed', 'answers: expected a list');
  if (b.answers.length !== params.questions.length)
    throw new CryptoError(
      'malformed',
      `answers: the vote has ${params.questions.length} question(s), the ballot answers ${b.answers.length}`,
    );
  b.answers.forEach((a, qi) => {
    const q = params.questions[qi]!;
    const o = exactKeys(a, ['choices', 'selections'], `answers[${qi}]`);
    if (!Array.isArray(o.choices)) throw new CryptoError('malformed', `answers[${qi}].choices: expected a list`);
    if (o.choices.length > q.choices)
      throw new CryptoError(
        'rule',
        `answers[${qi}].choices: too many choices (${o.choices.length}; the question has ${q.choices})`,
      );
    if (o.choices.length < q.choices)
      throw new CryptoError(
        'malformed',
        `answers[${qi}].choices: too few choices (${o.choices.length}; the question has ${q.choices})`,
      );
    o.choices.forEach((c, ci) => {
      const co = exactKeys(c, ['alpha', 'beta', 'proof'], `answers[${qi}].choices[${ci}]`);
      if (!Array.isArray(co.proof) || co.proof.length !== 2)
        throw new CryptoError('malformed', `answers[${qi}].choices[${ci}].proof: expected 2 branches (values 0 and 1)`);
      co.proof.forEach((br, bi) => exactKeys(br, ['a', 'b', 'c', 's'], `answers[${qi}].choices[${ci}].proof[${bi}]`));
    });
    const n = q.maxSelections - q.minSelections + 1;
    if (!Array.isArray(o.selections)) throw new CryptoError('malformed', `answers[${qi}].selections: expected a list`);
    if (o.selections.length !== n)
      throw new CryptoError(
        'malformed',
        `answers[${qi}].selections: expected ${n} branches (${q.minSelections}–${q.maxSelections} selections), found ${o.selections.length}`,
      );
    o.selections.forEach((br, bi) => exactKeys(br, ['a', 'b', 'c', 's'], `answers[${qi}].selections[${bi}]`));
  });
}

const HEX64 = /^[0-9a-f]{64}$/;
function hexBytes(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || !HEX64.test(v))
    throw new CryptoError('malformed', `${what}: expected 64 lowercase hex digits`);
  return hexToBytes(v);
}

/** The ballot tracker: SHA-256 (hex) of the vote id and every element and scalar of the ballot. */
export function trackerOf(voteId: string, ballot: BallotJson): string {
  const t = new Transcript('tracker').text(voteId).int(ballot.answers.length);
  ballot.answers.forEach((a, qi) => {
    t.int(a.choices.length);
    a.choices.forEach((c, ci) => {
      const w = `answers[${qi}].choices[${ci}]`;
      t.point(hexBytes(c.alpha, `${w}.alpha`))
        .point(hexBytes(c.beta, `${w}.beta`))
        .int(c.proof.length);
      c.proof.forEach((b, bi) => branchBytes(t, b, `${w}.proof[${bi}]`));
    });
    t.int(a.selections.length);
    a.selections.forEach((b, bi) => branchBytes(t, b, `answers[${qi}].selections[${bi}]`));
  });
  return t.digestHex();
}

function branchBytes(t: Transcript, b: RangeBranchJson, what: string) {
  t.point(hexBytes(b.a, `${what}.a`))
    .point(hexBytes(b.b, `${what}.b`))
    .point(hexBytes(b.c, `${what}.c`))
    .point(hexBytes(b.s, `${what}.s`));
}

// ————— verification —————

export interface VerifiedBallot {
  tracker: string;
  /** Decoded ciphertexts per question and choice. */
  alphas: Point[][];
  betas: Point[][];
}

interface DecodedChoice {
  alpha: Point;
  beta: Point;
  alphaBytes: Uint8Array;
  betaBytes: Uint8Array;
  proof: RangeBranch[];
}

function decodeBranches(json: RangeBranchJson[], count: number, what: string): RangeBranch[] {
  const branches = decodeRange(json, count, what);
  branches.forEach((b, i) => {
    b.Abytes = hexToBytes(json[i]!.a);
    b.Bbytes = hexToBytes(json[i]!.b);
  });
  return branches;
}

/**
 * Verifies every proof of a ballot cast in `slot`. Throws a CryptoError whose message starts with
 * the JSON path of the first failing item; returns the tracker and the decoded ciphertexts.
 *
 * Order: structure → encodings → Fiat–Shamir bindings (a proof made for another vote, slot or
 * position fails here) → all group equations in one batch; if the batch fails, each proof is
 * checked on its own to name the one that fails.
 */
export function verifyBallot(
  params: ElectionParams,
  slot: string,
  ballot: unknown,
  rng: RandomSource = systemRandom,
): VerifiedBallot {
  checkBallotShape(params, ballot);
  const tracker = trackerOf(params.voteId, ballot);
  const Ybytes = hexToBytes(params.publicKey);
  const Y = withTable(decodePoint(params.publicKey, 'election public key'));
  const decoded: { choices: DecodedChoice[]; selections: RangeBranch[] }[] = ballot.answers.map((a, qi) => {
    const q = params.questions[qi]!;
    const choices = a.choices.map((c, ci) => {
      const w = `answers[${qi}].choices[${ci}]`;
      const alpha = decodePoint(c.alpha, `${w}.alpha`);
      const beta = decodePoint(c.beta, `${w}.beta`, { allowIdentity: true });
      return {
        alpha,
        beta,
        alphaBytes: hexToBytes(c.alpha),
        betaBytes: hexToBytes(c.beta),
        proof: decodeBranches(c.proof, 2, `${w}.proof`),
      };
    });
    return {
      choices,
      selections: decodeBranches(a.selections, q.maxSelections - q.minSelections + 1, `answers[${qi}].selections`),
    };
  });

  // Fiat–Shamir bindings.
  let deferred: CryptoError | undefined;
  decoded.forEach((a, qi) => {
    const q = params.questions[qi]!;
    a.choices.forEach((c, ci) => {
      if (!rangeChallengeHolds(choiceContext(params, slot, Ybytes, qi, ci), c.alphaBytes, c.betaBytes, c.proof)) {
        throw new CryptoError(
          'binding',
          `answers[${qi}].choices[${ci}].proof: the challenges do not match this vote, ballot slot and position (the proof was made for another vote, voter or choice, or was altered)`,
        );
      }
    });
    const sumA = a.choices.reduce((s, c) => s.add(c.alpha), ZERO);
    const sumB = a.choices.reduce((s, c) => s.add(c.beta), ZERO);
    if (
      !deferred &&
      !rangeChallengeHolds(
        selectionsContext(params, slot, Ybytes, qi, q.minSelections, q.maxSelections),
        sumA,
        sumB,
        a.selections,
      )
    ) {
      // Reported after the choices' own proofs: a choice that is not 0/1 also breaks this binding.
      deferred = new CryptoError(
        'binding',
        `answers[${qi}].selections: the challenges do not match this vote, ballot slot and question (the proof was made elsewhere, or was altered)`,
      );
    }
  });

  // Group equations, all at once.
  const addAll = (batch: Batch, only?: { qi: number; ci: number | 'selections' }) => {
    decoded.forEach((a, qi) => {
      const q = params.questions[qi]!;
      a.choices.forEach((c, ci) => {
        if (!only || (only.qi === qi && only.ci === ci)) addRangeEquations(batch, Y, [c.alpha], [c.beta], 0, c.proof);
      });
      if (!only || (only.qi === qi && only.ci === 'selections')) {
        addRangeEquations(
          batch,
          Y,
          a.choices.map((c) => c.alpha),
          a.choices.map((c) => c.beta),
          q.minSelections,
          a.selections,
        );
      }
    });
  };
  const all = new Batch(rng);
  addAll(all);
  if (!all.holds()) {
    decoded.forEach((a, qi) => {
      a.choices.forEach((_c, ci) => {
        const one = new Batch(rng);
        addAll(one, { qi, ci });
        if (!one.holds())
          throw new CryptoError(
            'proof',
            `answers[${qi}].choices[${ci}].proof: the 0/1 proof does not verify (the choice does not encrypt 0 or 1)`,
          );
      });
    });
    if (deferred) throw deferred;
    decoded.forEach((_a, qi) => {
      const q = params.questions[qi]!;
      const sel = new Batch(rng);
      addAll(sel, { qi, ci: 'selections' });
      if (!sel.holds()) {
        throw new CryptoError(
          'proof',
          `answers[${qi}].selections: the selection-count proof does not verify (the number of selections is not within ${q.minSelections}–${q.maxSelections})`,
        );
      }
    });
    throw new CryptoError('proof', 'the ballot proofs do not verify');
  }
  if (deferred) throw deferred;
  return {
    tracker,
    alphas: decoded.map((a) => a.choices.map((c) => c.alpha)),
    betas: decoded.map((a) => a.choices.map((c) => c.beta)),
  };
}

// ————— Benaloh challenge (cast-or-audit) —————

/**
 * Checks an audited ballot: every ciphertext must be exactly the encryption of the revealed
 * plaintext (0/1) with the revealed randomness, and the selections must be within the rules.
 * Returns the revealed selections (per question, the chosen indices).
 */
export function checkAudit(
  params: ElectionParams,
  ballot: unknown,
  reveal: unknown,
): { tracker: string; selections: number[][] } {
  checkBallotShape(params, ballot);
  const tracker = trackerOf(params.voteId, ballot);
  const Y = withTable(decodePoint(params.publicKey, 'election public key'));
  const rv = exactKeys(reveal, ['answers'], 'reveal');
  const revealed = rv.answers;
  if (!Array.isArray(revealed) || revealed.length !== ballot.answers.length)
    throw new CryptoError('malformed', 'reveal.answers: one entry per question expected');
  const selections = ballot.answers.map((a, qi) => {
    const ra = exactKeys(revealed[qi], ['choices'], `reveal.answers[${qi}]`);
    const rchoices = ra.choices;
    if (!Array.isArray(rchoices) || rchoices.length !== a.choices.length)
      throw new CryptoError('malformed', `reveal.answers[${qi}].choices: one entry per choice expected`);
    const chosen: number[] = [];
    a.choices.forEach((c, ci) => {
      const w = `reveal.answers[${qi}].choices[${ci}]`;
      const rc = exactKeys(rchoices[ci], ['m', 'r'], w);
      if (rc.m !== 0 && rc.m !== 1) throw new CryptoError('malformed', `${w}.m: expected 0 or 1`);
      const r = decodeScalar(rc.r, `${w}.r`);
      located(`answers[${qi}].choices[${ci}]`, () => {
        const alpha = decodePoint(c.alpha, 'alpha');
        const beta = decodePoint(c.beta, 'beta', { allowIdentity: true });
        if (r === 0n || !G.multiplyUnsafe(r).equals(alpha))
          throw new CryptoError('mismatch', 'alpha is not r·G for the revealed r');
        const expected = Y.multiplyUnsafe(r).add(rc.m ? G : ZERO);
        if (!beta.equals(expected))
          throw new CryptoError('mismatch', `beta does not encrypt the revealed value ${rc.m}`);
      });
      if (rc.m === 1) chosen.push(ci);
    });
    const q = params.questions[qi]!;
    if (chosen.length < q.minSelections || chosen.length > q.maxSelections)
      throw new CryptoError(
        'rule',
        `reveal.answers[${qi}]: ${chosen.length} selections, outside ${q.minSelections}–${q.maxSelections}`,
      );
    return chosen;
  });
  return { tracker, selections };
}

/** The ciphertext of m with randomness r, for tests and audits. */
export function encryptWith(Y: Point, m: number, r: bigint): { alpha: Point; beta: Point } {
  return { alpha: mulSecret(G, r), beta: mulSecret(Y, r).add(smallMultiple(m)) };
}
