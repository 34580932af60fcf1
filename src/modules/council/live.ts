import type { AppContext } from '../../platform/context';
import { sseFrame, type SseStream } from '../../platform/events/sse';
import { inScope, type Trx } from '../../platform/db/database';

import { sittingTopic, type LiveKind } from './notify';
import {
  loadAgenda,
  loadAttendance,
  loadProgress,
  loadResults,
  loadRoster,
  loadSnapshot,
  loadState,
  type Snapshot,
} from './liveState';

/**
 * The live view of sittings on one app node. Every node LISTENs (platform events); when a change
 * in a sitting is announced, the node reads the changed part once from PostgreSQL and writes the
 * same event to all of its viewers of that sitting, however many. A viewer keeps nothing but its
 * socket and an entry in a set; a new or reconnecting viewer first gets the whole snapshot.
 *
 * Events (SSE `event:` names): snapshot, state, attendance, roster, agenda, progress, result.
 */
interface Room {
  code: string;
  sittingId: string;
  streams: Set<SseStream>;
  unsubscribe: () => void;
  snapshot: Snapshot | undefined;
  /** The snapshot serialised once for the viewers who join until the next change. */
  snapshotFrame: Buffer | undefined;
  pending: Set<LiveKind>;
  pendingVotes: Set<string>;
  notifiedAt: Map<string, number>;
  lastProgress: number;
  /** Ends a progress throttle early when a more important change arrives. */
  wake: (() => void) | undefined;
  flushing: Promise<void> | undefined;
  loading: Promise<void> | undefined;
}

const ORDER: LiveKind[] = ['result', 'state', 'roster', 'agenda', 'attendance', 'progress'];
/** Progress (how many have voted) goes out at most this often. */
const PROGRESS_MS = 250;

/** When this node last fanned out a result (wall-clock ms): for the benchmark's breakdown. */
export interface ResultTiming {
  voteId: string;
  notified: number;
  read: number;
  written: number;
  streams: number;
}

const wallNow = () => performance.timeOrigin + performance.now();

export class LiveHub {
  private rooms = new Map<string, Room>();
  readonly resultTimings: ResultTiming[] = [];
  constructor(private readonly ctx: AppContext) {
    // Events published while this node's listening connection was down were missed: re-read all.
    ctx.events.onReconnect(() => {
      for (const room of this.rooms.values()) this.onEvent(room, { k: ORDER });
    });
  }

  /** Viewers connected to this node (all sittings). */
  viewers(): number {
    let n = 0;
    for (const r of this.rooms.values()) n += r.streams.size;
    return n;
  }

  async attach(code: string, sittingId: string, stream: SseStream): Promise<void> {
    const room = this.room(code, sittingId);
    room.streams.add(stream);
    stream.onClose(() => this.detach(room, stream));
    await this.ensureSnapshot(room);
    if (room.streams.has(stream))
      stream.sendFrame((room.snapshotFrame ??= sseFrame('snapshot', room.snapshot, undefined, true)));
  }

  private room(code: string, sittingId: string): Room {
    let room = this.rooms.get(sittingId);
    if (!room) {
      const r: Room = {
        code,
        sittingId,
        streams: new Set(),
        unsubscribe: () => {},
        snapshot: undefined,
        snapshotFrame: undefined,
        pending: new Set(),
        pendingVotes: new Set(),
        notifiedAt: new Map(),
        lastProgress: 0,
        wake: undefined,
        flushing: undefined,
        loading: undefined,
      };
      r.unsubscribe = this.ctx.events.subscribe(sittingTopic(sittingId), (payload) => this.onEvent(r, payload));
      this.rooms.set(sittingId, r);
      room = r;
    }
    return room;
  }

  private detach(room: Room, stream: SseStream) {
    room.streams.delete(stream);
    if (room.streams.size === 0 && this.rooms.get(room.sittingId) === room) {
      room.unsubscribe();
      this.rooms.delete(room.sittingId);
    }
  }

  private async ensureSnapshot(room: Room) {
    while (!room.snapshot) {
      room.loading ??= this.read(room, (trx) => loadSnapshot(trx, room.code, room.sittingId))
        .then((snap) => {
          room.snapshot = snap;
          room.snapshotFrame = undefined;
        })
        .finally(() => {
          room.loading = undefined;
        });
      await room.loading;
    }
    if (room.flushing) await room.flushing;
  }

  private read<T>(room: Room, fn: (trx: Trx) => Promise<T>): Promise<T> {
    return inScope(this.ctx.db, { tenant: room.code }, (t) => fn(t));
  }

