import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { readEhak } from '../../platform/places/ehak';
import { categoriesOf } from './categories';
import { isHandler } from './policy';
import { isReporter } from './answerSurvey';
import { isClosed } from './statuses';

import type { Report } from './reportState';

export interface HistoryEntry {
  id: number;
  at: string;
  kind: string;
  public: boolean;
  statusFrom: string | null;
  statusTo: string | null;
  text: string | null;
  by: { kind: 'official' | 'reporter' | 'resident' | 'system' | 'backoffice'; name: string | null };
  details?: Record<string, unknown>;
}

export interface ReportView {
  id: number;
  municipalityCode: string;
  municipalityName: string;
  settlementCode: string | null;
  settlementName: string | null;
  categoryCode: string;
  categoryName: { et: string; en: string; ru: string };
  domain: string;
  body: { code: string; name: string } | null;
  status: string;
  description: string;
  address: string | null;
  lat: number;
  lon: number;
  attributes: Record<string, string | string[]>;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  closedAt: string | null;
  slaDueAt: string | null;
  reporterName: string | null;
  meTooCount: number;
  duplicateOf: number | null;
  department: string | null;
  assignee: { personId: string; name: string } | null;
  photos: { position: number; url: string; thumbUrl: string; width: number; height: number; hidden: boolean }[];
  history: HistoryEntry[];
  viewer: { isReporter: boolean; isOfficial: boolean; canRate: boolean; ratedThisClosing: boolean; supported: boolean };
  /** Officials only. */
  internal?: {
    hidden: boolean;
    channel: string;
    reporter: {
      name: string | null;
      email: string | null;
      phone: string | null;
      showName: boolean;
      personId: string | null;
    };
    externalId: string | null;
    reopenCount: number;
    firstClosedAt: string | null;
    satisfaction: {
      closing: number;
      at: string;
      fixed: string;
      rating: number;
      comment: string | null;
      reopened: boolean;
    }[];
  };
}

let names: Map<string, string> | undefined;
export function placeName(code: string | null): string | null {
  if (!code) return null;
  names ??= new Map(readEhak().map((u) => [u.code, u.name]));
  return names.get(code) ?? code;
}

/** The municipality a report id belongs to (ids are unique across the platform). */
export async function municipalityOfReport(ctx: AppContext, id: number): Promise<string> {
  const row = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('report').select('municipality_code').where('id', '=', id).executeTakeFirst(),
  );
  if (!row) throw notFound(`Report ${id}`);
  return row.municipality_code;
}

/**
 * One report as the viewer may see it: the public page (status history, who handles it, photos
 * not hidden), plus the questionnaire for its reporter, plus contact details, internal notes and
 * moderation history for the municipality's officials. Hidden reports are visible only to
 * officials and the reporter.
 */
export async function getReport(
  ctx: AppContext,
  actor: Actor,
  id: number,
  opts: { manageToken?: string } = {},
): Promise<ReportView> {
  const m = await municipalityOfReport(ctx, id);
  const official =
    isHandler(actor, m) ||
    (actor.kind === 'person' && actor.roles.some((g) => g.municipalityCode === m && g.role === 'analyst'));
  return inScope(ctx.db, { tenant: m, ...(actor.kind === 'person' ? { actor: actor.personId } : {}) }, async (trx) => {
    const r = (await trx
      .selectFrom('report')
      .selectAll()
      .where('municipality_code', '=', m)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()) as unknown as Report;
    const reporter = isReporter(r, actor, opts.manageToken, ctx.config.secrets.pseudonymKey);
    if (r.hidden && !official && !reporter) throw notFound(`Report ${id}`);
    return present(ctx, trx, r, { official, reporter, actor });
  });
}

