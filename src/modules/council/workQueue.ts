import type { WorkQueueProvider } from '../../platform/workQueue';
import { councilWorkRows } from './store';
import { MANAGER_ROLES } from './policy';

/** Sittings to prepare and publish (by the notice deadline), and minutes to generate and sign. */
export const councilWork: WorkQueueProvider = {
  key: 'council',
  roles: MANAGER_ROLES,
  async items(trx, ask) {
    const rows = await councilWorkRows(trx, ask.municipalityCode, ask.now);
    return rows.map((r) => ({
      key: `council.${r.what}`,
      group: r.what === 'prepare' ? 'prepare' : 'publish',
      count: 1,
      overdue: r.due && r.due < ask.now ? 1 : 0,
      since: r.since.toISOString(),
      due: r.due?.toISOString() ?? null,
      link:
        r.what === 'prepare'
          ? `/volikogu/${ask.municipalityCode}/haldus`
          : `/volikogu/${ask.municipalityCode}/istung/${r.sitting_id}/protokoll`,
      subject: `${r.number}. ${r.title}`,
    }));
  },
};
