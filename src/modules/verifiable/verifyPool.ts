/**
 * Ballot verification off the event loop: a small pool of worker threads (one per core) running
 * verifyWorker.ts. If workers cannot start (e.g. a runtime without TypeScript loading in
 * workers), ballots are verified inline instead, with the same result. Workers are unreferenced
 * while idle, so they never keep the process alive; `closeVerifyPool()` ends them.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CryptoError } from './crypto/errors';
import type { ElectionParams } from './crypto/ballot';
import { verifyForCasting, type VerifyRequest, type VerifyResponse } from './verifyWorker';

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: { tracker: string; form: Uint8Array }) => void; reject: (e: Error) => void }>;
}

let pool: Slot[] | undefined;
let broken = false;
let nextId = 1;

function start(): Slot[] | undefined {
  if (broken) return undefined;
  if (pool) return pool;
  const size = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
  try {
    pool = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./verifyWorker.ts', import.meta.url));
      const slot: Slot = { worker, pending: new Map() };
      worker.unref();
      worker.on('message', (res: VerifyResponse) => {
        const p = slot.pending.get(res.id);
        if (!p) return;
        slot.pending.delete(res.id);
        if (slot.pending.size === 0) worker.unref();
        if (res.ok) p.resolve({ tracker: res.tracker, form: res.form });
        else p.reject(res.kind === 'internal' ? new Error(res.message) : new CryptoError(res.kind, res.message));
      });
      worker.on('error', (err) => fail(slot, err));
      worker.on('exit', () => fail(slot, new Error('verification worker exited')));
      return slot;
    });
  } catch {
    broken = true;
    pool = undefined;
  }
  return pool;
}

function fail(slot: Slot, err: Error) {
  for (const p of slot.pending.values()) p.reject(err);
  slot.pending.clear();
  if (pool) {
    pool = pool.filter((s) => s !== slot);
    if (pool.length === 0) {
      pool = undefined;
      broken = true;
    }
  }
}

/** Verifies a ballot for `slot` (throws CryptoError naming the failing item); returns its tracker and tally form. */
export async function verifyInPool(
  params: ElectionParams,
  slot: string,
  ballot: unknown,
): Promise<{ tracker: string; form: Uint8Array }> {
  const p = start();
  if (!p || p.length === 0) return verifyForCasting(params, slot, ballot);
  const s = p.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    s.pending.set(id, { resolve, reject });
    s.worker.ref();
    const req: VerifyRequest = { id, params, slot, ballot };
    s.worker.postMessage(req);
  });
}

/** Number of running verification workers (0: verifying inline). */
export const verifyPoolSize = () => pool?.length ?? 0;

export async function closeVerifyPool() {
  const p = pool;
  pool = undefined;
  if (!p) return;
  for (const s of p) {
    s.worker.removeAllListeners('exit');
    s.worker.removeAllListeners('error');
    for (const w of s.pending.values()) w.reject(new Error('the server is shutting down'));
  }
  await Promise.all(p.map((s) => s.worker.terminate().catch(() => 0)));
}
