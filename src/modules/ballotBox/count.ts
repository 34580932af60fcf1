import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';
import { Problem } from '../../platform/http/problems';
import { boxKey, KeysDestroyed } from './keys';
import { sealLegacyBallots } from './legacy';
import { BB } from './problems';
import { shuffle } from './receipts';
import { ballotOpener } from './seal';
import { COUNT_PAGE, startCountWorkers, workerCount, type CountWorkers } from './countWorkers';
import { boxRow, type BoxRef, type Channel } from './store';

/**
 * Counting: the only place where sealed ballots are opened, and only once their box has closed.
 * The ballots are opened in memory; what is written is what results need — ballots and points per
 * choice (bb_tally), ballots per channel, and for boxes that keep them, whole ballots' choices in
 * a random order with no slot, receipt or channel (bb_ballot_set). The box is counted when it
 * closes, and again (in full) if ballots are added to it later (paper ballots entered after close).
 */
export async function requireClosed(trx: Trx, ref: BoxRef) {
  const box = await boxRow(trx, ref);
  if (!box) throw new Problem(BB.notOpen, 'No such ballot box');
  if (box.state !== 'closed')
    throw new Problem(
      BB.stillOpen,
      'The vote has not closed yet: ballots cannot be counted or listed before it closes',
    );
  return box;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function destroyedProblem(at: Date): Problem {
  return new Problem(
    BB.destroyed,
    `The ballots of this vote were destroyed on ${day(at)}, when the retention period after its final results ended; the counts, results, receipts and exports remain`,
    { destroyedAt: at.toISOString() },
  );
}

async function keyOf(ctx: AppContext, trx: Trx, ref: BoxRef) {
  try {
    return await boxKey(ctx, trx, ref);
  } catch (err) {
    if (err instanceof KeysDestroyed) throw destroyedProblem(err.destroyedAt);
    throw err;
  }
}

interface BallotRow {
  receipt: string;
  channel: Channel;
  format: string;
  content: unknown;
  sealed: Buffer | null;
}

let cursors = 0;

/**
 * The counted ballots of a box, in pages, in the order of their slots (keyed pseudonyms: unrelated
 * to casting), read through one cursor of the caller's transaction (one index scan, not one per
 * page). The next page is asked for before the current one is handed over, so the database reads
 * it while this process opens the current one (the two run on different cores).
 */
async function* countedRows<R>(
  trx: Trx,
  ref: BoxRef,
  columns: string,
  opts: { page?: number; ordered?: boolean } = {},
): AsyncGenerator<R[]> {
  const page = opts.page ?? 10_000;
  const name = `bb_counted_${++cursors}`;
  await sql`DECLARE ${sql.id(name)} NO SCROLL CURSOR FOR
              SELECT ${sql.raw(columns)} FROM bb_ballot
               WHERE municipality_code = ${ref.municipalityCode} AND box_id = ${ref.boxId} AND status = 'counted'
               ${opts.ordered === false ? sql`` : sql`ORDER BY slot`}`.execute(trx);
  const fetch = () => {
    const p = sql<R>`FETCH ${sql.lit(page)} FROM ${sql.id(name)}`.execute(trx).then((r) => r.rows);
    p.catch(() => {}); // a page asked for ahead and never awaited (the caller stopped early) must not crash the process
    return p;
  };
  let done = false;
  try {
    let next = fetch();
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      if (rows.length === page) {
        next = fetch();
        // Let the FETCH leave for the server before the caller's synchronous work on this page.
        await new Promise((resolve) => setImmediate(resolve));
      } else done = true;
      yield rows;
      if (done) break;
    }
  } finally {
    // Not over the caller's own error: after a failed statement the transaction refuses CLOSE too.
    await sql`CLOSE ${sql.id(name)}`.execute(trx).catch(() => {});
  }
}

export interface PlainBallot {
  receipt: string;
  channel: Channel;
  format: string;
  content: unknown;
  selections: number[] | null;
  weights: number[] | null;
}

