import { useEffect, useRef, useState } from 'react';
import type { Rule, SittingSummary } from '../../../../src/modules/council/contract';
export type {
  Council,
  Item,
  Member,
  Rule,
  SittingDetail,
  SittingSummary,
} from '../../../../src/modules/council/contract';

/** Types of the council API as the pages use them (see src/modules/council/schemas.ts). */

export interface VoteProgress {
  voteId: string;
  voted: number;
  eligible: number;
}

export interface LiveState {
  sitting: {
    id: string;
    number: number;
    title: string;
    status: SittingSummary['status'];
    format: string;
    startsAt: string;
    place: string | null;
    link: string | null;
    currentItemId: string | null;
    openedAt: string | null;
    closedAt: string | null;
  };
  council: { id: string; name: string; seats: number; quorum: { num: number; den: number; needed: number } };
  vote:
    | (VoteProgress & {
        id: string;
        number: number;
        itemId: string;
        kind: 'open' | 'secret';
        question: string;
        rule: Rule;
        openedAt: string;
        candidates: { id: string; name: string }[];
      })
    | null;
}

export interface Attendance {
  present: number;
  needed: number;
  seats: number;
  hasQuorum: boolean;
  here: Record<string, 'room' | 'online'>;
}

export interface RosterEntry {
  id: string;
  name: string;
  faction: string | null;
  office: 'chair' | 'vice_chair' | null;
  status: string;
  substitute: boolean;
}

export interface AgendaEntry {
  id: string;
  position: number;
  title: string;
  kind: 'decision' | 'election';
  isPublic: boolean;
  withdrawn: boolean;
  rule: Rule;
  recused: string[];
  candidates: { id: string; name: string }[];
}

export type RecordKind = 'for' | 'against' | 'abstain' | 'took_part' | 'not_voted' | 'recused' | 'absent';

export interface VoteResult {
  id: string;
  number: number;
  itemId: string;
  kind: 'open' | 'secret';
  question: string;
  rule: Rule;
  seats: number;
  presentAtStart: number;
  openedAt: string;
  closedAt: string | null;
  for: number;
  against: number;
  abstain: number;
  notVoted: number;
  recused: number;
  absent: number;
  outcome: 'adopted' | 'rejected' | 'elected' | 'not_elected';
  needed: number;
  tie: boolean;
  electedCandidateId: string | null;
  candidates: { id: string; name: string; votes: number }[];
  records: Record<string, RecordKind>;
}

export interface Snapshot {
  state: LiveState;
  attendance: Attendance;
  roster: RosterEntry[];
  agenda: AgendaEntry[];
  results: VoteResult[];
}

export interface MyPlace {
  memberId: string | null;
  mandate: string | null;
  acting: boolean;
  operator: 'chair' | 'secretary' | null;
  present: boolean;
  mode: 'room' | 'online' | null;
  recusedItemIds: string[];
  currentVote: {
    id: string;
    kind: 'open' | 'secret';
    voted: boolean;
    choice: string | null;
    canVote: boolean;
    reason: 'not_member' | 'recused' | 'not_present' | null;
  } | null;
}

export interface MinutesStatus {
  version: number;
  sha256: string;
  generatedAt: string;
  chair: { name: string | null; at: string } | null;
  secretary: { name: string | null; at: string } | null;
  approved: boolean;
}

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
