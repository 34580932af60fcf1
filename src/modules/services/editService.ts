import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound, Problem } from '../../platform/http/problems';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { canEditCatalogue } from './policy';
import { checkServiceData, changedFields, P_SERVICES } from './rules';
import { findService, insertService, nextIdentifier, saveNewVersion } from './store';
import { toServiceView } from './views';
import type { ServiceInput, ServiceUpdate } from './schemas';

/** "Tartu linn" → "Tartu linnavalitsus", "Elva vald" → "Elva vallavalitsus". */
export function governmentName(tenantName: string): string {
  return tenantName.replace(/ linn$/, ' linnavalitsus').replace(/ vald$/, ' vallavalitsus');
}

async function requireTenant(ctx: AppContext, code: string) {
  const t = await ctx.db.selectFrom('tenant').select('code').where('code', '=', code).executeTakeFirst();
  if (!t) throw notFound(`Municipality ${code}`);
}

/**
 * Creates a service of the municipality's own (or, in tenant '0000', a national template).
 * Version 1 is kept like every later one, with who and when.
 */
export async function createService(ctx: AppContext, actor: Actor, municipalityCode: string, input: ServiceInput) {
  const editor = canEditCatalogue(actor, municipalityCode);
  checkServiceData(input.data);
  await requireTenant(ctx, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const identifier = input.identifier ?? (await nextIdentifier(trx, municipalityCode));
    const taken = await trx
      .selectFrom('service')
      .select('id')
      .where('municipality_code', '=', municipalityCode)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    if (taken) throw conflict(`The identifier ${identifier} is already used in this catalogue`);
    const row = await insertService(trx, {
      municipalityCode,
      identifier,
      status: input.status ?? 'being-created',
      data: input.data,
      templateId: null,
      templateVersion: null,
      by: editor.personId,
      changeNote: input.changeNote ?? null,
    });
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: municipalityCode === ELVL_TENANT ? 'services.template-created' : 'services.service-created',
      subject: `service:${row.id}`,
      details: { identifier, name: input.data.name.et },
    });
    return toServiceView(row);
  });
}

/**
 * Saves a new version of a service. `baseVersion` is the version the editor started from; if
 * someone saved meanwhile the change is refused rather than silently overwriting theirs.
 */
export async function updateService(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  serviceId: string,
  input: ServiceUpdate,
) {
  const editor = canEditCatalogue(actor, municipalityCode);
  checkServiceData(input.data);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const current = await findService(trx, municipalityCode, serviceId, true);
    if (!current) throw notFound(`Service ${serviceId}`);
    if (current.version !== input.baseVersion) {
      throw new Problem(
        P_SERVICES.staleVersion,
        `You edited version ${input.baseVersion}; version ${current.version} was saved since`,
        { currentVersion: current.version },
      );
    }
    const fields = changedFields(current.data, input.data);
    if (fields.length === 0 && current.status === input.status) return toServiceView(current);
    const row = await saveNewVersion(trx, current, {
      status: input.status,
      data: input.data,
      by: editor.personId,
      changeNote: input.changeNote ?? null,
    });
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'services.service-changed',
      subject: `service:${serviceId}`,
      details: {
        version: row.version,
        fields,
        ...(current.status !== input.status ? { status: { from: current.status, to: input.status } } : {}),
      },
    });
    return toServiceView(row);
  });
}

/**
 * Adopts one of ELVL's templates: the municipality gets its own service with the template's
 * content (status "being created"), remembering which template version it started from, so that
 * divergence and later template changes can be shown.
 */
export async function adoptTemplate(ctx: AppContext, actor: Actor, municipalityCode: string, templateId: string) {
  const editor = canEditCatalogue(actor, municipalityCode);
  if (municipalityCode === ELVL_TENANT) throw conflict('ELVL maintains the templates; a municipality adopts them');
  await requireTenant(ctx, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: editor.personId }, async (trx) => {
    const template = await findService(trx, ELVL_TENANT, templateId);
    if (!template) throw notFound(`Template ${templateId}`);
    if (template.status === 'archived') throw conflict('This template is archived and can no longer be adopted');
    const existing = await trx
      .selectFrom('service')
      .select(['id'])
      .where('municipality_code', '=', municipalityCode)
      .where('template_id', '=', templateId)
      .executeTakeFirst();
    if (existing)
      throw new Problem(P_SERVICES.alreadyAdopted, `Service ${existing.id} was already adopted from this template`, {
        serviceId: existing.id,
      });
    const tenant = await trx
      .selectFrom('tenant')
      .select('name')
      .where('code', '=', municipalityCode)
      .executeTakeFirstOrThrow();
    const data = { ...template.data, competentAuthority: governmentName(tenant.name) };
    const identifier = await nextIdentifier(trx, municipalityCode);
    const row = await insertService(trx, {
      municipalityCode,
      identifier,
      status: 'being-created',
      data,
      templateId,
      templateVersion: template.version,
      by: editor.personId,
      changeNote: `Adopted from template ${template.identifier} v${template.version}`,
    });
    await appendAudit(trx, {
      municipalityCode,
      actorId: editor.personId,
      action: 'services.template-adopted',
      subject: `service:${row.id}`,
      details: { templateId, template: template.identifier, templateVersion: template.version },
    });
    return toServiceView(row);
  });
}
