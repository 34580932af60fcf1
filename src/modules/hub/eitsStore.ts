import { sql, type Generated } from 'kysely';
import type { Db, Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';
import type { Catalogue, CatalogueDiff, Group, Layer } from './catalogue';

declare module '../../platform/db/tables' {
  interface KovTables {
    eits_catalogue: {
      version: string;
      seq: Generated<number>;
      source_name: string;
      previous_version: string | null;
      module_count: number;
      measure_count: number;
      diff: Json<CatalogueDiff>;
      imported_by: string | null;
      imported_at: Generated<Date>;
    };
    eits_module: { version: string; code: string; layer: Layer; title: string; description: string };
    eits_measure: {
      version: string;
      code: string;
      module_code: string;
      group_code: Group;
      title: string;
      body: string;
      assignees: string[];
      ordinal: number;
    };
    eits_tracker: {
      municipality_code: string;
      target_level: Group;
      updated_by: string | null;
      updated_at: Generated<Date>;
    };
    eits_module_scope: {
      municipality_code: string;
      module_code: string;
      applies: boolean;
      note: string;
      updated_by: string | null;
      updated_at: Date;
    };
    eits_measure_state: {
      municipality_code: string;
      measure_code: string;
      status: MeasureStatus;
      reason: string;
      responsible_role: string;
      responsible_person: string;
      due_date: string | null;
      evidence: Json<{ title: string; url: string }[]>;
      notes: string;
      catalogue_version: string | null;
      updated_by: string | null;
      updated_at: Generated<Date>;
    };
    eits_audit: {
      municipality_code: string;
      id: Generated<string>;
      audit_date: string;
      kind: 'internal' | 'external';
      auditor: string;
      summary: string;
      next_audit_due: string | null;
      created_by: string | null;
      created_at: Generated<Date>;
    };
    eits_finding: {
      municipality_code: string;
      id: Generated<string>;
      audit_id: string;
      measure_code: string | null;
      severity: 'minor' | 'major' | 'critical';
      description: string;
      status: Generated<'open' | 'resolved'>;
      due_date: string | null;
      resolved_at: Date | null;
    };
    eits_share: {
      municipality_code: string;
      shared_with: string;
      granted_by: string | null;
      granted_at: Generated<Date>;
    };
  }
}
export type MeasureStatus = 'not_started' | 'in_progress' | 'implemented' | 'not_applicable';

export async function currentVersion(trx: Trx | Db): Promise<string | undefined> {
  const r = await trx.selectFrom('eits_catalogue').select('version').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return r?.version;
}

export async function readCatalogue(trx: Trx | Db, version: string): Promise<Catalogue | undefined> {
  const modules = await trx
    .selectFrom('eits_module')
    .selectAll()
    .where('version', '=', version)
    .orderBy('code')
    .execute();
  if (!modules.length) return undefined;
  const measures = await trx
    .selectFrom('eits_measure')
    .selectAll()
    .where('version', '=', version)
    .orderBy('module_code')
    .orderBy('ordinal')
    .execute();
  return {
    modules: modules
      .map((m) => ({ code: m.code, layer: m.layer, title: m.title, description: m.description }))
      .sort((a, b) => moduleOrder(a.code, b.code)),
    measures: measures.map((m) => ({
      code: m.code,
      moduleCode: m.module_code,
      group: m.group_code,
      title: m.title,
      body: m.body,
      assignees: m.assignees,
      ordinal: m.ordinal,
    })),
  };
}

const LAYER_ORDER = ['ISMS', 'ORP', 'CON', 'OPS', 'DER', 'APP', 'SYS', 'IND', 'NET', 'INF'];
/** ISMS.1 < ORP.4 < … < OPS.1.1.2 < OPS.1.1.10 (layers in E-ITS order, numbers numerically). */
export function moduleOrder(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  const la = LAYER_ORDER.indexOf(pa[0]!);
  const lb = LAYER_ORDER.indexOf(pb[0]!);
  if (la !== lb) return la - lb;
  for (let i = 1; i < Math.max(pa.length, pb.length); i++) {
    const d = Number(pa[i] ?? -1) - Number(pb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

export async function insertCatalogue(
  trx: Trx | Db,
  c: {
    version: string;
    sourceName: string;
    previous: string | null;
    diff: CatalogueDiff;
    importedBy: string | null;
    catalogue: Catalogue;
  },
) {
  const db = trx;
  await db
    .insertInto('eits_catalogue')
    .values({
      version: c.version,
      source_name: c.sourceName,
      previous_version: c.previous,
      module_count: c.catalogue.modules.length,
      measure_count: c.catalogue.measures.length,
      diff: JSON.stringify(c.diff),
      imported_by: c.importedBy,
    })
    .execute();
  await db
    .insertInto('eits_module')
    .values(
      c.catalogue.modules.map((m) => ({
        version: c.version,
        code: m.code,
        layer: m.layer,
        title: m.title,
        description: m.description,
      })),
    )
    .execute();
  for (let i = 0; i < c.catalogue.measures.length; i += 1000) {
    await db
      .insertInto('eits_measure')
      .values(
        c.catalogue.measures.slice(i, i + 1000).map((m) => ({
          version: c.version,
          code: m.code,
          module_code: m.moduleCode,
          group_code: m.group,
          title: m.title,
          body: m.body,
          assignees: m.assignees,
          ordinal: m.ordinal,
        })),
      )
      .execute();
  }
}

export async function listVersions(trx: Trx | Db) {
  const rows = await trx.selectFrom('eits_catalogue').selectAll().orderBy('seq', 'desc').execute();
  return rows.map((r) => ({
    version: r.version,
    sourceName: r.source_name,
    previousVersion: r.previous_version,
    moduleCount: r.module_count,
    measureCount: r.measure_count,
    importedAt: r.imported_at.toISOString(),
    diff: r.diff,
  }));
}

export async function readTrackerRows(trx: Trx, code: string) {
  const db = trx;
  const [tracker, scope, states, audits, findings, shares] = await Promise.all([
    db.selectFrom('eits_tracker').selectAll().where('municipality_code', '=', code).executeTakeFirst(),
    db.selectFrom('eits_module_scope').selectAll().where('municipality_code', '=', code).execute(),
    db.selectFrom('eits_measure_state').selectAll().where('municipality_code', '=', code).execute(),
    db
      .selectFrom('eits_audit')
      .selectAll()
      .where('municipality_code', '=', code)
      .orderBy('audit_date', 'desc')
      .execute(),
    db.selectFrom('eits_finding').selectAll().where('municipality_code', '=', code).orderBy('due_date').execute(),
    db
      .selectFrom('eits_share')
      .select('shared_with')
      .where('municipality_code', '=', code)
      .orderBy('shared_with')
      .execute(),
  ]);
  return { tracker, scope, states, audits, findings, shares: shares.map((s) => s.shared_with) };
}

/** Rows of every municipality (platform-wide scope): for ELVL's overview. */
export async function readAllTrackerRows(trx: Trx) {
  const db = trx;
  const [trackers, scope, states] = await Promise.all([
    db.selectFrom('eits_tracker').selectAll().execute(),
    db.selectFrom('eits_module_scope').selectAll().execute(),
    db.selectFrom('eits_measure_state').select(['municipality_code', 'measure_code', 'status', 'due_date']).execute(),
  ]);
  return { trackers, scope, states };
}

export async function sharesTo(trx: Trx, owner: string, viewers: string[]) {
  if (!viewers.length) return [];
  const rows = await trx
    .selectFrom('eits_share')
    .select('shared_with')
    .where('municipality_code', '=', owner)
    .where('shared_with', 'in', viewers)
    .execute();
  return rows.map((r) => r.shared_with);
}

export const nowDate = () => sql<string>`current_date::text`;
