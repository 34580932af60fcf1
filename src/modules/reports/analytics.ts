import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../platform/context';
import { requireRole, type Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { fieldError, invalid } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { canAnalyse } from './policy';
import { placeName } from './getReport';
import {
  areaSelect,
  cellSelect,
  CELL_LAT,
  CELL_LON,
  durationSelect,
  NATIONAL_CELL_FACTOR,
  statsSelect,
} from './refreshStats';
import {
  DURATION_BUCKET_EDGES_H,
  averageRating,
  monthsBetween,
  percentileHours,
  reopenRate,
  slaPercent,
} from './analyticsFormulas';
import { STATUSES } from './statuses';
import type { ReportStatus } from './store';

/**
 * The analytics module: figures for one municipality (its officials and analysts) or, under
 * ELVL's code '0000', for all municipalities together (ELVL's admins and analysts). Formulas are
 * in analyticsFormulas.ts. Answers come from the pre-aggregated tables (refreshed every minute;
 * volumes and durations also by settlement unit) unless a filter needs single reports (status),
 * or, for the "now" figures (backlog, past SLA) and heat cells, a settlement unit inside a
 * municipality: then the same aggregation runs over `report` directly, so both paths give the
 * same numbers.
 */
export interface AnalyticsQuery {
  scope: string;
  from: string;
  to: string;
  categories?: string[];
  /** A settlement unit (municipality scope) or a municipality (national scope). */
  area?: string;
  status?: ReportStatus[];
}

interface Plan {
  scope: string;
  national: boolean;
  /** Read pre-aggregated rows of this tenant, or null for the raw path. */
  rollupOf: string | null;
  /** A settlement unit inside the municipality (its `area_code`: the municipality code means "none recorded"). */
  settlement: string | null;
  tenant: string;
  start: RawBuilder<unknown>;
  end: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  q: AnalyticsQuery;
}

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const TZ = 'Europe/Tallinn';

function authorise(actor: Actor, scope: string) {
  return scope === ELVL_TENANT ? requireRole(actor, ELVL_TENANT, ['admin', 'analyst']) : canAnalyse(actor, scope);
}

function plan(q: AnalyticsQuery): Plan {
  if (!MONTH.test(q.from)) throw invalid([fieldError('/query/from', R_REPORTS.analyticsMonth)]);
  if (!MONTH.test(q.to)) throw invalid([fieldError('/query/to', R_REPORTS.analyticsMonth)]);
  if (q.from > q.to) throw invalid([fieldError('/query/to', R_REPORTS.analyticsToBeforeFrom)]);
  if (monthsBetween(q.from, q.to).length > 120)
    throw invalid([fieldError('/query/from', R_REPORTS.analyticsAtMostYears, { years: 10 })]);
  if (q.status?.some((s) => !STATUSES.includes(s)))
    throw invalid([
      { pointer: '/query/status', code: 'enum', allowed: [...STATUSES], detail: `one of ${STATUSES.join(', ')}` },
    ]);
  if (q.categories?.some((c) => !/^[a-z0-9-]{2,40}$/.test(c)))
    throw invalid([fieldError('/query/category', R_REPORTS.analyticsCategoryCodes)]);
  if (q.area && !/^[0-9]{4}$/.test(q.area)) throw invalid([fieldError('/query/area', R_REPORTS.analyticsAreaCode)]);
  const national = q.scope === ELVL_TENANT;
  const start = sql`(${q.from + '-01'}::date::timestamp AT TIME ZONE ${TZ})`;
  const end = sql`((${q.to + '-01'}::date + interval '1 month')::timestamp AT TIME ZONE ${TZ})`;
  const conds: RawBuilder<unknown>[] = [sql`r.created_at >= ${start}`, sql`r.created_at < ${end}`];
  if (!national) conds.push(sql`r.municipality_code = ${q.scope}`);
  else if (q.area) conds.push(sql`r.municipality_code = ${q.area}`);
  const settlement = !national && q.area ? q.area : null;
  if (settlement) conds.push(settlementCond(q.scope, settlement));
  if (q.categories?.length) conds.push(sql`r.category_code = ANY(${q.categories}::text[])`);
  if (q.status?.length) conds.push(sql`r.status = ANY(${q.status}::text[])`);
  const raw = Boolean(q.status?.length);
  return {
    scope: q.scope,
    national,
    rollupOf: raw ? null : national ? (q.area ?? ELVL_TENANT) : q.scope,
    settlement,
    tenant: national ? '*' : q.scope,
    start,
    end,
    where: sql.join(conds, sql` AND `),
    q,
  };
}

/** Reports of one settlement unit, as `area_code` groups them (no unit recorded = the municipality's own code). */
const settlementCond = (municipality: string, settlement: string) =>
  settlement === municipality ? sql`r.settlement_code IS NULL` : sql`r.settlement_code = ${settlement}`;

/** Conditions on the pre-aggregated rows besides tenant and months: categories, settlement unit. */
function rollupConds(p: Plan) {
  const conds: RawBuilder<unknown>[] = [];
  if (p.q.categories?.length) conds.push(sql`AND category_code = ANY(${p.q.categories}::text[])`);
  if (p.settlement) conds.push(sql`AND area_code = ${p.settlement}`);
  return conds.length ? sql.join(conds, sql` `) : sql``;
}

interface StatsRow {
  month: string;
  category_code: string;
  domain: string;
  channel: string;
  created: number;
  acknowledged: number;
  closed: number;
  sla_applicable: number;
  closed_in_sla: number;
  closed_late: number;
  reopened: number;
  hidden: number;
  sat_answers: number;
  sat_rating_sum: number;
  fixed_yes: number;
  fixed_no: number;
  fixed_dont_know: number;
}

const SUMS = sql`sum(created)::int AS created, sum(acknowledged)::int AS acknowledged, sum(closed)::int AS closed, sum(sla_applicable)::int AS sla_applicable,
  sum(closed_in_sla)::int AS closed_in_sla, sum(closed_late)::int AS closed_late, sum(reopened)::int AS reopened, sum(hidden)::int AS hidden,
  sum(sat_answers)::int AS sat_answers, sum(sat_rating_sum)::int AS sat_rating_sum, sum(fixed_yes)::int AS fixed_yes, sum(fixed_no)::int AS fixed_no, sum(fixed_dont_know)::int AS fixed_dont_know`;

function statsSql(p: Plan) {
  if (p.rollupOf) {
    return sql`
      SELECT to_char(month, 'YYYY-MM') AS month, category_code, domain, channel, ${SUMS}
        FROM report_stats WHERE municipality_code = ${p.rollupOf} AND month >= ${p.q.from + '-01'}::date AND month <= ${p.q.to + '-01'}::date ${rollupConds(p)}
       GROUP BY month, category_code, domain, channel`;
  }
  return sql`SELECT to_char(month, 'YYYY-MM') AS month, category_code, domain, channel, ${SUMS} FROM (${statsSelect(sql`true`, sql`rr`)}) s GROUP BY 1, 2, 3, 4`;
}

function durationSql(p: Plan) {
  if (p.rollupOf) {
    return sql`
      SELECT category_code, kind, bucket, sum(n)::int AS n FROM report_stats_duration
       WHERE municipality_code = ${p.rollupOf} AND month >= ${p.q.from + '-01'}::date AND month <= ${p.q.to + '-01'}::date ${rollupConds(p)}
       GROUP BY 1, 2, 3`;
  }
  return sql`SELECT category_code, kind, bucket, sum(n)::int AS n FROM (${durationSelect(sql`true`, sql`rr`)}) d GROUP BY 1, 2, 3`;
}

function areaSql(p: Plan) {
  if (p.rollupOf) {
    return sql`
      SELECT area_code, sum(created)::int AS created, sum(closed)::int AS closed FROM report_stats_area
       WHERE municipality_code = ${p.rollupOf} AND month >= ${p.q.from + '-01'}::date AND month <= ${p.q.to + '-01'}::date ${rollupConds(p)}
       GROUP BY 1 ORDER BY 2 DESC, 1`;
  }
  const areaExpr = p.national ? sql`municipality_code` : sql`area_code`;
  return sql`SELECT ${areaExpr} AS area_code, sum(created)::int AS created, sum(closed)::int AS closed FROM (${areaSelect(sql`true`, sql`rr`)}) a GROUP BY 1 ORDER BY 2 DESC, 1`;
}

/**
 * Figures that depend on "now": open reports by age and those past their SLA. Without filters on
 * single reports they come from report_stats_live (computed by the statistics job every minute);
 * otherwise from the open reports themselves (few, and covered by a partial index).
 */
function liveSql(ctx: AppContext, p: Plan) {
  if (p.rollupOf && !p.settlement) {
    const cats = p.q.categories?.length ? sql`AND category_code = ANY(${p.q.categories}::text[])` : sql``;
    return sql`
      SELECT category_code,
             sum(overdue) FILTER (WHERE month >= ${p.q.from + '-01'}::date AND month <= ${p.q.to + '-01'}::date)::int AS overdue,
             sum(d7)::int AS d7, sum(d30)::int AS d30, sum(d90)::int AS d90, sum(older)::int AS older
        FROM report_stats_live WHERE municipality_code = ${p.rollupOf} ${cats} GROUP BY 1`;
  }
  const now = ctx.now();
  const conds: RawBuilder<unknown>[] = [sql`r.closed_at IS NULL`];
  if (!p.national) conds.push(sql`r.municipality_code = ${p.scope}`);
  else if (p.q.area) conds.push(sql`r.municipality_code = ${p.q.area}`);
  if (p.settlement) conds.push(settlementCond(p.scope, p.settlement));
  if (p.q.categories?.length) conds.push(sql`r.category_code = ANY(${p.q.categories}::text[])`);
  if (p.q.status?.length) conds.push(sql`r.status = ANY(${p.q.status}::text[])`);
  const where = sql.join(conds, sql` AND `);
  // One pass over the open reports: the age buckets and, per category, those of the period past their SLA.
  return sql`
    SELECT r.category_code,
           count(*) FILTER (WHERE r.first_closed_at IS NULL AND r.sla_due_at < ${now} AND r.created_at >= ${p.start} AND r.created_at < ${p.end})::int AS overdue,
           count(*) FILTER (WHERE r.created_at >= ${now}::timestamptz - interval '7 days')::int AS d7,
           count(*) FILTER (WHERE r.created_at < ${now}::timestamptz - interval '7 days' AND r.created_at >= ${now}::timestamptz - interval '30 days')::int AS d30,
           count(*) FILTER (WHERE r.created_at < ${now}::timestamptz - interval '30 days' AND r.created_at >= ${now}::timestamptz - interval '90 days')::int AS d90,
           count(*) FILTER (WHERE r.created_at < ${now}::timestamptz - interval '90 days')::int AS older
      FROM report r WHERE ${where} AND r.created_at <= ${now}
     GROUP BY 1`;
}

type DurationRow = { category_code: string; kind: 'a' | 'c'; bucket: number; n: number };
type AreaRow = { area_code: string; created: number; closed: number };

/** Every part of the overview in one statement: one round trip, one snapshot. */
async function overviewRows(ctx: AppContext, trx: Trx, p: Plan) {
  // Filters that need single reports read them once (rr) for all the parts.
  const rr = p.rollupOf
    ? sql``
    : sql`WITH rr AS MATERIALIZED (SELECT r.municipality_code, r.id, r.created_at, r.category_code, r.channel, r.settlement_code, r.acknowledged_at, r.first_closed_at, r.sla_due_at, r.reopen_count, r.hidden FROM report r WHERE ${p.where})`;
  const { rows } = await sql<{
    stats: StatsRow[];
    durations: DurationRow[];
    areas: AreaRow[];
    open: { category_code: string; overdue: number; d7: number; d30: number; d90: number; older: number }[];
  }>`
    ${rr}
    SELECT (SELECT coalesce(json_agg(x), '[]') FROM (${statsSql(p)}) x) AS stats,
           (SELECT coalesce(json_agg(x), '[]') FROM (${durationSql(p)}) x) AS durations,
           (SELECT coalesce(json_agg(x), '[]') FROM (${areaSql(p)}) x) AS areas,
           (SELECT coalesce(json_agg(x), '[]') FROM (${liveSql(ctx, p)}) x) AS open`.execute(trx);
  const r = rows[0]!;
  const sum = (k: 'd7' | 'd30' | 'd90' | 'older') => r.open.reduce((s, o) => s + o[k], 0);
  const backlog = { d7: sum('d7'), d30: sum('d30'), d90: sum('d90'), older: sum('older'), total: 0 };
  backlog.total = backlog.d7 + backlog.d30 + backlog.d90 + backlog.older;
  return {
    stats: r.stats,
    durations: r.durations,
    areas: r.areas,
    live: {
      overdue: r.open
        .filter((o) => (o.overdue ?? 0) > 0)
        .map((o) => ({ category_code: o.category_code, n: o.overdue })),
      backlog,
    },
  };
}

export interface DurationSummary {
  n: number;
  medianHours: number | null;
  p90Hours: number | null;
}

const summarise = (counts: Map<number, number>): DurationSummary => {
  let n = 0;
  for (const v of counts.values()) n += v;
  const fin = (x: number | null) => (x === Infinity ? null : x);
  return { n, medianHours: fin(percentileHours(counts, 0.5)), p90Hours: fin(percentileHours(counts, 0.9)) };
};

export interface Overview {
  scope: string;
  from: string;
  to: string;
  source: 'pre-aggregated' | 'reports';
  totals: { created: number; acknowledged: number; closed: number; hidden: number };
  volumeByMonth: { month: string; created: number; closed: number }[];
  byCategory: {
    code: string;
    domain: string;
    created: number;
    closed: number;
    slaPercent: number | null;
    acknowledge: DurationSummary;
    close: DurationSummary;
  }[];
  byDomain: { domain: string; created: number }[];
  byChannel: { channel: string; created: number }[];
  byArea: { code: string; name: string; created: number; closed: number }[];
  timeToAcknowledge: DurationSummary & { histogram: { upToHours: number | null; n: number }[] };
  timeToClose: DurationSummary & { histogram: { upToHours: number | null; n: number }[] };
  sla: { applicable: number; closedInSla: number; closedLate: number; openOverdue: number; percent: number | null };
  reopen: { closed: number; reopened: number; percent: number | null };
  satisfaction: {
    answers: number;
    averageRating: number | null;
    fixedYes: number;
    fixedNo: number;
    fixedDontKnow: number;
  };
  backlog: { open: number; olderThan30Days: number; byAge: { label: '0-7' | '8-30' | '31-90' | '>90'; n: number }[] };
}

export async function analyticsOverview(ctx: AppContext, actor: Actor, q: AnalyticsQuery): Promise<Overview> {
  const who = authorise(actor, q.scope);
  return computeOverview(ctx, q, who.personId);
}

/** Public statistics of a municipality: the last 12 months, the figures residents ask about. */
export async function publicStatistics(ctx: AppContext, municipalityCode: string) {
  const now = ctx.now();
  const fmt = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const to = fmt(now);
  const from = fmt(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)));
  const o = await computeOverview(ctx, { scope: municipalityCode, from, to });
  return {
    municipalityCode,
    from,
    to,
    created: o.totals.created,
    closed: o.totals.closed,
    timeToAcknowledge: { medianHours: o.timeToAcknowledge.medianHours, p90Hours: o.timeToAcknowledge.p90Hours },
    timeToClose: { medianHours: o.timeToClose.medianHours, p90Hours: o.timeToClose.p90Hours },
    slaPercent: o.sla.percent,
    reopenPercent: o.reopen.percent,
    satisfaction: { answers: o.satisfaction.answers, averageRating: o.satisfaction.averageRating },
    backlog: { open: o.backlog.open, olderThan30Days: o.backlog.olderThan30Days },
    volumeByMonth: o.volumeByMonth,
    byCategory: o.byCategory.map((c) => ({
      code: c.code,
      created: c.created,
      closed: c.closed,
      closeMedianHours: c.close.medianHours,
      slaPercent: c.slaPercent,
    })),
  };
}

