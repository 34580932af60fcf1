import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { freshRandomBytes } from './random';

/** The voter's slot in a box: a keyed pseudonym that only the holder of the key can compute. */
export function voterSlot(pseudonymKey: string, boxId: string, personId: string): Buffer {
  return createHmac('sha256', Buffer.from(pseudonymKey, 'hex'))
    .update(`bb-slot\u0000${boxId}\u0000${personId}`)
    .digest();
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECEIPT_BYTES = 10;

/** 80 bits (10 bytes of `bytes` from `at`) in Crockford base32, grouped by four. */
function receiptOf(bytes: Buffer, at: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  let digits = 0;
  for (let i = at; i < at + RECEIPT_BYTES; i++) {
    value = ((value << 8) | bytes[i]!) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      if (digits > 0 && digits % 4 === 0) out += '-';
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      digits++;
      bits -= 5;
    }
  }
  return out;
}

/** A receipt code: 80 random bits in Crockford base32, grouped by four (e.g. `7KQ2-M9XD-PA4F-0RTE`). */
export function newReceipt(): string {
  return receiptOf(freshRandomBytes(RECEIPT_BYTES), 0);
}

/** `n` receipt codes from one draw of randomness (bulk imports: one system call, not n). */
export function newReceipts(n: number): string[] {
  const bytes = randomBytes(RECEIPT_BYTES * n);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = receiptOf(bytes, i * RECEIPT_BYTES);
  return out;
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
