import { createHmac, randomInt } from 'node:crypto';
import { freshRandomBytes } from './random';

/** The voter's slot in a box: a keyed pseudonym that only the holder of the key can compute. */
export function voterSlot(pseudonymKey: string, boxId: string, personId: string): Buffer {
  return createHmac('sha256', Buffer.from(pseudonymKey, 'hex'))
    .update(`bb-slot\u0000${boxId}\u0000${personId}`)
    .digest();
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A receipt code: 80 random bits in Crockford base32, grouped by four (e.g. `7KQ2-M9XD-PA4F-0RTE`). */
export function newReceipt(): string {
  const bytes = freshRandomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

/** Normalises what a person typed as a receipt code (case, spaces, I/L/O). */
export function normaliseReceipt(code: string): string {
  const c = code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return (c.match(/.{1,4}/g) ?? []).join('-');
}

/** A uniformly random permutation (Fisher–Yates with a cryptographic, unbiased source), in place. */
export function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}
