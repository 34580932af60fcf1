import type { WorkQueueProvider } from '../../platform/workQueue';
import { serviceWorkRows } from './store';

/** Service descriptions to update (marked as needing a change) or to finish (being created). */
export const servicesWork: WorkQueueProvider = {
  key: 'services',
  roles: ['admin', 'editor'],
  async items(trx, ask) {
    const rows = await serviceWorkRows(trx, ask.municipalityCode);
    return rows.map((r) => ({
      key: r.status === 'needs-change' ? 'services.needsChange' : 'services.draft',
      group: r.status === 'needs-change' ? 'handle' : 'prepare',
      count: r.count,
      overdue: 0,
      since: r.since.toISOString(),
      due: null,
      link: '/teenused-haldus',
    }));
  },
};