async function computeOverview(ctx: AppContext, q: AnalyticsQuery, personId?: string): Promise<Overview> {
  const p = plan(q);
  // Read-heavy: a replica within the staleness bound may answer (the aggregates are a minute old anyway).
  return inScope(ctx.readDb, { tenant: p.tenant, ...(personId ? { actor: personId } : {}) }, async (trx) => {
    const { stats, durations, areas, live } = await overviewRows(ctx, trx, p);
    const months = monthsBetween(q.from, q.to);
    const byMonth = new Map(months.map((m) => [m, { month: m, created: 0, closed: 0 }]));
    const byCat = new Map<
      string,
      { code: string; domain: string; created: number; closed: number; inSla: number; late: number }
    >();
    const byDomain = new Map<string, number>();
    const byChannel = new Map<string, number>();
    const t = {
      created: 0,
      acknowledged: 0,
      closed: 0,
      hidden: 0,
      sla: 0,
      inSla: 0,
      late: 0,
      reopened: 0,
      sat: 0,
      satSum: 0,
      yes: 0,
      no: 0,
      dk: 0,
    };
    for (const r of stats) {
      const mm = byMonth.get(r.month);
      if (mm) {
        mm.created += r.created;
        mm.closed += r.closed;
      }
      const c = byCat.get(r.category_code) ?? {
        code: r.category_code,
        domain: r.domain,
        created: 0,
        closed: 0,
        inSla: 0,
        late: 0,
      };
      c.created += r.created;
      c.closed += r.closed;
      c.inSla += r.closed_in_sla;
      c.late += r.closed_late;
      byCat.set(r.category_code, c);
      byDomain.set(r.domain, (byDomain.get(r.domain) ?? 0) + r.created);
      byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + r.created);
      t.created += r.created;
      t.acknowledged += r.acknowledged;
      t.closed += r.closed;
      t.hidden += r.hidden;
      t.sla += r.sla_applicable;
      t.inSla += r.closed_in_sla;
      t.late += r.closed_late;
      t.reopened += r.reopened;
      t.sat += r.sat_answers;
      t.satSum += r.sat_rating_sum;
      t.yes += r.fixed_yes;
      t.no += r.fixed_no;
      t.dk += r.fixed_dont_know;
    }
    const hist = { a: new Map<number, number>(), c: new Map<number, number>() };
    const catHist = new Map<string, { a: Map<number, number>; c: Map<number, number> }>();
    for (const d of durations) {
      hist[d.kind].set(d.bucket, (hist[d.kind].get(d.bucket) ?? 0) + d.n);
      const h = catHist.get(d.category_code) ?? { a: new Map(), c: new Map() };
      h[d.kind].set(d.bucket, (h[d.kind].get(d.bucket) ?? 0) + d.n);
      catHist.set(d.category_code, h);
    }
    const overdueByCat = new Map(live.overdue.map((o) => [o.category_code, o.n]));
    const openOverdue = live.overdue.reduce((s, o) => s + o.n, 0);
    const histogram = (m: Map<number, number>) =>
      [...m.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([b, n]) => ({ upToHours: b < DURATION_BUCKET_EDGES_H.length ? DURATION_BUCKET_EDGES_H[b]! : null, n }));
    return {
      scope: q.scope,
      from: q.from,
      to: q.to,
      source: p.rollupOf ? 'pre-aggregated' : 'reports',
      totals: { created: t.created, acknowledged: t.acknowledged, closed: t.closed, hidden: t.hidden },
      volumeByMonth: [...byMonth.values()],
      byCategory: [...byCat.values()]
        .sort((a, b) => b.created - a.created || a.code.localeCompare(b.code))
        .map((c) => ({
          code: c.code,
          domain: c.domain,
          created: c.created,
          closed: c.closed,
          slaPercent: slaPercent({
            closedInSla: c.inSla,
            closedLate: c.late,
            openOverdue: overdueByCat.get(c.code) ?? 0,
          }),
          acknowledge: summarise(catHist.get(c.code)?.a ?? new Map()),
          close: summarise(catHist.get(c.code)?.c ?? new Map()),
        })),
      byDomain: [...byDomain.entries()]
        .map(([domain, created]) => ({ domain, created }))
        .sort((a, b) => b.created - a.created),
      byChannel: [...byChannel.entries()]
        .map(([channel, created]) => ({ channel, created }))
        .sort((a, b) => b.created - a.created),
      byArea: areas.map((a) => ({
        code: a.area_code,
        name: placeName(a.area_code) ?? a.area_code,
        created: a.created,
        closed: a.closed,
      })),
      timeToAcknowledge: { ...summarise(hist.a), histogram: histogram(hist.a) },
      timeToClose: { ...summarise(hist.c), histogram: histogram(hist.c) },
      sla: {
        applicable: t.sla,
        closedInSla: t.inSla,
        closedLate: t.late,
        openOverdue,
        percent: slaPercent({ closedInSla: t.inSla, closedLate: t.late, openOverdue }),
      },
      reopen: {
        closed: t.closed,
        reopened: t.reopened,
        percent: reopenRate({ closed: t.closed, reopened: t.reopened }),
      },
      satisfaction: {
        answers: t.sat,
        averageRating: averageRating({ answers: t.sat, ratingSum: t.satSum }),
        fixedYes: t.yes,
        fixedNo: t.no,
        fixedDontKnow: t.dk,
      },
      backlog: {
        open: live.backlog.total,
        olderThan30Days: live.backlog.d90 + live.backlog.older,
        byAge: [
          { label: '0-7', n: live.backlog.d7 },
          { label: '8-30', n: live.backlog.d30 },
          { label: '31-90', n: live.backlog.d90 },
          { label: '>90', n: live.backlog.older },
        ],
      },
    };
  });
}

