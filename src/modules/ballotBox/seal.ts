import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { BulkGcm } from './gcm';
import { freshRandomBytes } from './random';

/**
 * Sealing: every ballot whose content is secret is encrypted in this process before it reaches
 * the database, with AES-256-GCM (OpenSSL through node:crypto) under the box's own data key; the
 * data key is kept in the database only wrapped (AES-256-GCM) by a master key that lives outside
 * it (configuration or a key file, see keys.ts).
 *
 * A sealed ballot is `nonce (12) ‖ ciphertext ‖ tag (16)`. The associated data binds it to its box
 * and its receipt, so a database writer can neither move a sealed ballot to another box or row nor
 * swap two (the tag fails when it is opened). The plaintext is padded to a size fixed per box, so
 * every sealed ballot of a box has the same length whatever was chosen.
 *
 * Plaintext (version 1):
 *   byte 0   1 (version)
 *   byte 1   kind: 1 = selections, 2 = selections with weights, 3 = JSON content
 *   kinds 1, 2: u16 n, n × u32 choice, (kind 2) n × i32 weight (scoring votes may give negative points)
 *   kind 3:     u32 length, UTF-8 JSON
 *   zero padding up to the box's size
 */
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const KEY_BYTES = 32;

export type SealedContent =
  | { selections: number[]; weights: number[] | null; content?: undefined }
  | { content: unknown; selections?: undefined; weights?: undefined };

/** The padded plaintext size of a box whose ballots choose at most `maxSelections` (weights included). */
export function paddedSize(maxSelections: number): number {
  return 4 + Math.max(1, maxSelections) * 8;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

const U32 = 0xffffffff;

export function encodeBallot(c: SealedContent, maxSelections: number): Buffer {
  const base = paddedSize(maxSelections);
  if (c.selections) {
    const n = c.selections.length;
    if (n > 0xffff) throw new RangeError('a ballot has at most 65,535 selections');
    const weighted = c.weights != null;
    if (weighted && c.weights!.length !== n) throw new RangeError('one weight per selection');
    const used = 4 + n * (weighted ? 8 : 4);
    // A ballot larger than the box's declared maximum still seals (in whole multiples of it).
    const size = used <= base ? base : roundUp(used, base);
    const out = Buffer.alloc(size);
    out[0] = 1;
    out[1] = weighted ? 2 : 1;
    out.writeUInt16BE(n, 2);
    for (let i = 0; i < n; i++) {
      const v = c.selections[i]!;
      if (!Number.isInteger(v) || v < 0 || v > U32) throw new RangeError(`selection ${v} is not a whole number ≥ 0`);
      out.writeUInt32BE(v, 4 + i * 4);
    }
    if (weighted)
      for (let i = 0; i < n; i++) {
        const w = c.weights![i]!;
        if (!Number.isInteger(w) || w < -0x80000000 || w > 0x7fffffff)
          throw new RangeError(`weight ${w} is not a whole number that fits 32 bits`);
        out.writeInt32BE(w, 4 + n * 4 + i * 4);
      }
    return out;
  }
  const json = Buffer.from(JSON.stringify(c.content ?? null), 'utf8');
  const used = 6 + json.length;
  const size = used <= base ? base : roundUp(used, 256);
  const out = Buffer.alloc(size);
  out[0] = 1;
  out[1] = 3;
  out.writeUInt32BE(json.length, 2);
  json.copy(out, 6);
  return out;
}

export function decodeBallot(p: Buffer): SealedContent {
  if (p[0] !== 1) throw new Error(`unknown sealed ballot version ${p[0]}`);
  const kind = p[1];
  if (kind === 3) {
    const len = p.readUInt32BE(2);
    return { content: JSON.parse(p.subarray(6, 6 + len).toString('utf8')) as unknown };
  }
  if (kind !== 1 && kind !== 2) throw new Error(`unknown sealed ballot kind ${kind}`);
  const n = p.readUInt16BE(2);
  const selections = new Array<number>(n);
  for (let i = 0; i < n; i++) selections[i] = p.readUInt32BE(4 + i * 4);
  let weights: number[] | null = null;
  if (kind === 2) {
    weights = new Array<number>(n);
    for (let i = 0; i < n; i++) weights[i] = p.readInt32BE(4 + n * 4 + i * 4);
  }
  return { selections, weights };
}

export function ballotAad(municipalityCode: string, boxId: string, receipt: string): Buffer {
  return Buffer.from(`kov-ballot/1\u0000${municipalityCode}\u0000${boxId}\u0000${receipt}`, 'utf8');
}

// Keys handed to OpenSSL as KeyObjects, made once per key (a data key is used for every cast and
// every counted ballot of its box): a raw Buffer is converted again on every cipher created.
// Held only as long as the key itself (crypto-shredding drops the Buffer, and with it this).
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(key: Buffer | KeyObject): KeyObject {
  if (!Buffer.isBuffer(key)) return key;
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = createSecretKey(key)));
  return k;
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer, nonce: Buffer = freshRandomBytes(NONCE_BYTES)): Buffer {
  const c = createCipheriv('aes-256-gcm', keyObject(key), nonce);
  c.setAAD(aad);
  const body = c.update(plaintext);
  c.final();
  return Buffer.concat([nonce, body, c.getAuthTag()]);
}

