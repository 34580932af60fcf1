import { createHmac } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound } from '../../platform/http/problems';
import { checkOutboundTarget, outboundFetch, OutboundRefused, type OutboundRules } from '../../platform/http/outbound';
import { type DeliveryRow, type EndpointRow } from './store';
import { canConfigure, canHandle } from './policy';
import { fmsStatus, open311Status } from './statuses';

/**
 * Outbound delivery of reports to municipal systems, per category:
 *
 * - `webhook`: a JSON POST signed with HMAC-SHA256 (`X-Kov-Signature: t=<unix>,v1=<hex of
 *   HMAC(secret, "<t>.<body>")>`), with an idempotency key (`Idempotency-Key`, the same on every
 *   attempt of one delivery) so that a receiver that got a request but whose answer was lost can
 *   drop the repeat;
 * - `open311`: the report is POSTed to the municipality's own Open311 back-office
 *   (`{url}/requests.xml`, as FixMyStreet does) and its service_request_id kept as external_id.
 *
 * Every attempt is logged (report_delivery_attempt). Failures (network, timeout, 5xx, 408, 429)
 * are retried through the job queue with exponential backoff (`deliveryTiming`) up to
 * `maxAttempts`; other 4xx answers fail at once. An official may re-send a delivery: that makes a
 * new delivery with a new key marked `resendOf`, so a deliberate repeat is never silent.
 */
export const DELIVER_JOB = 'reports.deliver';

export const deliveryTiming = {
  /** First retry after this many seconds, doubling each time, at most `maxSeconds`. */
  baseSeconds: 30,
  maxSeconds: 3600,
  maxAttempts: 8,
  timeoutMs: 10_000,
};

export function backoffSeconds(attempt: number): number {
  return Math.min(deliveryTiming.maxSeconds, deliveryTiming.baseSeconds * 2 ** Math.max(0, attempt - 1));
}

