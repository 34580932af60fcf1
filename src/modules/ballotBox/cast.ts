import type pg from 'pg';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';
import { Problem } from '../../platform/http/problems';
import { countBox, lockCount, storeCounts, Tally } from './count';
import { boxKey, boxKeyOutside } from './keys';
import { BB } from './problems';
import { newReceipt, newReceipts, voterSlot } from './receipts';
import { sealBallot, sealBallots, type SealedContent } from './seal';
import { ballotCount, boxRow, lockBoxExclusive, type BoxRef } from './store';

/**
 * What goes into a box. Ballots the box counts carry `selections` (choice numbers) and, for
 * cumulative votes, `weights`: they are sealed, and only their choices are kept (the box counts
 * them after close). Any other `content` is sealed as given (the owner opens it with
 * `countedBallots`), unless the owner declares it `opaque`: already end-to-end encrypted or
 * public (a verifiable ballot's tracker), stored as given.
 */
export interface BallotPayload {
  format: string;
  content?: unknown;
  selections?: number[] | null;
  weights?: number[] | null;
  opaque?: boolean;
}

interface Stored {
  format: string;
  content: unknown;
  sealed: Buffer | null;
}

async function seal(ctx: AppContext, trx: Trx | null, ref: BoxRef, receipt: string, b: BallotPayload): Promise<Stored> {
  if (b.opaque && !b.selections) return { format: b.format, content: b.content ?? null, sealed: null };
  const { key, maxSelections } = trx ? await boxKey(ctx, trx, ref) : await boxKeyOutside(ctx, ref);
  const sealed = sealBallot(
    key,
    { ...ref, receipt },
    b.selections ? { selections: b.selections, weights: b.weights ?? null } : { content: b.content ?? null },
    maxSelections,
  );
  return { format: b.format, content: null, sealed };
}

// ---------------------------------------------------------------------------------------------
// The cast statement, and the group commit that batches it

export interface CastRequest extends BoxRef {
  personId: string;
  /** A frozen voter list to check membership against in the statement; null = eligibility checked by the caller. */
  electorateId?: string | null;
  /** The voter's settlement unit (when eligibility was checked by the caller). */
  settlementCode: string | null;
  ballot: BallotPayload;
}

export interface CastOutcome {
  outcome: 'cast' | 'not-open' | 'no-box' | 'voted-on-paper' | 'not-eligible';
  receipt: string;
  replaced: boolean;
  settlementCode: string | null;
}

interface Prepared {
  req: CastRequest;
  slot: Buffer;
  receipt: string;
  stored: Stored;
}

const STATEMENT =
  'SELECT o_i, o_outcome, o_replaced, o_settlement FROM bb_cast_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)';

function values(batch: Prepared[]) {
  const c0 = batch[0]!.req;
  return [
    c0.municipalityCode,
    c0.boxId,
    c0.electorateId ?? null,
    batch.map((p) => p.req.personId),
    batch.map((p) => p.req.settlementCode),
    batch.map((p) => p.slot),
    batch.map((p) => p.receipt),
    batch.map((p) => p.stored.format),
    batch.map((p) => (p.stored.content === null ? null : JSON.stringify(p.stored.content))),
    batch.map((p) => p.stored.sealed),
  ];
}

type Row = { o_i: number; o_outcome: CastOutcome['outcome']; o_replaced: boolean; o_settlement: string | null };

function outcomes(batch: Prepared[], rows: Row[]): (CastOutcome | Error)[] {
  const byIndex = new Map(rows.map((r) => [r.o_i, r]));
  return batch.map((p, i) => {
    const r = byIndex.get(i + 1);
    if (!r) return new Error('bb_cast_batch gave no answer for a cast');
    return { outcome: r.o_outcome, receipt: p.receipt, replaced: r.o_replaced, settlementCode: r.o_settlement };
  });
}

