/** Types of the reports API (src/modules/reports/schemas.ts) as the web app reads them. */
export interface Category {
  code: string;
  name: { et: string; en: string; ru: string };
  description: string;
  domain: string;
  department: string | null;
  bodyCode: string | null;
  slaDays: number | null;
  attributes: {
    code: string;
    datatype: string;
    required: boolean;
    description: string;
    values?: { key: string; name: string }[];
  }[];
  open311Type: 'realtime' | 'batch';
  endpointId: string | null;
  active: boolean;
  position: number;
}

export interface Summary {
  id: number;
  municipalityCode: string;
  categoryCode: string;
  status: string;
  description: string;
  lat: number;
  lon: number;
  settlementName: string | null;
  address: string | null;
  createdAt: string;
  updatedAt: string;
  meTooCount: number;
  hidden?: boolean;
  department?: string | null;
  slaDueAt?: string | null;
}

export interface HistoryEntry {
  id: number;
  at: string;
  kind: string;
  public: boolean;
  statusFrom: string | null;
  statusTo: string | null;
  text: string | null;
  by: { kind: string; name: string | null };
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
  attributes: Record<string, unknown>;
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
  internal?: {
    hidden: boolean;
    channel: string;
    reporter: { name: string | null; email: string | null; phone: string | null; showName: boolean };
    externalId: string | null;
    reopenCount: number;
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

export interface Duration {
  n: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface Overview {
  scope: string;
  from: string;
  to: string;
  source: string;
  totals: { created: number; acknowledged: number; closed: number; hidden: number };
  volumeByMonth: { month: string; created: number; closed: number }[];
  byCategory: {
    code: string;
    domain: string;
    created: number;
    closed: number;
    slaPercent: number | null;
    acknowledge: Duration;
    close: Duration;
  }[];
  byDomain: { domain: string; created: number }[];
  byChannel: { channel: string; created: number }[];
  byArea: { code: string; name: string; created: number; closed: number }[];
  timeToAcknowledge: Duration & { histogram: { upToHours: number | null; n: number }[] };
  timeToClose: Duration & { histogram: { upToHours: number | null; n: number }[] };
  sla: { applicable: number; closedInSla: number; closedLate: number; openOverdue: number; percent: number | null };
  reopen: { closed: number; reopened: number; percent: number | null };
  satisfaction: {
    answers: number;
    averageRating: number | null;
    fixedYes: number;
    fixedNo: number;
    fixedDontKnow: number;
  };
  backlog: { open: number; olderThan30Days: number; byAge: { label: string; n: number }[] };
}

export const STATUSES = [
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
] as const;
export const CLOSED = new Set([
  'fixed',
  'closed',
  'duplicate',
  'not_responsible',
  'no_further_action',
  'internal_referral',
]);

export function catName(
  c: { name: { et: string; en: string; ru: string } } | undefined,
  lang: string,
  fallback = '',
): string {
  if (!c) return fallback;
  return lang === 'en' ? c.name.en : lang === 'ru' ? c.name.ru : c.name.et;
}

/** Hours as "5 h" or "3 d" (days from 48 hours on). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function hoursText(h: number | null, t: (...args: any[]) => any): string {
  if (h === null) return '—';
  if (h >= 48) return String(t('units.days', { n: Math.round((h / 24) * 10) / 10 }));
  return String(t('units.hours', { n: h }));
}