export async function enqueueDeliveries(
  ctx: AppContext,
  trx: Trx,
  d: {
    municipalityCode: string;
    reportId: number;
    endpointIds: string[];
    topic: 'report.created' | 'report.updated';
    eventId: number | null;
    at: Date;
    resendOf?: string;
  },
) {
  for (const endpointId of d.endpointIds) {
    const row = await trx
      .insertInto('report_delivery')
      .values({
        municipality_code: d.municipalityCode,
        report_id: d.reportId,
        endpoint_id: endpointId,
        event_id: d.eventId,
        topic: d.topic,
        status: 'pending',
        attempts: 0,
        next_attempt_at: d.at,
        created_at: d.at,
        last_error: d.resendOf ? `resend of ${d.resendOf}` : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.jobs.sendInTx(trx, DELIVER_JOB, { municipalityCode: d.municipalityCode, deliveryId: row.id });
  }
}

/** After a change made in the platform: queue `report.updated` to the category's webhook. */
export async function enqueueUpdateDelivery(
  ctx: AppContext,
  trx: Trx,
  r: { municipalityCode: string; reportId: number; categoryCode: string; eventId: number; at: Date },
) {
  const cat = await trx
    .selectFrom('report_category as c')
    .innerJoin('report_endpoint as e', (j) =>
      j.onRef('e.municipality_code', '=', 'c.municipality_code').onRef('e.id', '=', 'c.endpoint_id'),
    )
    .select(['e.id', 'e.kind'])
    .where('c.municipality_code', '=', r.municipalityCode)
    .where('c.code', '=', r.categoryCode)
    .where('e.active', '=', true)
    .executeTakeFirst();
  // Open311 back-offices are the source of status changes; only webhooks hear about ours.
  if (cat && cat.kind === 'webhook')
    await enqueueDeliveries(ctx, trx, {
      municipalityCode: r.municipalityCode,
      reportId: r.reportId,
      endpointIds: [cat.id],
      topic: 'report.updated',
      eventId: r.eventId,
      at: r.at,
    });
}

export interface AttemptOutcome {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  retry: boolean;
  externalId?: string;
}

/**
 * The job: one attempt of one delivery. The delivery row stays locked during the attempt, so two
 * workers never send the same delivery at once; a delivered one is never sent again.
 */
export async function runDelivery(
  ctx: AppContext,
  data: { municipalityCode: string; deliveryId: number },
): Promise<'delivered' | 'retry' | 'failed' | 'skipped'> {
  const m = data.municipalityCode;
  const result = await inScope(ctx.db, { tenant: m }, async (trx) => {
    const d = await trx
      .selectFrom('report_delivery')
      .selectAll()
      .where('municipality_code', '=', m)
      .where('id', '=', data.deliveryId)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!d || d.status !== 'pending') return { outcome: 'skipped' as const };
    const endpoint = await trx
      .selectFrom('report_endpoint')
      .selectAll()
      .where('municipality_code', '=', m)
      .where('id', '=', d.endpoint_id)
      .executeTakeFirstOrThrow();
    const payload = await deliveryPayload(ctx, trx, d);
    const started = Date.now();
    const n = d.attempts + 1;
    let outcome: AttemptOutcome;
    if (!endpoint.active) outcome = { ok: false, httpStatus: null, error: 'endpoint is not active', retry: false };
    else if (endpoint.kind === 'webhook') outcome = await sendWebhook(ctx.config.outbound, endpoint, d, payload, n);
    else
      outcome =
        d.topic === 'report.created'
          ? await sendOpen311(ctx.config.outbound, endpoint, payload)
          : { ok: true, httpStatus: null, error: null, retry: false };
    const now = ctx.now();
    await trx
      .insertInto('report_delivery_attempt')
      .values({
        municipality_code: m,
        delivery_id: d.id,
        n,
        at: now,
        duration_ms: Date.now() - started,
        http_status: outcome.httpStatus,
        error: outcome.error?.slice(0, 500) ?? null,
      })
      .execute();
    const giveUp = !outcome.ok && (!outcome.retry || n >= deliveryTiming.maxAttempts);
    const status = outcome.ok ? 'delivered' : giveUp ? 'failed' : 'pending';
    const wait = backoffSeconds(n);
    await trx
      .updateTable('report_delivery')
      .set({
        status,
        attempts: n,
        last_error: outcome.error?.slice(0, 500) ?? null,
        delivered_at: outcome.ok ? now : null,
        next_attempt_at: status === 'pending' ? new Date(now.getTime() + wait * 1000) : null,
      })
      .where('municipality_code', '=', m)
      .where('id', '=', d.id)
      .execute();
    if (outcome.ok && outcome.externalId) {
      await trx
        .updateTable('report')
        .set({ external_id: outcome.externalId, stats_dirty: true })
        .where('municipality_code', '=', m)
        .where('id', '=', d.report_id)
        .execute();
    }
    if (status === 'pending') await ctx.jobs.sendInTx(trx, DELIVER_JOB, data, { startAfterSeconds: wait });
    return { outcome: outcome.ok ? ('delivered' as const) : giveUp ? ('failed' as const) : ('retry' as const) };
  });
  return result.outcome;
}

export interface DeliveryPayload {
  id: string;
  topic: string;
  occurredAt: string;
  attempt?: number;
  municipalityCode: string;
  report: Record<string, unknown>;
  event: Record<string, unknown> | null;
}

async function deliveryPayload(ctx: AppContext, trx: Trx, d: DeliveryRow): Promise<DeliveryPayload> {
  const r = await trx
    .selectFrom('report')
    .selectAll()
    .where('municipality_code', '=', d.municipality_code)
    .where('id', '=', d.report_id)
    .executeTakeFirstOrThrow();
  const photos = await trx
    .selectFrom('report_photo')
    .select(['position'])
    .where('municipality_code', '=', d.municipality_code)
    .where('report_id', '=', d.report_id)
    .where('hidden', '=', false)
    .orderBy('position')
    .execute();
  const event = d.event_id
    ? await trx
        .selectFrom('report_event')
        .selectAll()
        .where('municipality_code', '=', d.municipality_code)
        .where('id', '=', d.event_id)
        .executeTakeFirst()
    : undefined;
  const base = ctx.config.publicUrl;
  return {
    id: d.idempotency_key,
    topic: d.topic,
    occurredAt: (event?.at ?? r.created_at).toISOString(),
    municipalityCode: r.municipality_code,
    report: {
      service_request_id: String(r.id),
      service_code: r.category_code,
      status: open311Status(r.status),
      extended_status: fmsStatus(r.status),
      description: r.description,
      lat: r.lat,
      long: r.lon,
      address_string: r.address,
      settlement_code: r.settlement_code,
      agency_responsible: r.body_code,
      department: r.department,
      attributes: r.attributes,
      requested_datetime: r.created_at.toISOString(),
      updated_datetime: r.updated_at.toISOString(),
      expected_datetime: r.sla_due_at?.toISOString() ?? null,
      first_name: splitName(r.reporter_name)[0],
      last_name: splitName(r.reporter_name)[1],
      email: r.reporter_email,
      phone: r.reporter_phone,
      channel: r.channel,
      media_urls: photos.map((p) => `${base}/api/v1/reports/${r.id}/photos/${p.position}`),
      url: `${base}/teated/${r.id}`,
      external_id: r.external_id,
    },
    event: event
      ? {
          update_id: String(event.id),
          kind: event.kind,
          public: event.public,
          status: event.status_to ? fmsStatus(event.status_to) : null,
          description: event.text,
          updated_datetime: event.at.toISOString(),
        }
      : null,
  };
}

export function splitName(name: string | null): [string, string] {
  if (!name) return ['', ''];
  const parts = name.trim().split(/\s+/);
  return [parts[0] ?? '', parts.slice(1).join(' ')];
}

/** The signature header value for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

async function sendWebhook(
  rules: OutboundRules,
  endpoint: EndpointRow,
  d: DeliveryRow,
  payload: DeliveryPayload,
  attempt: number,
): Promise<AttemptOutcome> {
  const body = JSON.stringify({ ...payload, attempt });
  const t = Math.floor(Date.now() / 1000);
  return httpAttempt(rules, endpoint.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'KOV-Platform-Webhooks/1',
      'idempotency-key': d.idempotency_key,
      'x-kov-topic': d.topic,
      'x-kov-delivery-attempt': String(attempt),
      'x-kov-signature': signWebhook(endpoint.secret, body, t),
    },
    body,
  });
}

async function httpAttempt(
  rules: OutboundRules,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<AttemptOutcome & { text?: string }> {
  try {
    // Under the outbound target rules: the address is checked at connection, redirects hop by hop.
    const res = await outboundFetch(url, { ...init, signal: AbortSignal.timeout(deliveryTiming.timeoutMs) }, rules);
    const text = await res.text().catch(() => '');
    if (res.ok) return { ok: true, httpStatus: res.status, error: null, retry: false, text };
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, httpStatus: res.status, error: `HTTP ${res.status}: ${text.slice(0, 200)}`, retry, text };
  } catch (err) {
    // A target the rules refuse stays refused: no retry.
    if (err instanceof OutboundRefused)
      return { ok: false, httpStatus: null, error: `target refused: ${err.message}`, retry: false };
    const e = err as Error & { cause?: { code?: string } };
    return {
      ok: false,
      httpStatus: null,
      error:
        e.name === 'TimeoutError'
          ? `no answer within ${deliveryTiming.timeoutMs} ms`
          : `${e.cause?.code ?? e.name}: ${e.message}`,
      retry: true,
    };
  }
}

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ['request', 'error', 'request_update', 'service'].includes(name),
});

/** Reads `service_request_id` (or resolves a `token`) from an Open311 XML or JSON answer. */
export function parseOpen311Created(text: string): { id?: string; token?: string } {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    const j = JSON.parse(t);
    const first = Array.isArray(j) ? j[0] : j;
    return {
      id: first?.service_request_id ? String(first.service_request_id) : undefined,
      token: first?.token ? String(first.token) : undefined,
    };
  }
  const doc = xml.parse(t);
  const req = doc?.service_requests?.request?.[0];
  return {
    id: req?.service_request_id ? String(req.service_request_id) : undefined,
    token: req?.token ? String(req.token) : undefined,
  };
}

