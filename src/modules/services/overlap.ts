import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { canReadCatalogue, canReadNational } from './policy';
import { STATE_SERVICES, stateServiceById } from './reference';
import type { ServiceData } from './schemas';
import type { ServiceStatus } from './reference';

/**
 * Overlap with state services. Declared relations come from each service's `stateServices`
 * (`duplicates`: the municipality does what a state service does; `depends-on`: the municipal
 * service needs the state service's result first). A service that declares nothing about a state
 * service whose Estonian name is close to its own (token Jaccard similarity ≥ 0.5, on words of 4+
 * letters) is listed as a `possible-duplicate` for someone to review.
 */
export type OverlapRelation = 'duplicates' | 'depends-on' | 'possible-duplicate';

const words = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .normalize('NFC')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 4),
  );
export function similarity(a: string, b: string): number {
  const A = words(a);
  const B = words(b);
  if (!A.size || !B.size) return 0;
  let both = 0;
  for (const w of A) if (B.has(w)) both += 1;
  return both / (A.size + B.size - both);
}

interface Row {
  municipality_code: string;
  id: string;
  identifier: string;
  status: ServiceStatus;
  data: ServiceData;
}

export function overlapsOf(rows: Row[]) {
  const out: {
    municipalityCode: string;
    serviceId: string;
    identifier: string;
    name: string;
    status: ServiceStatus;
    stateService: { id: string; name: string; url: string };
    relation: OverlapRelation;
    similarity?: number;
  }[] = [];
  for (const r of rows) {
    const declared = new Set(r.data.stateServices.map((s) => s.id));
    for (const s of r.data.stateServices) {
      if (s.relation === 'related') continue;
      out.push({
        municipalityCode: r.municipality_code,
        serviceId: r.id,
        identifier: r.identifier,
        name: r.data.name.et,
        status: r.status,
        stateService: { id: s.id, name: s.name, url: s.url },
        relation: s.relation,
      });
    }
    for (const st of STATE_SERVICES) {
      if (declared.has(st.id)) continue;
      const sim = similarity(r.data.name.et, st.name.et);
      if (sim >= 0.5)
        out.push({
          municipalityCode: r.municipality_code,
          serviceId: r.id,
          identifier: r.identifier,
          name: r.data.name.et,
          status: r.status,
          stateService: { id: st.id, name: st.name.et, url: st.url },
          relation: 'possible-duplicate',
          similarity: Math.round(sim * 100) / 100,
        });
    }
  }
  return out;
}

function summarise(items: ReturnType<typeof overlapsOf>) {
  const byRelation: Record<OverlapRelation, number> = { duplicates: 0, 'depends-on': 0, 'possible-duplicate': 0 };
  const byState = new Map<
    string,
    { id: string; name: string; duplicates: number; dependsOn: number; possible: number }
  >();
  for (const i of items) {
    byRelation[i.relation] += 1;
    const e = byState.get(i.stateService.id) ?? {
      id: i.stateService.id,
      name: stateServiceById.get(i.stateService.id)?.name.et ?? i.stateService.name,
      duplicates: 0,
      dependsOn: 0,
      possible: 0,
    };
    if (i.relation === 'duplicates') e.duplicates += 1;
    else if (i.relation === 'depends-on') e.dependsOn += 1;
    else e.possible += 1;
    byState.set(i.stateService.id, e);
  }
  return {
    byRelation,
    byStateService: [...byState.values()].sort(
      (a, b) => b.duplicates + b.dependsOn + b.possible - (a.duplicates + a.dependsOn + a.possible),
    ),
  };
}

/** Overlaps of one municipality's services (archived ones left out). */
export async function municipalityOverlap(ctx: AppContext, actor: Actor, municipalityCode: string) {
  if (municipalityCode !== ELVL_TENANT) canReadCatalogue(actor, municipalityCode);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const r =
      await sql<Row>`SELECT municipality_code, id, identifier, status, data FROM service WHERE municipality_code = ${municipalityCode} AND status <> 'archived' ORDER BY name_et`.execute(
        trx,
      );
    return r.rows;
  });
  const items = overlapsOf(rows);
  return { scope: municipalityCode, items, ...summarise(items) };
}

/** ELVL: overlaps across every municipality. */
export async function nationalOverlap(ctx: AppContext, actor: Actor) {
  canReadNational(actor);
  const rows = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const r =
      await sql<Row>`SELECT municipality_code, id, identifier, status, data FROM service WHERE municipality_code <> '0000' AND status <> 'archived' ORDER BY municipality_code, name_et`.execute(
        trx,
      );
    return r.rows;
  });
  const items = overlapsOf(rows);
  return { scope: 'national', items, ...summarise(items) };
}
