import { sql } from 'kysely';
import type { Generated, Selectable } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';
import type { ElectionDefinition } from './crypto/record';

/** This module's tables (migrations/0200_verifiable_elections.sql). */
export type ElectionStatus = 'draft' | 'ceremony' | 'ready' | 'open' | 'closed' | 'tallied' | 'published';
export type ElectionKind = 'poll' | 'referendum' | 'elder' | 'budget';

export interface QuestionDef {
  id: string;
  title: string;
  minSelections: number;
  maxSelections: number;
  choices: { id: string; label: string }[];
}

export interface TallyJson {
  ballotsCounted: number;
  questions: { choices: { alpha: string; beta: string }[] }[];
}
export interface PaperJson {
  ballots: number;
  questions: { counts: number[] }[];
}
export interface ResultJson {
  /** Decrypted counts of the encrypted ballots. */
  questions: { counts: number[] }[];
  /** Encrypted + paper. */
  totals: { counts: number[] }[];
  decryptedBy: number[];
}

export interface VvElectionTable {
  municipality_code: string;
  id: Generated<string>;
  kind: ElectionKind;
  title: string;
  questions: Json<QuestionDef[]>;
  threshold: Generated<number>;
  electorate_id: string | null;
  opens_at: Date;
  closes_at: Date;
  status: Generated<ElectionStatus>;
  definition: Json<ElectionDefinition> | null;
  fingerprint: string | null;
  ceremony_attempt: Generated<number>;
  ceremony_failure: string | null;
  public_key: string | null;
  box_id: string;
  tally: Json<TallyJson> | null;
  paper: Json<PaperJson> | null;
  result: Json<ResultJson> | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  published_at: Date | null;
}

export interface VvTrusteeTable {
  municipality_code: string;
  election_id: string;
  idx: number;
  person_id: string;
  name: string;
  commitment: Json | null;
  deal: Json | null;
  public_share: Json | null;
  complaint: Json | null;
  decryption: Json | null;
}

export interface VvBallotTable {
  municipality_code: string;
  election_id: string;
  slot: string;
  version: number;
  tracker: string;
  receipt: string;
  status: Generated<'counted' | 'superseded' | 'cancelled'>;
  ballot: Json;
  tally_form: Buffer;
}

export interface VvAuditedTable {
  municipality_code: string;
  election_id: string;
  tracker: string;
  ballot: Json;
  reveal: Json;
}

/** Rows as read. */
export type VvElection = Selectable<VvElectionTable>;
export type VvTrustee = Selectable<VvTrusteeTable>;

declare module '../../platform/db/tables' {
  interface KovTables {
    vv_election: VvElectionTable;
    vv_trustee: VvTrusteeTable;
    vv_ballot: VvBallotTable;
    vv_audited: VvAuditedTable;
  }
}

/** JSON values go into jsonb as text. */
export const json = (v: unknown): string => JSON.stringify(v);

export async function findElection(trx: Trx, municipalityCode: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let qb = trx
    .selectFrom('vv_election')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id);
  if (opts.forUpdate) qb = qb.forUpdate();
  return qb.executeTakeFirst();
}

export async function listTrustees(trx: Trx, municipalityCode: string, electionId: string) {
  return trx
    .selectFrom('vv_trustee')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('election_id', '=', electionId)
    .orderBy('idx')
    .execute();
}

export async function setStatus(
  trx: Trx,
  e: { municipality_code: string; id: string },
  status: ElectionStatus,
  more: Partial<Record<keyof VvElectionTable, unknown>> = {},
) {
  await trx
    .updateTable('vv_election')
    .set({ status, updated_at: new Date(), ...(more as object) })
    .where('municipality_code', '=', e.municipality_code)
    .where('id', '=', e.id)
    .execute();
}

/** Puts a newly cast ballot on the board as the slot's next version; earlier versions become superseded. */
export async function appendBallot(
  trx: Trx,
  b: {
    municipalityCode: string;
    electionId: string;
    slot: string;
    tracker: string;
    receipt: string;
    ballot: unknown;
    form: Uint8Array;
  },
) {
  const { rows } = await sql<{ version: number }>`
    INSERT INTO vv_ballot (municipality_code, election_id, slot, version, tracker, receipt, ballot, tally_form)
    SELECT ${b.municipalityCode}, ${b.electionId}::uuid, ${b.slot}, COALESCE(max(version), 0) + 1, ${b.tracker}, ${b.receipt}, ${JSON.stringify(b.ballot)}::jsonb, ${Buffer.from(b.form)}
      FROM vv_ballot WHERE municipality_code = ${b.municipalityCode} AND election_id = ${b.electionId}::uuid AND slot = ${b.slot}
    RETURNING version`.execute(trx);
  const version = rows[0]!.version;
  if (version > 1) {
    await trx
      .updateTable('vv_ballot')
      .set({ status: 'superseded' })
      .where('municipality_code', '=', b.municipalityCode)
      .where('election_id', '=', b.electionId)
      .where('slot', '=', b.slot)
      .where('version', '<', version)
      .where('status', '=', 'counted')
      .execute();
  }
  return version;
}

/** Marks the slot's current ballot cancelled (a paper vote of the same voter). */
export async function cancelSlot(trx: Trx, municipalityCode: string, electionId: string, slot: string) {
  const r = await trx
    .updateTable('vv_ballot')
    .set({ status: 'cancelled' })
    .where('municipality_code', '=', municipalityCode)
    .where('election_id', '=', electionId)
    .where('slot', '=', slot)
    .where('status', '=', 'counted')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function boardCounts(trx: Trx, municipalityCode: string, electionId: string) {
  const rows = await trx
    .selectFrom('vv_ballot')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('municipality_code', '=', municipalityCode)
    .where('election_id', '=', electionId)
    .groupBy('status')
    .execute();
  const out = { counted: 0, superseded: 0, cancelled: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
