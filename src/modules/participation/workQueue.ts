import type { WorkQueueProvider } from '../../platform/workQueue';
import { participationWorkRows } from './store';

/** Ideas and candidates to review, and closed votes whose results wait for publication. */
export const participationWork: WorkQueueProvider = {
  key: 'participation',
  roles: ['admin', 'editor'],
  async items(trx, ask) {
    const rows = await participationWorkRows(trx, ask.municipalityCode);
    return rows.map((r) => ({
      key: `participation.${r.what}`,
      group: r.what === 'publish' ? 'publish' : 'review',
      count: r.count,
      overdue: r.due && r.due < ask.now ? r.count : 0,
      since: r.since?.toISOString() ?? null,
      due: r.due?.toISOString() ?? null,
      link: `/haaletused/${ask.municipalityCode}/${r.vote_id}/haldus`,
      subject: r.title,
    }));
  },
};
