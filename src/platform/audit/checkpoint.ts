import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { canonicalJson, verifyAudit, type VerifyReport } from './audit';

/**
 * Checkpoints anchor the audit chains outside the database. A checkpoint is the head (last
 * sequence number and hash) of every chain at one moment, signed with Ed25519 by a key that lives
 * in a file outside the database, and written as a file outside the database (and published as
 * open data). Whoever can write the database can delete the last entries of a chain and rewind its
 * head so that the chain is consistent again; they cannot make it reach the hash that a checkpoint
 * signed earlier records, nor sign a new checkpoint without the key. `kov audit verify` checks the
 * chains against the latest checkpoint.
 */
export interface CheckpointHead {
  m: string;
  seq: number;
  hash: string;
}

export interface CheckpointBody {
  kind: 'kov-audit-checkpoint';
  version: 1;
  at: string;
  /** SHA-256 of the signing key's raw public key (hex, 16 characters). */
  keyId: string;
  heads: CheckpointHead[];
}

export interface Checkpoint extends CheckpointBody {
  /** Ed25519 signature of canonicalJson(body), base64. */
  signature: string;
}

export interface AuditKeys {
  privateKey: KeyObject | null;
  publicKey: KeyObject;
  keyId: string;
  /** Every public key a checkpoint may be signed with: the current one and retired ones. */
  trusted: TrustedKey[];
}

/**
 * A public key checkpoints may verify with. A retired key (rotated away from) verifies only
 * checkpoints taken up to its retirement, so one stolen with an old key cannot vouch for later heads.
 */
export interface TrustedKey {
  keyId: string;
  key: KeyObject;
  retiredAt: string | null;
}

/**
 * The trusted public keys in a keyring file (KOV_AUDIT_PUBLIC_KEY_FILE): one or more PEM public
 * keys (SPKI), each optionally preceded by a line `# retired 2026-12-07T19:00:00Z`.
 */
