import type pg from 'pg';
import type { AppContext } from '../../platform/context';

/**
 * The cast path's group commit: ballots of one vote that arrive together are written by ONE
 * statement (`pv_cast_batch`, migrations 0152–0154: a fixed handful of set-based statements
 * per batch) — one round trip, one transaction, one commit for many voters — through a prepared
 * statement on the application role's pool. A cast's promise
 * resolves only after that statement (and so its transaction) has committed, so a receipt is
 * never handed out for a ballot that a crash could lose; a batch that fails rejects all its casts
 * (nothing of it was written).
 *
 * Batching adds no waiting when it is quiet: a cast starts a batch at once if fewer than
 * `MAX_CONCURRENT` batches are running; under load the casts that queue while a batch runs form
 * the next one. Each batch holds one vote (tenant, box, electorate) at a time.
 */
export interface QueuedCast {
  municipalityCode: string;
  boxId: string;
  /** A frozen voter list to check membership against in SQL; null = eligibility already checked. */
  electorateId: string | null;
  personId: string;
  /** The voter's settlement unit (when eligibility was checked by the caller). */
  settlementCode: string | null;
  slot: Buffer;
  receipt: string;
  format: string;
  content: unknown;
  selections: number[] | null;
  weights: number[] | null;
}

export interface CastOutcome {
  outcome: 'cast' | 'not-open' | 'no-box' | 'voted-on-paper' | 'not-eligible';
  replaced: boolean;
  settlementCode: string | null;
}

const MAX_BATCH = 200;
// One batch in flight per app process: while it commits, the next one fills. Measured on the 2-core
// machine (bench/scenarios/participation.ts), one writer with larger batches (fewer commits) gave
// ~2,500–2,700 casts/s against ~2,100 with two and ~1,800 with four; every app node has its own.
const MAX_CONCURRENT = 1;
const STATEMENT =
  'SELECT o_i, o_outcome, o_replaced, o_settlement FROM pv_cast_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)';

interface Pending {
  cast: QueuedCast;
  key: string;
  resolve(o: CastOutcome): void;
  reject(err: unknown): void;
}

class CastQueue {
  private queue: Pending[] = [];
  private running = 0;
  constructor(private readonly pool: pg.Pool) {}

  submit(cast: QueuedCast): Promise<CastOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        cast,
        key: `${cast.municipalityCode}|${cast.boxId}|${cast.electorateId ?? ''}`,
        resolve,
        reject,
      });
      if (this.running < MAX_CONCURRENT) {
        this.running += 1;
        // Let the casts that arrive in the same turn of the event loop join this batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain() {
    try {
      while (this.queue.length > 0) {
        const key = this.queue[0]!.key;
        const batch: Pending[] = [];
        const rest: Pending[] = [];
        for (const p of this.queue) (p.key === key && batch.length < MAX_BATCH ? batch : rest).push(p);
        this.queue = rest;
        await this.write(batch);
      }
    } finally {
      this.running -= 1;
    }
  }

  private async write(batch: Pending[]) {
    const c0 = batch[0]!.cast;
    const arr = (xs: number[] | null) => (xs ? `{${xs.join(',')}}` : null);
    const values = [
      c0.municipalityCode,
      c0.boxId,
      c0.electorateId,
      batch.map((p) => p.cast.personId),
      batch.map((p) => p.cast.settlementCode),
      batch.map((p) => p.cast.slot),
      batch.map((p) => p.cast.receipt),
      batch.map((p) => p.cast.format),
      batch.map((p) => JSON.stringify(p.cast.content ?? null)),
      batch.map((p) => arr(p.cast.selections)),
      batch.map((p) => arr(p.cast.weights)),
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.pool.query<{
          o_i: number;
          o_outcome: CastOutcome['outcome'];
          o_replaced: boolean;
          o_settlement: string | null;
        }>({ name: 'pv_cast_batch', text: STATEMENT, values });
        const byIndex = new Map(res.rows.map((r) => [r.o_i, r]));
        batch.forEach((p, i) => {
          const r = byIndex.get(i + 1);
          if (!r) p.reject(new Error('pv_cast_batch gave no answer for a cast'));
          else p.resolve({ outcome: r.o_outcome, replaced: r.o_replaced, settlementCode: r.o_settlement });
        });
        return;
      } catch (err) {
        // A deadlock cannot arise (voters are locked in one order), but a serialization failure of
        // the server is retried once; anything else fails the whole batch: nothing of it was written.
        const code = (err as { code?: string }).code;
        if (attempt === 0 && (code === '40P01' || code === '40001')) continue;
        for (const p of batch) p.reject(err);
        return;
      }
    }
  }
}

const queues = new WeakMap<AppContext, CastQueue>();

/** The cast queue of this platform instance (one per application context). */
export function castQueue(ctx: AppContext): CastQueue {
  let q = queues.get(ctx);
  if (!q) queues.set(ctx, (q = new CastQueue(ctx.database.pool)));
  return q;
}
