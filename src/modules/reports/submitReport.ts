import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { sql } from 'kysely';
import { inScope, type Trx } from '../../platform/db/database';
import { Problem, fieldError, invalid, type FieldError } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import { geoIndex, type GeoMatch } from '../../platform/places/geo';
import { processImage, type ProcessedImage } from '../../platform/files/images';
import { storeFile } from '../../platform/files/files';
import { cachedCategories, type Category } from './categories';
import { RP } from './problems';
import { type Channel, type ReportStatus } from './store';
import { enqueueDeliveries } from './delivery';
import { claimKey, recordAnswer, type IdempotentRequest } from './idempotency';

export const MAX_DESCRIPTION = 4000;
export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface SubmitInput {
  /** When the request came to a municipality's own endpoint: the point must lie there. */
  municipalityCode?: string;
  categoryCode: string;
  description: string;
  lat?: number;
  lon?: number;
  /** The non-map way: a settlement unit (EHAK code); the point is taken inside it. */
  settlementCode?: string;
  address?: string;
  attributes?: Record<string, string | string[]>;
  name?: string;
  email?: string;
  phone?: string;
  /** Show the reporter's name publicly (explicit choice; off by default, also for Open311 clients). */
  showName?: boolean;
  /** Deprecated and ignored (names are hidden unless `showName`). */
  anonymous?: boolean;
  channel: Channel;
  apiClientId?: string;
  photos?: Buffer[];
  /** Where the field errors point (`/body` for JSON, `/body` for Open311 forms too). */
  pointerBase?: string;
}

export interface Submitted {
  id: number;
  municipalityCode: string;
  settlementCode: string | null;
  categoryCode: string;
  bodyCode: string | null;
  token: string | null;
  /** Secret for following and rating the report without logging in (shown once). */
  manageToken: string;
  createdAt: string;
  slaDueAt: string | null;
}

export const hashSecret = (s: string) => createHash('sha256').update(s).digest();

/** Where a report belongs: the municipality and settlement unit of its point. */
export function locateReport(
  input: Pick<SubmitInput, 'lat' | 'lon' | 'settlementCode' | 'municipalityCode' | 'address'>,
  base = '/body',
): { lat: number; lon: number; match: GeoMatch } {
  const g = geoIndex();
  let lat = input.lat;
  let lon = input.lon;
  if ((lat === undefined) !== (lon === undefined))
    throw invalid([fieldError(`${base}/${lat === undefined ? 'lat' : 'lon'}`, R_REPORTS.bothCoordinates)]);
  if (lat === undefined || lon === undefined) {
    const code = input.settlementCode ?? (input.address ? input.municipalityCode : undefined);
    const p = code ? g.pointInside(code) : undefined;
    if (!p)
      throw invalid([
        input.settlementCode
          ? fieldError(`${base}/lat`, R_REPORTS.noSettlementBoundary, { value: input.settlementCode })
          : fieldError(`${base}/lat`, R_REPORTS.noLocation),
      ]);
    lat = p.lat;
    lon = p.lon;
  }
  if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))
    throw invalid([fieldError(`${base}/lat`, R_REPORTS.badCoordinate)]);
  const match = g.locate(lat, lon);
  if (!match)
    throw new Problem(
      RP.outsideEstonia,
      `The point ${lat}, ${lon} is not in any Estonian municipality (at sea or abroad)`,
      { errors: [fieldError(`${base}/lat`, R_REPORTS.outsideEstonia)] },
    );
  if (input.municipalityCode && match.municipality.code !== input.municipalityCode) {
    throw new Problem(
      RP.wrongMunicipality,
      `The point lies in ${match.municipality.name} (${match.municipality.code}), not in ${input.municipalityCode}`,
      {
        errors: [fieldError(`${base}/lat`, R_REPORTS.wrongMunicipality, { municipality: match.municipality.code })],
      },
    );
  }
  return { lat, lon, match };
}

