import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import { ELVL_TENANT } from '../../platform/places/ehak';

/**
 * Keeps the pre-aggregated statistics (report_stats*, by municipality and month of creation, and
 * for volumes and durations also by settlement unit: `area_code`) in
 * step with the reports. Every change of a report sets `stats_dirty`; this job (every minute)
 * takes the dirty municipality-months, clears their flags, re-aggregates them from `report` in
 * the same transaction, and rebuilds ELVL's national rows ('0000') for the months that changed.
 * A report changed while the job runs is flagged again and picked up next time.
 */
export const REFRESH_JOB = 'reports.refresh-stats';

const TZ = 'Europe/Tallinn';

/** The SELECT behind report_stats for a set of reports (`where` filters `report r`). */
export function statsSelect(where: ReturnType<typeof sql>, from: ReturnType<typeof sql> = sql`report`) {
  return sql`
    SELECT r.municipality_code, date_trunc('month', r.created_at AT TIME ZONE ${TZ})::date AS month, r.category_code,
           coalesce(c.domain, 'Muu') AS domain, r.channel,
           count(*)::int AS created,
           count(r.acknowledged_at)::int AS acknowledged,
           count(r.first_closed_at)::int AS closed,
           count(r.sla_due_at)::int AS sla_applicable,
           count(*) FILTER (WHERE r.first_closed_at <= r.sla_due_at)::int AS closed_in_sla,
           count(*) FILTER (WHERE r.first_closed_at > r.sla_due_at)::int AS closed_late,
           count(*) FILTER (WHERE r.reopen_count > 0)::int AS reopened,
           count(*) FILTER (WHERE r.hidden)::int AS hidden,
           count(s.rating)::int AS sat_answers,
           coalesce(sum(s.rating), 0)::int AS sat_rating_sum,
           count(*) FILTER (WHERE s.fixed = 'yes')::int AS fixed_yes,
           count(*) FILTER (WHERE s.fixed = 'no')::int AS fixed_no,
           count(*) FILTER (WHERE s.fixed = 'dont_know')::int AS fixed_dont_know,
           coalesce(r.settlement_code, r.municipality_code) AS area_code
      FROM ${from} r
      LEFT JOIN report_category c ON c.municipality_code = r.municipality_code AND c.code = r.category_code
      LEFT JOIN LATERAL (SELECT x.rating, x.fixed FROM report_satisfaction x
                          WHERE x.municipality_code = r.municipality_code AND x.report_id = r.id
                          ORDER BY x.closing DESC LIMIT 1) s ON true
     WHERE ${where}
     GROUP BY 1, 2, 3, 4, 5, coalesce(r.settlement_code, r.municipality_code)`;
}

export function durationSelect(where: ReturnType<typeof sql>, from: ReturnType<typeof sql> = sql`report`) {
  return sql`
    SELECT r.municipality_code, date_trunc('month', r.created_at AT TIME ZONE ${TZ})::date AS month, r.category_code, 'a'::char(1) AS kind,
           report_duration_bucket(extract(epoch FROM r.acknowledged_at - r.created_at)) AS bucket, count(*)::int AS n,
           coalesce(r.settlement_code, r.municipality_code) AS area_code
      FROM ${from} r WHERE ${where} AND r.acknowledged_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 7
    UNION ALL
    SELECT r.municipality_code, date_trunc('month', r.created_at AT TIME ZONE ${TZ})::date, r.category_code, 'c'::char(1),
           report_duration_bucket(extract(epoch FROM r.first_closed_at - r.created_at)), count(*)::int,
           coalesce(r.settlement_code, r.municipality_code)
      FROM ${from} r WHERE ${where} AND r.first_closed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 7`;
}

export function areaSelect(where: ReturnType<typeof sql>, from: ReturnType<typeof sql> = sql`report`) {
  return sql`
    SELECT r.municipality_code, date_trunc('month', r.created_at AT TIME ZONE ${TZ})::date AS month, coalesce(r.settlement_code, r.municipality_code) AS area_code,
           r.category_code, count(*)::int AS created, count(r.first_closed_at)::int AS closed
      FROM ${from} r WHERE ${where} GROUP BY 1, 2, 3, 4`;
}

export const CELL_LAT = 0.01;
export const CELL_LON = 0.02;
/** National cells are 10 × 10 municipal cells. */
export const NATIONAL_CELL_FACTOR = 10;

export function cellSelect(where: ReturnType<typeof sql>, from: ReturnType<typeof sql> = sql`report`) {
  return sql`
    SELECT r.municipality_code, date_trunc('month', r.created_at AT TIME ZONE ${TZ})::date AS month,
           floor(r.lat / ${CELL_LAT})::int AS cell_y, floor(r.lon / ${CELL_LON})::int AS cell_x, count(*)::int AS n
      FROM ${from} r WHERE ${where} GROUP BY 1, 2, 3, 4`;
}

