/**
 * The trustees' key ceremony: a Pedersen distributed key generation (joint Feldman, k-of-n) in
 * three rounds, after which every trustee j holds a share xⱼ of a private key x that nobody ever
 * computes, and the election public key Y = x·G and every public share Xⱼ = xⱼ·G are published.
 * With k = n every trustee must take part in the decryption (Helios style); with k < n any k do.
 *
 * Round 1 (commit): trustee i derives from its secret 32-byte seed a transport key tᵢ and a
 *   random polynomial fᵢ(z) = aᵢ₀ + aᵢ₁z + … + aᵢ,ₖ₋₁z^(k−1); it publishes Tᵢ = tᵢ·G and the
 *   Feldman commitments Cᵢₗ = aᵢₗ·G, each of Tᵢ and Cᵢ₀ with a proof of knowledge (so nobody can
 *   publish a key derived from others' keys).
 * Round 2 (deal): trustee i sends every other trustee j the share fᵢ(j), encrypted to Tⱼ
 *   (ephemeral Diffie–Hellman on ristretto255, HKDF-SHA256, one-time pad + HMAC-SHA256). The
 *   server and the bulletin board only ever see ciphertexts.
 * Round 3 (confirm): trustee j decrypts its shares, checks each against the commitments
 *   (fᵢ(j)·G = Σₗ jˡ·Cᵢₗ), and either complains about the dealer i (the ceremony then stops and
 *   starts again without it) or publishes Xⱼ = xⱼ·G, xⱼ = Σᵢ fᵢ(j), with a proof of knowledge
 *   whose context includes the encrypted shares it received (so they cannot be swapped later).
 *   Anyone checks Xⱼ = Σᵢ Σₗ jˡ·Cᵢₗ; the election key is Y = Σᵢ Cᵢ₀.
 *
 * A trustee keeps only its seed (a file, optionally passphrase-protected — see keyfile.ts): the
 * transport key and the polynomial are re-derived from it, and xⱼ is recomputed from the
 * encrypted shares on the board whenever it is needed.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CryptoError } from './errors';
import {
  G,
  ZERO,
  bytesToHex,
  bytesToNumberLE,
  decodePoint,
  hexToBytes,
  invert,
  mod,
  mulSecret,
  msmPublic,
  q,
  pointToHex,
  randomScalar,
  scalarToBytes,
  systemRandom,
  type Point,
  type RandomSource,
} from './group';
import { proveKnowledge, verifyKnowledge, type KnowledgeProofJson } from './proofs';
import { Transcript } from './transcript';

export interface CommitmentMessage {
  index: number;
  transportKey: string;
  transportProof: KnowledgeProofJson;
  commitments: string[];
  commitmentProof: KnowledgeProofJson;
}

export interface EncryptedShare {
  to: number;
  ephemeral: string;
  ciphertext: string;
  tag: string;
}

export interface SharesMessage {
  index: number;
  shares: EncryptedShare[];
}

export interface PublicShareMessage {
  index: number;
  publicShare: string;
  proof: KnowledgeProofJson;
}

export interface CeremonyShape {
  voteId: string;
  /** Number of trustees n; indices run 1…n. */
  trustees: number;
  /** Trustees needed to decrypt, 1 ≤ k ≤ n. */
  threshold: number;
}

export function checkCeremonyShape(c: CeremonyShape) {
  if (!Number.isInteger(c.trustees) || c.trustees < 1 || c.trustees > 32)
    throw new CryptoError('malformed', 'trustees: 1–32');
  if (!Number.isInteger(c.threshold) || c.threshold < 1 || c.threshold > c.trustees)
    throw new CryptoError('malformed', 'threshold: 1 ≤ k ≤ number of trustees');
}

// ————— derivation from the seed —————

function derive(seed: Uint8Array, label: string, n = 0): bigint {
  if (seed.length !== 32) throw new CryptoError('key', 'a trustee seed is 32 bytes');
  const t = new Transcript('seed').data(seed).text(label).int(n);
  const s = mod(bytesToNumberLE(sha512(t.bytes())));
  if (s === 0n) throw new CryptoError('key', 'degenerate seed');
  return s;
}

