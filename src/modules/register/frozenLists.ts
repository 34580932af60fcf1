import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';

/**
 * Frozen voter lists in memory. A frozen list never changes (the application role cannot update
 * `electorate_voter`, and a frozen electorate cannot be deleted), so every app node may keep a
 * copy: membership is then a binary search over person ids packed as two 64-bit halves
 * (16 bytes a voter; Tallinn's 450,000 voters take about 8 MB), with no database round trip.
 */
export interface VoterEntry {
  settlementCode: string | null;
  basis: 'residence' | 'include-list';
}

export class FrozenList {
  constructor(
    private readonly ids: Uint32Array,
    private readonly settlementIndex: Uint16Array,
    private readonly settlements: (string | null)[],
    private readonly includeList: Uint8Array,
  ) {}

  get size() {
    return this.settlementIndex.length;
  }

  find(personId: string): VoterEntry | undefined {
    if (personId.length !== 36) return undefined;
    const hex = personId.replace(/-/g, '');
    const w0 = parseInt(hex.slice(0, 8), 16);
    const w1 = parseInt(hex.slice(8, 16), 16);
    const w2 = parseInt(hex.slice(16, 24), 16);
    const w3 = parseInt(hex.slice(24, 32), 16);
    if (Number.isNaN(w0 + w1 + w2 + w3)) return undefined;
    const ids = this.ids;
    let a = 0;
    let b = this.settlementIndex.length - 1;
    while (a <= b) {
      const m = (a + b) >>> 1;
      const o = 4 * m;
      const c = ids[o]! - w0 || ids[o + 1]! - w1 || ids[o + 2]! - w2 || ids[o + 3]! - w3;
      if (c === 0)
        return {
          settlementCode: this.settlements[this.settlementIndex[m]!]!,
          basis: this.includeList[m] ? 'include-list' : 'residence',
        };
      if (c < 0) a = m + 1;
      else b = m - 1;
    }
    return undefined;
  }
}

const MAX_LISTS = 16;
const lists = new WeakMap<AppContext, Map<string, Promise<FrozenList | null>>>();

/**
 * The frozen list of an electorate, loaded once through the caller's transaction (which must see
 * the municipality's rows). Null when the transaction does not see the whole list (its size differs
 * from the stored one): the caller then asks the database directly.
 */
export function frozenList(
  ctx: AppContext,
  trx: Trx,
  municipalityCode: string,
  electorateId: string,
  size: number,
): Promise<FrozenList | null> {
  let cache = lists.get(ctx);
  if (!cache) lists.set(ctx, (cache = new Map()));
  const key = `${municipalityCode}:${electorateId}`;
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const loading = load(trx, municipalityCode, electorateId, size).then(
    (l) => {
      if (!l) cache.delete(key);
      return l;
    },
    (err) => {
      cache.delete(key);
      throw err;
    },
  );
  if (cache.size >= MAX_LISTS) cache.delete(cache.keys().next().value!);
  cache.set(key, loading);
  return loading;
}

async function load(
  trx: Trx,
  municipalityCode: string,
  electorateId: string,
  size: number,
): Promise<FrozenList | null> {
  // uuid order in PostgreSQL is byte order, the same as comparing the four unsigned words.
  const r = await sql<{ id: string; s: string | null; b: string }>`
    SELECT person_id::text AS id, settlement_code AS s, basis AS b FROM electorate_voter
    WHERE municipality_code = ${municipalityCode} AND electorate_id = ${electorateId} ORDER BY person_id`.execute(trx);
  if (r.rows.length !== size) return null;
  const ids = new Uint32Array(4 * size);
  const settlementIndex = new Uint16Array(size);
  const includeList = new Uint8Array(size);
  const settlements: (string | null)[] = [];
  const index = new Map<string | null, number>();
  r.rows.forEach((row, i) => {
    const hex = row.id.replace(/-/g, '');
    for (let k = 0; k < 4; k++) ids[4 * i + k] = parseInt(hex.slice(8 * k, 8 * k + 8), 16);
    let si = index.get(row.s);
    if (si === undefined) {
      si = settlements.length;
      settlements.push(row.s);
      index.set(row.s, si);
    }
    settlementIndex[i] = si;
    includeList[i] = row.b === 'include-list' ? 1 : 0;
  });
  return new FrozenList(ids, settlementIndex, settlements, includeList);
}