async function present(
  ctx: AppContext,
  trx: Trx,
  r: Report,
  v: { official: boolean; reporter: boolean; actor: Actor },
): Promise<ReportView> {
  const m = r.municipality_code;
  const category = (await categoriesOf(trx, m)).find((c) => c.code === r.category_code);
  const body = r.body_code
    ? await trx.selectFrom('report_body').select(['code', 'name']).where('code', '=', r.body_code).executeTakeFirst()
    : undefined;
  const events = await trx
    .selectFrom('report_event as e')
    .leftJoin('person as p', 'p.id', 'e.actor_person_id')
    .select([
      'e.id',
      'e.at',
      'e.kind',
      'e.public',
      'e.status_from',
      'e.status_to',
      'e.text',
      'e.details',
      'e.actor_person_id',
      'e.actor_client_id',
      'p.given_name',
      'p.family_name',
    ])
    .where('e.municipality_code', '=', m)
    .where('e.report_id', '=', r.id)
    .$if(!v.official, (q) => q.where('e.public', '=', true))
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  const officials = new Set(
    (
      await trx
        .selectFrom('role_grant')
        .select('person_id')
        .where('municipality_code', '=', m)
        .where('role', 'in', ['admin', 'editor'])
        .execute()
    ).map((g) => g.person_id),
  );
  const assignee =
    r.assignee_person_id && v.official
      ? await trx
          .selectFrom('person')
          .select(['id', 'given_name', 'family_name'])
          .where('id', '=', r.assignee_person_id)
          .executeTakeFirst()
      : undefined;
  const photos = await trx
    .selectFrom('report_photo')
    .selectAll()
    .where('municipality_code', '=', m)
    .where('report_id', '=', r.id)
    .orderBy('position')
    .execute();
  const satisfaction = await trx
    .selectFrom('report_satisfaction')
    .selectAll()
    .where('municipality_code', '=', m)
    .where('report_id', '=', r.id)
    .orderBy('closing')
    .execute();
  const supported =
    v.actor.kind === 'person'
      ? Boolean(
          await trx
            .selectFrom('report_supporter')
            .select('person_id')
            .where('municipality_code', '=', m)
            .where('report_id', '=', r.id)
            .where('person_id', '=', v.actor.personId)
            .executeTakeFirst(),
        )
      : false;
  const closing = r.reopen_count + 1;
  const rated = satisfaction.some((s) => s.closing === closing);
  const base = `/api/v1/reports/${r.id}/photos`;
  const fullName = (g: string | null, f: string | null) => [g, f].filter(Boolean).join(' ') || null;
  const history: HistoryEntry[] = events.map((e) => {
    const details = e.details as Record<string, unknown>;
    let by: HistoryEntry['by'];
    if (e.actor_client_id) by = { kind: 'backoffice', name: null };
    else if (e.kind === 'created') by = { kind: 'reporter', name: r.show_name || v.official ? r.reporter_name : null };
    else if (details?.reopenedBy === 'reporter') by = { kind: 'reporter', name: null };
    else if (e.actor_person_id && officials.has(e.actor_person_id))
      by = { kind: 'official', name: fullName(e.given_name, e.family_name) };
    else if (e.actor_person_id)
      by = { kind: 'resident', name: v.official ? fullName(e.given_name, e.family_name) : null };
    else by = { kind: 'system', name: null };
    return {
      id: e.id,
      at: e.at.toISOString(),
      kind: e.kind,
      public: e.public,
      statusFrom: e.status_from,
      statusTo: e.status_to,
      text: e.text,
      by,
      ...(v.official
        ? { details }
        : e.kind === 'assigned'
          ? { details: { department: details.department ?? null } }
          : e.kind === 'merged'
            ? { details: { duplicateOf: details.duplicateOf } }
            : {}),
    };
  });
  return {
    id: r.id,
    municipalityCode: m,
    municipalityName: placeName(m)!,
    settlementCode: r.settlement_code,
    settlementName: placeName(r.settlement_code),
    categoryCode: r.category_code,
    categoryName: category?.name ?? { et: r.category_code, en: r.category_code, ru: r.category_code },
    domain: category?.domain ?? '',
    body: body ?? null,
    status: r.status,
    description: r.description,
    address: r.address,
    lat: r.lat,
    lon: r.lon,
    attributes: r.attributes as unknown as Record<string, string | string[]>,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    slaDueAt: r.sla_due_at?.toISOString() ?? null,
    reporterName: r.show_name ? r.reporter_name : null,
    meTooCount: r.me_too_count,
    duplicateOf: r.duplicate_of,
    department: r.department,
    // The public sees the handling unit (department), never which official holds the report.
    assignee:
      assignee && v.official
        ? { personId: assignee.id, name: fullName(assignee.given_name, assignee.family_name) ?? '' }
        : null,
    photos: photos
      .filter((p) => v.official || !p.hidden)
      .map((p) => ({
        position: p.position,
        url: `${base}/${p.position}`,
        thumbUrl: `${base}/${p.position}?thumb=1`,
        width: p.width,
        height: p.height,
        hidden: p.hidden,
      })),
    history,
    viewer: {
      isReporter: v.reporter,
      isOfficial: v.official,
      canRate: v.reporter && isClosed(r.status) && r.status !== 'duplicate' && !rated,
      ratedThisClosing: rated,
      supported,
    },
    ...(v.official
      ? {
          internal: {
            hidden: r.hidden,
            channel: r.channel,
            reporter: {
              name: r.reporter_name,
              email: r.reporter_email,
              phone: r.reporter_phone,
              showName: r.show_name,
              personId: r.reporter_person_id,
            },
            externalId: r.external_id,
            reopenCount: r.reopen_count,
            firstClosedAt: r.first_closed_at?.toISOString() ?? null,
            satisfaction: satisfaction.map((s) => ({
              closing: s.closing,
              at: s.at.toISOString(),
              fixed: s.fixed,
              rating: s.rating,
              comment: s.comment,
              reopened: s.reopened,
            })),
          },
        }
      : {}),
  };
}

/** A photo's bytes, if the viewer may see it. */
export async function reportPhoto(ctx: AppContext, actor: Actor, id: number, position: number, thumb: boolean) {
  const m = await municipalityOfReport(ctx, id);
  const official = isHandler(actor, m);
  return inScope(ctx.db, { tenant: m }, async (trx) => {
    const r = await trx
      .selectFrom('report')
      .select(['hidden', 'reporter_person_id'])
      .where('municipality_code', '=', m)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const p = await trx
      .selectFrom('report_photo')
      .selectAll()
      .where('municipality_code', '=', m)
      .where('report_id', '=', id)
      .where('position', '=', position)
      .executeTakeFirst();
    if (!p || ((p.hidden || r.hidden) && !official)) throw notFound(`Photo ${position} of report ${id}`);
    const f = await trx
      .selectFrom('stored_file')
      .select(['content', 'media_type', 'sha256'])
      .where('municipality_code', '=', m)
      .where('id', '=', thumb ? p.thumb_file_id : p.file_id)
      .executeTakeFirstOrThrow();
    return { content: f.content, mediaType: f.media_type, etag: f.sha256, public: !p.hidden && !r.hidden };
  });
}
