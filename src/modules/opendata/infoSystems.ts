import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, fieldError, invalid, notFound, type FieldError } from '../../platform/http/problems';
import { R_OPENDATA } from './reasons';
import { canEdit, canRead } from './policy';

import { EMAIL, HTTP_URL } from './catalogue';
import type { InfoSystemInput } from './schemas';

/**
 * The inventory of a municipality's information systems, with the fields of a RIHA record, the
 * datasets that come from each, and the export of an entry in RIHA's JSON shape.
 */
type Row = Awaited<ReturnType<typeof rows>>[number];

async function rows(trx: Trx, code: string, id?: string) {
  let q = trx.selectFrom('opendata_info_system').selectAll().where('municipality_code', '=', code).orderBy('name');
  if (id) q = q.where('id', '=', id);
  return q.execute();
}

async function view(trx: Trx, r: Row) {
  const datasets = await trx
    .selectFrom('opendata_dataset')
    .select(['id', 'name', 'title_et', 'state'])
    .where('municipality_code', '=', r.municipality_code)
    .where('info_system_id', '=', r.id)
    .orderBy('name')
    .execute();
  return {
    id: r.id,
    municipalityCode: r.municipality_code,
    name: r.name,
    shortName: r.short_name,
    ownerCode: r.owner_code,
    ownerName: r.owner_name,
    purpose: r.purpose,
    dataObjects: r.data_objects,
    personalData: r.personal_data,
    securityStandard: r.security_standard,
    securityClass: r.security_class,
    securityLevel: r.security_level,
    lastAuditDate: r.last_audit_date,
    lastAuditResolution: r.last_audit_resolution,
    systemStatus: r.system_status,
    developmentStatus: r.development_status,
    xRoadStatus: r.x_road_status,
    vendor: r.vendor,
    homepage: r.homepage,
    rihaRegistered: r.riha_registered,
    rihaUuid: r.riha_uuid,
    contacts: r.contacts as { name: string; email: string }[],
    documents: r.documents as { name: string; url: string }[],
    legislations: r.legislations as { name: string; url: string }[],
    datasets: datasets.map((d) => ({ id: d.id, name: d.name, titleEt: d.title_et, state: d.state })),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function listInfoSystems(ctx: AppContext, actor: Actor, code: string) {
  const reader = canRead(actor, code);
  return inScope(ctx.db, { tenant: code, actor: reader.personId }, async (trx) =>
    Promise.all((await rows(trx, code)).map((r) => view(trx, r))),
  );
}

export async function getInfoSystem(ctx: AppContext, actor: Actor, code: string, id: string) {
  const reader = canRead(actor, code);
  return inScope(ctx.db, { tenant: code, actor: reader.personId }, async (trx) => {
    const [r] = await rows(trx, code, id);
    if (!r) throw notFound(`Information system ${id}`);
    return view(trx, r);
  });
}

function check(input: InfoSystemInput) {
  const errors: FieldError[] = [];
  const standard = input.securityStandard?.trim().toUpperCase();
  if (standard === 'ISKE') {
    if (!input.securityClass) errors.push(fieldError('/body/securityClass', R_OPENDATA.iskeClass));
    if (!input.securityLevel) errors.push(fieldError('/body/securityLevel', R_OPENDATA.iskeLevel));
  }
  if (input.lastAuditDate && !input.lastAuditResolution)
    errors.push(fieldError('/body/lastAuditResolution', R_OPENDATA.auditResolution));
  if (input.personalData?.includes('none') && input.personalData.length > 1)
    errors.push(fieldError('/body/personalData', R_OPENDATA.personalDataNone));
  input.contacts?.forEach((c, i) => {
    if (!EMAIL.test(c.email)) errors.push(fieldError(`/body/contacts/${i}/email`, R_OPENDATA.email));
  });
  for (const key of ['documents', 'legislations'] as const) {
    input[key]?.forEach((l, i) => {
      if (!HTTP_URL.test(l.url)) errors.push(fieldError(`/body/${key}/${i}/url`, R_OPENDATA.httpUrl));
    });
  }
  if (input.homepage && !HTTP_URL.test(input.homepage)) errors.push(fieldError('/body/homepage', R_OPENDATA.httpUrl));
  if (input.rihaUuid && !input.rihaRegistered)
    errors.push(fieldError('/body/rihaRegistered', R_OPENDATA.rihaRegistered));
  if (errors.length) throw invalid(errors);
}

function values(input: InfoSystemInput) {
  return {
    name: input.name.trim(),
    short_name: input.shortName.trim(),
    owner_code: input.ownerCode,
    owner_name: input.ownerName.trim(),
    purpose: input.purpose?.trim() ?? '',
    data_objects: input.dataObjects ?? [],
    personal_data: input.personalData ?? [],
    security_standard: input.securityStandard?.trim() || null,
    security_class: input.securityClass ?? null,
    security_level: input.securityLevel ?? null,
    last_audit_date: input.lastAuditDate ?? null,
    last_audit_resolution: input.lastAuditResolution ?? null,
    system_status: input.systemStatus ?? 'IN_USE',
    development_status: input.developmentStatus ?? 'NOT_IN_DEVELOPMENT',
    x_road_status: input.xRoadStatus ?? 'NOT_JOINED',
    vendor: input.vendor?.trim() || null,
    homepage: input.homepage?.trim() || null,
    riha_registered: input.rihaRegistered ?? false,
    riha_uuid: input.rihaUuid ?? null,
    contacts: JSON.stringify(input.contacts ?? []),
    documents: JSON.stringify(input.documents ?? []),
    legislations: JSON.stringify(input.legislations ?? []),
  };
}

async function shortNameFree(trx: Trx, code: string, shortName: string, except?: string) {
  let q = trx
    .selectFrom('opendata_info_system')
    .select('id')
    .where('municipality_code', '=', code)
    .where('short_name', '=', shortName);
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw conflict(`Another system already has the short name ${shortName}`);
}

export async function createInfoSystem(ctx: AppContext, actor: Actor, code: string, input: InfoSystemInput) {
  const editor = canEdit(actor, code);
  check(input);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    await shortNameFree(trx, code, input.shortName);
    const r = await trx
      .insertInto('opendata_info_system')
      .values({ municipality_code: code, ...values(input) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.system.created',
      subject: `system:${r.id}`,
      details: { shortName: r.short_name },
    });
    return view(trx, r);
  });
}