/** Opens the counted ballots of a closed box in memory, page by page. */
async function* openedBallots(ctx: AppContext, trx: Trx, ref: BoxRef, page?: number): AsyncGenerator<PlainBallot[]> {
  const box = await requireClosed(trx, ref);
  if (box.keys_destroyed_at) throw destroyedProblem(box.keys_destroyed_at);
  await sealLegacyBallots(ctx, trx, ref);
  let open: ReturnType<typeof ballotOpener> | undefined;
  for await (const rows of countedRows<BallotRow>(trx, ref, 'receipt, channel, format, content, sealed', { page })) {
    const out: PlainBallot[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.sealed) {
        open ??= ballotOpener((await keyOf(ctx, trx, ref)).key, ref);
        const c = open(r.receipt, r.sealed);
        out[i] = {
          receipt: r.receipt,
          channel: r.channel,
          format: r.format,
          // A counted ballot's plain `content` beside its sealed choices is an imported public record (addAnonymousBallots).
          content: c.selections ? (r.content ?? null) : c.content,
          selections: c.selections ?? null,
          weights: c.weights ?? null,
        };
      } else {
        out[i] = {
          receipt: r.receipt,
          channel: r.channel,
          format: r.format,
          content: r.content,
          selections: null,
          weights: null,
        };
      }
    }
    yield out;
  }
}

export interface CountedBox {
  ballots: number;
  byChannel: Record<Channel, number>;
}

/** What counting keeps of a box's ballots: ballots per channel, per choice, and (kept boxes) whole ballots. */
export class Tally {
  readonly byChannel: Record<Channel, number> = { internet: 0, paper: 0, import: 0 };
  readonly choices = new Map<number, { ballots: number; points: number }>();
  readonly sets: { selections: number[]; weights: number[] | null }[] = [];
  constructor(private readonly keepSets: boolean) {}

  add(channel: Channel, selections: number[] | null | undefined, weights: number[] | null | undefined): void {
    this.byChannel[channel] += 1;
    if (!selections) return;
    for (let i = 0; i < selections.length; i++) {
      const k = selections[i]!;
      let c = this.choices.get(k);
      if (!c) this.choices.set(k, (c = { ballots: 0, points: 0 }));
      c.ballots += 1;
      c.points += weights ? weights[i]! : 1;
    }
    if (this.keepSets) this.sets.push({ selections, weights: weights ?? null });
  }

  /** Adds the counts of a page counted elsewhere (a worker thread). */
  merge(byChannel: Record<Channel, number>, choices: number[], sets: Tally['sets'] | null): void {
    for (const k of Object.keys(byChannel) as Channel[]) this.byChannel[k] += byChannel[k];
    for (let i = 0; i < choices.length; i += 3) {
      const k = choices[i]!;
      let c = this.choices.get(k);
      if (!c) this.choices.set(k, (c = { ballots: 0, points: 0 }));
      c.ballots += choices[i + 1]!;
      c.points += choices[i + 2]!;
    }
    if (this.keepSets && sets) for (const x of sets) this.sets.push(x);
  }
}