const MAX_BATCH = 200;
// One batch in flight per app process: while it commits, the next one fills. Measured on the 2-core
// machine (bench/scenarios/participation.ts), one writer with larger batches (fewer commits) gave
// ~2,500–2,700 casts/s against ~2,100 with two and ~1,800 with four; every app node has its own.
const MAX_CONCURRENT = 1;

interface Pending {
  prepared: Prepared;
  key: string;
  resolve(o: CastOutcome): void;
  reject(err: unknown): void;
}

/**
 * The cast path's group commit: casts of one box that arrive together are written by ONE
 * statement (`bb_cast_batch`: a fixed handful of set-based statements per batch) — one round
 * trip, one transaction, one commit for many voters — through a prepared statement on the
 * application role's pool. A cast's promise resolves only after that statement (and so its
 * transaction) has committed, so a receipt is never handed out for a ballot that a crash could
 * lose; a batch that fails rejects all its casts (nothing of it was written).
 *
 * Batching adds no waiting when it is quiet: a cast starts a batch at once if fewer than
 * `MAX_CONCURRENT` batches are running; under load the casts that queue while a batch runs form
 * the next one. Each batch holds one box (and voter list) at a time.
 */
class CastQueue {
  private queue: Pending[] = [];
  private running = 0;
  constructor(private readonly pool: pg.Pool) {}

