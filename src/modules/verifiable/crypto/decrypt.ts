/**
 * Tally and decryption.
 *
 * The encrypted tally of a choice is the product (in additive notation: the sum) of that choice's
 * ciphertexts over the counted ballots: (A, B) = (Σα, Σβ) = (R·G, n·G + R·Y), n the number of
 * selections. Trustee j publishes its partial decryption Dⱼ = xⱼ·A with a Chaum–Pedersen proof
 * that log_G Xⱼ = log_A Dⱼ (context: vote id, trustee index, question, choice). With a set S of
 * at least k trustees, n·G = B − Σ_{j∈S} λⱼ·Dⱼ (λⱼ Lagrange coefficients at 0), and n is found by
 * a bounded discrete logarithm (baby-step giant-step up to the number of counted ballots).
 */
import { CryptoError } from './errors';
import { G, ZERO, msmPublic, mulSecret, pointToHex, systemRandom, type Point, type RandomSource } from './group';
import { lagrangeAtZero } from './dkg';
import { decodeEquality, proveEquality, verifyEquality, type EqualityProofJson } from './proofs';
import { Transcript } from './transcript';

export interface Ciphertext {
  alpha: Point;
  beta: Point;
}

export interface PartialDecryptionJson {
  /** Dⱼ = xⱼ·A, the trustee's decryption factor. */
  factor: string;
  proof: EqualityProofJson;
}

export interface TrusteeDecryptionMessage {
  index: number;
  /** Per question, per choice. */
  decryptions: PartialDecryptionJson[][];
}

export const decryptionCtx = (voteId: string, index: number, question: number, choice: number) =>
  new Transcript('decryption').text(voteId).int(index).int(question).int(choice);

/** Adds ciphertexts up per question and choice (the homomorphic product). */
export function addCiphertexts(
  into: { alphas: Point[][]; betas: Point[][] } | undefined,
  add: { alphas: Point[][]; betas: Point[][] },
) {
  if (!into) return { alphas: add.alphas.map((q) => [...q]), betas: add.betas.map((q) => [...q]) };
  add.alphas.forEach((q, qi) => q.forEach((a, ci) => (into.alphas[qi]![ci] = into.alphas[qi]![ci]!.add(a))));
  add.betas.forEach((q, qi) => q.forEach((b, ci) => (into.betas[qi]![ci] = into.betas[qi]![ci]!.add(b))));
  return into;
}

/** The empty tally (all identity) for the given question sizes. */
export function emptyTally(choicesPerQuestion: number[]) {
  return {
    alphas: choicesPerQuestion.map((n) => Array.from({ length: n }, () => ZERO)),
    betas: choicesPerQuestion.map((n) => Array.from({ length: n }, () => ZERO)),
  };
}

/** Trustee j's partial decryptions of the tally, with proofs. Runs where the share is: the trustee's browser. */
export function partialDecrypt(
  voteId: string,
  index: number,
  share: bigint,
  tallyAlphas: Point[][],
  rng: RandomSource = systemRandom,
): TrusteeDecryptionMessage {
  const X = mulSecret(G, share);
  return {
    index,
    decryptions: tallyAlphas.map((q, qi) =>
      q.map((A, ci) => {
        const D = mulSecret(A, share);
        return {
          factor: pointToHex(D),
          proof: proveEquality(decryptionCtx(voteId, index, qi, ci), share, X, A, D, rng),
        };
      }),
    ),
  };
}

/** Checks one partial decryption; `what` names it in errors. Returns Dⱼ. */
export function verifyPartial(
  voteId: string,
  index: number,
  X: Point,
  question: number,
  choice: number,
  A: Point,
  pd: unknown,
  what: string,
  decode: (hex: unknown, what: string) => Point,
  rng: RandomSource = systemRandom,
): Point {
  const o = (pd ?? {}) as Record<string, unknown>;
  if (typeof pd !== 'object' || pd === null) throw new CryptoError('malformed', `${what}: expected {factor, proof}`);
  const D = decode(o.factor, `${what}.factor`);
  const proof = decodeEquality(o.proof, `${what}.proof`);
  verifyEquality(decryptionCtx(voteId, index, question, choice), X, A, D, proof, `${what}.proof`, rng);
  return D;
}

/** n·G = B − Σ λⱼ·Dⱼ for the trustees in `partials` (index → Dⱼ). */
export function combine(beta: Point, partials: Map<number, Point>): Point {
  const set = [...partials.keys()];
  const points = set.map((j) => partials.get(j)!);
  const scalars = set.map((j) => lagrangeAtZero(set, j));
  return beta.subtract(msmPublic(points, scalars));
}

const babySteps = new Map<number, Map<string, number>>();

/** The m in [0, max] with M = m·G (baby-step giant-step), or throws. */
export function discreteLog(M: Point, max: number): number {
  if (!Number.isInteger(max) || max < 0) throw new CryptoError('math', 'bad bound');
  const n = Math.max(1, Math.ceil(Math.sqrt(max + 1)));
  let table = babySteps.get(n);
  if (!table) {
    table = new Map();
    let P = ZERO;
    for (let j = 0; j < n; j++) {
      table.set(pointToHex(P), j);
      P = P.add(G);
    }
    babySteps.set(n, table);
    if (babySteps.size > 8) babySteps.delete(babySteps.keys().next().value!);
  }
  const giant = G.multiplyUnsafe(BigInt(n)).negate();
  let Q = M;
  for (let i = 0; i * n <= max; i++) {
    const j = table.get(pointToHex(Q));
    if (j !== undefined && i * n + j <= max) return i * n + j;
    Q = Q.add(giant);
  }
  throw new CryptoError('mismatch', `the decrypted value is not a count between 0 and ${max}`);
}
