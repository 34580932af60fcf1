import { useEffect, useState } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useSession } from '../../app/session';

/** Pages that change what is read tell the bell to count again. */
export const UNREAD_CHANGED = 'kov:notifications-changed';
export const unreadChanged = () => window.dispatchEvent(new Event(UNREAD_CHANGED));

/**
 * The notification centre's entry in the page header: a link with the number of unread
 * notifications, counted again on every page change, every minute and when a page marks some read.
 */
export function NotificationBell() {
  const { t } = useTranslation('notifications');
  const session = useSession();
  const location = useLocation();
  const [unread, setUnread] = useState(0);
  const [tick, setTick] = useState(0);
  const authenticated = Boolean(session.me?.authenticated);
  useEffect(() => {
    const again = () => setTick((n) => n + 1);
    window.addEventListener(UNREAD_CHANGED, again);
    const timer = setInterval(again, 60_000);
    return () => {
      window.removeEventListener(UNREAD_CHANGED, again);
      clearInterval(timer);
    };
  }, []);
  useEffect(() => {
    if (!authenticated) return;
    const ctl = new AbortController();
    api<{ unread: number }>('/api/v1/me/notifications/unread', { signal: ctl.signal }).then(
      (r) => setUnread(r.unread),
      () => {},
    );
    return () => ctl.abort();
  }, [authenticated, location.pathname, tick]);
  if (!authenticated) return null;
  return (
    <div className="tool notification-bell">
      <NavLink
        to="/teavitused"
        className="bell-link"
        // One name however the browser joins the parts: "Notifications, 2 unread".
        aria-label={unread > 0 ? `${t('bell.label')}, ${t('bell.unread', { count: unread })}` : t('bell.label')}
      >
        <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
          />
        </svg>
        <span>{t('bell.label')}</span>
        {unread > 0 ? (
          <span className="bell-count">
            <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
          </span>
        ) : null}
      </NavLink>
    </div>
  );
}