  submit(prepared: Prepared): Promise<CastOutcome> {
    return new Promise((resolve, reject) => {
      const c = prepared.req;
      this.queue.push({ prepared, key: `${c.municipalityCode}|${c.boxId}|${c.electorateId ?? ''}`, resolve, reject });
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
    const prepared = batch.map((p) => p.prepared);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.pool.query<Row>({ name: 'bb_cast_batch', text: STATEMENT, values: values(prepared) });
        outcomes(prepared, res.rows).forEach((o, i) =>
          o instanceof Error ? batch[i]!.reject(o) : batch[i]!.resolve(o),
        );
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

function castQueue(ctx: AppContext): CastQueue {
  let q = queues.get(ctx);
  if (!q) queues.set(ctx, (q = new CastQueue(ctx.database.pool)));
  return q;
}

async function prepare(ctx: AppContext, trx: Trx | null, req: CastRequest): Promise<Prepared> {
  const receipt = newReceipt();
  // Outside a transaction the key comes from memory (one transaction loads it for a cold box).
  const stored = await seal(ctx, trx, req, receipt, req.ballot);
  return { req, receipt, stored, slot: voterSlot(ctx.config.secrets.pseudonymKey, req.boxId, req.personId) };
}

/**
 * Casts (or replaces) the voter's ballot and answers what became of it. Without `trx` the cast
 * joins the group commit (its own transaction, committed before this resolves); with `trx` it is
 * written inside the caller's transaction (a batch of one).
 */
export async function submitCast(ctx: AppContext, trx: Trx | null, req: CastRequest): Promise<CastOutcome> {
  const p = await prepare(ctx, trx, req);
  if (!trx) return castQueue(ctx).submit(p);
  const res = await sql<Row>`SELECT o_i, o_outcome, o_replaced, o_settlement
                               FROM bb_cast_batch(${req.municipalityCode}, ${req.boxId}::uuid, ${req.electorateId ?? null}::uuid,
                                                  ${[req.personId]}::uuid[], ${[req.settlementCode]}::text[], ${[p.slot]}::bytea[],
                                                  ${[p.receipt]}::text[], ${[p.stored.format]}::text[],
                                                  ${[p.stored.content === null ? null : JSON.stringify(p.stored.content)]}::jsonb[],
                                                  ${[p.stored.sealed]}::bytea[])`.execute(trx);
  const o = outcomes([p], res.rows)[0]!;
  if (o instanceof Error) throw o;
  return o;
}

/**
 * Casts (or replaces) the voter's ballot; answers the receipt and whether an earlier ballot of
 * the voter was replaced. Refuses with 409 when the box is not open or the voter voted on paper.
 */
export async function castBallot(
  ctx: AppContext,
  trx: Trx | null,
  req: CastRequest,
): Promise<{ receipt: string; replaced: boolean; settlementCode: string | null }> {
  const o = await submitCast(ctx, trx, req);
  if (o.outcome === 'cast') return { receipt: o.receipt, replaced: o.replaced, settlementCode: o.settlementCode };
  if (o.outcome === 'voted-on-paper')
    throw new Problem(
      BB.votedOnPaper,
      'A paper vote has been recorded for you at a service point; it replaces internet voting, so no ballot can be cast',
    );
  if (o.outcome === 'not-eligible') throw new Problem(BB.notOpen, 'The voter is not on the voter list of this vote');
  throw new Problem(BB.notOpen, 'Voting is not open: ballots are accepted only between the opening and closing time');
}

/**
 * Records that a person voted on paper at a service point (IVXV rule): their internet ballot, if
 * any, is cancelled and no further internet ballot is accepted. Refuses a second paper vote.
 * The paper ballot itself goes into the box anonymously (`addAnonymousBallots`).
 */
export async function recordPaperVoter(
  ctx: AppContext,
  trx: Trx,
  p: BoxRef & { personId: string; settlementCode: string | null; recordedBy: string },
): Promise<{ cancelledInternetBallot: boolean }> {
  const { rows } = await sql<{ channel: string }>`
    INSERT INTO bb_voter AS v (municipality_code, box_id, person_id, settlement_code, channel, paper_recorded_at, paper_recorded_by)
    VALUES (${p.municipalityCode}, ${p.boxId}, ${p.personId}, ${p.settlementCode}, 'paper', now(), ${p.recordedBy})
    ON CONFLICT (municipality_code, box_id, person_id) DO UPDATE
      SET channel = 'paper', paper_recorded_at = now(), paper_recorded_by = EXCLUDED.paper_recorded_by
      WHERE v.channel = 'internet'
    RETURNING v.channel`.execute(trx);
  if (rows.length === 0) throw new Problem(BB.paperTwice, 'A paper vote of this person has already been recorded');
  const slot = voterSlot(ctx.config.secrets.pseudonymKey, p.boxId, p.personId);
  const cancelled = await sql<{ receipt: string }>`
    UPDATE bb_ballot SET status = 'cancelled'
     WHERE municipality_code = ${p.municipalityCode} AND box_id = ${p.boxId} AND slot = ${slot} AND status = 'counted'
    RETURNING receipt`.execute(trx);
  for (const r of cancelled.rows) {
    await trx
      .insertInto('bb_receipt_history')
      .values({ municipality_code: p.municipalityCode, box_id: p.boxId, receipt: r.receipt, status: 'cancelled' })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return { cancelledInternetBallot: cancelled.rows.length > 0 };
}

/**
 * Seals and writes ballots that belong to nobody identifiable (random slots, new receipts): the
 * box's data key is fetched once, receipts and nonces are drawn in bulk, and each chunk of 5,000
 * ballots is one INSERT (measured: larger chunks were slower). Returns the receipts, in the order of the ballots.
 */
async function writeAnonymous(
  ctx: AppContext,
  trx: Trx,
  a: BoxRef & { channel: 'paper' | 'import'; ballots: readonly BallotPayload[] },
): Promise<string[]> {
  const receipts: string[] = new Array(a.ballots.length);
  const CHUNK = 5000;
  let keyed: { key: Buffer; maxSelections: number } | undefined;
  for (let i = 0; i < a.ballots.length; i += CHUNK) {
    const part = a.ballots.slice(i, i + CHUNK);
    const rc = newReceipts(part.length);
    const formats = new Array<string>(part.length);
    const contents = new Array<string | null>(part.length);
    const sealed = new Array<Buffer | null>(part.length).fill(null);
    // The ballots to seal, by index in `part`; opaque ones are stored as given.
    const toSeal: number[] = [];
    const plain: SealedContent[] = [];
    for (let k = 0; k < part.length; k++) {
      const b = part[k]!;
      receipts[i + k] = rc[k]!;
      formats[k] = b.format;
      contents[k] = null;
      if (b.opaque && !b.selections) contents[k] = b.content == null ? null : JSON.stringify(b.content);
      else {
        toSeal.push(k);
        plain.push(
          b.selections ? { selections: b.selections, weights: b.weights ?? null } : { content: b.content ?? null },
        );
        // An imported ballot is a published record (e.g. a Pabulib file): its content beyond the
        // sealed choices (voter columns of the file) is public and kept as given, for a lossless export.
        if (a.channel === 'import' && b.selections && b.content !== undefined)
          contents[k] = b.content === null ? null : JSON.stringify(b.content);
      }
    }
    if (toSeal.length) {
      keyed ??= await boxKey(ctx, trx, a);
      const out = sealBallots(
        keyed.key,
        a,
        toSeal.map((k) => rc[k]!),
        plain,
        keyed.maxSelections,
      );
      toSeal.forEach((k, x) => (sealed[k] = out[x]!));
    }
    await sql`
      INSERT INTO bb_ballot (municipality_code, box_id, slot, receipt, channel, format, content, sealed)
      SELECT ${a.municipalityCode}, ${a.boxId}::uuid, uuid_send(gen_random_uuid()), r, ${a.channel}, f, c::jsonb, s
        FROM unnest(${rc}::text[], ${formats}::text[], ${contents}::text[], ${sealed}::bytea[]) AS t(r, f, c, s)`.execute(
      trx,
    );
  }
  return receipts;
}

/**
 * Adds ballots that belong to nobody identifiable: paper ballots counted at a service point, or
 * ballots imported from a historical record (Pabulib). Each gets a random slot and a receipt, and
 * is sealed like any other. A box that was already counted is counted again.
 */
export async function addAnonymousBallots(
  ctx: AppContext,
  trx: Trx,
  a: BoxRef & { channel: 'paper' | 'import'; ballots: BallotPayload[] },
): Promise<string[]> {
  const receipts = await writeAnonymous(ctx, trx, a);
  const box = await boxRow(trx, a);
  if (box?.counted_at) {
    await sql`UPDATE bb_box SET counted_at = NULL WHERE municipality_code = ${a.municipalityCode} AND id = ${a.boxId}`.execute(
      trx,
    );
    await countBox(ctx, trx, a);
  }
  return receipts;
}

/**
 * Fills a new box with the ballots of a published record (a Pabulib file) and closes it, in the
 * caller's transaction: the ballots are sealed and written as by `addAnonymousBallots`, the box is
 * closed, and it is counted from the very ballots it has just sealed — they are, in this
 * transaction, exactly what the box holds — instead of reading and opening them again. Only a
 * box still "ready" (never opened) and empty can be filled so. Returns the receipts.
 */
export async function importBallots(
  ctx: AppContext,
  trx: Trx,
  a: BoxRef & { ballots: readonly BallotPayload[] },
): Promise<string[]> {
  await lockBoxExclusive(trx, a);
  await lockCount(trx, a);
  const box = await boxRow(trx, a, { forUpdate: true });
  if (!box || box.state !== 'ready' || (await ballotCount(trx, a)) > 0)
    throw new Error(`ballot box ${a.boxId} is not a new, empty box: ballots can be imported only into one`);
  const receipts = await writeAnonymous(ctx, trx, { ...a, channel: 'import' });
  await sql`UPDATE bb_box SET state = 'closed', closed_at = now()
             WHERE municipality_code = ${a.municipalityCode} AND id = ${a.boxId}`.execute(trx);
  const t = new Tally(box.keep_sets);
  for (const b of a.ballots) t.add('import', b.selections, b.weights);
  await storeCounts(trx, a, t, box.keep_sets);
  return receipts;
}
