/**
 * Zero-knowledge proofs, made non-interactive by Fiat–Shamir over a Transcript that the caller
 * starts with the statement's context (vote id, voter slot, position…), so a proof only verifies
 * in the place it was made for.
 *
 * 1. Range proof (disjunctive Chaum–Pedersen, "CDS"): an exponential ElGamal ciphertext
 *    (α, β) = (r·G, m·G + r·Y) encrypts some m in {lo, …, hi}. One branch per value v:
 *      {a: Aᵥ, b: Bᵥ, c: cᵥ, s: sᵥ}   with   sᵥ·G = Aᵥ + cᵥ·α   and   sᵥ·Y = Bᵥ + cᵥ·(β − v·G)
 *    and Σᵥ cᵥ = H(context, α, β, A_lo, B_lo, …, A_hi, B_hi).
 *    0/1 choices use {0, 1}; the selection count uses {min, …, max} on the product ciphertext.
 * 2. Proof of knowledge of a discrete log (Schnorr): X = x·G.
 *      {a: A, s: s}   with   s·G = A + c·X,   c = H(context, X, A)
 * 3. Equality of discrete logs (Chaum–Pedersen): X = x·G and D = x·B (a partial decryption).
 *      {a: U, b: V, s: s}   with   s·G = U + c·X,   s·B = V + c·D,   c = H(context, X, B, D, U, V)
 */
import { Batch } from './batch';
import { CryptoError } from './errors';
import {
  G,
  decodePoint,
  decodeScalar,
  mod,
  mulSecret,
  pointToHex,
  randomScalar,
  scalarToHex,
  systemRandom,
  type Point,
  type RandomSource,
} from './group';
import type { Transcript } from './transcript';

export interface RangeBranchJson {
  a: string;
  b: string;
  c: string;
  s: string;
}
export interface RangeBranch {
  A: Point;
  B: Point;
  c: bigint;
  s: bigint;
  /** The raw encodings (for hashing without re-encoding). */
  Abytes?: Uint8Array;
  Bbytes?: Uint8Array;
}

/**
 * Proves that (α, β) = (r·G, m·G + r·Y) with lo ≤ m ≤ hi. `ctx` is the transcript with the
 * statement's context already added; α and β are appended here. Y should carry a window table
 * (`withTable`). Only fixed-base multiplications: the prover knows r, so the simulated branches
 * are computed as (sᵥ − cᵥ·r)·G and (sᵥ − cᵥ·r)·Y − cᵥ·(m − v)·G.
 */
export function proveRange(
  ctx: Transcript,
  Y: Point,
  alpha: Point,
  beta: Point,
  m: number,
  r: bigint,
  lo: number,
  hi: number,
  rng: RandomSource = systemRandom,
): RangeBranchJson[] {
  if (!(lo <= m && m <= hi)) throw new CryptoError('rule', `cannot prove ${m} is within ${lo}–${hi}`);
  const branches: { A: Point; B: Point; c: bigint; s: bigint }[] = [];
  let w = 0n;
  let cOthers = 0n;
  for (let v = lo; v <= hi; v++) {
    if (v === m) {
      w = randomScalar(rng);
      branches.push({ A: mulSecret(G, w), B: mulSecret(Y, w), c: 0n, s: 0n });
    } else {
      const c = randomScalar(rng);
      const s = randomScalar(rng);
      const t = mod(s - c * r);
      branches.push({ A: mulSecret(G, t), B: mulSecret(Y, t).subtract(mulSecret(G, c * BigInt(m - v))), c, s });
      cOthers = mod(cOthers + c);
    }
  }
  ctx.point(alpha).point(beta);
  for (const b of branches) ctx.point(b.A).point(b.B);
  const c = ctx.challenge();
  const real = branches[m - lo]!;
  real.c = mod(c - cOthers);
  real.s = mod(w + real.c * r);
  return branches.map((b) => ({ a: pointToHex(b.A), b: pointToHex(b.B), c: scalarToHex(b.c), s: scalarToHex(b.s) }));
}

/** Decodes a range proof with `count` branches; `what` names it in errors. */
export function decodeRange(json: unknown, count: number, what: string): RangeBranch[] {
  if (!Array.isArray(json)) throw new CryptoError('malformed', `${what}: expected a list of ${count} proof branches`);
  if (json.length !== count)
    throw new CryptoError('malformed', `${what}: expected ${count} proof branches, found ${json.length}`);
  return json.map((b: unknown, i) => {
    const o = (b ?? {}) as Record<string, unknown>;
    if (typeof b !== 'object' || b === null || Object.keys(o).length !== 4)
      throw new CryptoError('malformed', `${what}, branch ${i}: expected an object with a, b, c and s`);
    const A = decodePoint(o.a, `${what}, branch ${i}, a`, { allowIdentity: true });
    const B = decodePoint(o.b, `${what}, branch ${i}, b`, { allowIdentity: true });
    return { A, B, c: decodeScalar(o.c, `${what}, branch ${i}, c`), s: decodeScalar(o.s, `${what}, branch ${i}, s`) };
  });
}

