import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { geoIndex } from '../../platform/places/geo';
import { categoriesOf, type Category } from './categories';
import { CLOSED_STATUSES } from './statuses';
import type { ReportStatus } from './store';

/**
 * Synthetic reports for the demo and the benchmark: deterministic (seeded), spread over the
 * municipality's land, with a realistic life — acknowledged after hours, closed after days
 * (mostly within the category's SLA), some reopened, some rated — and the events that record it.
 * Written in bulk (unnest arrays); call refreshStats afterwards.
 */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIGHTS: Record<string, number> = {
  roads: 26,
  cleanliness: 18,
  lighting: 14,
  greenery: 10,
  parking: 9,
  hazard: 7,
  'dead-animal': 4,
  'state-road': 4,
  other: 8,
};
const DESCRIPTIONS: Record<string, string[]> = {
  roads: [
    'Suur auk sõiduteel, autod põikavad vastassuunda.',
    'Kõnnitee plaadid on lahti ja kõiguvad.',
    'Liiklusmärk on ümber lükatud.',
    'Äärekivi on katki, ratastool ei pääse üle.',
  ],
  cleanliness: [
    'Prügikast on üle ajanud, prügi on laiali tuule käes.',
    'Bussipeatuses on klaasikillud.',
    'Hoovis on vana diivan ja ehitusprügi.',
  ],
  lighting: [
    'Tänavavalgustus ei põle terve kvartali ulatuses.',
    'Laternapost vilgub öö läbi.',
    'Pargi valgustus on mitu nädalat kustunud.',
  ],
  greenery: [
    'Murul on murdunud puu oks, ohustab möödujaid.',
    'Põõsad kasvavad kõnniteele, ei mahu mööda.',
    'Haljasala on niitmata.',
  ],
  parking: [
    'Auto pargib ülekäigurajal iga päev.',
    'Sõiduk blokeerib prügiauto juurdepääsu.',
    'Kaubik pargib jalgrattateel.',
  ],
  hazard: [
    'Kaevu kaas on puudu, auk on sügav.',
    'Ehitusplats on piirdeta, lapsed mängivad seal.',
    'Katuselt rippuvad jääpurikad kõnnitee kohal.',
  ],
  'dead-animal': ['Teeserval on surnud kass.', 'Pargis on surnud lind.', 'Sõidutee ääres on surnud metskits.'],
  'state-road': ['Riigimaantee teekattes on sügavad roopad.', 'Maantee ääres on bussipeatuse ootekoda lõhutud.'],
  other: ['Mänguväljaku kiik on katki.', 'Pingi lauad on murdunud.', 'Avalik tualett on suletud.'],
};
const UPDATES = [
  'Teade on edastatud hoolduspartnerile.',
  'Töö on planeeritud järgmisesse nädalasse.',
  'Probleem on kõrvaldatud. Täname teavitamast!',
  'Koht vaadati üle.',
];

export interface GenerateOptions {
  municipalityCode: string;
  count: number;
  /** Reports are created between these times, evenly. */
  from: Date;
  to: Date;
  seed: number;
  /** Person ids to use as logged-in reporters (others are anonymous web/open311 reports). */
  reporters?: { personId: string; name: string }[];
  /** Officials (person ids) who appear in the events. */
  officials?: string[];
  /** Write events too (the demo's report pages need them; the benchmark's bulk may skip them). */
  events?: boolean;
  /** Flag the reports for the statistics job (default); false when a full rebuild follows anyway. */
  statsDirty?: boolean;
  now: Date;
  batch?: number;
  onProgress?: (n: number) => void;
}

interface Gen {
  settlement: string | null;
  category: string;
  status: ReportStatus;
  description: string;
  lat: number;
  lon: number;
  channel: string;
  reporter: string | null;
  name: string | null;
  showName: boolean;
  created: Date;
  ack: Date | null;
  firstClosed: Date | null;
  closed: Date | null;
  reopen: number;
  slaDue: Date | null;
  department: string | null;
  assignee: string | null;
  sat: { fixed: string; rating: number } | null;
}

