import { Suspense } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/ui';
import { useSession } from '../app/session';
import { webModules } from '../modules';

export function Home() {
  const { t } = useTranslation();
  const session = useSession();
  const name = [session.me?.person?.givenName, session.me?.person?.familyName].filter(Boolean).join(' ');
  const cards = [
    ...webModules.flatMap((m) =>
      (m.homeCards ?? [])
        .filter((c) => c.when !== 'official' || session.isOfficial)
        .map((c) => ({
          to: c.to,
          title: t(`shell:${m.name}.${c.titleKey}`),
          text: t(`shell:${m.name}.${c.textKey}`),
        })),
    ),
    ...(session.me?.authenticated
      ? [{ to: '/profile', title: t('home.profileCard'), text: t('home.profileCardText') }]
      : []),
    ...(session.municipalitiesWith(['admin']).length
      ? [{ to: '/admin/roles', title: t('home.adminCard'), text: t('home.adminCardText') }]
      : []),
  ];
  return (
    <Page title={t('home.title')} lead={t('home.intro')}>
      {session.loading ? null : session.me?.authenticated ? (
        <p>{t('home.loggedInAs', { name })}</p>
      ) : (
        <p className="login-prompt">
          {t('home.loginPrompt')}{' '}
          <a className="button" href={session.loginUrl('/')}>
            {t('login')}
          </a>
        </p>
      )}
      {webModules
        .flatMap((m) => m.homeSections ?? [])
        .map((Section, i) => (
          <Suspense key={i} fallback={null}>
            <Section />
          </Suspense>
        ))}
      <h2>{t('home.sections')}</h2>
      <ul className="cards">
        {cards.map((c) => (
          <li key={c.to} className="card">
            <h3>
              <Link to={c.to}>{c.title}</Link>
            </h3>
            <p>{c.text}</p>
          </li>
        ))}
        <li className="card">
          <h3>
            <a href="/api/docs">{t('home.apiCard')}</a>
          </h3>
          <p>{t('home.apiCardText')}</p>
        </li>
      </ul>
    </Page>
  );
}
