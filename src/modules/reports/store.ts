import { sql, type Generated, type Selectable } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';

/** Kysely types of the reports tables (migration 0400). */
export interface ReportBodyTable {
  code: string;
  name: string;
  url: string | null;
}

export interface ReportEndpointTable {
  municipality_code: string;
  id: Generated<string>;
  name: string;
  kind: 'webhook' | 'open311';
  url: string;
  secret: string;
  jurisdiction_id: string | null;
  active: boolean;
  created_at: Generated<Date>;
}

export interface CategoryAttribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  description: string;
  values?: { key: string; name: string }[];
}

export interface ReportCategoryTable {
  municipality_code: string;
  code: string;
  name_et: string;
  name_en: string;
  name_ru: string;
  description: string;
  domain: string;
  department: string | null;
  body_code: string | null;
  sla_days: number | null;
  attributes: Json<CategoryAttribute[]>;
  open311_type: Generated<'realtime' | 'batch'>;
  endpoint_id: string | null;
  active: Generated<boolean>;
  position: Generated<number>;
  updated_at: Generated<Date>;
}

export type ReportStatus =
  | 'open'
  | 'investigating'
  | 'in_progress'
  | 'action_scheduled'
  | 'fixed'
  | 'closed'
  | 'duplicate'
  | 'not_responsible'
  | 'no_further_action'
  | 'internal_referral';
export type Channel = 'web' | 'open311' | 'mobile' | 'phone' | 'email';

export interface ReportTable {
  municipality_code: string;
  id: Generated<number>;
  settlement_code: string | null;
  category_code: string;
  body_code: string | null;
  status: ReportStatus;
  description: string;
  address: string | null;
  lat: number;
  lon: number;
  attributes: Json<Record<string, string | string[]>>;
  channel: Channel;
  api_client_id: string | null;
  reporter_person_id: string | null;
  reporter_name: string | null;
  reporter_email: string | null;
  reporter_phone: string | null;
  /** The reporter chose to show their name publicly (migration 0405). */
  show_name: boolean;
  reporter_secret_hash: Buffer | null;
  token: string | null;
  department: string | null;
  assignee_person_id: string | null;
  duplicate_of: number | null;
  me_too_count: Generated<number>;
  hidden: Generated<boolean>;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  first_closed_at: Date | null;
  closed_at: Date | null;
  reopen_count: Generated<number>;
  sla_due_at: Date | null;
  stats_dirty: Generated<boolean>;
  /** New: its reporter and the followers of its area are still to be told (the alerts sweep). */
  alerts_pending: Generated<boolean>;
  /** When its handler was told that it is past its deadline. */
  overdue_notified_at: Generated<Date | null>;
}

export type EventKind =
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

export interface ReportEventTable {
  municipality_code: string;
  id: Generated<number>;
  report_id: number;
  at: Date;
  kind: EventKind;
  public: boolean;
  actor_person_id: string | null;
  actor_client_id: string | null;
  status_from: ReportStatus | null;
  status_to: ReportStatus | null;
  text: string | null;
  details: Json<Record<string, unknown>>;
}

export interface ReportPhotoTable {
  municipality_code: string;
  report_id: number;
  file_id: string;
  thumb_file_id: string;
  position: number;
  width: number;
  height: number;
  hidden: boolean;
}

export interface ReportSupporterTable {
  municipality_code: string;
  report_id: number;
  person_id: string;
  at: Date;
}

export interface ReportSatisfactionTable {
  municipality_code: string;
  report_id: number;
  at: Date;
  fixed: 'yes' | 'no' | 'dont_know';
  rating: number;
  comment: string | null;
  reopened: boolean;
  closing: number;
}

export interface ReportDeliveryTable {
  municipality_code: string;
  id: Generated<number>;
  report_id: number;
  endpoint_id: string;
  event_id: number | null;
  topic: 'report.created' | 'report.updated';
  idempotency_key: Generated<string>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export interface ReportDeliveryAttemptTable {
  municipality_code: string;
  delivery_id: number;
  n: number;
  at: Date;
  duration_ms: number;
  http_status: number | null;
  error: string | null;
}

/** Idempotency keys of report intake (migration 0406, `idempotency.ts`). */
export interface ReportIdempotencyTable {
  scope: string;
  key_hash: Buffer;
  fingerprint: Buffer;
  status: number;
  answer: Buffer | null;
  created_at: Date;
  expires_at: Date;
}

declare module '../../platform/db/tables' {
  interface KovTables {
    report_body: ReportBodyTable;
    report_endpoint: ReportEndpointTable;
    report_category: ReportCategoryTable;
    report: ReportTable;
    report_event: ReportEventTable;
    report_photo: ReportPhotoTable;
    report_supporter: ReportSupporterTable;
    report_satisfaction: ReportSatisfactionTable;
    report_delivery: ReportDeliveryTable;
    report_delivery_attempt: ReportDeliveryAttemptTable;
    report_idempotency: ReportIdempotencyTable;
  }
}

export type CategoryRow = Selectable<ReportCategoryTable>;
export type EndpointRow = Selectable<ReportEndpointTable>;
export type DeliveryRow = Selectable<ReportDeliveryTable>;
export type ReportRow = Selectable<ReportTable>;

/** A report as open data publishes it (`reports/openData.ts`): no description, address, attributes, photos or people. */
export interface PublicReportFacts {
  id: number;
  created: string;
  category_code: string;
  category: string | null;
  status: string;
  settlement_code: string | null;
  lat: number;
  lon: number;
  closed: string | null;
  /** Days from report to closing, to one decimal (null while open). */
  days: number | null;
}

/** The municipality's reports that are not hidden, reduced to the facts open data may publish, by number. */
export async function publicReportFacts(trx: Trx, municipalityCode: string): Promise<PublicReportFacts[]> {
  const r = await sql<PublicReportFacts>`
    SELECT r.id, r.created_at::date::text AS created, r.category_code, c.name_et AS category, r.status, r.settlement_code, r.lat, r.lon,
           r.closed_at::date::text AS closed, CASE WHEN r.closed_at IS NULL THEN NULL ELSE round(extract(epoch FROM r.closed_at - r.created_at) / 86400.0, 1)::float8 END AS days
    FROM report r LEFT JOIN report_category c ON c.municipality_code = r.municipality_code AND c.code = r.category_code
    WHERE r.municipality_code = ${municipalityCode} AND NOT r.hidden ORDER BY r.id`.execute(trx);
  return r.rows;
}

/** Open reports held by the official, and open reports nobody holds: counts, oldest, nearest deadline, overdue. */
export async function reportWorkCounts(trx: Trx, municipalityCode: string, personId: string, now: Date) {
  const r = await sql<{
    mine: boolean;
    count: number;
    overdue: number;
    since: Date | null;
    due: Date | null;
  }>`
    SELECT assignee_person_id IS NOT NULL AS mine, count(*)::int AS count,
           count(*) FILTER (WHERE sla_due_at < ${now}::timestamptz)::int AS overdue,
           min(created_at) AS since, min(sla_due_at) AS due
      FROM report
     WHERE municipality_code = ${municipalityCode} AND closed_at IS NULL AND NOT hidden
       AND (assignee_person_id IS NULL OR assignee_person_id = ${personId}::uuid)
     GROUP BY 1`.execute(trx);
  return r.rows;
}
