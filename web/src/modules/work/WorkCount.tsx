import { useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useLoad } from '../../components/ui';
import { useWorkMunicipality, workQueueUrl, type WorkQueue } from './useWorkMunicipality';

/** The work queue's count beside its menu link (red when something is past its deadline); read again on every page. */
export function WorkCount() {
  const { t } = useTranslation();
  const { current } = useWorkMunicipality();
  const { pathname } = useLocation();
  const q = useLoad(
    (signal) => (current ? api<WorkQueue>(workQueueUrl(current), { signal }) : Promise.resolve(undefined)),
    [current, pathname],
  );
  const n = q.data?.totals.all ?? 0;
  if (!n) return null;
  return (
    <span className={`nav-count${q.data!.totals.overdue ? ' overdue' : ''}`}>
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">({t('nav.waiting', { count: n })})</span>
    </span>
  );
}
