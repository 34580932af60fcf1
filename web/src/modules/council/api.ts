import { useEffect, useRef, useState } from 'react';
import type {
  AgendaEntry,
  Attendance,
  LiveState,
  RosterEntry,
  Snapshot,
  VoteProgress,
  VoteResult,
} from '../../../../src/modules/council/contract';
/** Types of the council API: the `Static<>` of the server's response schemas (src/modules/council/contract.ts). */
export type {
  AgendaEntry,
  Attendance,
  ClosedVote,
  Council,
  Decision,
  Decisions,
  Item,
  LiveState,
  Member,
  MinutesStatus,
  MyPlace,
  RecordKind,
  RosterEntry,
  Rule,
  SittingDetail,
  SittingSummary,
  Snapshot,
  VoteProgress,
  VoteResult,
  VotingRecord,
  VotingRecords,
} from '../../../../src/modules/council/contract';

export const councilApi = (code: string) => `/api/v1/municipalities/${code}/council`;

/**
 * The live view of a sitting: an EventSource that starts with a snapshot and merges each event
 * into it. EventSource reconnects by itself after a lost connection, and the server then sends a
 * fresh snapshot, so nothing is missed. `tick` changes on every event (for re-reading own state).
 */
export function useLiveSitting(code: string, sittingId: string) {
  const [snap, setSnap] = useState<Snapshot>();
  const [connected, setConnected] = useState(false);
  const [tick, setTick] = useState(0);
  const [announcement, setAnnouncement] = useState<{ kind: 'started' | 'result'; id: string } | undefined>();
  const ref = useRef<Snapshot | undefined>(undefined);
  useEffect(() => {
    const es = new EventSource(`${councilApi(code)}/sittings/${sittingId}/live`);
    const update = (fn: (s: Snapshot) => Snapshot) => {
      if (!ref.current) return;
      ref.current = fn(ref.current);
      setSnap(ref.current);
      setTick((n) => n + 1);
    };
    const on = (name: string, fn: (data: never) => void) =>
      es.addEventListener(name, (e) => fn(JSON.parse((e as MessageEvent).data) as never));
    on('snapshot', (data: Snapshot) => {
      ref.current = data;
      setSnap(data);
      setTick((n) => n + 1);
    });
    on('state', (data: LiveState) =>
      update((s) => {
        if (data.vote && data.vote.id !== s.state.vote?.id) setAnnouncement({ kind: 'started', id: data.vote.id });
        return { ...s, state: data };
      }),
    );
    on('attendance', (data: Attendance) => update((s) => ({ ...s, attendance: data })));
    on('roster', (data: RosterEntry[]) => update((s) => ({ ...s, roster: data })));
    on('agenda', (data: AgendaEntry[]) => update((s) => ({ ...s, agenda: data })));
    on('progress', (data: VoteProgress) =>
      update((s) =>
        s.state.vote && s.state.vote.id === data.voteId
          ? { ...s, state: { ...s.state, vote: { ...s.state.vote, ...data } } }
          : s,
      ),
    );
    on('result', (data: VoteResult) =>
      update((s) => {
        setAnnouncement({ kind: 'result', id: data.id });
        return {
          ...s,
          results: [...s.results.filter((r) => r.id !== data.id), data].sort((a, b) => a.number - b.number),
        };
      }),
    );
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    return () => es.close();
  }, [code, sittingId]);
  return { snap, connected, tick, announcement };
}
