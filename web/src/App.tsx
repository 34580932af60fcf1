import { Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Layout } from './components/Layout';
import { SessionProvider } from './app/session';
import { MunicipalityProvider } from './app/municipality';
import { Home } from './pages/Home';
import { Profile } from './pages/Profile';
import { LoginFailed } from './pages/LoginFailed';
import { NotFound } from './pages/NotFound';
import { Roles } from './pages/admin/Roles';
import { Audit } from './pages/admin/Audit';
import { webModules } from './modules';

export function App() {
  const { i18n } = useTranslation();
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
              m.routes.map((r) => <Route key={`${m.name}:${r.path}`} path={r.path} element={r.element} />),
            )}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Layout>
      </MunicipalityProvider>
    </SessionProvider>
  );
}
