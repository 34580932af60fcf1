import { Suspense, useEffect, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, rememberLanguage, type Lang } from '../i18n';
import { useSession } from '../app/session';
import { useMunicipality } from '../app/municipality';
import { webModules } from '../modules';
import type { NavGroup } from '../modules/types';
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
      .map((n) => ({ ...n, label: t(`shell:${m.name}.${n.labelKey}`) })),
  );
  // Grouped by task: officials get their work queue on top and one menu per task; residents
  // their everyday links on top and the rest under "More".
  const official = session.isOfficial;
  const top = moduleNav.filter((n) => (official ? n.group === 'work' : n.primary));
  const groups: { key: string; label: string; links: NavLinkItem[] }[] = official
    ? (['participate', 'services', 'knowledge', 'manage'] as NavGroup[]).map((g) => ({
        key: g,
        label: t(`nav.groups.${g}`),
        links: [
          ...moduleNav.filter((n) => n.group === g),
          ...(g === 'manage' && isAdmin ? [{ to: '/admin/roles', label: t('nav.roles') }] : []),
        ],
      }))
    : [{ key: 'more', label: t('nav.more'), links: moduleNav.filter((n) => !n.primary && n.group !== 'work') }];

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
            {top.map((n) => (
              <li key={n.to}>
                <NavItem item={n} />
              </li>
            ))}
            {groups
              .filter((g) => g.links.length)
              .map((g) => (
                <NavMenu key={g.key} label={g.label} links={g.links} />
              ))}
            {session.me?.authenticated ? (
              <li>
                <NavLink to="/profile">{t('nav.profile')}</NavLink>
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

interface NavLinkItem {
  to: string;
  label: string;
  badge?: ComponentType | undefined;
}

function NavItem({ item }: { item: NavLinkItem }) {
  const Badge = item.badge;
  return (
    <NavLink to={item.to} end={item.to === '/'}>
      {item.label}
      {Badge ? (
        <Suspense fallback={null}>
          {' '}
          <Badge />
        </Suspense>
      ) : null}
    </NavLink>
  );
}

/**
 * A group of links behind a button (the disclosure pattern): opens and closes with the button,
 * closes on Escape (focus back on the button), on a click elsewhere and when a link is followed.
 */
function NavMenu({ label, links }: { label: string; links: NavLinkItem[] }) {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const ref = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const here = links.some((l) => location.pathname === l.to || location.pathname.startsWith(`${l.to}/`));
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('click', away);
    return () => document.removeEventListener('click', away);
  }, [open]);
  return (
    <li
      ref={ref}
      className="nav-group"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={`nav-group-button${here ? ' active' : ''}`}
        aria-expanded={open}
        onClick={(e) => {
          e.stopPropagation();
          setOpen((o) => !o);
        }}
      >
        {label}
        <span aria-hidden="true" className="nav-caret">
          ▾
        </span>
      </button>
      <ul className="nav-submenu" hidden={!open}>
        {links.map((l) => (
          <li key={l.to}>
            <NavItem item={l} />
          </li>
        ))}
      </ul>
    </li>
  );
}