export function parseAuditKeyring(text: string, file = 'the audit public key file'): TrustedKey[] {
  const keys: TrustedKey[] = [];
  const re =
    /(?:^#\s*retired\s+(\S+)\s*\n(?:#.*\n|\s*\n)*)?(-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----)/gm;
  for (const m of text.matchAll(re)) {
    const retiredAt = m[1] ? new Date(m[1]) : null;
    if (retiredAt && Number.isNaN(retiredAt.getTime()))
      throw new Error(`${file}: "# retired ${m[1]}" is not a time (e.g. 2026-12-07T19:00:00Z)`);
    const key = createPublicKey(m[2]!);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: every key must be an Ed25519 public key`);
    keys.push({ keyId: keyIdOf(key), key, retiredAt: retiredAt ? retiredAt.toISOString() : null });
  }
  if (keys.length === 0) throw new Error(`${file} holds no PEM public key`);
  return keys;
}

export function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/**
 * The signing key from its PEM file (PKCS#8 Ed25519), generated there (mode 0600) when the file
 * does not exist yet. The public key for verification is the key file's own unless a separate
 * public key file is given (an auditor verifies with the published key, not with the signer's).
 */
export function loadAuditKeys(opts: { signingKeyFile: string; publicKeyFile?: string | null }): AuditKeys {
  let pem: string;
  try {
    pem = readFileSync(opts.signingKeyFile, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
    mkdirSync(path.dirname(opts.signingKeyFile), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    try {
      writeFileSync(opts.signingKeyFile, pem, { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      pem = readFileSync(opts.signingKeyFile, 'utf8');
    }
    chmodSync(opts.signingKeyFile, 0o600);
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`the audit signing key ${opts.signingKeyFile} must be an Ed25519 private key (PEM, PKCS#8)`);
  // With a keyring file, it alone is trusted (an auditor's copy of the published keys, retired
  // ones included); the signing key's own public key is the current one when it is not retired.
  const own = createPublicKey(privateKey);
  const trusted = opts.publicKeyFile
    ? parseAuditKeyring(readFileSync(opts.publicKeyFile, 'utf8'), opts.publicKeyFile)
    : [{ keyId: keyIdOf(own), key: own, retiredAt: null }];
  const current =
    trusted.find((k) => k.keyId === keyIdOf(own) && !k.retiredAt) ?? trusted.find((k) => !k.retiredAt) ?? trusted[0]!;
  return { privateKey, publicKey: current.key, keyId: current.keyId, trusted };
}

export function signCheckpoint(keys: AuditKeys, heads: CheckpointHead[], at: Date): Checkpoint {
  if (!keys.privateKey) throw new Error('no audit signing key');
  const body: CheckpointBody = {
    kind: 'kov-audit-checkpoint',
    version: 1,
    at: at.toISOString(),
    keyId: keyIdOf(createPublicKey(keys.privateKey)),
    heads: [...heads].sort((a, b) => (a.m < b.m ? -1 : a.m > b.m ? 1 : 0)),
  };
  const signature = sign(null, Buffer.from(canonicalJson(body)), keys.privateKey).toString('base64');
  return { ...body, signature };
}

/**
 * Checks a checkpoint's form and signature against the trusted public keys (a key, or a keyring
 * with retired keys: docs/operations.md, "Rotate the audit signing key"); throws with the reason.
 */
export function verifyCheckpoint(trustedKeys: KeyObject | TrustedKey[], cp: unknown): Checkpoint {
  const c = cp as Partial<Checkpoint>;
  if (!c || c.kind !== 'kov-audit-checkpoint' || c.version !== 1 || !Array.isArray(c.heads) || !c.signature)
    throw new Error('not an audit checkpoint');
  const ring = Array.isArray(trustedKeys)
    ? trustedKeys
    : [{ keyId: keyIdOf(trustedKeys), key: trustedKeys, retiredAt: null }];
  // A single trusted key is tried whatever the checkpoint names (a wrong id then fails the signature).
  const entry = ring.length === 1 ? ring[0]! : ring.find((k) => k.keyId === c.keyId);
  if (!entry)
    throw new Error(
      `the checkpoint is signed by key ${String(c.keyId)}, which is not among the trusted audit keys (${ring.map((k) => k.keyId).join(', ')})`,
    );
  if (entry.retiredAt && !(Date.parse(String(c.at)) <= Date.parse(entry.retiredAt)))
    throw new Error(
      `the checkpoint of ${String(c.at)} is signed by key ${entry.keyId}, retired at ${entry.retiredAt}: a retired key vouches only for checkpoints taken before`,
    );
  const publicKey = entry.key;
  const body: CheckpointBody = {
    kind: c.kind,
    version: c.version,
    at: String(c.at),
    keyId: String(c.keyId),
    heads: c.heads,
  };
  const ok = verify(null, Buffer.from(canonicalJson(body)), publicKey, Buffer.from(String(c.signature), 'base64'));
  if (!ok) throw new Error('the checkpoint signature does not verify with the audit public key (forged or altered)');
  return c as Checkpoint;
}

const LATEST = 'latest.json';

/** Writes the checkpoint as a new file and as `latest.json` (atomically) in `dir`; answers the file. */
export function writeCheckpoint(dir: string, cp: Checkpoint): string {
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(cp, null, 2) + '\n';
  const file = path.join(dir, `checkpoint-${cp.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, text);
  const tmp = path.join(dir, `.${LATEST}.${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, path.join(dir, LATEST));
  return file;
}

/** The latest checkpoint file in `dir` (not yet verified), or null when there is none. */
export function readLatestCheckpoint(dir: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dir, LATEST), 'utf8'));
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}

export function listCheckpoints(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /^checkpoint-.*\.json$/.test(f))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Compares the chains (already verified link by link) with a verified checkpoint: every chain it
 * records must still reach at least its sequence number, with the same hash there. Answers the
 * first discrepancy, or null.
 */
export async function checkAgainstCheckpoint(
  client: pg.Client,
  cp: Checkpoint,
  municipalityCode?: string,
): Promise<{ municipalityCode: string; seq: number; reason: string } | null> {
  for (const h of cp.heads) {
    if (municipalityCode && h.m !== municipalityCode) continue;
    const head = await client.query<{ last_seq: string }>(
      'SELECT last_seq FROM audit_chain WHERE municipality_code = $1',
      [h.m],
    );
    const lastSeq = head.rows[0] ? Number(head.rows[0].last_seq) : 0;
    if (lastSeq < h.seq)
      return {
        municipalityCode: h.m,
        seq: lastSeq + 1,
        reason: `the checkpoint of ${cp.at} records ${h.seq} entries but the chain now ends at ${lastSeq} (entries were removed and the head rewound)`,
      };
    if (h.seq === 0) continue;
    const { rows } = await client.query<{ hash: Buffer }>(
      'SELECT hash FROM audit_log WHERE municipality_code = $1 AND seq = $2',
      [h.m, h.seq],
    );
    if (!rows[0] || rows[0].hash.toString('hex') !== h.hash)
      return {
        municipalityCode: h.m,
        seq: h.seq,
        reason: `entry ${h.seq} does not have the hash the checkpoint of ${cp.at} records (the chain was rewritten)`,
      };
  }
  return null;
}

/**
 * `kov audit verify`: every chain link by link (verifyAudit), then, given a checkpoint whose
 * signature was verified, that every chain still reaches the head the checkpoint signed.
 */
export async function verifyAuditAgainst(
  ownerUrl: string,
  checkpoint: Checkpoint | null,
  opts: { municipalityCode?: string; onProgress?: (n: number) => void } = {},
): Promise<VerifyReport> {
  const report = await verifyAudit(ownerUrl, opts);
  if (report.broken || !checkpoint) return report;
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return { ...report, broken: await checkAgainstCheckpoint(client, checkpoint, opts.municipalityCode) };
  } finally {
    await client.end();
  }
}