export interface TrusteeSecrets {
  transport: bigint;
  coefficients: bigint[];
}

export function deriveSecrets(seed: Uint8Array, threshold: number): TrusteeSecrets {
  return {
    transport: derive(seed, 'transport'),
    coefficients: Array.from({ length: threshold }, (_, l) => derive(seed, 'coefficient', l)),
  };
}

export function newSeed(rng: RandomSource = systemRandom): Uint8Array {
  return rng(32);
}

/** fᵢ(z) mod q. */
export function evalPolynomial(coefficients: bigint[], z: number): bigint {
  let acc = 0n;
  const x = BigInt(z);
  for (let l = coefficients.length - 1; l >= 0; l--) acc = mod(acc * x + coefficients[l]!);
  return acc;
}

const transportCtx = (voteId: string, index: number) => new Transcript('transport-key').text(voteId).int(index);
const coefficientCtx = (voteId: string, index: number) => new Transcript('coefficient').text(voteId).int(index);
/**
 * Round 3's proof is bound to the encrypted shares the trustee received (as published), so the
 * board cannot swap a share ciphertext afterwards without breaking the recipient's proof.
 */
const publicShareCtx = (voteId: string, index: number, received: EncryptedShare[]) => {
  const t = new Transcript('public-share').text(voteId).int(index).int(received.length);
  for (const e of received) t.int(e.to).text(e.ephemeral).text(e.ciphertext).text(e.tag);
  return t;
};

/** The shares dealt to trustee `index`, in dealer order. */
export function sharesReceivedBy(deals: SharesMessage[], index: number): EncryptedShare[] {
  return [...deals]
    .sort((a, b) => a.index - b.index)
    .filter((d) => d.index !== index)
    .map((d) => d.shares.find((e) => e.to === index) ?? { to: index, ephemeral: '', ciphertext: '', tag: '' });
}

// ————— round 1 —————

export function commitRound(
  shape: CeremonyShape,
  index: number,
  seed: Uint8Array,
  rng: RandomSource = systemRandom,
): CommitmentMessage {
  checkCeremonyShape(shape);
  const s = deriveSecrets(seed, shape.threshold);
  const T = mulSecret(G, s.transport);
  const C = s.coefficients.map((a) => mulSecret(G, a));
  return {
    index,
    transportKey: pointToHex(T),
    transportProof: proveKnowledge(transportCtx(shape.voteId, index), s.transport, T, rng),
    commitments: C.map(pointToHex),
    commitmentProof: proveKnowledge(coefficientCtx(shape.voteId, index), s.coefficients[0]!, C[0]!, rng),
  };
}

export interface DecodedCommitment {
  index: number;
  T: Point;
  C: Point[];
}

/** Checks a trustee's round-1 message; throws naming `what`. */
export function verifyCommitment(shape: CeremonyShape, msg: unknown, what: string): DecodedCommitment {
  const m = (msg ?? {}) as CommitmentMessage;
  if (typeof msg !== 'object' || msg === null) throw new CryptoError('malformed', `${what}: expected an object`);
  if (!Number.isInteger(m.index) || m.index < 1 || m.index > shape.trustees)
    throw new CryptoError('malformed', `${what}.index: expected 1–${shape.trustees}`);
  const T = decodePoint(m.transportKey, `${what}.transportKey`);
  verifyKnowledge(transportCtx(shape.voteId, m.index), T, m.transportProof, `${what}.transportProof`);
  if (!Array.isArray(m.commitments) || m.commitments.length !== shape.threshold)
    throw new CryptoError('malformed', `${what}.commitments: expected ${shape.threshold} (the threshold)`);
  const C = m.commitments.map((c, l) => decodePoint(c, `${what}.commitments[${l}]`, { allowIdentity: l > 0 }));
  verifyKnowledge(coefficientCtx(shape.voteId, m.index), C[0]!, m.commitmentProof, `${what}.commitmentProof`);
  return { index: m.index, T, C };
}