/** Checks answers to the category's extra questions (Open311 attributes). */
export function checkAttributes(
  category: Category,
  given: Record<string, string | string[]> = {},
  base = '/body/attributes',
): Record<string, string | string[]> {
  const errors: FieldError[] = [];
  const out: Record<string, string | string[]> = {};
  for (const a of category.attributes) {
    const raw = given[a.code];
    const values =
      raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map((v) => String(v).trim()).filter(Boolean);
    if (!values.length) {
      if (a.required) errors.push({ pointer: `${base}/${a.code}`, code: 'required', detail: 'is required' });
      continue;
    }
    if (a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') {
      const keys = new Set((a.values ?? []).map((v) => v.key));
      const bad = values.filter((v) => !keys.has(v));
      if (bad.length)
        errors.push({
          pointer: `${base}/${a.code}`,
          code: 'enum',
          allowed: [...keys],
          detail: `must be one of ${[...keys].join(', ')}`,
        });
      else if (a.datatype === 'singlevaluelist' && values.length > 1)
        errors.push(fieldError(`${base}/${a.code}`, R_REPORTS.oneValue));
      else out[a.code] = a.datatype === 'multivaluelist' ? values : values[0]!;
    } else if (a.datatype === 'number') {
      if (!values.every((v) => Number.isFinite(Number(v))))
        errors.push(fieldError(`${base}/${a.code}`, R_REPORTS.notANumber));
      else out[a.code] = values[0]!;
    } else if (a.datatype === 'datetime') {
      if (Number.isNaN(Date.parse(values[0]!))) errors.push(fieldError(`${base}/${a.code}`, R_REPORTS.notADateTime));
      else out[a.code] = values[0]!;
    } else {
      if (values[0]!.length > 1000)
        errors.push({
          pointer: `${base}/${a.code}`,
          code: 'maxLength',
          limit: 1000,
          detail: 'at most 1000 characters',
        });
      else out[a.code] = values[0]!;
    }
  }
  if (errors.length) throw invalid(errors);
  return out;
}

/**
 * A resident (or a client system) reports a problem. The report is routed by its point to the
 * municipality and settlement unit (points at sea or abroad are refused), to the category's
 * department and, for categories routed elsewhere, to another body; photos are checked and
 * cleaned before anything is written; delivery to the category's endpoint is queued in the same
 * transaction. With `idem` (the request's Idempotency-Key) the key is claimed first and the answer
 * stored with it in the same transaction; a retry gets the stored answer (`idem.replayed`).
 */