/** Recomputes the "now" figures of every municipality from the open reports (one indexed pass). */
export async function rebuildLive(trx: Trx, now: Date) {
  await sql`DELETE FROM report_stats_live`.execute(trx);
  await sql`
    INSERT INTO report_stats_live (municipality_code, month, category_code, open, overdue, d7, d30, d90, older, as_of)
    SELECT r.municipality_code, date_trunc('month', r.created_at AT TIME ZONE ${TZ})::date, r.category_code,
           count(*)::int,
           count(*) FILTER (WHERE r.first_closed_at IS NULL AND r.sla_due_at < ${now})::int,
           count(*) FILTER (WHERE r.created_at >= ${now}::timestamptz - interval '7 days')::int,
           count(*) FILTER (WHERE r.created_at < ${now}::timestamptz - interval '7 days' AND r.created_at >= ${now}::timestamptz - interval '30 days')::int,
           count(*) FILTER (WHERE r.created_at < ${now}::timestamptz - interval '30 days' AND r.created_at >= ${now}::timestamptz - interval '90 days')::int,
           count(*) FILTER (WHERE r.created_at < ${now}::timestamptz - interval '90 days')::int,
           ${now}
      FROM report r WHERE r.closed_at IS NULL AND r.created_at <= ${now}
     GROUP BY 1, 2, 3`.execute(trx);
  await sql`
    INSERT INTO report_stats_live (municipality_code, month, category_code, open, overdue, d7, d30, d90, older, as_of)
    SELECT ${ELVL_TENANT}, month, category_code, sum(open), sum(overdue), sum(d7), sum(d30), sum(d90), sum(older), ${now}
      FROM report_stats_live WHERE municipality_code <> ${ELVL_TENANT} GROUP BY month, category_code`.execute(trx);
}

export interface RefreshResult {
  municipalityMonths: number;
  nationalMonths: number;
}

/** Re-aggregates what changed (or, with `all`, everything). Runs platform-wide (tenant '*'). */
export async function refreshStats(ctx: AppContext, opts: { all?: boolean } = {}): Promise<RefreshResult> {
  if (opts.all) return rebuildAll(ctx);
  const dirty = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const { rows } = await sql<{ municipality_code: string; month: string }>`
      SELECT DISTINCT municipality_code, date_trunc('month', created_at AT TIME ZONE ${TZ})::date::text AS month FROM report WHERE stats_dirty`.execute(
      trx,
    );
    return rows;
  });
  const months = new Set<string>();
  for (const { municipality_code: m, month } of dirty) {
    await inScope(ctx.db, { tenant: '*' }, (trx) => rebuildMunicipalityMonth(trx, m, month));
    months.add(month);
  }
  for (const month of months) await inScope(ctx.db, { tenant: '*' }, (trx) => rebuildNationalMonth(trx, month));
  await inScope(ctx.db, { tenant: '*' }, (trx) => rebuildLive(trx, ctx.now()));
  return { municipalityMonths: dirty.length, nationalMonths: months.size };
}

async function rebuildMunicipalityMonth(trx: Trx, m: string, month: string) {
  const start = sql`(${month}::date::timestamp AT TIME ZONE ${TZ})`;
  const end = sql`((${month}::date + interval '1 month')::timestamp AT TIME ZONE ${TZ})`;
  // Clearing first locks the rows: a concurrent change waits and flags them again after us.
  await sql`UPDATE report SET stats_dirty = false WHERE municipality_code = ${m} AND stats_dirty AND created_at >= ${start} AND created_at < ${end}`.execute(
    trx,
  );
  const where = sql`r.municipality_code = ${m} AND r.created_at >= ${start} AND r.created_at < ${end}`;
  for (const t of ['report_stats', 'report_stats_duration', 'report_stats_area', 'report_stats_cell']) {
    await sql`DELETE FROM ${sql.table(t)} WHERE municipality_code = ${m} AND month = ${month}::date`.execute(trx);
  }
  await sql`INSERT INTO report_stats (municipality_code, month, category_code, domain, channel, created, acknowledged, closed, sla_applicable, closed_in_sla, closed_late, reopened, hidden, sat_answers, sat_rating_sum, fixed_yes, fixed_no, fixed_dont_know, area_code) ${statsSelect(where)}`.execute(
    trx,
  );
  await sql`INSERT INTO report_stats_duration (municipality_code, month, category_code, kind, bucket, n, area_code) ${durationSelect(where)}`.execute(
    trx,
  );
  await sql`INSERT INTO report_stats_area (municipality_code, month, area_code, category_code, created, closed) ${areaSelect(where)}`.execute(
    trx,
  );
  await sql`INSERT INTO report_stats_cell (municipality_code, month, cell_y, cell_x, n) ${cellSelect(where)}`.execute(
    trx,
  );
}