export interface Heat {
  cellLat: number;
  cellLon: number;
  cells: { lat: number; lon: number; n: number }[];
}

/** Report density for the map's heat layer: counts per grid cell (≈1 km, nationally ≈10 km). */
export async function analyticsHeat(ctx: AppContext, actor: Actor, q: AnalyticsQuery): Promise<Heat> {
  const who = authorise(actor, q.scope);
  const p = plan(q);
  const factor = p.national && (p.rollupOf === ELVL_TENANT || !p.rollupOf) ? NATIONAL_CELL_FACTOR : 1;
  return inScope(ctx.readDb, { tenant: p.tenant, actor: who.personId }, async (trx) => {
    let rows: { cell_y: number; cell_x: number; n: number }[];
    if (p.rollupOf && !q.categories?.length && !p.settlement) {
      ({ rows } = await sql<{ cell_y: number; cell_x: number; n: number }>`
        SELECT cell_y, cell_x, sum(n)::int AS n FROM report_stats_cell
         WHERE municipality_code = ${p.rollupOf} AND month >= ${q.from + '-01'}::date AND month <= ${q.to + '-01'}::date GROUP BY 1, 2`.execute(
        trx,
      ));
    } else {
      ({ rows } = await sql<{ cell_y: number; cell_x: number; n: number }>`
        SELECT floor(cell_y::numeric / ${factor})::int AS cell_y, floor(cell_x::numeric / ${factor})::int AS cell_x, sum(n)::int AS n FROM (${cellSelect(p.where)}) c GROUP BY 1, 2`.execute(
        trx,
      ));
    }
    const cellLat = CELL_LAT * factor;
    const cellLon = CELL_LON * factor;
    return {
      cellLat,
      cellLon,
      cells: rows.map((r) => ({
        lat: Math.round(r.cell_y * cellLat * 1e6) / 1e6,
        lon: Math.round(r.cell_x * cellLon * 1e6) / 1e6,
        n: r.n,
      })),
    };
  });
}