async function sendOpen311(rules: OutboundRules, endpoint: EndpointRow, p: DeliveryPayload): Promise<AttemptOutcome> {
  const r = p.report;
  const form = new URLSearchParams();
  form.set('api_key', endpoint.secret);
  if (endpoint.jurisdiction_id) form.set('jurisdiction_id', endpoint.jurisdiction_id);
  form.set('service_code', String(r.service_code));
  form.set('lat', String(r.lat));
  form.set('long', String(r.long));
  form.set('description', `${r.description}\n\n${r.url}`);
  if (r.address_string) form.set('address_string', String(r.address_string));
  if (r.email) form.set('email', String(r.email));
  if (r.phone) form.set('phone', String(r.phone));
  if (r.first_name) form.set('first_name', String(r.first_name));
  if (r.last_name) form.set('last_name', String(r.last_name));
  const media = r.media_urls as string[];
  if (media.length) form.set('media_url', media[0]!);
  for (const [k, v] of Object.entries((r.attributes as Record<string, string | string[]>) ?? {})) {
    if (Array.isArray(v)) v.forEach((x) => form.append(`attribute[${k}][]`, x));
    else form.set(`attribute[${k}]`, v);
  }
  const base = endpoint.url.replace(/\/+$/, '');
  const res = await httpAttempt(rules, `${base}/requests.xml`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'KOV-Platform-Open311/1' },
    body: form.toString(),
  });
  if (!res.ok) return res;
  try {
    const got = parseOpen311Created(res.text ?? '');
    if (got.id) return { ...res, externalId: got.id };
    if (got.token) {
      const q = new URLSearchParams(endpoint.jurisdiction_id ? { jurisdiction_id: endpoint.jurisdiction_id } : {});
      const tok = await httpAttempt(rules, `${base}/tokens/${encodeURIComponent(got.token)}.xml?${q}`, {
        method: 'GET',
      });
      const resolved = tok.ok ? parseOpen311Created(tok.text ?? '') : {};
      // Accepted but not yet numbered: delivered; the id arrives with the back-office's updates.
      return { ...res, ...(resolved.id ? { externalId: resolved.id } : {}) };
    }
    return {
      ok: false,
      httpStatus: res.httpStatus,
      error: 'the answer has neither service_request_id nor token',
      retry: false,
    };
  } catch (err) {
    return {
      ok: false,
      httpStatus: res.httpStatus,
      error: `unreadable answer: ${(err as Error).message}`,
      retry: false,
    };
  }
}