async function rebuildNationalMonth(trx: Trx, month: string) {
  const n = ELVL_TENANT;
  for (const t of ['report_stats', 'report_stats_duration', 'report_stats_area', 'report_stats_cell']) {
    await sql`DELETE FROM ${sql.table(t)} WHERE municipality_code = ${n} AND month = ${month}::date`.execute(trx);
  }
  await sql`
    INSERT INTO report_stats (municipality_code, month, category_code, domain, channel, created, acknowledged, closed, sla_applicable, closed_in_sla, closed_late, reopened, hidden, sat_answers, sat_rating_sum, fixed_yes, fixed_no, fixed_dont_know, area_code)
    SELECT ${n}, month, category_code, min(domain), channel, sum(created), sum(acknowledged), sum(closed), sum(sla_applicable), sum(closed_in_sla), sum(closed_late), sum(reopened), sum(hidden), sum(sat_answers), sum(sat_rating_sum), sum(fixed_yes), sum(fixed_no), sum(fixed_dont_know), ${n}
      FROM report_stats WHERE month = ${month}::date AND municipality_code <> ${n} GROUP BY month, category_code, channel`.execute(
    trx,
  );
  await sql`
    INSERT INTO report_stats_duration (municipality_code, month, category_code, kind, bucket, n, area_code)
    SELECT ${n}, month, category_code, kind, bucket, sum(n), ${n} FROM report_stats_duration WHERE month = ${month}::date AND municipality_code <> ${n} GROUP BY month, category_code, kind, bucket`.execute(
    trx,
  );
  await sql`
    INSERT INTO report_stats_area (municipality_code, month, area_code, category_code, created, closed)
    SELECT ${n}, month, municipality_code, category_code, sum(created), sum(closed) FROM report_stats_area WHERE month = ${month}::date AND municipality_code <> ${n} GROUP BY month, municipality_code, category_code`.execute(
    trx,
  );
  await sql`
    INSERT INTO report_stats_cell (municipality_code, month, cell_y, cell_x, n)
    SELECT ${n}, month, floor(cell_y::numeric / ${NATIONAL_CELL_FACTOR})::int, floor(cell_x::numeric / ${NATIONAL_CELL_FACTOR})::int, sum(n) FROM report_stats_cell WHERE month = ${month}::date AND municipality_code <> ${n} GROUP BY 1, 2, 3, 4`.execute(
    trx,
  );
}

/** Rebuilds every statistic from scratch in one transaction (after bulk loads, or to repair). */
async function rebuildAll(ctx: AppContext): Promise<RefreshResult> {
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    // Only the flagged rows are touched (a bulk load can write its rows unflagged).
    await sql`UPDATE report SET stats_dirty = false WHERE stats_dirty`.execute(trx);
    for (const t of ['report_stats', 'report_stats_duration', 'report_stats_area', 'report_stats_cell'])
      await sql`DELETE FROM ${sql.table(t)}`.execute(trx);
    const all = sql`true`;
    await sql`INSERT INTO report_stats (municipality_code, month, category_code, domain, channel, created, acknowledged, closed, sla_applicable, closed_in_sla, closed_late, reopened, hidden, sat_answers, sat_rating_sum, fixed_yes, fixed_no, fixed_dont_know, area_code) ${statsSelect(all)}`.execute(
      trx,
    );
    await sql`INSERT INTO report_stats_duration (municipality_code, month, category_code, kind, bucket, n, area_code) ${durationSelect(all)}`.execute(
      trx,
    );
    await sql`INSERT INTO report_stats_area (municipality_code, month, area_code, category_code, created, closed) ${areaSelect(all)}`.execute(
      trx,
    );
    await sql`INSERT INTO report_stats_cell (municipality_code, month, cell_y, cell_x, n) ${cellSelect(all)}`.execute(
      trx,
    );
    const { rows } = await sql<{
      month: string;
      n: number;
    }>`SELECT month::text AS month, count(DISTINCT municipality_code)::int AS n FROM report_stats GROUP BY 1`.execute(
      trx,
    );
    for (const r of rows) await rebuildNationalMonth(trx, r.month);
    await rebuildLive(trx, ctx.now());
    return { municipalityMonths: rows.reduce((s, r) => s + r.n, 0), nationalMonths: rows.length };
  });
}
