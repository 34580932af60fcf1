import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, formatDate, useLoad } from '../../components/ui';
import type { Summary } from './api';
import { StatusBadge } from './ReportsHome';

/** "My reports" on the profile page. */
export function MyReports() {
  const { t, i18n } = useTranslation('reports');
  const session = useSession();
  const mine = useLoad(
    (signal) => (session.me?.authenticated ? api<Summary[]>('/api/v1/me/reports', { signal }) : Promise.resolve([])),
    [session.me?.authenticated],
  );
  if (!session.me?.authenticated) return null;
  return (
    <section aria-labelledby="my-reports">
      <h2 id="my-reports">{t('mine.title')}</h2>
      {mine.error ? <ErrorNotice error={mine.error} /> : null}
      {mine.data && mine.data.length === 0 ? <p>{t('mine.none')}</p> : null}
      {mine.data && mine.data.length > 0 ? (
        <ul className="my-reports">
          {mine.data.map((r) => (
            <li key={r.id}>
              <Link to={`/teated/${r.id}`}>#{r.id}</Link> {r.description} — <StatusBadge status={r.status} />{' '}
              <span className="muted">{formatDate(r.updatedAt, i18n.language)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
