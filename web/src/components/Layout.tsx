import { Suspense, useState, type ReactNode } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, rememberLanguage, type Lang } from '../i18n';
import { useSession } from '../app/session';
import { useMunicipality } from '../app/municipality';
import { webModules } from '../modules';
import { ChunkErrorBoundary } from '../app/lazy';
import { Loading } from './ui';

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const municipality = useMunicipality();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const isAdmin = session.municipalitiesWith(['admin']).length > 0;

  const switchLanguage = (lang: Lang) => {
    void i18n.changeLanguage(lang);
    rememberLanguage(lang);
  };

  const moduleNav = webModules.flatMap((m) =>
    (m.nav ?? [])
      .filter((n) => n.when !== 'official' || session.isOfficial)
      .map((n) => ({ to: n.to, label: t(`shell:${m.name}.${n.labelKey}`) })),
  );

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand" aria-label={`${t('brand')} – ${t('nav.home')}`}>
            <span className="brand-mark" aria-hidden="true">
              KOV
            </span>
            <span className="brand-text">
              <span className="brand-name">{t('brand')}</span>
              <span className="brand-tagline">{t('brandTagline')}</span>
            </span>
          </Link>
          <div className="header-tools">
            <div className="tool">
              <label htmlFor="municipality-select">{t('municipality')}</label>
              <select
                id="municipality-select"
                value={municipality.selected}
                onChange={(e) => municipality.select(e.target.value)}
              >
                <option value="">{t('allMunicipalities')}</option>
                {municipality.list.map((m) => (
                  <option key={m.code} value={m.code}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="tool lang-switch" role="group" aria-label={t('language')}>
              {LANGUAGES.map((l) => (
                <button
                  key={l.code}
                  type="button"
                  lang={l.code}
                  aria-pressed={i18n.language === l.code}
                  onClick={() => switchLanguage(l.code)}
                  title={l.label}
                >
                  <span aria-hidden="true">{l.short}</span>
                  <span className="visually-hidden">{l.label}</span>
                </button>
              ))}
            </div>
            {session.me?.authenticated
              ? webModules
                  .flatMap((m) => m.headerTools ?? [])
                  .map((Tool, i) => (
                    <Suspense key={i} fallback={null}>
                      <Tool />
                    </Suspense>
                  ))
              : null}
            <div className="tool account">
              {session.me?.authenticated ? (
                <>
                  <NavLink to="/profile" className="account-name">
                    {session.me.person?.givenName} {session.me.person?.familyName}
                  </NavLink>
                  <button type="button" className="button-secondary" onClick={() => void session.logout()}>
                    {t('logout')}
                  </button>
                </>
              ) : (
                <a className="button" href={session.loginUrl(location.pathname + location.search)}>
                  {t('login')}
                </a>
              )}
            </div>
          </div>
        </div>
        <nav className="main-nav" aria-label={t('nav.label')}>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav-list"
            onClick={() => setMenuOpen((o) => !o)}
          >
            {t('menu')}
          </button>
          <ul id="main-nav-list" className={menuOpen ? 'open' : ''} onClick={() => setMenuOpen(false)}>
            <li>
              <NavLink to="/" end>
                {t('nav.home')}
              </NavLink>
            </li>
            {moduleNav.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to}>{n.label}</NavLink>
              </li>
            ))}
            {session.me?.authenticated ? (
              <li>
                <NavLink to="/profile">{t('nav.profile')}</NavLink>
              </li>
            ) : null}
            {isAdmin ? (
              <li>
                <NavLink to="/admin/roles">{t('nav.admin')}</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
      </header>
      <main id="main" className="site-main">
        <ChunkErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<Loading />}>{children}</Suspense>
        </ChunkErrorBoundary>
      </main>
      <footer className="site-footer">
        <div className="footer-inner">
          <p>{t('footer.about')}</p>
          <p>{t('footer.data')}</p>
          <p>
            <a href="/api/docs">{t('footer.api')}</a>
          </p>
        </div>
      </footer>
    </>
  );
}
