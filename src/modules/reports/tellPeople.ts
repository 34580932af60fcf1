import { createHmac } from 'node:crypto';
import type { AppContext } from '../../platform/context';
import type { Trx } from '../../platform/db/database';
import { notify, type Topic } from '../notifications';
import { cachedCategories } from './categories';
import type { Report } from './reportState';
import { isClosed } from './statuses';
import type { ReportStatus } from './store';

/**
 * What the reports module tells people (through the notification service, in the transaction of
 * the change): the reporter about their report (received — by the alerts sweep —, status
 * changed, answered, closed with the questionnaire's link, reopened), and officials about a report
 * assigned to them or reopened by its reporter. Parameters are category and municipality names,
 * never contact details or ID codes.
 */
export async function reportParams(
  ctx: AppContext,
  trx: Trx,
  r: Pick<Report, 'municipality_code' | 'id' | 'category_code'>,
) {
  const category = (await cachedCategories(ctx, r.municipality_code)).find((c) => c.code === r.category_code);
  const tenant = await trx
    .selectFrom('tenant')
    .select('name')
    .where('code', '=', r.municipality_code)
    .executeTakeFirst();
  return {
    reportId: r.id,
    category: category?.name ?? { et: r.category_code, ru: r.category_code, en: r.category_code },
    municipality: tenant?.name ?? r.municipality_code,
  };
}

/**
 * The key of the link in the e-mails to a logged-in reporter (closing notice → questionnaire):
 * an HMAC of the report under a key derived from KOV_PSEUDONYM_KEY, so the link works without
 * logging in, like the manage link shown once at submission, and nothing has to be stored.
 */
export function reporterLinkKey(secret: string, municipalityCode: string, id: number): string {
  const key = createHmac('sha256', Buffer.from(secret, 'hex')).update('kov-reports/reporter-link').digest();
  return `rk1.${createHmac('sha256', key).update(`${municipalityCode}/${id}`).digest().subarray(0, 18).toString('base64url')}`;
}

/** The reporter's notice of an official's public change (nothing for internal notes, nothing to themselves). */
export async function tellReporterOfUpdate(
  ctx: AppContext,
  trx: Trx,
  r: Report,
  change: { from: ReportStatus; to: ReportStatus; text: string | null; by: string },
) {
  if (!r.reporter_person_id || r.reporter_person_id === change.by) return;
  const changed = change.from !== change.to;
  let topic: Topic;
  if (!changed) topic = 'reports.answered';
  else if (isClosed(change.to) && !isClosed(change.from)) topic = 'reports.closed';
  else if (isClosed(change.from) && !isClosed(change.to)) topic = 'reports.reopened';
  else topic = 'reports.status';
  const params: Record<string, unknown> = {
    ...(await reportParams(ctx, trx, r)),
    status: change.to,
    ...(change.text ? { text: change.text } : {}),
  };
  if (topic === 'reports.closed' && change.to !== 'duplicate')
    params.surveyPath = `/teated/${r.id}?key=${reporterLinkKey(ctx.config.secrets.pseudonymKey, r.municipality_code, r.id)}#tagasiside`;
  await notify(ctx, trx, {
    to: r.reporter_person_id,
    topic,
    municipalityCode: r.municipality_code,
    params,
    link: `/teated/${r.id}`,
  });
}

/** The official a report was just assigned to (not when they assigned it to themselves). */
export async function tellAssignee(ctx: AppContext, trx: Trx, r: Report, assignee: string | null, by: string) {
  if (!assignee || assignee === by || assignee === r.assignee_person_id) return;
  await notify(ctx, trx, {
    to: assignee,
    topic: 'officials.assigned',
    municipalityCode: r.municipality_code,
    params: { ...(await reportParams(ctx, trx, r)), dueAt: r.sla_due_at?.toISOString() ?? null },
    link: `/teated/${r.id}`,
  });
}

/** The handler of a report its reporter reopened from the questionnaire. */
export async function tellHandlerOfReopen(ctx: AppContext, trx: Trx, r: Report, comment: string | null) {
  if (!r.assignee_person_id) return;
  await notify(ctx, trx, {
    to: r.assignee_person_id,
    topic: 'officials.reopened',
    municipalityCode: r.municipality_code,
    params: { ...(await reportParams(ctx, trx, r)), ...(comment ? { text: comment } : {}) },
    link: `/teated/${r.id}`,
  });
}