/** CSV of the same figures as the overview: one table per `table`. */
export function overviewCsv(o: Overview, table: 'months' | 'categories' | 'areas' | 'channels' | 'summary'): string {
  const rows: (string | number | null)[][] = [];
  if (table === 'months') {
    rows.push(['month', 'created', 'closed']);
    for (const m of o.volumeByMonth) rows.push([m.month, m.created, m.closed]);
  } else if (table === 'categories') {
    rows.push([
      'category',
      'domain',
      'created',
      'closed',
      'sla_percent',
      'acknowledge_median_hours',
      'acknowledge_p90_hours',
      'close_median_hours',
      'close_p90_hours',
    ]);
    for (const c of o.byCategory)
      rows.push([
        c.code,
        c.domain,
        c.created,
        c.closed,
        c.slaPercent,
        c.acknowledge.medianHours,
        c.acknowledge.p90Hours,
        c.close.medianHours,
        c.close.p90Hours,
      ]);
  } else if (table === 'areas') {
    rows.push(['area_code', 'area', 'created', 'closed']);
    for (const a of o.byArea) rows.push([a.code, a.name, a.created, a.closed]);
  } else if (table === 'channels') {
    rows.push(['channel', 'created']);
    for (const c of o.byChannel) rows.push([c.channel, c.created]);
  } else {
    rows.push(['measure', 'value']);
    rows.push(
      ['created', o.totals.created],
      ['acknowledged', o.totals.acknowledged],
      ['closed', o.totals.closed],
      ['hidden', o.totals.hidden],
    );
    rows.push(
      ['acknowledge_median_hours', o.timeToAcknowledge.medianHours],
      ['acknowledge_p90_hours', o.timeToAcknowledge.p90Hours],
    );
    rows.push(['close_median_hours', o.timeToClose.medianHours], ['close_p90_hours', o.timeToClose.p90Hours]);
    rows.push(
      ['sla_closed_in_time', o.sla.closedInSla],
      ['sla_closed_late', o.sla.closedLate],
      ['sla_open_overdue', o.sla.openOverdue],
      ['sla_percent', o.sla.percent],
    );
    rows.push(['reopened', o.reopen.reopened], ['reopen_percent', o.reopen.percent]);
    rows.push(
      ['satisfaction_answers', o.satisfaction.answers],
      ['satisfaction_average', o.satisfaction.averageRating],
      ['fixed_yes', o.satisfaction.fixedYes],
      ['fixed_no', o.satisfaction.fixedNo],
      ['fixed_dont_know', o.satisfaction.fixedDontKnow],
    );
    rows.push(['backlog_open', o.backlog.open], ['backlog_older_than_30_days', o.backlog.olderThan30Days]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // Formula injection: a cell starting with = + - @ is prefixed so spreadsheets show it as text.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
