import { sql, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';
import type { Translations } from '../../platform/language/translations';
import type { BallotSpec, VoteKind, VoteRules } from './rules';

/** The participation module's tables (migration 0151) and row mapping. */
export type VoteStatus = 'draft' | 'proposals' | 'review' | 'scheduled' | 'open' | 'closed' | 'published';
export type IdeaStatus = 'submitted' | 'feasible' | 'infeasible' | 'merged' | 'withdrawn';
export type ImplementationStatus = 'not_started' | 'planning' | 'in_progress' | 'done' | 'cancelled';
export type CandidateStatus = 'nominated' | 'approved' | 'rejected' | 'withdrawn';

export interface VoteTable {
  municipality_code: string;
  id: string;
  kind: VoteKind;
  title: string;
  description: string;
  /** Russian and English title and description (migration 0175). */
  translations: ColumnType<Translations<'title' | 'description'>, string | undefined, string>;
  status: Generated<VoteStatus>;
  proposals_close_at: Date | null;
  opens_at: Date;
  closes_at: Date;
  opened_at: Date | null;
  closed_at: Date | null;
  published_at: Date | null;
  electorate_id: string | null;
  electorate_size: number | null;
  ballot: Json<BallotSpec>;
  rules: Json<VoteRules>;
  box_id: string;
  result: Json<unknown> | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  imported: Generated<boolean>;
  /** When the electorate was told the vote opened, reminded before it closes, told of the results (migration 0803). */
  opened_told_at: Generated<Date | null>;
  reminded_at: Generated<Date | null>;
  results_told_at: Generated<Date | null>;
}

export interface IdeaTable {
  municipality_code: string;
  vote_id: string;
  id: Generated<string>;
  number: number;
  external_id: string | null;
  title: string;
  description: string;
  translations: ColumnType<Translations<'title' | 'description'>, string | undefined, string>;
  settlement_code: string | null;
  district_id: number | null;
  lat: number | null;
  lon: number | null;
  estimated_cost_cents: number | null;
  final_cost_cents: number | null;
  status: Generated<IdeaStatus>;
  review_reason: string | null;
  merged_into: string | null;
  submitted_by: string | null;
  submitted_at: Generated<Date>;
  photo_ids: Generated<string[]>;
  implementation_status: Generated<ImplementationStatus>;
  implementation_note: string | null;
  updated_at: Generated<Date>;
}

export interface CandidateTable {
  municipality_code: string;
  vote_id: string;
  id: Generated<string>;
  number: number;
  person_id: string;
  name: string;
  statement: string;
  translations: ColumnType<Translations<'statement'>, string | undefined, string>;
  nominated_by: string | null;
  consent_at: Date | null;
  status: Generated<CandidateStatus>;
  review_reason: string | null;
  created_at: Generated<Date>;
}

export interface PabulibSourceTable {
  municipality_code: string;
  vote_id: string;
  filename: string | null;
  vote_type: 'approval' | 'cumulative' | 'scoring' | 'ordinal';
  meta: Json<[string, string][]>;
  project_header: Json<string[]>;
  projects: Json<string[][]>;
  vote_header: Json<string[]>;
  imported_at: ColumnType<Date, never, never>;
}

declare module '../../platform/db/tables' {
  interface KovTables {
    pv_vote: VoteTable;
    pv_idea: IdeaTable;
    pv_candidate: CandidateTable;
    pv_pabulib_source: PabulibSourceTable;
  }
}

export interface Vote {
  id: string;
  municipalityCode: string;
  kind: VoteKind;
  title: string;
  description: string;
  translations: Translations<'title' | 'description'>;
  status: VoteStatus;
  proposalsCloseAt: string | null;
  opensAt: string;
  closesAt: string;
  openedAt: string | null;
  closedAt: string | null;
  publishedAt: string | null;
  electorateId: string | null;
  electorateSize: number | null;
  ballot: BallotSpec;
  rules: VoteRules;
  boxId: string;
  imported: boolean;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function voteFromRow(r: Selectable<VoteTable>): Vote {
  return {
    id: r.id,
    municipalityCode: r.municipality_code,
    kind: r.kind,
    title: r.title,
    description: r.description,
    translations: (r.translations as unknown as Vote['translations'] | null) ?? {},
    status: r.status,
    proposalsCloseAt: iso(r.proposals_close_at),
    opensAt: r.opens_at.toISOString(),
    closesAt: r.closes_at.toISOString(),
    openedAt: iso(r.opened_at),
    closedAt: iso(r.closed_at),
    publishedAt: iso(r.published_at),
    electorateId: r.electorate_id,
    electorateSize: r.electorate_size,
    ballot: r.ballot as unknown as BallotSpec,
    rules: r.rules as unknown as VoteRules,
    boxId: r.box_id,
    imported: r.imported,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function findVote(
  trx: Trx,
  municipalityCode: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Vote | undefined> {
  let qb = trx.selectFrom('pv_vote').selectAll().where('municipality_code', '=', municipalityCode).where('id', '=', id);
  if (opts.forUpdate) qb = qb.forUpdate();
  const r = await qb.executeTakeFirst();
  return r ? voteFromRow(r) : undefined;
}

export interface Idea {
  id: string;
  voteId: string;
  number: number;
  title: string;
  description: string;
  translations: Translations<'title' | 'description'>;
  settlementCode: string | null;
  districtId: number | null;
  location: { lat: number; lon: number } | null;
  estimatedCostCents: number | null;
  finalCostCents: number | null;
  status: IdeaStatus;
  reviewReason: string | null;
  mergedInto: string | null;
  photoIds: string[];
  implementationStatus: ImplementationStatus;
  implementationNote: string | null;
  submittedAt: string;
  mine?: boolean;
}

export function ideaFromRow(r: Selectable<IdeaTable>, actorId?: string): Idea {
  return {
    id: r.id,
    voteId: r.vote_id,
    number: r.number,
    title: r.title,
    description: r.description,
    translations: (r.translations as unknown as Idea['translations'] | null) ?? {},
    settlementCode: r.settlement_code,
    districtId: r.district_id,
    location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
    estimatedCostCents: r.estimated_cost_cents,
    finalCostCents: r.final_cost_cents,
    status: r.status,
    reviewReason: r.review_reason,
    mergedInto: r.merged_into,
    photoIds: r.photo_ids,
    implementationStatus: r.implementation_status,
    implementationNote: r.implementation_note,
    submittedAt: r.submitted_at.toISOString(),
    ...(actorId ? { mine: r.submitted_by === actorId } : {}),
  };
}

export interface Candidate {
  id: string;
  number: number;
  name: string;
  statement: string;
  translations: Translations<'statement'>;
  status: CandidateStatus;
  consented: boolean;
  reviewReason: string | null;
  isMe?: boolean;
}

export function candidateFromRow(r: Selectable<CandidateTable>, actorId?: string): Candidate {
  return {
    id: r.id,
    number: r.number,
    name: r.name,
    statement: r.statement,
    translations: (r.translations as unknown as Candidate['translations'] | null) ?? {},
    status: r.status,
    consented: r.consent_at !== null,
    reviewReason: r.review_reason,
    ...(actorId ? { isMe: r.person_id === actorId } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Imported Pabulib files (migration 0170)

/** A closed budget vote imported from a file: no electorate, opened and closed at the file's dates. */
export async function insertImportedVote(
  trx: Trx,
  v: {
    municipalityCode: string;
    id: string;
    title: string;
    description: string;
    opensAt: Date;
    closesAt: Date;
    ballot: BallotSpec;
    rules: VoteRules;
    boxId: string;
    createdBy: string | null;
  },
): Promise<void> {
  await sql`
    INSERT INTO pv_vote (municipality_code, id, kind, title, description, status, opens_at, closes_at, opened_at,
                         closed_at, ballot, rules, box_id, created_by, imported)
    VALUES (${v.municipalityCode}, ${v.id}::uuid, 'budget', ${v.title}, ${v.description}, 'closed', ${v.opensAt},
            ${v.closesAt}, ${v.opensAt}, ${v.closesAt}, ${JSON.stringify(v.ballot)}::jsonb,
            ${JSON.stringify(v.rules)}::jsonb, ${v.boxId}::uuid, ${v.createdBy}::uuid, true)`.execute(trx);
}

/** The projects of an imported file as feasible ideas of district 1 (their project_id kept). */
export async function insertImportedIdeas(
  trx: Trx,
  municipalityCode: string,
  voteId: string,
  ideas: { number: number; externalId: string; title: string; description: string; costCents: number }[],
): Promise<void> {
  for (let i = 0; i < ideas.length; i += 1000) {
    const part = ideas.slice(i, i + 1000);
    await sql`
      INSERT INTO pv_idea (municipality_code, vote_id, number, external_id, title, description, district_id,
                           final_cost_cents, estimated_cost_cents, status)
      SELECT ${municipalityCode}, ${voteId}::uuid, n, e, t, d, 1, c, c, 'feasible'
        FROM unnest(${part.map((x) => x.number)}::int[], ${part.map((x) => x.externalId)}::text[],
                    ${part.map((x) => x.title)}::text[], ${part.map((x) => x.description)}::text[],
                    ${part.map((x) => x.costCents)}::bigint[]) AS t(n, e, t, d, c)`.execute(trx);
  }
}

export interface PabulibSource {
  filename: string | null;
  voteType: PabulibSourceTable['vote_type'];
  meta: [string, string][];
  projectHeader: string[];
  projects: string[][];
  voteHeader: string[];
}

export async function insertPabulibSource(
  trx: Trx,
  municipalityCode: string,
  voteId: string,
  s: PabulibSource,
): Promise<void> {
  await trx
    .insertInto('pv_pabulib_source')
    .values({
      municipality_code: municipalityCode,
      vote_id: voteId,
      filename: s.filename,
      vote_type: s.voteType,
      meta: JSON.stringify(s.meta),
      project_header: JSON.stringify(s.projectHeader),
      projects: JSON.stringify(s.projects),
      vote_header: JSON.stringify(s.voteHeader),
    })
    .execute();
}

export async function findPabulibSource(
  trx: Trx,
  municipalityCode: string,
  voteId: string,
): Promise<PabulibSource | undefined> {
  const r = await trx
    .selectFrom('pv_pabulib_source')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('vote_id', '=', voteId)
    .executeTakeFirst();
  return r
    ? {
        filename: r.filename,
        voteType: r.vote_type,
        meta: r.meta,
        projectHeader: r.project_header,
        projects: r.projects,
        voteHeader: r.vote_header,
      }
    : undefined;
}

/** Idea number → the project_id it was imported with (or its number). */
export async function ideaExternalIds(
  trx: Trx,
  municipalityCode: string,
  voteId: string,
): Promise<Map<number, string>> {
  const rows = await trx
    .selectFrom('pv_idea')
    .select(['number', 'external_id'])
    .where('municipality_code', '=', municipalityCode)
    .where('vote_id', '=', voteId)
    .execute();
  return new Map(rows.map((i) => [i.number, i.external_id ?? String(i.number)]));
}

/**
 * Votes whose results the municipality has published, with the result snapshot exactly as
 * published (what `getResults` answers to anyone), by closing time: the open data of
 * `participation/openData.ts` publishes only this.
 */
export async function votesWithPublishedResults(trx: Trx, municipalityCode: string) {
  return trx
    .selectFrom('pv_vote')
    .select(['id', 'kind', 'title', 'opens_at', 'closes_at', 'published_at', 'result', 'rules'])
    .where('municipality_code', '=', municipalityCode)
    .where('status', '=', 'published')
    .where('result', 'is not', null)
    .orderBy('closes_at')
    .execute();
}

/**
 * Per vote: ideas and candidates waiting for review (while proposals are collected or reviewed;
 * due before the vote opens) and closed votes whose results are not published yet.
 */
export async function participationWorkRows(trx: Trx, municipalityCode: string) {
  const r = await sql<{
    what: 'ideas' | 'candidates' | 'publish';
    vote_id: string;
    title: string;
    count: number;
    since: Date | null;
    due: Date | null;
  }>`
    SELECT 'ideas' AS what, v.id AS vote_id, v.title, count(*)::int AS count, min(i.submitted_at) AS since, v.opens_at AS due
      FROM pv_vote v JOIN pv_idea i ON i.municipality_code = v.municipality_code AND i.vote_id = v.id
     WHERE v.municipality_code = ${municipalityCode} AND v.status IN ('proposals', 'review') AND i.status = 'submitted'
     GROUP BY v.id, v.title, v.opens_at
    UNION ALL
    SELECT 'candidates', v.id, v.title, count(*)::int, min(c.created_at), v.opens_at
      FROM pv_vote v JOIN pv_candidate c ON c.municipality_code = v.municipality_code AND c.vote_id = v.id
     WHERE v.municipality_code = ${municipalityCode} AND v.status IN ('proposals', 'review') AND c.status = 'nominated'
       AND c.consent_at IS NOT NULL
     GROUP BY v.id, v.title, v.opens_at
    UNION ALL
    SELECT 'publish', v.id, v.title, 1, v.closed_at, NULL
      FROM pv_vote v
     WHERE v.municipality_code = ${municipalityCode} AND v.status = 'closed' AND NOT v.imported`.execute(trx);
  return r.rows;
}