// --- endpoints and the delivery log (officials) ---

export interface EndpointInfo {
  id: string;
  name: string;
  kind: 'webhook' | 'open311';
  url: string;
  jurisdictionId: string | null;
  active: boolean;
  /** Last four characters of the secret, to tell keys apart. */
  secretHint: string;
  createdAt: string;
}

const endpointInfo = (e: EndpointRow): EndpointInfo => ({
  id: e.id,
  name: e.name,
  kind: e.kind,
  url: e.url,
  jurisdictionId: e.jurisdiction_id,
  active: e.active,
  secretHint: `…${e.secret.slice(-4)}`,
  createdAt: e.created_at.toISOString(),
});

export async function listEndpoints(ctx: AppContext, actor: Actor, m: string): Promise<EndpointInfo[]> {
  const admin = canConfigure(actor, m);
  return inScope(ctx.db, { tenant: m, actor: admin.personId }, async (trx) =>
    (
      await trx
        .selectFrom('report_endpoint')
        .selectAll()
        .where('municipality_code', '=', m)
        .orderBy('created_at')
        .execute()
    ).map(endpointInfo),
  );
}

export async function saveEndpoint(
  ctx: AppContext,
  actor: Actor,
  m: string,
  input: {
    id?: string;
    name: string;
    kind: 'webhook' | 'open311';
    url: string;
    secret: string;
    jurisdictionId?: string | null;
    active?: boolean;
  },
): Promise<EndpointInfo> {
  const admin = canConfigure(actor, m);
  // https only in production; the host must resolve to public addresses (checked again at delivery).
  try {
    await checkOutboundTarget(input.url, ctx.config.outbound);
  } catch (err) {
    if (err instanceof OutboundRefused) throw invalid([{ pointer: '/body/url', detail: err.message }]);
    throw err;
  }
  if (input.secret.length < 16) throw invalid([{ pointer: '/body/secret', detail: 'at least 16 characters' }]);
  return inScope(ctx.db, { tenant: m, actor: admin.personId }, async (trx) => {
    const values = {
      name: input.name,
      kind: input.kind,
      url: input.url,
      secret: input.secret,
      jurisdiction_id: input.jurisdictionId ?? null,
      active: input.active ?? true,
    };
    const row = input.id
      ? await trx
          .updateTable('report_endpoint')
          .set(values)
          .where('municipality_code', '=', m)
          .where('id', '=', input.id)
          .returningAll()
          .executeTakeFirst()
      : await trx
          .insertInto('report_endpoint')
          .values({ municipality_code: m, ...values })
          .returningAll()
          .executeTakeFirst();
    if (!row) throw notFound(`Endpoint ${input.id}`);
    await appendAudit(trx, {
      municipalityCode: m,
      actorId: admin.personId,
      action: input.id ? 'report-endpoint.changed' : 'report-endpoint.created',
      subject: `report-endpoint:${row.id}`,
      details: { name: row.name, kind: row.kind, url: row.url, active: row.active },
    });
    return endpointInfo(row);
  });
}

