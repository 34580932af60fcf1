/**
 * Counting on more cores: the pages of a large count are opened and counted by worker threads
 * (countWorker.ts), one per core beyond two (`workerCount`), while the counting thread reads the
 * next pages from the database; their counts are added to the count's Tally as they arrive. A worker that cannot start
 * or fails (not over a ballot: e.g. a runtime without TypeScript loading in workers) hands its
 * pages back, and they are counted in this thread instead, with the same result. A ballot that does
 * not open fails the count, as it does in this thread.
 *
 * The data key is handed to the workers as raw bytes: they are threads of this process, and the
 * key never leaves it. Each count starts its own workers and ends them when it is done.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { pageOpener, SealError } from './seal';
import { countPage, type CountInit, type CountPage, type CountReply } from './countWorker';
import type { Channel } from './store';

/** Ballots per page of a count (one FETCH; a box of one page is counted without workers). */
export const COUNT_PAGE = 20_000;

/** Pages counted by worker threads since start (for tests: the workers did the work). */
export const countWorkerStats = { pages: 0 };

/** Where the counts go (count.ts's Tally). */
export interface CountSink {
  add(channel: Channel, selections: null, weights: null): void;
  merge(byChannel: Record<Channel, number>, choices: number[], sets: WholeBallot[] | null): void;
}
type WholeBallot = { selections: number[]; weights: number[] | null };

const CHANNEL_CODE: Record<Channel, number> = { internet: 0, paper: 1, import: 2 };

interface Slot {
  worker: Worker;
  pending: Map<number, Omit<CountPage, 'kind'>>;
  dead: boolean;
}

export interface CountWorkers {
  /**
   * Hands a page of rows to the workers (waits while as many pages as two per worker are being
   * counted). `sealed` is the sealed value in hex (as the database's `encode(sealed, 'hex')`):
   * the page's values are decoded in one piece, not a Buffer per row.
   */
  count(rows: { receipt: string; channel: Channel; sealed: string | null }[]): Promise<void>;
  /** Waits for every page handed over; throws the first failure (a ballot that does not open). */
  done(): Promise<void>;
  close(): void;
}

/** Worker threads of a large count, if set (tests, measurements); 0 counts in the counting thread only. */
export const countThreads: { threads?: number } = {};

/**
 * Worker threads for a large count: the cores beyond two — one for the database's backend, which
 * reads the ballots meanwhile, and one for the counting thread, which receives them. Opening a
 * page costs about as much as receiving it (gcm.ts), so on two cores workers only compete with
 * the two for them: measured on this 2-core machine, 1,000,000 ballots counted in the counting
 * thread took 2.3–2.7× the raw COPY of the same rows, with two workers 3.1× (docs/participation.md).
 */
export function workerCount(): number {
  return countThreads.threads ?? Math.max(0, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 2));
}

export function startCountWorkers(
  key: Buffer,
  box: { municipalityCode: string; boxId: string },
  tally: CountSink,
  keepSets: boolean,
  size = workerCount(),
): CountWorkers {
  let failure: Error | undefined;
  let inline: ReturnType<typeof pageOpener> | undefined;
  let nextId = 1;
  let waiting: (() => void) | undefined;
  const wake = () => {
    const w = waiting;
    waiting = undefined;
    w?.();
  };
  const add = (byChannel: number[], choices: number[], sets: WholeBallot[] | null) =>
    tally.merge({ internet: byChannel[0]!, paper: byChannel[1]!, import: byChannel[2]! }, choices, sets);
  const countHere = (page: Omit<CountPage, 'kind'>) => {
    if (failure) return;
    try {
      inline ??= pageOpener(key, box);
      const c = countPage(inline, page, keepSets);
      add(c.byChannel, c.choices, c.sets);
    } catch (err) {
      failure = err as Error;
    }
  };
  const retire = (slot: Slot) => {
    if (slot.dead) return;
    slot.dead = true;
    void slot.worker.terminate().catch(() => 0);
    // Its pages are counted here instead.
    for (const page of slot.pending.values()) countHere(page);
    slot.pending.clear();
    wake();
  };
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./countWorker.ts', import.meta.url));
    } catch {
      break;
    }
    const slot: Slot = { worker, pending: new Map(), dead: false };
    worker.on('message', (r: CountReply) => {
      const page = slot.pending.get(r.id);
      if (!page) return;
      slot.pending.delete(r.id);
      if (r.ok) {
        add(r.byChannel, r.choices, r.sets);
        countWorkerStats.pages++;
      } else if (r.seal) failure ??= new SealError(r.message);
      else countHere(page); // not the ballot's fault: count it here
      wake();
    });
    worker.on('error', () => retire(slot));
    worker.on('exit', () => retire(slot));
    const init: CountInit = { kind: 'init', key: new Uint8Array(key), ...box, keepSets };
    worker.postMessage(init);
    slots.push(slot);
  }
  const live = () => slots.filter((s) => !s.dead);
  const inFlight = () => slots.reduce((n, s) => n + s.pending.size, 0);

  return {
    async count(rows) {
      if (failure) throw failure;
      const sealed = rows.filter((r) => r.sealed);
      for (const r of rows) if (!r.sealed) tally.add(r.channel, null, null);
      if (sealed.length === 0) return;
      const n = sealed.length;
      const offsets = new Uint32Array(n + 1);
      const receiptOffsets = new Uint32Array(n + 1);
      const channels = new Uint8Array(n);
      let bytes = 0;
      let chars = 0;
      let joined = '';
      let hex = '';
      for (let i = 0; i < n; i++) {
        const r = sealed[i]!;
        offsets[i] = bytes;
        bytes += r.sealed!.length >> 1;
        hex += r.sealed!;
        receiptOffsets[i] = chars;
        chars += r.receipt.length;
        joined += r.receipt;
        channels[i] = CHANNEL_CODE[r.channel];
      }
      offsets[n] = bytes;
      receiptOffsets[n] = chars;
      const receipts = Buffer.from(joined, 'utf8');
      // Receipt codes are ASCII (one byte a character); should one not be, its offsets in bytes.
      if (receipts.length !== chars)
        for (let i = 0; i < n; i++) receiptOffsets[i + 1] = receiptOffsets[i]! + Buffer.byteLength(sealed[i]!.receipt);
      const packed = new Uint8Array(bytes);
      if (Buffer.from(packed.buffer, 0, bytes).write(hex, 'hex') !== bytes || hex.length !== bytes * 2)
        throw new SealError('a sealed value is not whole bytes of hex');
      const page = { id: nextId++, n, receipts, receiptOffsets, channels, sealed: packed, offsets };
      const open = live();
      if (open.length === 0) return countHere(page);
      const slot = open.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      slot.pending.set(page.id, page);
      const msg: CountPage = { kind: 'page', ...page };
      slot.worker.postMessage(msg);
      while (!failure && inFlight() >= 2 * Math.max(1, live().length))
        await new Promise<void>((resolve) => (waiting = resolve));
      if (failure) throw failure;
    },
    async done() {
      while (!failure && inFlight() > 0) await new Promise<void>((resolve) => (waiting = resolve));
      if (failure) throw failure;
    },
    close() {
      for (const s of slots) {
        s.dead = true;
        s.worker.removeAllListeners();
        s.worker.on('error', () => {}); // nothing of a worker being ended may reach the process
        void s.worker.terminate().catch(() => 0);
      }
    },
  };
}
