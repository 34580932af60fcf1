import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../app/session';
import { Loading, Page } from '../components/ui';

/** Shows its children to a logged-in person, and a login prompt to everyone else. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  if (session.loading) return <Loading />;
  if (!session.me?.authenticated) {
    return (
      <Page title={t('login')}>
        <p>{t('error.loginRequired')}</p>
        <a className="button" href={session.loginUrl()}>
          {t('login')}
        </a>
      </Page>
    );
  }
  return <>{children}</>;
}
