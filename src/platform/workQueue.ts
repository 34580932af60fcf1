import type { Trx } from './db/database';
import type { Role } from './db/tables';

/**
 * The officials' work queue (issue 18): what waits for an official of a municipality, gathered
 * from every module. A module declares `workQueue` providers in its manifest; the work queue
 * module (`src/modules/workQueue`) runs those whose roles the official holds, inside one
 * transaction scoped to the municipality (row-level security applies), and sorts the items by
 * deadline. A provider reads only its own module's tables.
 */
export type WorkGroup = 'handle' | 'review' | 'prepare' | 'publish';

export interface WorkItem {
  /** `<module>.<what>`, e.g. `reports.unassigned`; the page words it (`work:item.<key>`). */
  key: string;
  group: WorkGroup;
  /** How many things wait (reports, ideas, sittings …). */
  count: number;
  /** How many of them are past their deadline. */
  overdue: number;
  /** When the oldest of them began waiting (ISO 8601). */
  since: string | null;
  /** The nearest deadline (ISO 8601), if they have one. */
  due: string | null;
  /** Where in the web app the official acts on them. */
  link: string;
  /** What they belong to, in the municipality's own words (a vote's or sitting's title). */
  subject?: string;
}

export interface WorkQueueAsk {
  municipalityCode: string;
  personId: string;
  now: Date;
}

export interface WorkQueueProvider {
  /** Unique over the platform: `<module>.<what>`. */
  key: string;
  /** The roles in the municipality that see this provider's items. */
  roles: readonly Role[];
  items(trx: Trx, ask: WorkQueueAsk): Promise<WorkItem[]>;
}
