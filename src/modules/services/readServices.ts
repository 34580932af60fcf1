import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { canReadCatalogue } from './policy';
import { changedFields } from './rules';
import { findService, findVersion, listServiceRows, listVersionRows } from './store';
import { toServiceView, toSummary } from './views';
import type { ServiceStatus } from './reference';

/** What residents and machines see: services in use (active, or in use but needing change). */
export const PUBLIC_STATUSES: ServiceStatus[] = ['active', 'needs-change'];

export interface ListFilter {
  status?: ServiceStatus;
  lifeEvent?: string;
  field?: string;
  q?: string;
}

/** The catalogue as officials see it: every status, drafts included. Templates are public. */
export async function listServices(ctx: AppContext, actor: Actor, municipalityCode: string, f: ListFilter = {}) {
  if (municipalityCode !== ELVL_TENANT) canReadCatalogue(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const rows = await listServiceRows(trx, municipalityCode, {
      ...(f.status ? { statuses: [f.status] } : {}),
      ...(f.lifeEvent ? { lifeEvent: f.lifeEvent } : {}),
      ...(f.field ? { field: f.field } : {}),
      ...(f.q ? { text: f.q } : {}),
    });
    return rows.map(toSummary);
  });
}

/** The public catalogue of a municipality (services in use), searchable. */
export async function listPublicServices(
  ctx: AppContext,
  municipalityCode: string,
  f: Omit<ListFilter, 'status'> = {},
) {
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const rows = await listServiceRows(trx, municipalityCode, {
      statuses: PUBLIC_STATUSES,
      ...(f.lifeEvent ? { lifeEvent: f.lifeEvent } : {}),
      ...(f.field ? { field: f.field } : {}),
      ...(f.q ? { text: f.q } : {}),
    });
    return rows;
  });
}

export async function getService(ctx: AppContext, actor: Actor, municipalityCode: string, serviceId: string) {
  if (municipalityCode !== ELVL_TENANT) canReadCatalogue(actor, municipalityCode);
  const row = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    findService(trx, municipalityCode, serviceId),
  );
  if (!row) throw notFound(`Service ${serviceId}`);
  return toServiceView(row);
}

/** One service as the public sees it (only if in use). */
export async function getPublicService(ctx: AppContext, municipalityCode: string, serviceId: string) {
  const row = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    findService(trx, municipalityCode, serviceId),
  );
  if (!row || (!PUBLIC_STATUSES.includes(row.status) && municipalityCode !== ELVL_TENANT))
    throw notFound(`Service ${serviceId}`);
  return row;
}

/** Every version of a service, newest first, with who, when and which fields changed. */
export async function listVersions(ctx: AppContext, actor: Actor, municipalityCode: string, serviceId: string) {
  if (municipalityCode !== ELVL_TENANT) canReadCatalogue(actor, municipalityCode);
  const rows = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    listVersionRows(trx, municipalityCode, serviceId),
  );
  if (!rows.length) throw notFound(`Service ${serviceId}`);
  return rows.map((r, i) => {
    const older = rows[i + 1];
    return {
      version: r.version,
      status: r.status,
      changeNote: r.change_note,
      changedBy: r.changed_by,
      changedByName: r.given_name || r.family_name ? `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim() : null,
      changedAt: r.changed_at.toISOString(),
      changedFields: [...changedFields(older?.data, r.data), ...(older && older.status !== r.status ? ['status'] : [])],
    };
  });
}

export async function getVersion(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  serviceId: string,
  version: number,
) {
  if (municipalityCode !== ELVL_TENANT) canReadCatalogue(actor, municipalityCode);
  if (!Number.isInteger(version) || version < 1) throw notFound(`Version ${version} of service ${serviceId}`);
  const v = await inScope(ctx.db, { tenant: municipalityCode }, (trx) =>
    findVersion(trx, municipalityCode, serviceId, version),
  );
  if (!v) throw notFound(`Version ${version} of service ${serviceId}`);
  return {
    version: v.version,
    status: v.status,
    data: v.data,
    changedAt: v.changed_at.toISOString(),
    changedBy: v.changed_by,
    changeNote: v.change_note,
  };
}
