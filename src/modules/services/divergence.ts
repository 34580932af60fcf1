import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { canReadCatalogue } from './policy';
import { changedFields, LOCAL_FIELDS } from './rules';
import { findService, findVersion } from './store';

/**
 * How an adopted service differs from its template:
 * - `adapted`: content fields the municipality changed from the template version it adopted
 *   (name, description, legal basis, requirements, …) — real divergence from the national model;
 * - `localised`: fields a municipality fills with its own facts (authority, channels, costs, owner);
 * - `templateChanged`: fields ELVL changed in the template since the adopted version, so the
 *   municipality can review them (`outdated` when the template is newer).
 */
export async function serviceDivergence(ctx: AppContext, actor: Actor, municipalityCode: string, serviceId: string) {
  canReadCatalogue(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode }, async (trx) => {
    const service = await findService(trx, municipalityCode, serviceId);
    if (!service) throw notFound(`Service ${serviceId}`);
    if (!service.template_id || service.template_version === null) {
      return {
        serviceId,
        templateId: null,
        templateIdentifier: null,
        adoptedVersion: null,
        templateVersion: null,
        outdated: false,
        adapted: [],
        localised: [],
        templateChanged: [],
      };
    }
    const template = await findService(trx, ELVL_TENANT, service.template_id);
    const adopted = await findVersion(trx, ELVL_TENANT, service.template_id, service.template_version);
    if (!template || !adopted) throw notFound(`Template ${service.template_id}`);
    const fromAdopted = changedFields(adopted.data, service.data);
    return {
      serviceId,
      templateId: template.id,
      templateIdentifier: template.identifier,
      adoptedVersion: service.template_version,
      templateVersion: template.version,
      outdated: template.version > service.template_version,
      adapted: fromAdopted.filter((f) => !LOCAL_FIELDS.has(f)),
      localised: fromAdopted.filter((f) => LOCAL_FIELDS.has(f)),
      templateChanged: changedFields(adopted.data, template.data),
    };
  });
}