export async function generateReports(ctx: AppContext, o: GenerateOptions): Promise<number> {
  const random = rng(o.seed);
  const g = geoIndex();
  const bounds = g.municipalityBounds(o.municipalityCode);
  if (!bounds) throw new Error(`no boundary for ${o.municipalityCode}`);
  const cats = await inScope(ctx.db, { tenant: o.municipalityCode }, (trx) => categoriesOf(trx, o.municipalityCode));
  const active = cats.filter((c) => c.active);
  const weighted: Category[] = [];
  for (const c of active) for (let i = 0; i < (WEIGHTS[c.code] ?? 5); i++) weighted.push(c);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const [s, w, n, e] = bounds;
  // A pool of points on land in the municipality (rejection sampling over its bounding box).
  const pool: { lat: number; lon: number; settlement: string | null }[] = [];
  for (let tries = 0; pool.length < Math.min(4000, Math.max(200, o.count)) && tries < 200_000; tries++) {
    const lat = s + random() * (n - s);
    const lon = w + random() * (e - w);
    const m = g.locate(lat, lon);
    if (m && m.municipality.code === o.municipalityCode && !m.snapped)
      pool.push({ lat, lon, settlement: m.settlement?.code ?? null });
  }
  if (!pool.length) throw new Error(`no land found in ${o.municipalityCode}`);
  const span = o.to.getTime() - o.from.getTime();
  const batch = o.batch ?? 5000;
  let written = 0;
  while (written < o.count) {
    const size = Math.min(batch, o.count - written);
    const rows: Gen[] = [];
    for (let i = 0; i < size; i++) {
      const c = pick(weighted);
      const p = pick(pool);
      const created = new Date(o.from.getTime() + ((written + i + random()) / o.count) * span);
      const age = o.now.getTime() - created.getTime();
      const sla = c.slaDays ?? 30;
      const ackAfter = (0.2 + random() * random() * 72) * 3600_000;
      const ack = age > ackAfter ? new Date(created.getTime() + ackAfter) : null;
      // Most close within the SLA, a tail much later.
      const closeDays = random() < 0.8 ? random() * sla : sla + random() * random() * sla * 6;
      const closeAfter = Math.max(ackAfter + 3600_000, closeDays * 86_400_000);
      const willClose = random() < 0.93;
      let firstClosed = ack && willClose && age > closeAfter ? new Date(created.getTime() + closeAfter) : null;
      let status: ReportStatus = ack ? pick(['investigating', 'in_progress', 'action_scheduled'] as const) : 'open';
      let closed: Date | null = null;
      let reopen = 0;
      if (firstClosed) {
        status = pick(['fixed', 'fixed', 'fixed', 'closed', 'not_responsible', 'no_further_action'] as const);
        closed = firstClosed;
        if (random() < 0.05) {
          reopen = 1;
          const reopenedAt = new Date(firstClosed.getTime() + 2 * 86_400_000);
          if (reopenedAt.getTime() < o.now.getTime()) {
            status = 'in_progress';
            closed = null;
            if (random() < 0.7 && reopenedAt.getTime() + 5 * 86_400_000 < o.now.getTime()) {
              status = 'fixed';
              closed = new Date(reopenedAt.getTime() + 5 * 86_400_000);
            }
          }
        }
      } else firstClosed = null;
      const r = o.reporters?.length && random() < 0.4 ? pick(o.reporters) : null;
      const rated = closed && status === 'fixed' && random() < 0.35;
      rows.push({
        settlement: p.settlement,
        category: c.code,
        status,
        description: pick(DESCRIPTIONS[c.code] ?? DESCRIPTIONS.other!),
        lat: Math.round((p.lat + (random() - 0.5) * 0.0004) * 1e6) / 1e6,
        lon: Math.round((p.lon + (random() - 0.5) * 0.0008) * 1e6) / 1e6,
        channel: random() < 0.75 ? 'web' : random() < 0.6 ? 'open311' : 'mobile',
        reporter: r?.personId ?? null,
        name: r?.name ?? (random() < 0.5 ? null : pick(['Mari', 'Jaan', 'Kati', 'Toomas', 'Olga', 'Sergei', 'Liis'])),
        showName: random() < 0.2,
        created,
        ack,
        firstClosed,
        closed,
        reopen,
        slaDue: c.slaDays ? new Date(created.getTime() + c.slaDays * 86_400_000) : null,
        department:
          c.department ??
          (c.bodyCode ? null : pick(['Kommunaalamet', 'Keskkonnaamet', 'Transpordiamet', 'Linnavaraamet'])),
        assignee: ack && o.officials?.length ? pick(o.officials) : null,
        sat: rated
          ? {
              fixed: random() < 0.8 ? 'yes' : random() < 0.5 ? 'no' : 'dont_know',
              rating: Math.min(5, 1 + Math.floor(random() * 5.5)),
            }
          : null,
      });
    }
    await insertBatch(ctx, o, rows);
    written += size;
    o.onProgress?.(written);
  }
  return written;
}

