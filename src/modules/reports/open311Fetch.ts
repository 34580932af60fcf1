import { XMLParser } from 'fast-xml-parser';
import { outboundFetch } from '../../platform/http/outbound';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { applyBackOfficeUpdate } from './applyBackOfficeUpdate';
import { deliveryTiming } from './delivery';

/**
 * For municipalities whose back-office runs its own Open311 server (endpoint kind `open311`):
 * every five minutes, fetch its `servicerequestupdates.xml` for the last two hours (as
 * FixMyStreet does) and apply each update to the report it names by external id. Updates are
 * idempotent per update_id, so overlapping windows change nothing twice.
 */
export const FETCH_JOB = 'reports.open311-fetch';

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'request_update',
});

export async function fetchOpen311Updates(
  ctx: AppContext,
  opts: { windowHours?: number } = {},
): Promise<{ endpoints: number; applied: number; errors: string[] }> {
  const endpoints = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('report_endpoint').selectAll().where('kind', '=', 'open311').where('active', '=', true).execute(),
  );
  const now = ctx.now();
  const start = new Date(now.getTime() - (opts.windowHours ?? 2) * 3600_000);
  let applied = 0;
  const errors: string[] = [];
  for (const e of endpoints) {
    const q = new URLSearchParams({
      api_key: e.secret,
      start_date: start.toISOString(),
      end_date: now.toISOString(),
      ...(e.jurisdiction_id ? { jurisdiction_id: e.jurisdiction_id } : {}),
    });
    try {
      // Under the outbound target rules (src/platform/http/outbound.ts), like deliveries.
      const res = await outboundFetch(
        `${e.url.replace(/\/+$/, '')}/servicerequestupdates.xml?${q}`,
        { signal: AbortSignal.timeout(deliveryTiming.timeoutMs) },
        ctx.config.outbound,
      );
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const doc = xml.parse(await res.text());
      for (const u of (doc?.service_request_updates?.request_update ?? []) as Record<string, string>[]) {
        if (!u.update_id || !u.service_request_id) continue;
        try {
          const r = await applyBackOfficeUpdate(ctx, e.municipality_code, {
            serviceRequestId: String(u.service_request_id),
            byExternalId: true,
            status: u.status,
            description: u.description,
            updatedDatetime: u.updated_datetime,
            updateId: String(u.update_id),
            mediaUrl: u.media_url,
            externalStatusCode: u.external_status_code,
            endpointId: e.id,
          });
          if (!r.duplicate) applied += 1;
        } catch (err) {
          errors.push(`${e.name} update ${u.update_id}: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      errors.push(`${e.name}: ${(err as Error).message}`);
      ctx.log.warn({ endpoint: e.id, err }, 'Open311 updates could not be fetched');
    }
  }
  return { endpoints: endpoints.length, applied, errors };
}
