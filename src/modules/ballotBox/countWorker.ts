/**
 * A worker thread that opens and counts pages of sealed ballots for count.ts (a page's AES-GCM,
 * gcm.ts, costs about as much as receiving it; on machines of more than two cores). It
 * answers each page with its counts only — ballots per channel, ballots and points per choice,
 * and for boxes that keep them the pages' whole ballots — never a receipt or an opened ballot by
 * its receipt. The data key comes as raw bytes from the counting thread of the same process.
 */
import { parentPort } from 'node:worker_threads';
import { pageOpener, SealError, type SealedPage } from './seal';

export interface CountInit {
  kind: 'init';
  key: Uint8Array;
  municipalityCode: string;
  boxId: string;
  keepSets: boolean;
}

/** A page: `n` sealed ballots with their receipts (UTF-8, packed) and channel codes. */
export interface CountPage extends SealedPage {
  kind: 'page';
  id: number;
  channels: Uint8Array;
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

/** Choices below this are counted in typed arrays; larger numbers (rare) in a map. */
const DENSE = 4096;

/** Ballots and points per choice. */
class ChoiceCounts {
  private readonly ballots = new Int32Array(DENSE);
  private readonly points = new Float64Array(DENSE);
  private readonly sparse = new Map<number, { ballots: number; points: number }>();

  add(choice: number, points: number): void {
    if (choice < DENSE) {
      this.ballots[choice]! += 1;
      this.points[choice]! += points;
      return;
    }
    let c = this.sparse.get(choice);
    if (!c) this.sparse.set(choice, (c = { ballots: 0, points: 0 }));
    c.ballots += 1;
    c.points += points;
  }

  /** choice, ballots, points; repeated. */
  flat(): number[] {
    const out: number[] = [];
    for (let k = 0; k < DENSE; k++) if (this.ballots[k]) out.push(k, this.ballots[k]!, this.points[k]!);
    for (const [k, c] of this.sparse) out.push(k, c.ballots, c.points);
    return out;
  }
}

const u32 = (p: Uint8Array, o: number) => ((p[o]! << 24) | (p[o + 1]! << 16) | (p[o + 2]! << 8) | p[o + 3]!) >>> 0;
const i32 = (p: Uint8Array, o: number) => (p[o]! << 24) | (p[o + 1]! << 16) | (p[o + 2]! << 8) | p[o + 3]!;

/**
 * Opens and counts one page (also used in the counting thread). The plaintext layout is seal.ts's
 * (`decodeBallot`), read in place: choices and points go straight into the counts, and arrays are
 * made only for boxes that keep whole ballots.
 */
export function countPage(
  open: ReturnType<typeof pageOpener>,
  page: Omit<CountPage, 'kind'>,
  keepSets: boolean,
): PageCounts {
  const byChannel = [0, 0, 0];
  const counts = new ChoiceCounts();
  const sets: PageCounts['sets'] = keepSets ? [] : null;
  open(page, (i, p, from, to) => {
    byChannel[page.channels[i]!]! += 1;
    if (p[from] !== 1) throw new Error(`unknown sealed ballot version ${p[from]}`);
    const kind = p[from + 1];
    if (kind === 3) return; // content, not choices: counted by channel only
    if (kind !== 1 && kind !== 2) throw new Error(`unknown sealed ballot kind ${kind}`);
    const n = (p[from + 2]! << 8) | p[from + 3]!;
    const s0 = from + 4;
    const w0 = s0 + n * 4;
    if ((kind === 2 ? w0 + n * 4 : w0) > to) throw new Error('a sealed ballot is shorter than its choices');
    for (let j = 0; j < n; j++) counts.add(u32(p, s0 + j * 4), kind === 2 ? i32(p, w0 + j * 4) : 1);
    if (sets) {
      const selections = new Array<number>(n);
      for (let j = 0; j < n; j++) selections[j] = u32(p, s0 + j * 4);
      let weights: number[] | null = null;
      if (kind === 2) {
        weights = new Array<number>(n);
        for (let j = 0; j < n; j++) weights[j] = i32(p, w0 + j * 4);
      }
      sets.push({ selections, weights });
    }
  });
  return { id: page.id, byChannel, choices: counts.flat(), sets };
}

let state: { open: ReturnType<typeof pageOpener>; keepSets: boolean } | undefined;

parentPort?.on('message', (m: CountInit | CountPage) => {
  if (m.kind === 'init') {
    state = { open: pageOpener(Buffer.from(m.key), m), keepSets: m.keepSets };
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
