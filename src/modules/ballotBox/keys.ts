import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseKeyList, type Config } from '../../config';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import { masterKeyId, newDataKey, unwrapKey, wrapKey } from './seal';
import { boxKeyRow, storeWrappedKey, type BoxRef } from './store';

/**
 * The master keys (outside the database) and the boxes' data keys (in the database, only wrapped).
 *
 * The keyring is KOV_BALLOT_MASTER_KEYS or the key file KOV_BALLOT_KEY_FILE, newest first: the
 * newest wraps new data keys, older ones only open data keys they wrapped until `kov ballots
 * rekey` has re-wrapped those under the newest. Outside production, without either setting, a key
 * file is generated in the data folder (KOV_DATA_DIR/secrets/ballot-master-keys, mode 0600).
 */
export interface Keyring {
  current: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
  /** Where the keys came from, for messages (never the keys). */
  source: string;
}

const keyrings = new WeakMap<Config['ballotKeys'], Keyring>();

export function keyringOf(config: Config): Keyring {
  const hit = keyrings.get(config.ballotKeys);
  if (hit) return hit;
  let hex = config.ballotKeys.keys;
  const file = config.ballotKeys.file;
  let source = file ? `the key file ${file}` : 'KOV_BALLOT_MASTER_KEYS';
  if (!hex) {
    if (!file || config.mode === 'production') throw new Error('no ballot master key is configured');
    hex = generateKeyFile(file);
    source = `the key file ${file} (generated)`;
  }
  const keys = hex.map((h) => Buffer.from(h, 'hex'));
  const ring: Keyring = {
    current: { id: masterKeyId(keys[0]!), key: keys[0]! },
    byId: new Map(keys.map((k) => [masterKeyId(k), k])),
    source,
  };
  keyrings.set(config.ballotKeys, ring);
  return ring;
}

/** Writes a new key file (demo and test), or reads the one another process wrote a moment ago. */
function generateKeyFile(file: string): string[] {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = `# KOV ballot master keys, newest first (docs/configuration.md). Never store them in the database.\n${randomBytes(32).toString('hex')}\n`;
  try {
    writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
  chmodSync(file, 0o600);
  return parseKeyList(readFileSync(file, 'utf8')).keys;
}

// ---------------------------------------------------------------------------------------------
// Data keys: one per box, made when the box first needs one, kept in memory while in use.

interface CachedKey {
  key: Buffer;
  maxSelections: number;
  until: number;
}
const boxKeys = new WeakMap<AppContext, Map<string, CachedKey>>();
// A data key stays in memory for a few minutes after its last use: a destroyed key (retention) is
// then gone from every app process too, not only from the database.
const KEY_TTL_MS = 5 * 60_000;

function cacheOf(ctx: AppContext) {
  let m = boxKeys.get(ctx);
  if (!m) boxKeys.set(ctx, (m = new Map()));
  return m;
}

export function forgetBoxKey(ctx: AppContext, ref: BoxRef): void {
  cacheOf(ctx).delete(`${ref.municipalityCode}:${ref.boxId}`);
}

export class KeysDestroyed extends Error {
  constructor(public readonly destroyedAt: Date) {
    super(`the data key was destroyed on ${destroyedAt.toISOString()}`);
  }
}

/**
 * The box's data key (and its padding size), made and wrapped by the newest master key if the box
 * has none yet. Throws KeysDestroyed after crypto-shredding.
 */
export async function boxKey(ctx: AppContext, trx: Trx, ref: BoxRef): Promise<{ key: Buffer; maxSelections: number }> {
  return cachedBoxKey(ctx, ref) ?? loadBoxKey(ctx, trx, ref);
}

/** The box's data key if this process holds it (no database access), else undefined. */
export function cachedBoxKey(ctx: AppContext, ref: BoxRef): { key: Buffer; maxSelections: number } | undefined {
  const hit = cacheOf(ctx).get(`${ref.municipalityCode}:${ref.boxId}`);
  const now = performance.now();
  if (!hit || hit.until <= now) return undefined;
  hit.until = now + KEY_TTL_MS;
  return hit;
}

const loading = new WeakMap<AppContext, Map<string, Promise<{ key: Buffer; maxSelections: number }>>>();

/**
 * The box's data key for a cast outside any transaction: from memory, or loaded once by its own
 * transaction however many casts of a cold box ask at the same moment.
 */
export function boxKeyOutside(ctx: AppContext, ref: BoxRef): Promise<{ key: Buffer; maxSelections: number }> {
  const hit = cachedBoxKey(ctx, ref);
  if (hit) return Promise.resolve(hit);
  let m = loading.get(ctx);
  if (!m) loading.set(ctx, (m = new Map()));
  const k = `${ref.municipalityCode}:${ref.boxId}`;
  let p = m.get(k);
  if (!p) {
    p = inScope(ctx.db, { tenant: ref.municipalityCode }, (trx) => loadBoxKey(ctx, trx, ref)).finally(() =>
      m.delete(k),
    );
    m.set(k, p);
  }
  return p;
}

async function loadBoxKey(ctx: AppContext, trx: Trx, ref: BoxRef): Promise<{ key: Buffer; maxSelections: number }> {
  const cache = cacheOf(ctx);
  const k = `${ref.municipalityCode}:${ref.boxId}`;
  const now = performance.now();
  const ring = keyringOf(ctx.config);
  let row = await boxKeyRow(trx, ref);
  if (!row) throw new Error(`no ballot box ${ref.boxId}`);
  if (row.keys_destroyed_at) throw new KeysDestroyed(row.keys_destroyed_at);
  if (!row.wrapped_key) {
    const dataKey = newDataKey();
    await storeWrappedKey(trx, ref, ring.current.id, wrapKey(ring.current.key, ref, dataKey));
    row = (await boxKeyRow(trx, ref))!;
  }
  const master = ring.byId.get(row.key_id!);
  if (!master)
    throw new Error(
      `The data key of ballot box ${ref.boxId} is wrapped by master key ${row.key_id}, which is not in ${ring.source}`,
    );
  const entry = {
    key: unwrapKey(master, ref, row.wrapped_key!),
    maxSelections: row.max_selections,
    until: now + KEY_TTL_MS,
  };
  if (cache.size > 2000) cache.clear();
  cache.set(k, entry);
  return entry;
}