async function insertBatch(ctx: AppContext, o: GenerateOptions, rows: Gen[]) {
  const m = o.municipalityCode;
  const col = <K extends keyof Gen>(k: K) => rows.map((r) => r[k]);
  await inScope(ctx.db, { tenant: m }, async (trx) => {
    const { rows: ids } = await sql<{ id: number }>`
      INSERT INTO report (municipality_code, settlement_code, category_code, body_code, status, description, lat, lon, channel, reporter_person_id, reporter_name, show_name,
                          department, assignee_person_id, created_at, updated_at, acknowledged_at, first_closed_at, closed_at, reopen_count, sla_due_at, stats_dirty,
                          alerts_pending, overdue_notified_at)
      SELECT ${m}, t.settlement, t.category, c.body_code, t.status, t.description, t.lat, t.lon, t.channel, t.reporter, t.name, t.show_name,
             t.department, t.assignee, t.created, greatest(t.created, t.ack, t.closed, t.first_closed), t.ack, t.first_closed, t.closed, t.reopen, t.sla_due, ${o.statsDirty ?? true},
             -- Generated history: nobody is told about it.
             false, CASE WHEN t.closed IS NULL AND t.sla_due < now() THEN t.sla_due END
        FROM unnest(${col('settlement')}::text[], ${col('category')}::text[], ${col('status')}::text[], ${col('description')}::text[], ${col('lat')}::float8[], ${col('lon')}::float8[],
                    ${col('channel')}::text[], ${col('reporter')}::uuid[], ${col('name')}::text[], ${col('showName')}::bool[], ${col('department')}::text[], ${col('assignee')}::uuid[],
                    ${col('created')}::timestamptz[], ${col('ack')}::timestamptz[], ${col('firstClosed')}::timestamptz[], ${col('closed')}::timestamptz[], ${col('reopen')}::int[], ${col('slaDue')}::timestamptz[])
             WITH ORDINALITY AS t(settlement, category, status, description, lat, lon, channel, reporter, name, show_name, department, assignee, created, ack, first_closed, closed, reopen, sla_due, ord)
        LEFT JOIN report_category c ON c.municipality_code = ${m} AND c.code = t.category
       ORDER BY t.ord
      RETURNING id`.execute(trx);
    const sat = rows.map((r, i) => ({ r, id: ids[i]!.id })).filter((x) => x.r.sat);
    if (sat.length) {
      await sql`
        INSERT INTO report_satisfaction (municipality_code, report_id, at, fixed, rating, closing)
        SELECT ${m}, t.id, t.at, t.fixed, t.rating, t.closing
          FROM unnest(${sat.map((x) => x.id)}::bigint[], ${sat.map((x) => new Date(x.r.closed!.getTime() + 86_400_000))}::timestamptz[], ${sat.map((x) => x.r.sat!.fixed)}::text[], ${sat.map((x) => x.r.sat!.rating)}::int[], ${sat.map((x) => x.r.reopen + 1)}::int[])
               AS t(id, at, fixed, rating, closing)`.execute(trx);
    }
    if (o.events === false) return;
    const ev: {
      id: number;
      at: Date;
      kind: string;
      from: string | null;
      to: string | null;
      text: string | null;
      actor: string | null;
    }[] = [];
    rows.forEach((r, i) => {
      const id = ids[i]!.id;
      ev.push({ id, at: r.created, kind: 'created', from: null, to: 'open', text: null, actor: r.reporter });
      if (r.ack)
        ev.push({
          id,
          at: r.ack,
          kind: 'status',
          from: 'open',
          to: r.firstClosed || CLOSED_STATUSES.includes(r.status) ? 'investigating' : r.status,
          text: UPDATES[0]!,
          actor: r.assignee,
        });
      if (r.firstClosed)
        ev.push({
          id,
          at: r.firstClosed,
          kind: 'status',
          from: 'investigating',
          to: r.reopen ? 'fixed' : r.status,
          text: UPDATES[2]!,
          actor: r.assignee,
        });
      if (r.reopen && r.firstClosed) {
        const at = new Date(r.firstClosed.getTime() + 2 * 86_400_000);
        if (at < o.now)
          ev.push({
            id,
            at,
            kind: 'status',
            from: 'fixed',
            to: 'in_progress',
            text: 'Probleem kordus.',
            actor: r.assignee,
          });
        if (r.closed && r.closed > r.firstClosed)
          ev.push({
            id,
            at: r.closed,
            kind: 'status',
            from: 'in_progress',
            to: 'fixed',
            text: UPDATES[2]!,
            actor: r.assignee,
          });
      }
    });
    await sql`
      INSERT INTO report_event (municipality_code, report_id, at, kind, public, actor_person_id, status_from, status_to, text)
      SELECT ${m}, t.id, t.at, t.kind, true, t.actor, t.sfrom, t.sto, t.txt
        FROM unnest(${ev.map((x) => x.id)}::bigint[], ${ev.map((x) => x.at)}::timestamptz[], ${ev.map((x) => x.kind)}::text[], ${ev.map((x) => x.actor)}::uuid[], ${ev.map((x) => x.from)}::text[], ${ev.map((x) => x.to)}::text[], ${ev.map((x) => x.text)}::text[])
             AS t(id, at, kind, actor, sfrom, sto, txt)`.execute(trx);
  });
}
