/** Types of the verifiable-voting API as the pages use them (see src/modules/verifiable/schemas.ts). */
export type Phase =
  'draft' | 'ceremony' | 'ready' | 'scheduled' | 'open' | 'closing' | 'closed' | 'tallied' | 'published';
export type Kind = 'poll' | 'referendum' | 'elder' | 'budget';

export interface Question {
  id: string;
  title: string;
  minSelections: number;
  maxSelections: number;
  choices: { id: string; label: string }[];
}

export interface TrusteeState {
  index: number;
  name: string;
  isMe: boolean;
  committed: boolean;
  dealt: boolean;
  confirmed: boolean;
  complained: boolean;
  decrypted: boolean;
}

export interface Election {
  municipalityCode: string;
  id: string;
  kind: Kind;
  title: string;
  questions: Question[];
  threshold: number;
  electorateId: string | null;
  opensAt: string;
  closesAt: string;
  status: string;
  phase: Phase;
  ceremonyAttempt: number;
  ceremonyRound: 0 | 1 | 2 | 3 | 4;
  ceremonyFailure: string | null;
  fingerprint: string | null;
  publicKey: string | null;
  trustees: TrusteeState[];
  board: { counted: number; superseded: number; cancelled: number; audited: number };
  tally: { ballotsCounted: number; questions: { choices: { alpha: string; beta: string }[] }[] } | null;
  paper: { ballots: number; questions: { counts: number[] }[] } | null;
  result: { questions: { counts: number[] }[]; totals: { counts: number[] }[]; decryptedBy: number[] } | null;
  publishedAt: string | null;
  canManage: boolean;
}

export interface Listed {
  id: string;
  kind: Kind;
  title: string;
  status: string;
  phase: Phase;
  opensAt: string;
  closesAt: string;
}

export const vvApi = (code: string, id?: string) =>
  `/api/v1/municipalities/${code}/verifiable-votes${id ? `/${id}` : ''}`;
export const vvPath = (code: string, id?: string, sub?: string) =>
  `/kontrollitav/${code}${id ? `/${id}` : ''}${sub ? `/${sub}` : ''}`;

/** Saves text as a file download in the browser. */
export function download(filename: string, text: string, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Lets the browser paint between heavy steps (encryption, verification). */
export const yieldToBrowser = () => new Promise<void>((r) => setTimeout(r, 0));

/** A tracker or key, grouped for reading aloud / comparing: "1a2b 3c4d …". */
export const groupHex = (h: string, n = 16) => (h.slice(0, n).match(/.{1,4}/g) ?? []).join(' ');
