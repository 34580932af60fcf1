import type { AppContext } from '../../platform/context';
import { hasRole, requireRole, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import type { WorkItem, WorkQueueProvider } from '../../platform/workQueue';

/** Anyone who works for the municipality sees their queue (each provider then asks for its own roles). */
export const OFFICIAL_ROLES = ['admin', 'editor', 'analyst'] as const;

export interface WorkQueue {
  municipalityCode: string;
  items: WorkItem[];
  /** Sums per group, for the counts in the navigation. */
  totals: { all: number; overdue: number; byGroup: Record<WorkItem['group'], number> };
}

/**
 * What waits for the official in the municipality: the items of every provider whose roles they
 * hold, read in one transaction scoped to the municipality (row-level security applies), past
 * deadlines first, then by deadline, then the longest waiting.
 */
export async function getWorkQueue(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  providers: WorkQueueProvider[],
): Promise<WorkQueue> {
  const official = requireRole(actor, municipalityCode, OFFICIAL_ROLES);
  const mine = providers.filter((p) => hasRole(official, municipalityCode, p.roles));
  const now = ctx.now();
  const items = await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const out: WorkItem[] = [];
    // One after another: a transaction is one connection.
    for (const p of mine) out.push(...(await p.items(trx, { municipalityCode, personId: official.personId, now })));
    return out;
  });
  const key = (i: WorkItem) => i.due ?? '9999';
  items.sort(
    (a, b) =>
      Number(b.overdue > 0) - Number(a.overdue > 0) ||
      key(a).localeCompare(key(b)) ||
      (a.since ?? '9999').localeCompare(b.since ?? '9999'),
  );
  const byGroup: WorkQueue['totals']['byGroup'] = { handle: 0, review: 0, prepare: 0, publish: 0 };
  for (const i of items) byGroup[i.group] += i.count;
  return {
    municipalityCode,
    items,
    totals: {
      all: items.reduce((n, i) => n + i.count, 0),
      overdue: items.reduce((n, i) => n + i.overdue, 0),
      byGroup,
    },
  };
}