// ————— round 2 —————

function shareKeys(voteId: string, from: number, to: number, R: Point, Tto: Point, K: Point) {
  const info = new Transcript('share-encryption').text(voteId).int(from).int(to).point(R).point(Tto).bytes();
  const okm = hkdf(sha256, K.toBytes(), utf8ToBytes('kov-verifiable/v1/share'), info, 64);
  return { pad: okm.slice(0, 32), mac: okm.slice(32) };
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export function encryptShare(
  voteId: string,
  from: number,
  to: number,
  Tto: Point,
  share: bigint,
  rng: RandomSource = systemRandom,
): EncryptedShare {
  const e = randomScalar(rng);
  const R = mulSecret(G, e);
  const { pad, mac } = shareKeys(voteId, from, to, R, Tto, mulSecret(Tto, e));
  const ct = xor(scalarToBytes(share), pad);
  return { to, ephemeral: pointToHex(R), ciphertext: bytesToHex(ct), tag: bytesToHex(hmac(sha256, mac, ct)) };
}

export function decryptShare(
  voteId: string,
  from: number,
  to: number,
  transportSecret: bigint,
  enc: EncryptedShare,
): bigint {
  const R = decodePoint(enc.ephemeral, 'ephemeral');
  const T = mulSecret(G, transportSecret);
  const { pad, mac } = shareKeys(voteId, from, to, R, T, mulSecret(R, transportSecret));
  if (!/^[0-9a-f]{64}$/.test(enc.ciphertext ?? '') || !/^[0-9a-f]{64}$/.test(enc.tag ?? ''))
    throw new CryptoError('malformed', 'share ciphertext or tag is not 32 bytes of hex');
  const ct = hexToBytes(enc.ciphertext);
  if (!constantTimeEqual(hmac(sha256, mac, ct), hexToBytes(enc.tag)))
    throw new CryptoError('key', `the share from trustee ${from} does not authenticate`);
  const s = bytesToNumberLE(xor(ct, pad));
  if (s >= q) throw new CryptoError('key', `the share from trustee ${from} is not reduced modulo the group order`);
  return s;
}

export function dealRound(
  shape: CeremonyShape,
  index: number,
  seed: Uint8Array,
  commitments: DecodedCommitment[],
  rng: RandomSource = systemRandom,
): SharesMessage {
  const s = deriveSecrets(seed, shape.threshold);
  const shares: EncryptedShare[] = [];
  for (const c of [...commitments].sort((a, b) => a.index - b.index)) {
    if (c.index === index) continue;
    shares.push(encryptShare(shape.voteId, index, c.index, c.T, evalPolynomial(s.coefficients, c.index), rng));
  }
  return { index, shares };
}

export function checkSharesShape(shape: CeremonyShape, msg: unknown, what: string): SharesMessage {
  const m = (msg ?? {}) as SharesMessage;
  if (typeof msg !== 'object' || msg === null || !Array.isArray(m.shares))
    throw new CryptoError('malformed', `${what}: expected {index, shares}`);
  const expected = Array.from({ length: shape.trustees }, (_, i) => i + 1).filter((j) => j !== m.index);
  if (m.shares.length !== expected.length || m.shares.some((s, i) => s?.to !== expected[i]))
    throw new CryptoError('malformed', `${what}.shares: expected one share for each other trustee, in order`);
  m.shares.forEach((s, i) => {
    decodePoint(s.ephemeral, `${what}.shares[${i}].ephemeral`);
    if (!/^[0-9a-f]{64}$/.test(String(s.ciphertext)) || !/^[0-9a-f]{64}$/.test(String(s.tag)))
      throw new CryptoError('malformed', `${what}.shares[${i}]: ciphertext and tag are 64 hex digits`);
  });
  return m;
}

/** Σₗ jˡ·Cₗ: what fᵢ(j)·G must equal. */
export function committedValue(C: Point[], j: number): Point {
  const x = BigInt(j);
  let pow = 1n;
  const scalars = C.map(() => {
    const s = pow;
    pow = mod(pow * x);
    return s;
  });
  return msmPublic(C, scalars);
}

// ————— round 3 —————

export interface ShareOutcome {
  /** xⱼ, when every share was right. */
  share?: bigint;
  complaints: { against: number; reason: string }[];
}

/**
 * Trustee `index` decrypts the shares dealt to it, checks each against the dealer's commitments,
 * and adds them up (its own share fⱼ(j) included).
 */
export function collectShares(
  shape: CeremonyShape,
  index: number,
  seed: Uint8Array,
  commitments: DecodedCommitment[],
  deals: SharesMessage[],
): ShareOutcome {
  const s = deriveSecrets(seed, shape.threshold);
  let x = evalPolynomial(s.coefficients, index);
  const complaints: ShareOutcome['complaints'] = [];
  for (const c of commitments) {
    if (c.index === index) continue;
    const deal = deals.find((d) => d?.index === c.index);
    const enc = deal?.shares.find((e) => e.to === index);
    if (!enc) {
      complaints.push({ against: c.index, reason: 'no share was dealt' });
      continue;
    }
    let v: bigint;
    try {
      v = decryptShare(shape.voteId, c.index, index, s.transport, enc);
    } catch (err) {
      complaints.push({ against: c.index, reason: (err as Error).message });
      continue;
    }
    if (!mulSecret(G, v).equals(committedValue(c.C, index))) {
      complaints.push({ against: c.index, reason: 'the share does not match the published commitments' });
      continue;
    }
    x = mod(x + v);
  }
  return complaints.length ? { complaints } : { share: x, complaints };
}

export function confirmRound(
  voteId: string,
  index: number,
  share: bigint,
  deals: SharesMessage[],
  rng: RandomSource = systemRandom,
): PublicShareMessage {
  const X = mulSecret(G, share);
  return {
    index,
    publicShare: pointToHex(X),
    proof: proveKnowledge(publicShareCtx(voteId, index, sharesReceivedBy(deals, index)), share, X, rng),
  };
}

/** Xⱼ as it must be: Σᵢ Σₗ jˡ·Cᵢₗ. */
export function expectedPublicShare(commitments: DecodedCommitment[], j: number): Point {
  return commitments.reduce((acc, c) => acc.add(committedValue(c.C, j)), ZERO);
}

/** Checks a round-3 message against the commitments; returns Xⱼ. */
export function verifyPublicShare(
  shape: CeremonyShape,
  commitments: DecodedCommitment[],
  deals: SharesMessage[],
  msg: unknown,
  what: string,
): Point {
  const m = (msg ?? {}) as PublicShareMessage;
  if (typeof msg !== 'object' || msg === null) throw new CryptoError('malformed', `${what}: expected an object`);
  const X = decodePoint(m.publicShare, `${what}.publicShare`);
  try {
    verifyKnowledge(
      publicShareCtx(shape.voteId, m.index, sharesReceivedBy(deals, m.index)),
      X,
      m.proof,
      `${what}.proof`,
    );
  } catch (err) {
    if (err instanceof CryptoError && err.kind === 'proof')
      throw new CryptoError('proof', `${err.message} (or the shares dealt to this trustee were changed)`);
    throw err;
  }
  if (!X.equals(expectedPublicShare(commitments, m.index)))
    throw new CryptoError('mismatch', `${what}.publicShare: does not match the trustees' commitments`);
  return X;
}

/** The election public key Y = Σᵢ Cᵢ₀. */
export function electionKey(commitments: DecodedCommitment[]): Point {
  const Y = commitments.reduce((acc, c) => acc.add(c.C[0]!), ZERO);
  if (Y.is0()) throw new CryptoError('key', 'the election key is the identity');
  return Y;
}

/** The Lagrange coefficient λⱼ at 0 for the set of trustee indices `set`. */
export function lagrangeAtZero(set: number[], j: number): bigint {
  let num = 1n;
  let den = 1n;
  for (const m of set) {
    if (m === j) continue;
    num = mod(num * BigInt(m));
    den = mod(den * BigInt(m - j));
  }
  return mod(num * invert(den));
}
