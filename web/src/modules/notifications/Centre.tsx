import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Page, formatDate, useLoad } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import type { NotificationItem, NotificationPage } from '../../../../src/modules/notifications/contract';
import { unreadChanged } from './Bell';

/** The notification centre: newest first in the page's language; opening one marks it read. */
export function CentrePage() {
  return (
    <RequireLogin>
      <Centre />
    </RequireLogin>
  );
}

function Centre() {
  const { t, i18n } = useTranslation('notifications');
  const navigate = useNavigate();
  const [older, setOlder] = useState<NotificationItem[]>([]);
  const [error, setError] = useState<unknown>();
  const page = useLoad(
    (signal) => api<NotificationPage>(`/api/v1/me/notifications?lang=${i18n.language}&limit=30`, { signal }),
    [i18n.language],
  );
  const items = [...(page.data?.items ?? []), ...older];
  const act = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      setOlder([]);
      page.reload();
      unreadChanged();
    } catch (err) {
      setError(err);
    }
  };
  const open = async (n: NotificationItem) => {
    if (!n.readAt) await api(`/api/v1/me/notifications/${n.id}/read`, { method: 'POST' }).catch(() => {});
    unreadChanged();
    if (n.link) void navigate(n.link);
  };
  const loadOlder = async () => {
    const last = items.at(-1);
    if (!last) return;
    try {
      const more = await api<NotificationPage>(
        `/api/v1/me/notifications?lang=${i18n.language}&limit=30&before=${last.id}`,
      );
      setOlder((o) => [...o, ...more.items]);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('centre.title')} lead={t('centre.lead')}>
      <p className="notification-actions">
        <Link to="/teavitused/seaded">{t('centre.settings')}</Link>
        {page.data?.unread ? (
          <button
            type="button"
            className="button-secondary"
            onClick={() => void act(() => api('/api/v1/me/notifications/read-all', { method: 'POST' }))}
          >
            {t('centre.markAll')}
          </button>
        ) : null}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {page.loading && !page.data ? <Loading /> : null}
      {page.error ? <ErrorNotice error={page.error} onRetry={page.reload} /> : null}
      {page.data && items.length === 0 ? <p>{t('centre.empty')}</p> : null}
      <ul className="notification-list">
        {items.map((n) => (
          <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
            <h2>
              {!n.readAt ? <span className="notification-new">{t('centre.unread')}</span> : null}
              {n.link ? (
                <a
                  href={n.link}
                  onClick={(e) => {
                    e.preventDefault();
                    void open(n);
                  }}
                >
                  {n.title}
                </a>
              ) : (
                n.title
              )}
            </h2>
            <p className="notification-text">{n.text}</p>
            <p className="muted">
              <time dateTime={n.createdAt}>{formatDate(n.createdAt, i18n.language, true)}</time>
              {!n.readAt ? (
                <>
                  {' · '}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void act(() => api(`/api/v1/me/notifications/${n.id}/read`, { method: 'POST' }))}
                  >
                    {t('centre.markRead')}
                  </button>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
      {page.data && page.data.items.length === 30 ? (
        <button type="button" className="button-secondary" onClick={() => void loadOlder()}>
          {t('centre.more')}
        </button>
      ) : null}
    </Page>
  );
}
