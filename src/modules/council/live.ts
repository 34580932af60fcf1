import type { AppContext } from '../../platform/context';
import type { SseStream } from '../../platform/events/sse';
import { inScope } from '../../platform/db/database';
import { c } from './store';
import { sittingTopic, type LiveKind } from './notify';
import { loadAgenda, loadAttendance, loadProgress, loadResults, loadRoster, loadSnapshot, loadState, type Snapshot } from './liveState';

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
  pending: Set<LiveKind>;
  pendingVotes: Set<string>;
  flushing: Promise<void> | undefined;
  loading: Promise<void> | undefined;
}

const ORDER: LiveKind[] = ['roster', 'agenda', 'attendance', 'result', 'state', 'progress'];

export class LiveHub {
  private rooms = new Map<string, Room>();
  constructor(private readonly ctx: AppContext) {}

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
    if (room.streams.has(stream)) stream.send('snapshot', room.snapshot);
  }

  private room(code: string, sittingId: string): Room {
    let room = this.rooms.get(sittingId);
    if (!room) {
      const r: Room = { code, sittingId, streams: new Set(), unsubscribe: () => {}, snapshot: undefined, pending: new Set(), pendingVotes: new Set(), flushing: undefined, loading: undefined };
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
        })
        .finally(() => {
          room.loading = undefined;
        });
      await room.loading;
    }
    if (room.flushing) await room.flushing;
  }

  private read<T>(room: Room, fn: (trx: ReturnType<typeof c>) => Promise<T>): Promise<T> {
    return inScope(this.ctx.db, { tenant: room.code }, (t) => fn(c(t)));
  }

  private onEvent(room: Room, payload: Record<string, unknown>) {
    const kinds = Array.isArray(payload.k) ? (payload.k as LiveKind[]) : [];
    for (const k of kinds) room.pending.add(k);
    if (typeof payload.voteId === 'string') room.pendingVotes.add(payload.voteId);
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

  /** Reads what changed (coalescing bursts of events) and sends it to every viewer here. */
  private async flush(room: Room) {
    if (room.loading) await room.loading;
    while (room.pending.size) {
      const kinds = ORDER.filter((k) => room.pending.has(k));
      const votes = [...room.pendingVotes];
      room.pending.clear();
      room.pendingVotes.clear();
      const parts = await this.read(room, async (trx) => {
        const out: { event: LiveKind; data: unknown }[] = [];
        for (const k of kinds) {
          if (k === 'roster') out.push({ event: k, data: await loadRoster(trx, room.code, room.sittingId) });
          if (k === 'agenda') out.push({ event: k, data: await loadAgenda(trx, room.code, room.sittingId) });
          if (k === 'attendance') out.push({ event: k, data: await loadAttendance(trx, room.code, room.sittingId) });
          if (k === 'result') for (const id of votes) for (const r of await loadResults(trx, room.code, room.sittingId, id)) out.push({ event: k, data: r });
          if (k === 'state') out.push({ event: k, data: await loadState(trx, room.code, room.sittingId) });
          if (k === 'progress' && !kinds.includes('state')) {
            const cur = room.snapshot?.state.vote;
            if (cur) {
              const vote = await trx.selectFrom('council_vote').select(['id', 'kind', 'item_id', 'ballot_box_id', 'status']).where('municipality_code', '=', room.code).where('id', '=', cur.id).executeTakeFirst();
              if (vote?.status === 'open') out.push({ event: k, data: await loadProgress(trx, room.code, room.sittingId, room.snapshot!.state.council.id, vote) });
            } else {
              out.push({ event: 'state', data: await loadState(trx, room.code, room.sittingId) });
            }
          }
        }
        return out;
      });
      for (const p of parts) {
        this.apply(room, p.event, p.data);
        for (const s of room.streams) s.send(p.event, p.data);
      }
    }
  }

  /** Keeps the node's snapshot current so that new viewers start from the latest state. */
  private apply(room: Room, event: LiveKind | 'state', data: unknown) {
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
