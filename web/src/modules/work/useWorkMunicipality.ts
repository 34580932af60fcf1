import { useSession } from '../../app/session';
import { useMunicipality } from '../../app/municipality';

export const WORK_ROLES = ['admin', 'editor', 'analyst'];

/** The municipalities the official works for (all for platform admins), and the one looked at. */
export function useWorkMunicipality() {
  const session = useSession();
  const municipality = useMunicipality();
  const allowed = session.municipalitiesWith(WORK_ROLES);
  const options = allowed.includes('*') ? municipality.list.map((m) => m.code) : allowed.filter((c) => c !== '0000');
  const current = options.includes(municipality.selected) ? municipality.selected : (options[0] ?? '');
  return { options, current, select: municipality.select, nameOf: municipality.nameOf };
}

export interface WorkItem {
  key: string;
  group: 'handle' | 'review' | 'prepare' | 'publish';
  count: number;
  overdue: number;
  since: string | null;
  due: string | null;
  link: string;
  subject?: string;
}
export interface WorkQueue {
  municipalityCode: string;
  items: WorkItem[];
  totals: { all: number; overdue: number; byGroup: Record<WorkItem['group'], number> };
}
export const workQueueUrl = (code: string) => `/api/v1/municipalities/${code}/work-queue`;