  private onEvent(room: Room, payload: Record<string, unknown>) {
    const kinds = Array.isArray(payload.k) ? (payload.k as LiveKind[]) : [];
    for (const k of kinds) room.pending.add(k);
    if (kinds.some((k) => k !== 'progress')) room.wake?.();
    if (typeof payload.voteId === 'string') {
      room.pendingVotes.add(payload.voteId);
      room.notifiedAt.set(payload.voteId, wallNow());
    }
    if (!room.flushing) {
      room.flushing = this.flush(room)
        .catch((err) => this.ctx.log.error({ err, sittingId: room.sittingId }, 'live view refresh failed'))
        .finally(() => {
          room.flushing = undefined;
          // Changes announced during the last read are picked up by another round.
          if (room.pending.size && this.rooms.get(room.sittingId) === room) this.onEvent(room, { k: [] });
        });
    }
  }

  /**
   * Reads what changed (coalescing bursts of events) and sends it to every viewer here: each part
   * as soon as it is read (a result first), serialised once for all streams. Progress alone (a
   * ballot was cast) goes out at most every PROGRESS_MS, since only a number changes.
   */
  private async flush(room: Room) {
    if (room.loading) await room.loading;
    while (room.pending.size) {
      if ([...room.pending].every((k) => k === 'progress')) {
        const wait = room.lastProgress + PROGRESS_MS - Date.now();
        // …unless something else (a result) arrives meanwhile: then at once.
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              room.wake = undefined;
              resolve();
            };
            const timer = setTimeout(done, wait);
            room.wake = done;
          });
        }
      }
      const kinds = ORDER.filter((k) => room.pending.has(k));
      const votes = [...room.pendingVotes];
      room.pending.clear();
      room.pendingVotes.clear();
      await this.read(room, async (trx) => {
        const send = (event: LiveKind, data: unknown) => {
          this.apply(room, event, data);
          const frame = sseFrame(event, data, undefined, true);
          for (const s of room.streams) s.sendFrame(frame);
        };
        for (const k of kinds) {
          if (k === 'result') {
            for (const id of votes) {
              for (const r of await loadResults(trx, room.code, room.sittingId, id)) {
                const read = wallNow();
                send(k, r);
                this.resultTimings.push({
                  voteId: id,
                  notified: room.notifiedAt.get(id) ?? read,
                  read,
                  written: wallNow(),
                  streams: room.streams.size,
                });
                if (this.resultTimings.length > 100) this.resultTimings.shift();
              }
              room.notifiedAt.delete(id);
            }
          }
          if (k === 'roster') send(k, await loadRoster(trx, room.code, room.sittingId));
          if (k === 'agenda') send(k, await loadAgenda(trx, room.code, room.sittingId));
          if (k === 'attendance') send(k, await loadAttendance(trx, room.code, room.sittingId));
          if (k === 'state') send(k, await loadState(trx, room.code, room.sittingId));
          if (k === 'progress' && !kinds.includes('state')) {
            room.lastProgress = Date.now();
            const cur = room.snapshot?.state.vote;
            const vote = cur
              ? await trx
                  .selectFrom('council_vote')
                  .select(['id', 'kind', 'item_id', 'ballot_box_id', 'status'])
                  .where('municipality_code', '=', room.code)
                  .where('id', '=', cur.id)
                  .executeTakeFirst()
              : undefined;
            if (vote?.status === 'open')
              send(k, await loadProgress(trx, room.code, room.sittingId, room.snapshot!.state.council.id, vote));
            else if (!cur) send('state', await loadState(trx, room.code, room.sittingId));
          }
        }
      });
    }
  }

  /** Keeps the node's snapshot current so that new viewers start from the latest state. */
  private apply(room: Room, event: LiveKind | 'state', data: unknown) {
    room.snapshotFrame = undefined;
    const snap = room.snapshot;
    if (!snap) return;
    if (event === 'state') snap.state = data as Snapshot['state'];
    if (event === 'attendance') snap.attendance = data as Snapshot['attendance'];
    if (event === 'roster') snap.roster = data as Snapshot['roster'];
    if (event === 'agenda') snap.agenda = data as Snapshot['agenda'];
    if (event === 'progress' && snap.state.vote) Object.assign(snap.state.vote, data as object);
    if (event === 'result') {
      const r = data as Snapshot['results'][number];
      snap.results = [...snap.results.filter((x) => x.id !== r.id), r].sort((a, b) => a.number - b.number);
    }
  }
}

const hubs = new WeakMap<AppContext, LiveHub>();
export function liveHub(ctx: AppContext): LiveHub {
  let hub = hubs.get(ctx);
  if (!hub) hubs.set(ctx, (hub = new LiveHub(ctx)));
  return hub;
}
