/**
 * Fiat–Shamir transcripts. Every item is appended as a 4-byte big-endian length followed by its
 * bytes, so no two different sequences of items give the same byte string:
 *   text    → UTF-8 bytes
 *   integer → 4 bytes big-endian (0 ≤ n < 2^32)
 *   element → its 32-byte canonical encoding
 *   scalar  → its 32-byte little-endian encoding
 * The first item is always the domain tag (e.g. "kov-verifiable/v1/choice"). A challenge is
 * SHA-512 of the transcript bytes, read little-endian and reduced mod q.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesToHex, bytesToNumberLE, mod, scalarToBytes, type Point } from './group';

export const DOMAIN = 'kov-verifiable/v1';

export class Transcript {
  private parts: Uint8Array[] = [];
  private length = 0;

  constructor(tag: string) {
    this.text(`${DOMAIN}/${tag}`);
  }

  private push(bytes: Uint8Array): this {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, bytes.length, false);
    this.parts.push(len, bytes);
    this.length += 4 + bytes.length;
    return this;
  }

  text(s: string): this {
    return this.push(utf8ToBytes(s));
  }

  int(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`transcript integer out of range: ${n}`);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, false);
    return this.push(b);
  }

  /** An element, given decoded (encoded here) or already as its 32 canonical bytes. */
  point(p: Point | Uint8Array): this {
    return this.push(p instanceof Uint8Array ? p : p.toBytes());
  }

  /** Raw bytes (a seed, a key file's salt). */
  data(b: Uint8Array): this {
    return this.push(b);
  }

  scalar(s: bigint): this {
    return this.push(scalarToBytes(s));
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** The Fiat–Shamir challenge: SHA-512(transcript) mod q. */
  challenge(): bigint {
    return mod(bytesToNumberLE(sha512(this.bytes())));
  }

  /** SHA-256 of the transcript, as hex (ballot trackers, fingerprints). */
  digestHex(): string {
    return bytesToHex(sha256(this.bytes()));
  }
}