/** Replaces the record (the form always sends the whole record). */
export async function updateInfoSystem(
  ctx: AppContext,
  actor: Actor,
  code: string,
  id: string,
  input: InfoSystemInput,
) {
  const editor = canEdit(actor, code);
  check(input);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    await shortNameFree(trx, code, input.shortName, id);
    const r = await trx
      .updateTable('opendata_info_system')
      .set({ ...values(input), updated_at: new Date() })
      .where('municipality_code', '=', code)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw notFound(`Information system ${id}`);
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.system.updated',
      subject: `system:${id}`,
      details: {},
    });
    return view(trx, r);
  });
}

export async function deleteInfoSystem(ctx: AppContext, actor: Actor, code: string, id: string) {
  const editor = canEdit(actor, code);
  await inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const r = await trx
      .deleteFrom('opendata_info_system')
      .where('municipality_code', '=', code)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`Information system ${id}`);
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.system.deleted',
      subject: `system:${id}`,
      details: {},
    });
  });
}

/**
 * The entry in RIHA's JSON shape (the infosystem schema of RIHA-Browser): uuid, name,
 * short_name, owner {code, name}, purpose, stored_data, contacts, documents, legislations,
 * homepage, security {standard, class, level, latest_audit_date, latest_audit_resolution},
 * meta {system_status, development_status, x_road_status}, topics. Personal data classes, which
 * RIHA's schema has no field for, are named in `topics` ("isikuandmed: …").
 */
export async function rihaExport(ctx: AppContext, actor: Actor, code: string, id: string) {
  const s = await getInfoSystem(ctx, actor, code, id);
  const PD: Record<string, string> = {
    none: 'isikuandmeid ei ole',
    personal: 'isikuandmed',
    special: 'eriliigilised isikuandmed',
    criminal: 'süütegude andmed',
    children: 'laste andmed',
  };
  const at = s.updatedAt;
  return {
    uuid: s.rihaUuid ?? s.id,
    name: s.name,
    short_name: s.shortName,
    owner: { code: s.ownerCode, name: s.ownerName },
    purpose: s.purpose,
    stored_data: s.dataObjects,
    contacts: s.contacts,
    documents: s.documents.map((d) => ({ name: d.name, url: d.url, type: 'DOC_TYPE_OTHER' })),
    legislations: s.legislations.map((l) => ({ name: l.name, url: l.url, type: 'LEGAL_TYPE_OTHER' })),
    homepage: s.homepage,
    topics: ['kohalik omavalitsus', ...s.personalData.map((p) => `isikuandmed: ${PD[p] ?? p}`)],
    security: s.securityStandard
      ? {
          standard: s.securityStandard,
          class: s.securityClass,
          level: s.securityLevel,
          latest_audit_date: s.lastAuditDate ? `${s.lastAuditDate}T00:00:00Z` : null,
          latest_audit_resolution: s.lastAuditResolution,
        }
      : null,
    meta: {
      system_status: { status: s.systemStatus, timestamp: at },
      development_status: s.developmentStatus,
      x_road_status: { status: s.xRoadStatus, timestamp: at },
      update_timestamp: at,
    },
  };
}
