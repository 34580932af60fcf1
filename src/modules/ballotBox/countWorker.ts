/**
 * A worker thread that opens and counts pages of sealed ballots for count.ts (the CPU of a count
 * is AES-GCM, one decryption per ballot: a million ballots are several seconds of one core). It
 * answers each page with its counts only — ballots per channel, ballots and points per choice,
 * and for boxes that keep them the pages' whole ballots — never a receipt or an opened ballot by
 * its receipt. The data key comes as raw bytes from the counting thread of the same process.
 */
import { parentPort } from 'node:worker_threads';
import { ballotOpener, SealError } from './seal';

export interface CountInit {
  kind: 'init';
  key: Uint8Array;
  municipalityCode: string;
  boxId: string;
  keepSets: boolean;
}

/** A page: `n` ballots, receipts joined by '\n', sealed values packed into one buffer at `offsets` (n + 1). */
export interface CountPage {
  kind: 'page';
  id: number;
  n: number;
  receipts: string;
  channels: Uint8Array;
  sealed: Uint8Array;
  offsets: Uint32Array;
}

export interface PageCounts {
  id: number;
  /** Ballots per channel: internet, paper, import. */
  byChannel: number[];
  /** choice, ballots, points; repeated. */
  choices: number[];
  sets: { selections: number[]; weights: number[] | null }[] | null;
}

export type CountReply = ({ ok: true } & PageCounts) | { ok: false; id: number; seal: boolean; message: string };

/** Opens and counts one page (also used inline, when no worker can start). */
export function countPage(open: ReturnType<typeof ballotOpener>, page: Omit<CountPage, 'kind'>, keepSets: boolean) {
  const byChannel = [0, 0, 0];
  const choices = new Map<number, { ballots: number; points: number }>();
  const sets: PageCounts['sets'] = keepSets ? [] : null;
  const receipts = page.receipts.split('\n');
  const buf = Buffer.from(page.sealed.buffer, page.sealed.byteOffset, page.sealed.byteLength);
  for (let i = 0; i < page.n; i++) {
    byChannel[page.channels[i]!]! += 1;
    const b = open(receipts[i]!, buf.subarray(page.offsets[i]!, page.offsets[i + 1]!));
    const s = b.selections;
    if (!s) continue;
    const w = b.weights;
    for (let j = 0; j < s.length; j++) {
      let c = choices.get(s[j]!);
      if (!c) choices.set(s[j]!, (c = { ballots: 0, points: 0 }));
      c.ballots += 1;
      c.points += w ? w[j]! : 1;
    }
    if (sets) sets.push({ selections: s, weights: w ?? null });
  }
  const flat: number[] = [];
  for (const [k, c] of choices) flat.push(k, c.ballots, c.points);
  return { id: page.id, byChannel, choices: flat, sets };
}

let state: { open: ReturnType<typeof ballotOpener>; keepSets: boolean } | undefined;

parentPort?.on('message', (m: CountInit | CountPage) => {
  if (m.kind === 'init') {
    state = { open: ballotOpener(Buffer.from(m.key), m), keepSets: m.keepSets };
    m.key.fill(0);
    return;
  }
  let reply: CountReply;
  try {
    reply = { ok: true, ...countPage(state!.open, m, state!.keepSets) };
  } catch (err) {
    reply = { ok: false, id: m.id, seal: err instanceof SealError, message: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