export interface DeliveryInfo {
  id: number;
  reportId: number;
  endpointId: string;
  endpointName: string;
  topic: string;
  idempotencyKey: string;
  status: string;
  attempts: { n: number; at: string; durationMs: number; httpStatus: number | null; error: string | null }[];
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export async function listDeliveries(
  ctx: AppContext,
  actor: Actor,
  m: string,
  filter: { reportId?: number; status?: DeliveryRow['status']; limit?: number },
): Promise<DeliveryInfo[]> {
  const official = canHandle(actor, m);
  return inScope(ctx.db, { tenant: m, actor: official.personId }, async (trx) => {
    let q = trx
      .selectFrom('report_delivery as d')
      .innerJoin('report_endpoint as e', (j) =>
        j.onRef('e.municipality_code', '=', 'd.municipality_code').onRef('e.id', '=', 'd.endpoint_id'),
      )
      .selectAll('d')
      .select('e.name as endpoint_name')
      .where('d.municipality_code', '=', m);
    if (filter.reportId) q = q.where('d.report_id', '=', filter.reportId);
    if (filter.status) q = q.where('d.status', '=', filter.status);
    const rows = await q
      .orderBy('d.id', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    const attempts = rows.length
      ? await trx
          .selectFrom('report_delivery_attempt')
          .selectAll()
          .where('municipality_code', '=', m)
          .where(
            'delivery_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('n')
          .execute()
      : [];
    return rows.map((r) => ({
      id: r.id,
      reportId: r.report_id,
      endpointId: r.endpoint_id,
      endpointName: r.endpoint_name,
      topic: r.topic,
      idempotencyKey: r.idempotency_key,
      status: r.status,
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          n: a.n,
          at: a.at.toISOString(),
          durationMs: a.duration_ms,
          httpStatus: a.http_status,
          error: a.error,
        })),
      nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
      deliveredAt: r.delivered_at?.toISOString() ?? null,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
    }));
  });
}

/** Sends a delivery again as a new delivery (new idempotency key, marked as a re-send); audited. */
export async function resendDelivery(
  ctx: AppContext,
  actor: Actor,
  m: string,
  deliveryId: number,
): Promise<{ deliveryId: number }> {
  const official = canHandle(actor, m);
  return inScope(ctx.db, { tenant: m, actor: official.personId }, async (trx) => {
    const d = await trx
      .selectFrom('report_delivery')
      .selectAll()
      .where('municipality_code', '=', m)
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!d) throw notFound(`Delivery ${deliveryId}`);
    const now = ctx.now();
    await enqueueDeliveries(ctx, trx, {
      municipalityCode: m,
      reportId: d.report_id,
      endpointIds: [d.endpoint_id],
      topic: d.topic,
      eventId: d.event_id,
      at: now,
      resendOf: d.idempotency_key,
    });
    const created = await trx
      .selectFrom('report_delivery')
      .select('id')
      .where('municipality_code', '=', m)
      .where('report_id', '=', d.report_id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: m,
      actorId: official.personId,
      action: 'report-delivery.resent',
      subject: `report:${d.report_id}`,
      details: { deliveryId, newDeliveryId: created.id },
    });
    return { deliveryId: created.id };
  });
}
