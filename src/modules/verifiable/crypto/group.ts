/**
 * The group: ristretto255 (RFC 9496) from @noble/curves, with the encodings of the election
 * record. Pure TypeScript, no Node or DOM APIs: the server, the web app (through Vite) and the
 * independent verifier all import this folder.
 *
 * Encodings (see docs/verifiable-voting.md):
 * - a group element is its canonical 32-byte ristretto255 encoding, as 64 lowercase hex digits;
 * - a scalar (mod q) is its canonical 32-byte little-endian encoding, as 64 lowercase hex digits.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { bytesToHex, hexToBytes, randomBytes as cryptoRandomBytes } from '@noble/hashes/utils.js';
import { CryptoError } from './errors';

export const Point = ristretto255.Point;
export type Point = InstanceType<typeof ristretto255.Point>;

/** The group order q = 2^252 + 27742317777372353535851937790883648493. */
export const q: bigint = Point.Fn.ORDER;
export const G: Point = Point.BASE;
export const ZERO: Point = Point.ZERO;

/** A source of random bytes; tests pass a deterministic one to reproduce known answers. */
export type RandomSource = (length: number) => Uint8Array;
export const systemRandom: RandomSource = (n) => cryptoRandomBytes(n);

export const mod = (a: bigint): bigint => {
  const r = a % q;
  return r < 0n ? r + q : r;
};

/** Modular inverse mod q (q is prime): a^(q-2). */
export function invert(a: bigint): bigint {
  const x = mod(a);
  if (x === 0n) throw new CryptoError('math', 'cannot invert zero');
  return Point.Fn.inv(x);
}

/** Little-endian bytes → bigint. */
export function bytesToNumberLE(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
  return x;
}

export function numberToBytesLE(x: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = x;
  for (let i = 0; i < length; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new CryptoError('math', 'number too large for its encoding');
  return out;
}

/** A uniformly random scalar in [1, q): 64 random bytes reduced mod q (bias < 2^-250). */
export function randomScalar(rng: RandomSource = systemRandom): bigint {
  for (;;) {
    const s = mod(bytesToNumberLE(rng(64)));
    if (s !== 0n) return s;
  }
}

/** A random scalar of `bits` bits (for batch-verification weights), never zero. */
export function randomShortScalar(bits = 128, rng: RandomSource = systemRandom): bigint {
  for (;;) {
    const s = bytesToNumberLE(rng(bits / 8));
    if (s !== 0n) return s;
  }
}

export const scalarToBytes = (s: bigint): Uint8Array => numberToBytesLE(mod(s), 32);
export const scalarToHex = (s: bigint): string => bytesToHex(scalarToBytes(s));
export const pointToHex = (p: Point): string => bytesToHex(p.toBytes());

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Decodes a group element from the record; `what` names it in the error. Rejects anything but the
 * canonical encoding of a ristretto255 element (so there are no small-subgroup or malleability
 * tricks), and the identity unless `allowIdentity`.
 */
export function decodePoint(hex: unknown, what: string, opts: { allowIdentity?: boolean } = {}): Point {
  if (typeof hex !== 'string' || !HEX64.test(hex))
    throw new CryptoError('malformed', `${what}: expected 64 lowercase hex digits (a ristretto255 element)`);
  let p: Point;
  try {
    p = Point.fromBytes(hexToBytes(hex));
  } catch {
    throw new CryptoError('malformed', `${what}: not a valid ristretto255 encoding`);
  }
  if (!opts.allowIdentity && p.is0()) throw new CryptoError('malformed', `${what}: is the identity element`);
  return p;
}

/** Decodes a scalar; rejects non-canonical encodings (≥ q). */
export function decodeScalar(hex: unknown, what: string): bigint {
  if (typeof hex !== 'string' || !HEX64.test(hex))
    throw new CryptoError('malformed', `${what}: expected 64 lowercase hex digits (a scalar)`);
  const s = bytesToNumberLE(hexToBytes(hex));
  if (s >= q) throw new CryptoError('malformed', `${what}: scalar is not reduced modulo the group order`);
  return s;
}

/** m·G for small non-negative m. */
export function smallMultiple(m: number | bigint): Point {
  const k = BigInt(m);
  return k === 0n ? ZERO : G.multiplyUnsafe(mod(k));
}

/** n·P for public data (variable time). Handles 0. */
export function mulPublic(p: Point, n: bigint): Point {
  const k = mod(n);
  return k === 0n ? ZERO : p.multiplyUnsafe(k);
}

/** n·P with secret n (constant time). Handles 0. */
export function mulSecret(p: Point, n: bigint): Point {
  const k = mod(n);
  return k === 0n ? ZERO : p.multiply(k);
}

/**
 * Σ scalars[i]·points[i] for public data (Strauss–Shamir interleaved wNAF, variable time).
 * Zero scalars are skipped.
 */
export function msmPublic(points: Point[], scalars: bigint[]): Point {
  const ps: Point[] = [];
  const ss: bigint[] = [];
  for (let i = 0; i < points.length; i++) {
    const s = mod(scalars[i]!);
    if (s !== 0n) {
      ps.push(points[i]!);
      ss.push(s);
    }
  }
  if (ps.length === 0) return ZERO;
  return mulAddUnsafe(Point, ps, ss);
}

const precomputed = new Map<string, Point>();
/**
 * A copy of a public key with a window table for fast fixed-base multiplication (built once per
 * key and kept; a handful of election keys per process).
 */
export function withTable(p: Point): Point {
  const key = pointToHex(p);
  let t = precomputed.get(key);
  if (!t) {
    t = Point.fromBytes(p.toBytes());
    t.precompute(6, false);
    if (precomputed.size > 64) precomputed.delete(precomputed.keys().next().value!);
    precomputed.set(key, t);
  }
  return t;
}

export { bytesToHex, hexToBytes };
