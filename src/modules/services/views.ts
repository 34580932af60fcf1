import type { ServiceRow } from './store';
import type { ServiceView } from './schemas';

export function toServiceView(r: ServiceRow): ServiceView {
  return {
    id: r.id,
    municipalityCode: r.municipality_code,
    identifier: r.identifier,
    version: r.version,
    status: r.status,
    templateId: r.template_id,
    templateVersion: r.template_version,
    data: r.data,
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  };
}

export function toSummary(r: ServiceRow) {
  return {
    id: r.id,
    municipalityCode: r.municipality_code,
    identifier: r.identifier,
    version: r.version,
    status: r.status,
    field: r.field,
    name: r.data.name,
    description: r.data.description,
    templateId: r.template_id,
    lifeEvents: r.data.lifeEvents.map((e) => e.code),
    channelTypes: r.data.channels.map((c) => c.type),
    updatedAt: r.updated_at.toISOString(),
  };
}
export type ServiceSummaryView = ReturnType<typeof toSummary>;
