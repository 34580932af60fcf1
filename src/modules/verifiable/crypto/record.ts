/**
 * The election record: everything the public bulletin board holds for one verifiable vote, as one
 * JSON document. docs/verifiable-voting.md describes every field; `verifyRecord` (verify.ts)
 * re-checks all of it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { BallotJson, ElectionParams, RevealJson } from './ballot';
import type { CommitmentMessage, PublicShareMessage, SharesMessage } from './dkg';
import type { TrusteeDecryptionMessage } from './decrypt';
import { bytesToHex } from './group';
import { DOMAIN } from './transcript';

export const RECORD_FORMAT = 'kov-verifiable-election-record';

export interface ElectionDefinition {
  voteId: string;
  municipalityCode: string;
  /** Free-form text (a string, or an object of translations). */
  title: unknown;
  questions: {
    id: string;
    title: unknown;
    minSelections: number;
    maxSelections: number;
    choices: { id: string; label: unknown }[];
  }[];
  trustees: { index: number; name: string }[];
  /** Trustees needed to decrypt. */
  threshold: number;
}

export type BallotStatus = 'counted' | 'superseded' | 'cancelled';

export interface RecordBallot {
  /** The voter's ballot slot: a pseudonym, the same for all of one voter's ballots in this vote. */
  slot: string;
  /** 1, 2, … : the order of the slot's ballots (re-voting); the board keeps no time of casting. */
  version: number;
  tracker: string;
  /** counted: the slot's last ballot; superseded: a later ballot of the slot replaced it; cancelled: a paper vote cancelled the slot. */
  status: BallotStatus;
  ballot: BallotJson;
}

export interface RecordAudit {
  tracker: string;
  ballot: BallotJson;
  reveal: RevealJson;
}

export interface ElectionRecord {
  format: typeof RECORD_FORMAT;
  version: 1;
  /** SHA-256 of the canonical JSON of `election` (see fingerprintOf). */
  fingerprint: string;
  election: ElectionDefinition;
  ceremony: { commitments: CommitmentMessage[]; shares: SharesMessage[]; publicShares: PublicShareMessage[] };
  publicKey: string;
  ballots: RecordBallot[];
  audited: RecordAudit[];
  /** Present once the vote is closed. */
  tally?: { ballotsCounted: number; questions: { choices: { alpha: string; beta: string }[] }[] };
  /** Partial decryptions, one message per trustee who took part (at least `threshold`). */
  decryption?: TrusteeDecryptionMessage[];
  /** The announced result of the encrypted ballots: per question, per choice, the number of selections. */
  result?: { questions: { counts: number[] }[] };
  /** Paper ballots, counted by hand and declared by the election officials (not cryptographically verifiable). */
  paper?: { ballots: number; questions: { counts: number[] }[] };
}

/**
 * Canonical JSON (RFC 8785 for the values used here: strings, integers, booleans, null, arrays
 * and objects): object keys sorted by UTF-16 code units, no white space.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error('canonical JSON here allows integers only');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  throw new Error(`canonical JSON cannot encode ${typeof v}`);
}

/** SHA-256 (hex) of "kov-verifiable/v1/election\n" followed by the canonical JSON of the definition. */
export function fingerprintOf(election: ElectionDefinition): string {
  return bytesToHex(sha256(utf8ToBytes(`${DOMAIN}/election\n${canonicalJson(election)}`)));
}

/** The parameters ballots are made and checked with. */
export function paramsOf(election: ElectionDefinition, publicKey: string): ElectionParams {
  return {
    voteId: election.voteId,
    fingerprint: fingerprintOf(election),
    publicKey,
    questions: election.questions.map((q) => ({
      choices: q.choices.length,
      minSelections: q.minSelections,
      maxSelections: q.maxSelections,
    })),
  };
}