/**
 * The Fiat–Shamir part of a range proof: Σ cᵥ must equal the challenge of the transcript. A
 * mismatch means the proof was made for another context (vote, slot, position) or was altered.
 */
export function rangeChallengeHolds(
  ctx: Transcript,
  alpha: Point | Uint8Array,
  beta: Point | Uint8Array,
  branches: RangeBranch[],
): boolean {
  ctx.point(alpha).point(beta);
  let sum = 0n;
  for (const b of branches) {
    ctx.point(b.Abytes ?? b.A).point(b.Bbytes ?? b.B);
    sum += b.c;
  }
  return mod(sum) === ctx.challenge();
}

/**
 * Adds the group equations of a range proof to a batch. The ciphertext may be given as a sum of
 * ciphertexts (the selection-count proof over a question's choices), which is never computed.
 */
export function addRangeEquations(
  batch: Batch,
  Y: Point,
  alphas: Point[],
  betas: Point[],
  lo: number,
  branches: RangeBranch[],
) {
  branches.forEach((b, i) => {
    const v = lo + i;
    // sᵥ·G − Aᵥ − cᵥ·α = 0
    batch.equation().fixedTerm(G, b.s).term(b.A, -1n).sumTerm(alphas, -b.c);
    // sᵥ·Y − Bᵥ − cᵥ·β + cᵥ·v·G = 0
    batch
      .equation()
      .fixedTerm(Y, b.s)
      .term(b.B, -1n)
      .sumTerm(betas, -b.c)
      .fixedTerm(G, b.c * BigInt(v));
  });
}

// ————— Schnorr proof of knowledge of x with X = x·G —————

export interface KnowledgeProofJson {
  a: string;
  s: string;
}

export function proveKnowledge(
  ctx: Transcript,
  x: bigint,
  X: Point,
  rng: RandomSource = systemRandom,
): KnowledgeProofJson {
  const w = randomScalar(rng);
  const A = mulSecret(G, w);
  const c = ctx.point(X).point(A).challenge();
  return { a: pointToHex(A), s: scalarToHex(mod(w + c * x)) };
}

/** Throws a CryptoError naming `what` unless the proof verifies. */
export function verifyKnowledge(ctx: Transcript, X: Point, proof: unknown, what: string) {
  const o = (proof ?? {}) as Record<string, unknown>;
  if (typeof proof !== 'object' || proof === null)
    throw new CryptoError('malformed', `${what}: expected a proof object {a, s}`);
  const A = decodePoint(o.a, `${what}, a`, { allowIdentity: true });
  const s = decodeScalar(o.s, `${what}, s`);
  const c = ctx.point(X).point(A).challenge();
  const batch = new Batch();
  batch.equation().fixedTerm(G, s).term(A, -1n).term(X, -c);
  if (!batch.holds())
    throw new CryptoError('proof', `${what}: the proof of knowledge of the private key does not verify`);
}

// ————— Chaum–Pedersen proof that log_G X = log_B D —————

export interface EqualityProofJson {
  a: string;
  b: string;
  s: string;
}

export function proveEquality(
  ctx: Transcript,
  x: bigint,
  X: Point,
  B: Point,
  D: Point,
  rng: RandomSource = systemRandom,
): EqualityProofJson {
  const w = randomScalar(rng);
  const U = mulSecret(G, w);
  const V = mulSecret(B, w);
  const c = ctx.point(X).point(B).point(D).point(U).point(V).challenge();
  return { a: pointToHex(U), b: pointToHex(V), s: scalarToHex(mod(w + c * x)) };
}

export interface DecodedEquality {
  U: Point;
  V: Point;
  s: bigint;
}

export function decodeEquality(proof: unknown, what: string): DecodedEquality {
  const o = (proof ?? {}) as Record<string, unknown>;
  if (typeof proof !== 'object' || proof === null)
    throw new CryptoError('malformed', `${what}: expected a proof object {a, b, s}`);
  return {
    U: decodePoint(o.a, `${what}, a`, { allowIdentity: true }),
    V: decodePoint(o.b, `${what}, b`, { allowIdentity: true }),
    s: decodeScalar(o.s, `${what}, s`),
  };
}

/** Throws a CryptoError naming `what` unless the proof verifies. */
export function verifyEquality(
  ctx: Transcript,
  X: Point,
  B: Point,
  D: Point,
  proof: DecodedEquality,
  what: string,
  rng: RandomSource = systemRandom,
) {
  const c = ctx.point(X).point(B).point(D).point(proof.U).point(proof.V).challenge();
  const batch = new Batch(rng);
  batch.equation().fixedTerm(G, proof.s).term(proof.U, -1n).term(X, -c);
  batch.equation().term(B, proof.s).term(proof.V, -1n).term(D, -c);
  if (!batch.holds())
    throw new CryptoError('proof', `${what}: the Chaum–Pedersen proof of correct decryption does not verify`);
}