export async function submitReport(
  ctx: AppContext,
  actor: Actor,
  input: SubmitInput,
  idem?: IdempotentRequest,
): Promise<Submitted> {
  const base = input.pointerBase ?? '/body';
  const description = input.description?.trim() ?? '';
  if (!description) throw invalid([fieldError(`${base}/description`, R_REPORTS.describe)]);
  if (description.length > MAX_DESCRIPTION)
    throw invalid([
      {
        pointer: `${base}/description`,
        code: 'maxLength',
        limit: MAX_DESCRIPTION,
        detail: `at most ${MAX_DESCRIPTION} characters (got ${description.length})`,
      },
    ]);
  if (input.address && input.address.length > 300)
    throw invalid([{ pointer: `${base}/address`, code: 'maxLength', limit: 300, detail: 'at most 300 characters' }]);
  if (input.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email))
    throw invalid([{ pointer: `${base}/email`, code: 'format', format: 'email', detail: 'is not an e-mail address' }]);
  if ((input.photos?.length ?? 0) > MAX_PHOTOS)
    throw invalid([
      { pointer: `${base}/photos`, code: 'maxItems', limit: MAX_PHOTOS, detail: `at most ${MAX_PHOTOS} photos` },
    ]);
  const { lat, lon, match } = locateReport(input, base);
  const municipalityCode = match.municipality.code;

  // Photos are decoded and re-encoded before the transaction: slow work holds no locks.
  const photos: ProcessedImage[] = [];
  for (const p of input.photos ?? [])
    photos.push(await processImage(p, { maxBytes: MAX_PHOTO_BYTES, maxDimension: 2048, thumbnail: 480 }));

  const person = actor.kind === 'person' ? actor : undefined;
  const manageToken = randomBytes(24).toString('base64url');
  const now = ctx.now();
  const category = (await cachedCategories(ctx, municipalityCode)).find(
    (c) => c.code === input.categoryCode && c.active,
  );
  if (!category)
    throw new Problem(
      RP.unknownCategory,
      `No active category ${input.categoryCode} in municipality ${municipalityCode}`,
      {
        errors: [
          fieldError(`${base}/${input.pointerBase ? 'service_code' : 'categoryCode'}`, R_REPORTS.unknownCategory),
        ],
      },
    );
  const attributes = checkAttributes(category, input.attributes, `${base}/attributes`);
  const slaDue = category.slaDays ? new Date(now.getTime() + category.slaDays * 86_400_000) : null;
  const token = category.open311Type === 'batch' ? randomUUID() : null;
  const name =
    input.name?.trim() || (person ? [person.givenName, person.familyName].filter(Boolean).join(' ') : '') || null;
  const result = (id: number): Submitted => ({
    id,
    municipalityCode,
    settlementCode: match.settlement?.code ?? null,
    categoryCode: category.code,
    bodyCode: category.bodyCode,
    token,
    manageToken,
    createdAt: now.toISOString(),
    slaDueAt: slaDue?.toISOString() ?? null,
  });
  if (!photos.length && !category.endpointId && !idem) {
    // The common case in one round trip (migration 0401): nothing else has to commit with it.
    const { rows } = await sql<{ id: number }>`
      SELECT report_intake(${municipalityCode}, ${match.settlement?.code ?? null}, ${category.code}, ${category.bodyCode}, ${description}, ${input.address?.trim() || null},
                           ${lat}, ${lon}, ${JSON.stringify(attributes)}::jsonb, ${input.channel}, ${input.apiClientId ?? null}::uuid, ${person?.personId ?? null}::uuid,
                           ${name}, ${input.email?.trim() || null}, ${input.phone?.trim() || null}, ${input.showName === true}, ${hashSecret(manageToken)},
                           ${token}::uuid, ${category.department}, ${now}, ${slaDue}) AS id`.execute(ctx.db);
    return result(rows[0]!.id);
  }
  return inScope(ctx.db, { tenant: municipalityCode, ...(person ? { actor: person.personId } : {}) }, async (trx) => {
    if (idem) {
      const prior = await claimKey<Submitted>(trx, idem, now);
      if (prior) return prior;
    }
    const row = await trx
      .insertInto('report')
      .values({
        municipality_code: municipalityCode,
        settlement_code: match.settlement?.code ?? null,
        category_code: category.code,
        body_code: category.bodyCode,
        status: 'open',
        description,
        address: input.address?.trim() || null,
        lat,
        lon,
        attributes: JSON.stringify(attributes),
        channel: input.channel,
        api_client_id: input.apiClientId ?? null,
        reporter_person_id: person?.personId ?? null,
        reporter_name: name,
        reporter_email: input.email?.trim() || null,
        reporter_phone: input.phone?.trim() || null,
        show_name: input.showName === true,
        reporter_secret_hash: hashSecret(manageToken),
        token,
        department: category.department,
        created_at: now,
        updated_at: now,
        sla_due_at: slaDue,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const id = row.id;
    await recordEvent(trx, {
      municipalityCode,
      reportId: id,
      at: now,
      kind: 'created',
      public: true,
      actorPersonId: person?.personId ?? null,
      actorClientId: input.apiClientId ?? null,
      statusTo: 'open',
      details: { channel: input.channel },
    });
    for (const [i, p] of photos.entries()) {
      const f = await storeFile(trx, {
        municipalityCode,
        filename: `report-${id}-${i + 1}.${p.mediaType === 'image/png' ? 'png' : 'jpg'}`,
        mediaType: p.mediaType,
        content: p.content,
        purpose: 'reports.photo',
        uploadedBy: person?.personId ?? null,
      });
      const t = await storeFile(trx, {
        municipalityCode,
        filename: `report-${id}-${i + 1}-thumb.${p.mediaType === 'image/png' ? 'png' : 'jpg'}`,
        mediaType: p.thumbnail!.mediaType,
        content: p.thumbnail!.content,
        purpose: 'reports.photo',
        uploadedBy: person?.personId ?? null,
      });
      await trx
        .insertInto('report_photo')
        .values({
          municipality_code: municipalityCode,
          report_id: id,
          file_id: f.id,
          thumb_file_id: t.id,
          position: i + 1,
          width: p.width,
          height: p.height,
          hidden: false,
        })
        .execute();
    }
    if (category.endpointId)
      await enqueueDeliveries(ctx, trx, {
        municipalityCode,
        reportId: id,
        endpointIds: [category.endpointId],
        topic: 'report.created',
        eventId: null,
        at: now,
      });
    if (idem) await recordAnswer(trx, idem, 201, result(id));
    return result(id);
  });
}

export interface EventInput {
  municipalityCode: string;
  reportId: number;
  at: Date;
  kind:
    | 'created'
    | 'status'
    | 'assigned'
    | 'note'
    | 'update'
    | 'moderated'
    | 'merged'
    | 'me_too'
    | 'satisfaction'
    | 'external';
  public: boolean;
  actorPersonId?: string | null;
  actorClientId?: string | null;
  statusFrom?: ReportStatus | null;
  statusTo?: ReportStatus | null;
  text?: string | null;
  details?: Record<string, unknown>;
}

export async function recordEvent(trx: Trx, e: EventInput): Promise<number> {
  const r = await trx
    .insertInto('report_event')
    .values({
      municipality_code: e.municipalityCode,
      report_id: e.reportId,
      at: e.at,
      kind: e.kind,
      public: e.public,
      actor_person_id: e.actorPersonId ?? null,
      actor_client_id: e.actorClientId ?? null,
      status_from: e.statusFrom ?? null,
      status_to: e.statusTo ?? null,
      text: e.text ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
