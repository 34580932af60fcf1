import { useEffect, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Layout } from './components/Layout';
import { SessionProvider } from './app/session';
import { MunicipalityProvider } from './app/municipality';
import { lazyPage } from './app/lazy';
import { endFirstRender } from './app/api';
import { preloadNamespace } from './i18n';
import { Home } from './pages/Home';
import { LoginFailed } from './pages/LoginFailed';
import { NotFound } from './pages/NotFound';
import { webModules } from './modules';

const Profile = lazyPage(() => import('./pages/Profile'), 'Profile');
const Roles = lazyPage(() => import('./pages/admin/Roles'), 'Roles');
const Audit = lazyPage(() => import('./pages/admin/Audit'), 'Audit');

/** A module's page: its strings start downloading together with its code (not after it). */
function ModulePage({ ns, children }: { ns: string; children: ReactNode }) {
  preloadNamespace(ns);
  return children;
}

export function App() {
  const { i18n } = useTranslation();
  // Early answers the first render has shown are not shown again (app/api.ts earlyData).
  useEffect(() => endFirstRender(), []);
  return (
    <SessionProvider lang={i18n.language}>
      <MunicipalityProvider>
        <Layout>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/profile" element={<Profile />} />
            <Route path="/login-failed" element={<LoginFailed />} />
            <Route path="/admin/roles" element={<Roles />} />
            <Route path="/admin/audit" element={<Audit />} />
            {webModules.flatMap((m) =>
              m.routes.map((r) => (
                <Route
                  key={`${m.name}:${r.path}`}
                  path={r.path}
                  element={<ModulePage ns={m.name}>{r.element}</ModulePage>}
                />
              )),
            )}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Layout>
      </MunicipalityProvider>
    </SessionProvider>
  );
}