/** Takes the count lock of a box: concurrent counts (and a count and an import's close) wait for each other. */
export async function lockCount(trx: Trx, ref: BoxRef): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(1651, hashtext(${ref.boxId}::text))`.execute(trx);
}

/**
 * Writes a box's counts (replacing earlier ones): ballots and points per choice, whole ballots in
 * a random order where the box keeps them, and the ballots per channel with the time of counting.
 */
export async function storeCounts(trx: Trx, ref: BoxRef, t: Tally, keepSets: boolean): Promise<CountedBox> {
  const m = ref.municipalityCode;
  await trx.deleteFrom('bb_tally').where('municipality_code', '=', m).where('box_id', '=', ref.boxId).execute();
  if (t.choices.size) {
    const rows = [...t.choices].sort((a, b) => a[0] - b[0]);
    await sql`INSERT INTO bb_tally (municipality_code, box_id, choice, ballots, points)
              SELECT ${m}, ${ref.boxId}::uuid, c, b, p
                FROM unnest(${rows.map((r) => r[0])}::integer[], ${rows.map((r) => r[1].ballots)}::integer[],
                            ${rows.map((r) => r[1].points)}::bigint[]) AS t(c, b, p)`.execute(trx);
  }
  if (keepSets) {
    await trx.deleteFrom('bb_ballot_set').where('municipality_code', '=', m).where('box_id', '=', ref.boxId).execute();
    const sets = shuffle(t.sets);
    const arr = (xs: number[] | null) => (xs ? `{${xs.join(',')}}` : null);
    const CHUNK = 5000;
    for (let i = 0; i < sets.length; i += CHUNK) {
      const part = sets.slice(i, i + CHUNK);
      await sql`INSERT INTO bb_ballot_set (municipality_code, box_id, n, selections, weights)
                SELECT ${m}, ${ref.boxId}::uuid, ${i} + t.k, t.s::integer[], t.w::integer[]
                  FROM unnest(${part.map((s) => arr(s.selections))}::text[], ${part.map((s) => arr(s.weights))}::text[])
                       WITH ORDINALITY AS t(s, w, k)`.execute(trx);
    }
  }
  const c = t.byChannel;
  await sql`UPDATE bb_box SET counted_at = now(), counted_internet = ${c.internet}, counted_paper = ${c.paper},
                              counted_import = ${c.import}
             WHERE municipality_code = ${m} AND id = ${ref.boxId}`.execute(trx);
  return counted(c.internet, c.paper, c.import);
}

/**
 * Counts a closed box if it has not been counted since its last ballot: opens every counted
 * ballot in memory, writes the counts (and whole ballots in random order, if the box keeps them).
 * Concurrent counts of one box wait for each other; the later one finds it counted.
 */
export async function countBox(ctx: AppContext, trx: Trx, ref: BoxRef): Promise<CountedBox> {
  await lockCount(trx, ref);
  const box = await requireClosed(trx, ref);
  if (box.counted_at) return counted(box.counted_internet ?? 0, box.counted_paper ?? 0, box.counted_import ?? 0);
  if (box.keys_destroyed_at) throw destroyedProblem(box.keys_destroyed_at);
  await sealLegacyBallots(ctx, trx, ref);
  const t = new Tally(box.keep_sets);
  // The hot loop of a count (a million ballots in a few seconds): only the columns a count needs,
  // in the order the database finds them, opened a page at a time (seal.ts `pageOpener`). A box
  // of one page is opened and counted here; from a second page on, on machines of more than two
  // cores, the pages go to worker threads (countWorkers.ts) that open and count them on the other
  // cores while this thread reads the next pages from the database.
  let key: Buffer | undefined;
  let here: CountWorkers | undefined;
  let workers: CountWorkers | undefined;
  type Row = { receipt: string; channel: Channel; sealed: string | null };
  try {
    for await (const rows of countedRows<Row>(trx, ref, "receipt, channel, encode(sealed, 'hex') AS sealed", {
      page: COUNT_PAGE,
      ordered: false,
    })) {
      if (workers) {
        await workers.count(rows);
        continue;
      }
      if (!key && rows.some((r) => r.sealed)) key = (await keyOf(ctx, trx, ref)).key;
      if (!key) {
        for (const r of rows) t.add(r.channel, null, null);
        continue;
      }
      here ??= startCountWorkers(key, ref, t, box.keep_sets, 0);
      await here.count(rows);
      await here.done();
      const threads = workerCount();
      if (rows.length === COUNT_PAGE && threads > 0) workers = startCountWorkers(key, ref, t, box.keep_sets, threads);
    }
    await workers?.done();
  } finally {
    workers?.close();
  }
  return storeCounts(trx, ref, t, box.keep_sets);
}

const counted = (internet: number, paper: number, imported: number): CountedBox => ({
  ballots: internet + paper + imported,
  byChannel: { internet, paper, import: imported },
});

export interface SelectionTally {
  /** Counted ballots (all formats). */
  ballots: number;
  /** Per choice number: ballots that chose it, and the points given to it (cumulative votes). */
  choices: Map<number, { ballots: number; points: number }>;
  /** Ballots by channel. */
  byChannel: Record<Channel, number>;
}

/** The counts of a closed box (counting it first if it has not been counted since its last ballot). */
export async function tallySelections(ctx: AppContext, trx: Trx, ref: BoxRef): Promise<SelectionTally> {
  const c = await countBox(ctx, trx, ref);
  const rows = await trx
    .selectFrom('bb_tally')
    .select(['choice', 'ballots', 'points'])
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .execute();
  return {
    ballots: c.ballots,
    byChannel: c.byChannel,
    choices: new Map(rows.map((r) => [Number(r.choice), { ballots: Number(r.ballots), points: Number(r.points) }])),
  };
}

/**
 * The counted ballots' choices (and points), in a random order, never with slots or receipts: for
 * exports such as Pabulib and counting rules that need whole ballots. Kept ballots (boxes created
 * with `keepSets`) are read as written when the box was counted; otherwise they are opened now.
 */
export async function ballotSets(
  ctx: AppContext,
  trx: Trx,
  ref: BoxRef,
  opts: { content?: boolean } = {},
): Promise<{ selections: number[]; weights: number[] | null; content?: unknown }[]> {
  if (opts.content) {
    // With each ballot's public record (imported ballots: e.g. a Pabulib file's voter columns).
    const all: { selections: number[]; weights: number[] | null; content: unknown }[] = [];
    for await (const page of openedBallots(ctx, trx, ref))
      for (const b of page)
        if (b.selections) all.push({ selections: b.selections, weights: b.weights, content: b.content });
    return shuffle(all);
  }
  await countBox(ctx, trx, ref);
  const box = (await boxRow(trx, ref))!;
  if (box.keep_sets) {
    const rows = await trx
      .selectFrom('bb_ballot_set')
      .select(['selections', 'weights'])
      .where('municipality_code', '=', ref.municipalityCode)
      .where('box_id', '=', ref.boxId)
      .orderBy('n')
      .execute();
    return rows.map((r) => ({ selections: r.selections, weights: r.weights }));
  }
  const sets: { selections: number[]; weights: number[] | null }[] = [];
  for await (const page of openedBallots(ctx, trx, ref))
    for (const b of page) if (b.selections) sets.push({ selections: b.selections, weights: b.weights });
  return shuffle(sets);
}

/** Counted ballots whose choices include any of `choiceGroups[k]`, for each group (e.g. district voters). */
export async function ballotsTouching(
  ctx: AppContext,
  trx: Trx,
  ref: BoxRef,
  choiceGroups: number[][],
): Promise<number[]> {
  if (choiceGroups.length === 0) {
    await requireClosed(trx, ref);
    return [];
  }
  const groups = choiceGroups.map((g) => new Set(g));
  const out = groups.map(() => 0);
  for (const s of await ballotSets(ctx, trx, ref))
    groups.forEach((g, k) => {
      if (s.selections.some((c) => g.has(c))) out[k]! += 1;
    });
  return out;
}

/**
 * Streams the counted ballots, opened, in batches, for owners that count themselves (encrypted
 * ballots: homomorphic tally; paper ballots of their own format). In the order of their slots,
 * never of casting. Each carries its receipt (to match it with the owner's own records).
 */
export async function* countedBallots(
  ctx: AppContext,
  trx: Trx,
  ref: BoxRef,
  batchSize = 1000,
): AsyncGenerator<PlainBallot[]> {
  yield* openedBallots(ctx, trx, ref, batchSize);
}

/** Receipt codes of the counted ballots, sorted (the published ballot list). */
export async function countedReceipts(trx: Trx, ref: BoxRef): Promise<string[]> {
  await requireClosed(trx, ref);
  const rows = await trx
    .selectFrom('bb_ballot')
    .select('receipt')
    .where('municipality_code', '=', ref.municipalityCode)
    .where('box_id', '=', ref.boxId)
    .where('status', '=', 'counted')
    .orderBy('receipt')
    .execute();
  return rows.map((r) => r.receipt);
}