function decrypt(key: Buffer | KeyObject, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealError('a sealed value is too short');
  const d = createDecipheriv('aes-256-gcm', keyObject(key), sealed.subarray(0, NONCE_BYTES));
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const body = d.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES));
  try {
    d.final();
  } catch {
    throw new SealError('a sealed value does not open with this key (wrong key, or the value was altered)');
  }
  return body;
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

export function sealBallot(
  dataKey: Buffer,
  ref: { municipalityCode: string; boxId: string; receipt: string },
  content: SealedContent,
  maxSelections: number,
): Buffer {
  return encrypt(
    dataKey,
    encodeBallot(content, maxSelections),
    ballotAad(ref.municipalityCode, ref.boxId, ref.receipt),
  );
}

/**
 * Seals many ballots of one box: the same as `sealBallot` for each, with their random nonces
 * drawn from the system in one piece (bulk imports: one draw instead of one per ballot).
 */
export function sealBallots(
  dataKey: Buffer,
  box: { municipalityCode: string; boxId: string },
  receipts: readonly string[],
  contents: readonly SealedContent[],
  maxSelections: number,
): Buffer[] {
  const nonces = randomBytes(NONCE_BYTES * contents.length);
  const out = new Array<Buffer>(contents.length);
  for (let i = 0; i < contents.length; i++)
    out[i] = encrypt(
      dataKey,
      encodeBallot(contents[i]!, maxSelections),
      ballotAad(box.municipalityCode, box.boxId, receipts[i]!),
      nonces.subarray(i * NONCE_BYTES, (i + 1) * NONCE_BYTES),
    );
  return out;
}

export function openBallot(
  dataKey: Buffer,
  ref: { municipalityCode: string; boxId: string; receipt: string },
  sealed: Buffer,
): SealedContent {
  return ballotOpener(dataKey, ref)(ref.receipt, sealed);
}

/**
 * Opens many ballots of one box (counting): the data key is imported once (a KeyObject: OpenSSL
 * is handed the prepared key instead of raw bytes per ballot) and the associated data is built in
 * one reused buffer (the box's constant prefix, then the receipt), so each ballot costs one AES-GCM
 * decryption and its decoding, no per-ballot key or string work. Same checks as `openBallot`.
 */
export function ballotOpener(
  dataKey: Buffer | KeyObject,
  box: { municipalityCode: string; boxId: string },
): (receipt: string, sealed: Buffer) => SealedContent {
  const key = keyObject(dataKey);
  const prefix = ballotAad(box.municipalityCode, box.boxId, '');
  const scratch = Buffer.allocUnsafe(prefix.length + 256);
  prefix.copy(scratch);
  return (receipt, sealed) => {
    // setAAD copies the bytes into the cipher at once, so the scratch buffer can be reused.
    const aad =
      receipt.length * 3 <= 256 // at most 3 UTF-8 bytes per UTF-16 unit
        ? scratch.subarray(0, prefix.length + scratch.write(receipt, prefix.length, 'utf8'))
        : Buffer.concat([prefix, Buffer.from(receipt, 'utf8')]);
    return decodeBallot(decrypt(key, sealed, aad));
  };
}

/** A page of a box's sealed ballots: value i is sealed[offsets[i], offsets[i + 1]), its receipt's UTF-8 receipts[receiptOffsets[i], …[i + 1]). */
export interface SealedPage {
  n: number;
  sealed: Uint8Array;
  offsets: Uint32Array;
  receipts: Uint8Array;
  receiptOffsets: Uint32Array;
}

/**
 * Opens pages of a box's sealed ballots (counting): the same AES-256-GCM with the same associated
 * data as `openBallot`, a page at a time (gcm.ts: one OpenSSL call for the page's AES, instead of
 * a decipher object per ballot). Each ballot's plaintext is handed to `use` only once its tag has
 * been checked, as a view valid during the call; a ballot that does not open throws SealError.
 */
export function pageOpener(
  dataKey: Buffer | KeyObject,
  box: { municipalityCode: string; boxId: string },
): (page: SealedPage, use: (i: number, plain: Buffer, from: number, to: number) => void) => void {
  const gcm = new BulkGcm(keyObject(dataKey));
  const prefix = ballotAad(box.municipalityCode, box.boxId, '');
  return (p, use) => {
    if (gcm.open(p.n, p.sealed, p.offsets, prefix, p.receipts, p.receiptOffsets, use) >= 0)
      throw new SealError('a sealed value does not open with this key (wrong key, or the value was altered)');
  };
}

// ---------------------------------------------------------------------------------------------
// Data keys and their wrapping by a master key

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

const wrapAad = (municipalityCode: string, boxId: string) =>
  Buffer.from(`kov-ballot-key/1\u0000${municipalityCode}\u0000${boxId}`, 'utf8');

export function wrapKey(master: Buffer, box: { municipalityCode: string; boxId: string }, dataKey: Buffer): Buffer {
  return encrypt(master, dataKey, wrapAad(box.municipalityCode, box.boxId));
}

export function unwrapKey(master: Buffer, box: { municipalityCode: string; boxId: string }, wrapped: Buffer): Buffer {
  return decrypt(master, wrapped, wrapAad(box.municipalityCode, box.boxId));
}

/** A master key's public name: 16 hex digits of a hash of it (says which key wrapped a data key). */
export function masterKeyId(master: Buffer): string {
  return createHash('sha256').update('kov-ballot-master-key-id/1\u0000').update(master).digest('hex').slice(0, 16);
}
