/**
 * The formulas of the analytics module, in one place (docs/reports.md repeats them).
 *
 * Cohort: every figure for a period is about the reports **created** in that period (by the
 * month in Europe/Tallinn), whatever happened to them later — so a month's figures settle as its
 * reports are handled, and periods never double-count a report.
 *
 * - Time to acknowledge: acknowledged_at − created_at, where acknowledged_at is the first action
 *   of an official or a back-office system (status change, public update, assignment, merge).
 * - Time to close: first_closed_at − created_at, where first_closed_at is the first time the
 *   report entered a closed status (fixed, closed, duplicate, not_responsible,
 *   no_further_action, internal_referral). Reopening does not move it.
 * - Median and P90 are read off a histogram of durations (bucket edges below): nearest rank
 *   r = ⌈p·n⌉, and the answer is the upper edge of the bucket holding the r-th smallest duration.
 *   Resolution: 1 h up to 12 h, 4 h up to a day, 1 day up to 30 days, 1 week up to 13 weeks.
 * - % within SLA = closed_in_sla ÷ (closed_in_sla + closed_late + open_overdue) × 100, over
 *   reports of categories with an SLA: closed_in_sla = first closed no later than sla_due_at
 *   (created_at + the category's SLA days), closed_late = first closed after it, open_overdue =
 *   never closed and sla_due_at already past. Reports still open within their SLA are not counted
 *   (their outcome is not known yet).
 * - Reopen rate = reports reopened at least once ÷ reports closed at least once × 100.
 * - Satisfaction: the latest answer of each report's questionnaire: average rating (1–5) and the
 *   shares of "fixed: yes / no / don't know".
 * - Backlog: reports open now (not in a closed status), by age since creation; "older than 30
 *   days" is created_at < now − 30 days.
 */
export const DURATION_BUCKET_EDGES_H: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 20, 24, 48, 72, 96, 120, 144, 168, 192, 216, 240, 264, 288, 312, 336, 360,
  384, 408, 432, 456, 480, 504, 528, 552, 576, 600, 624, 648, 672, 696, 720, 840, 1008, 1176, 1344, 1512, 1680, 1848,
  2016, 2184, 2880, 3600, 4320, 6480, 8760,
];

/** The bucket a duration falls in (same as SQL report_duration_bucket). */
export function durationBucket(seconds: number): number {
  const h = seconds / 3600;
  let i = 0;
  while (i < DURATION_BUCKET_EDGES_H.length && h > DURATION_BUCKET_EDGES_H[i]!) i += 1;
  return i;
}

/**
 * Nearest-rank percentile from bucket counts: the upper edge (hours) of the bucket holding the
 * ⌈p·n⌉-th smallest value; null with no values; Infinity when it is in the "more than 365 days" bucket.
 */
export function percentileHours(
  counts: ReadonlyMap<number, number> | Record<number, number>,
  p: number,
): number | null {
  const entries = (
    counts instanceof Map
      ? [...counts.entries()]
      : Object.entries(counts).map(([k, v]) => [Number(k), v] as [number, number])
  )
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let cum = 0;
  for (const [bucket, n] of entries) {
    cum += n;
    if (cum >= rank) return bucket < DURATION_BUCKET_EDGES_H.length ? DURATION_BUCKET_EDGES_H[bucket]! : Infinity;
  }
  return Infinity;
}

export function slaPercent(s: { closedInSla: number; closedLate: number; openOverdue: number }): number | null {
  const d = s.closedInSla + s.closedLate + s.openOverdue;
  return d === 0 ? null : round1((s.closedInSla / d) * 100);
}

export function reopenRate(s: { closed: number; reopened: number }): number | null {
  return s.closed === 0 ? null : round1((s.reopened / s.closed) * 100);
}

export function averageRating(s: { answers: number; ratingSum: number }): number | null {
  return s.answers === 0 ? null : Math.round((s.ratingSum / s.answers) * 100) / 100;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** Months from 'YYYY-MM' to 'YYYY-MM' inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    if (out.length > 240) break;
  }
  return out;
}
