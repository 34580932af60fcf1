import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { canReadCatalogue, canReadNational } from './policy';
import { listServiceRows } from './store';
import type { ServiceStatus } from './reference';

/**
 * Template coverage. A template counts as mapped by a municipality when the municipality has a
 * service adopted from it that is not archived. Coverage % = mapped templates ÷ templates in use
 * (not archived) × 100, rounded to a whole percent.
 */
async function templates(ctx: AppContext) {
  const rows = await inScope(ctx.db, { tenant: ELVL_TENANT }, (trx) =>
    listServiceRows(trx, ELVL_TENANT, { statuses: ['active', 'being-created', 'needs-change'] }),
  );
  return rows.sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/** One municipality: each template with the municipality's service for it (if any), and its own services. */
export async function municipalityCoverage(ctx: AppContext, actor: Actor, municipalityCode: string) {
  canReadCatalogue(actor, municipalityCode);
  const tpls = await templates(ctx);
  const own = await inScope(ctx.db, { tenant: municipalityCode }, (trx) => listServiceRows(trx, municipalityCode));
  const byTemplate = new Map(own.filter((s) => s.template_id).map((s) => [s.template_id!, s]));
  const rows = tpls.map((t) => {
    const s = byTemplate.get(t.id);
    return {
      templateId: t.id,
      templateIdentifier: t.identifier,
      name: t.data.name,
      field: t.field,
      service: s
        ? { id: s.id, identifier: s.identifier, status: s.status, outdated: (s.template_version ?? 0) < t.version }
        : null,
    };
  });
  const mapped = rows.filter((r) => r.service && r.service.status !== 'archived').length;
  return {
    municipalityCode,
    templates: rows,
    ownServices: own
      .filter((s) => !s.template_id)
      .map((s) => ({ id: s.id, identifier: s.identifier, name: s.data.name, status: s.status, field: s.field })),
    mapped,
    templateCount: tpls.length,
    coveragePercent: percent(mapped, tpls.length),
  };
}

/** ELVL's matrix: every municipality × every template, the cell being the status of the municipality's service or null. */
export async function coverageMatrix(ctx: AppContext, actor: Actor) {
  canReadNational(actor);
  const tpls = await templates(ctx);
  const { municipalities, cells, own } = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const municipalities = await trx
      .selectFrom('tenant')
      .select(['code', 'name'])
      .where('kind', '=', 'municipality')
      .orderBy('name')
      .execute();
    const cells = await sql<{
      municipality_code: string;
      template_id: string;
      status: ServiceStatus;
      template_version: number;
    }>`
      SELECT municipality_code, template_id, status, template_version FROM service WHERE template_id IS NOT NULL AND municipality_code <> '0000'`.execute(
      trx,
    );
    const own = await sql<{ municipality_code: string; n: number }>`
      SELECT municipality_code, count(*)::int AS n FROM service WHERE template_id IS NULL AND municipality_code <> '0000' AND status <> 'archived' GROUP BY 1`.execute(
      trx,
    );
    return { municipalities, cells: cells.rows, own: own.rows };
  });
  const index = new Map(tpls.map((t, i) => [t.id, i]));
  const ownBy = new Map(own.map((r) => [r.municipality_code, r.n]));
  const rows = municipalities.map((m) => ({
    code: m.code,
    name: m.name,
    cells: tpls.map(() => null as ServiceStatus | null),
    mapped: 0,
    ownServices: ownBy.get(m.code) ?? 0,
    coveragePercent: 0,
  }));
  const rowBy = new Map(rows.map((r) => [r.code, r]));
  for (const c of cells) {
    const r = rowBy.get(c.municipality_code);
    const i = index.get(c.template_id);
    if (!r || i === undefined) continue;
    r.cells[i] = c.status;
    if (c.status !== 'archived') r.mapped += 1;
  }
  for (const r of rows) r.coveragePercent = percent(r.mapped, tpls.length);
  const perTemplate = tpls.map((t, i) => ({
    templateId: t.id,
    identifier: t.identifier,
    name: t.data.name,
    municipalities: rows.filter((r) => r.cells[i] && r.cells[i] !== 'archived').length,
  }));
  return {
    templates: perTemplate,
    municipalities: rows,
    municipalityCount: rows.length,
    municipalitiesStarted: rows.filter((r) => r.mapped > 0).length,
  };
}

export async function requireMunicipality(ctx: AppContext, code: string) {
  const t = await ctx.db
    .selectFrom('tenant')
    .select(['code', 'name', 'kind'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!t) throw notFound(`Municipality ${code}`);
  return t;
}
