import type { WorkItem, WorkQueueProvider } from '../../platform/workQueue';
import { reportWorkCounts } from './store';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Reports the official holds, and reports nobody holds yet (with how many are past their deadline). */
export const reportsWork: WorkQueueProvider = {
  key: 'reports',
  roles: ['admin', 'editor'],
  async items(trx, ask) {
    const rows = await reportWorkCounts(trx, ask.municipalityCode, ask.personId, ask.now);
    return rows
      .filter((r) => r.count > 0)
      .map((r): WorkItem => ({
        key: r.mine ? 'reports.mine' : 'reports.unassigned',
        group: 'handle',
        count: r.count,
        overdue: r.overdue,
        since: iso(r.since),
        due: iso(r.due),
        link: r.mine ? '/teated/haldus?assignee=me' : '/teated/haldus',
      }));
  },
};
