import type { ReportStatus } from './store';

/**
 * Statuses follow FixMyStreet's extended set. "Closed" for Open311 (`status` open|closed), for
 * time to close and for the SLA means any of CLOSED_STATUSES.
 */
export const STATUSES: readonly ReportStatus[] = [
  'open',
  'investigating',
  'in_progress',
  'action_scheduled',
  'fixed',
  'closed',
  'duplicate',
  'not_responsible',
  'no_further_action',
  'internal_referral',
];
export const OPEN_STATUSES: readonly ReportStatus[] = ['open', 'investigating', 'in_progress', 'action_scheduled'];
export const CLOSED_STATUSES: readonly ReportStatus[] = [
  'fixed',
  'closed',
  'duplicate',
  'not_responsible',
  'no_further_action',
  'internal_referral',
];

export const isClosed = (s: ReportStatus) => CLOSED_STATUSES.includes(s);

/** Open311 GeoReport v2 status. */
export const open311Status = (s: ReportStatus): 'open' | 'closed' => (isClosed(s) ? 'closed' : 'open');

/** FixMyStreet's service request update status (servicerequestupdates extension). */
const FMS: Record<ReportStatus, string> = {
  open: 'OPEN',
  investigating: 'INVESTIGATING',
  in_progress: 'IN_PROGRESS',
  action_scheduled: 'ACTION_SCHEDULED',
  fixed: 'FIXED',
  closed: 'CLOSED',
  duplicate: 'DUPLICATE',
  not_responsible: 'NOT_COUNCILS_RESPONSIBILITY',
  no_further_action: 'NO_FURTHER_ACTION',
  internal_referral: 'INTERNAL_REFERRAL',
};
export const fmsStatus = (s: ReportStatus) => FMS[s];

/** Reads a status sent by a back-office (FixMyStreet names, case and `_`/space insensitive, REOPEN). */
export function statusFromFms(value: string): ReportStatus | undefined {
  const v = value.trim().toUpperCase().replace(/\s+/g, '_');
  if (v === 'REOPEN' || v === 'REOPENED') return 'open';
  if (v === 'NOT_RESPONSIBLE') return 'not_responsible';
  if (v === 'UNABLE_TO_FIX') return 'no_further_action';
  if (v === 'PLANNED') return 'action_scheduled';
  return (Object.keys(FMS) as ReportStatus[]).find((k) => FMS[k] === v);
}
