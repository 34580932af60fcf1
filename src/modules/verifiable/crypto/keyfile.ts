/**
 * A trustee's key file: the only place its secret (a 32-byte seed) ever lives outside the
 * trustee's browser memory. Saved as a download in round 1 of the ceremony and loaded again for
 * round 2, round 3 and the decryption. With a passphrase, the seed is encrypted: scrypt (N, r, p
 * in the file) derives 64 bytes, the first 32 are a one-time pad for the seed, the last 32 the
 * HMAC-SHA256 key authenticating the ciphertext and the file's public fields.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { deriveSecrets } from './dkg';
import { CryptoError } from './errors';
import { G, bytesToHex, hexToBytes, mulSecret, pointToHex, systemRandom, type RandomSource } from './group';
import { Transcript } from './transcript';

export const KEY_FILE_FORMAT = 'kov-verifiable-trustee-key';

export interface KeyFileMeta {
  voteId: string;
  municipalityCode: string;
  trusteeIndex: number;
  trustees: number;
  threshold: number;
}

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 15, r: 8, p: 1 };

export interface TrusteeKeyFile extends KeyFileMeta {
  format: typeof KEY_FILE_FORMAT;
  version: 1;
  note: string;
  /** The trustee's transport key (public), to recognise the file. */
  transportKey: string;
  seed?: string;
  protected?: { kdf: 'scrypt'; N: number; r: number; p: number; salt: string; ciphertext: string; tag: string };
}

function authData(meta: KeyFileMeta, transportKey: string, salt: Uint8Array, ct: Uint8Array) {
  return new Transcript('key-file')
    .text(meta.voteId)
    .text(meta.municipalityCode)
    .int(meta.trusteeIndex)
    .int(meta.trustees)
    .int(meta.threshold)
    .text(transportKey)
    .data(salt)
    .data(ct)
    .bytes();
}

function xor32(a: Uint8Array, b: Uint8Array) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export async function createKeyFile(
  meta: KeyFileMeta,
  seed: Uint8Array,
  passphrase?: string,
  params: ScryptParams = DEFAULT_SCRYPT,
  rng: RandomSource = systemRandom,
): Promise<TrusteeKeyFile> {
  const transportKey = pointToHex(mulSecret(G, deriveSecrets(seed, meta.threshold).transport));
  const base = {
    format: KEY_FILE_FORMAT as typeof KEY_FILE_FORMAT,
    version: 1 as const,
    note: 'KOV Platform: your trustee key for one verifiable vote. Keep it safe and private; it is needed to decrypt the result. Nobody else holds a copy.',
    ...meta,
    transportKey,
  };
  if (!passphrase) return { ...base, seed: bytesToHex(seed) };
  const salt = rng(16);
  const okm = await scryptAsync(utf8ToBytes(passphrase.normalize('NFKC')), salt, { ...params, dkLen: 64 });
  const ct = xor32(seed, okm.slice(0, 32));
  const tag = hmac(sha256, okm.slice(32), authData(meta, transportKey, salt, ct));
  return {
    ...base,
    protected: { kdf: 'scrypt', ...params, salt: bytesToHex(salt), ciphertext: bytesToHex(ct), tag: bytesToHex(tag) },
  };
}

/** Reads a key file (parsed JSON) and returns its seed; checks it belongs to `expect` when given. */
export async function openKeyFile(
  file: unknown,
  passphrase: string | undefined,
  expect?: Partial<KeyFileMeta>,
): Promise<{ meta: KeyFileMeta; seed: Uint8Array }> {
  const f = (file ?? {}) as TrusteeKeyFile;
  if (typeof file !== 'object' || file === null || f.format !== KEY_FILE_FORMAT || f.version !== 1)
    throw new CryptoError('key', 'this is not a KOV trustee key file');
  const meta: KeyFileMeta = {
    voteId: f.voteId,
    municipalityCode: f.municipalityCode,
    trusteeIndex: f.trusteeIndex,
    trustees: f.trustees,
    threshold: f.threshold,
  };
  for (const [k, v] of Object.entries(expect ?? {})) {
    if (v !== undefined && (meta as unknown as Record<string, unknown>)[k] !== v)
      throw new CryptoError('key', `this key file belongs to another ${k === 'trusteeIndex' ? 'trustee' : 'vote'}`);
  }
  let seed: Uint8Array;
  if (typeof f.seed === 'string' && /^[0-9a-f]{64}$/.test(f.seed)) {
    seed = hexToBytes(f.seed);
  } else if (f.protected) {
    if (!passphrase) throw new CryptoError('key', 'this key file is protected by a passphrase');
    const p = f.protected;
    if (p.kdf !== 'scrypt' || ![p.N, p.r, p.p].every((n) => Number.isInteger(n) && n > 0) || p.N > 1 << 20)
      throw new CryptoError('key', 'unsupported key protection');
    const salt = hexToBytes(p.salt);
    const ct = hexToBytes(p.ciphertext);
    const okm = await scryptAsync(utf8ToBytes(passphrase.normalize('NFKC')), salt, {
      N: p.N,
      r: p.r,
      p: p.p,
      dkLen: 64,
    });
    const tag = hmac(sha256, okm.slice(32), authData(meta, f.transportKey, salt, ct));
    if (bytesToHex(tag) !== p.tag) throw new CryptoError('key', 'wrong passphrase (or the file was altered)');
    seed = xor32(ct, okm.slice(0, 32));
  } else {
    throw new CryptoError('key', 'the key file holds no key');
  }
  if (pointToHex(mulSecret(G, deriveSecrets(seed, meta.threshold).transport)) !== f.transportKey)
    throw new CryptoError('key', 'the key file is damaged (its key does not match its transport key)');
  return { meta, seed };
}
