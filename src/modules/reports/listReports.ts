import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { invalid } from '../../platform/http/problems';
import { canAnalyse } from './policy';
import { CLOSED_STATUSES, OPEN_STATUSES } from './statuses';
import { type ReportStatus } from './store';
import { placeName } from './getReport';

export interface ReportSummary {
  id: number;
  municipalityCode: string;
  categoryCode: string;
  status: string;
  description: string;
  lat: number;
  lon: number;
  settlementName: string | null;
  address: string | null;
  createdAt: string;
  updatedAt: string;
  meTooCount: number;
  /** Officials' list only. */
  hidden?: boolean;
  department?: string | null;
  assigneePersonId?: string | null;
  slaDueAt?: string | null;
}

export const DEFAULT_WINDOW_DAYS = 20;

/**
 * The public list and map of recent reports of a municipality: the last `windowDays` (20 by
 * default, as Anna Teada's map), without hidden reports and merged duplicates, newest first.
 */
export async function listPublicReports(
  ctx: AppContext,
  municipalityCode: string,
  q: { windowDays?: number; category?: string; state?: 'open' | 'closed' | 'all'; limit?: number },
): Promise<ReportSummary[]> {
  const since = new Date(ctx.now().getTime() - (q.windowDays ?? DEFAULT_WINDOW_DAYS) * 86_400_000);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    let query = trx
      .selectFrom('report')
      .select([
        'id',
        'municipality_code',
        'category_code',
        'status',
        'description',
        'lat',
        'lon',
        'settlement_code',
        'address',
        'created_at',
        'updated_at',
        'me_too_count',
      ])
      .where('municipality_code', '=', municipalityCode)
      .where('created_at', '>=', since)
      .where('hidden', '=', false)
      .where('status', '<>', 'duplicate');
    if (q.category) query = query.where('category_code', '=', q.category);
    if (q.state === 'open') query = query.where('status', 'in', OPEN_STATUSES as ReportStatus[]);
    if (q.state === 'closed') query = query.where('status', 'in', CLOSED_STATUSES as ReportStatus[]);
    const rows = await query
      .orderBy('created_at', 'desc')
      .limit(Math.min(q.limit ?? 500, 1000))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      municipalityCode: r.municipality_code,
      categoryCode: r.category_code,
      status: r.status,
      description: r.description.length > 280 ? `${r.description.slice(0, 277)}…` : r.description,
      lat: r.lat,
      lon: r.lon,
      settlementName: placeName(r.settlement_code),
      address: r.address,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      meTooCount: r.me_too_count,
    }));
  });
}

export interface OfficialFilter {
  status?: ReportStatus[];
  state?: 'open' | 'closed';
  category?: string;
  settlement?: string;
  assignee?: string;
  text?: string;
  hidden?: boolean;
  overdue?: boolean;
  beforeId?: number;
  limit?: number;
}

/** The officials' work list: every report of the municipality with filters, newest first, paged by id. */
export async function listReportsForOfficials(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  f: OfficialFilter,
): Promise<ReportSummary[]> {
  const official = canAnalyse(actor, municipalityCode);
  if (f.text && f.text.length > 200) throw invalid([{ pointer: '/query/text', detail: 'at most 200 characters' }]);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    let query = trx
      .selectFrom('report')
      .select([
        'id',
        'municipality_code',
        'category_code',
        'status',
        'description',
        'lat',
        'lon',
        'settlement_code',
        'address',
        'created_at',
        'updated_at',
        'me_too_count',
        'hidden',
        'department',
        'assignee_person_id',
        'sla_due_at',
      ])
      .where('municipality_code', '=', municipalityCode);
    if (f.status?.length) query = query.where('status', 'in', f.status);
    if (f.state === 'open') query = query.where('closed_at', 'is', null);
    if (f.state === 'closed') query = query.where('closed_at', 'is not', null);
    if (f.category) query = query.where('category_code', '=', f.category);
    if (f.settlement) query = query.where('settlement_code', '=', f.settlement);
    if (f.assignee) query = query.where('assignee_person_id', '=', f.assignee);
    if (f.hidden !== undefined) query = query.where('hidden', '=', f.hidden);
    if (f.overdue) query = query.where('closed_at', 'is', null).where('sla_due_at', '<', ctx.now());
    if (f.text)
      query = query.where(sql<boolean>`description ILIKE ${'%' + f.text.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`);
    if (f.beforeId) query = query.where('id', '<', f.beforeId);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(Math.min(f.limit ?? 50, 500))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      municipalityCode: r.municipality_code,
      categoryCode: r.category_code,
      status: r.status,
      description: r.description.length > 280 ? `${r.description.slice(0, 277)}…` : r.description,
      lat: r.lat,
      lon: r.lon,
      settlementName: placeName(r.settlement_code),
      address: r.address,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      meTooCount: r.me_too_count,
      hidden: r.hidden,
      department: r.department,
      assigneePersonId: r.assignee_person_id,
      slaDueAt: r.sla_due_at?.toISOString() ?? null,
    }));
  });
}

/** A resident's own reports in every municipality. */
export async function myReports(ctx: AppContext, actor: Actor): Promise<ReportSummary[]> {
  const person = requirePerson(actor);
  return inScope(ctx.db, { actor: person.personId }, async (trx) => {
    const rows = await trx
      .selectFrom('report')
      .select([
        'id',
        'municipality_code',
        'category_code',
        'status',
        'description',
        'lat',
        'lon',
        'settlement_code',
        'address',
        'created_at',
        'updated_at',
        'me_too_count',
      ])
      .where('reporter_person_id', '=', person.personId)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      municipalityCode: r.municipality_code,
      categoryCode: r.category_code,
      status: r.status,
      description: r.description.length > 280 ? `${r.description.slice(0, 277)}…` : r.description,
      lat: r.lat,
      lon: r.lon,
      settlementName: placeName(r.settlement_code),
      address: r.address,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      meTooCount: r.me_too_count,
    }));
  });
}
