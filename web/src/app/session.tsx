import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, earlyData, setCsrfToken } from './api';

export interface Me {
  authenticated: boolean;
  person?: { id: string; givenName: string | null; familyName: string | null; idCodeMasked: string; birthDate: string };
  roles: { municipalityCode: string; role: string }[];
  platformAdmin: boolean;
  csrfToken?: string;
}

interface SessionValue {
  me: Me | undefined;
  loading: boolean;
  refresh(): Promise<void>;
  logout(): Promise<void>;
  loginUrl(returnTo?: string): string;
  /** Municipalities where the person holds one of the roles (all for platform admins: '*'). */
  municipalitiesWith(roles: string[]): string[];
  isOfficial: boolean;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ children, lang }: { children: ReactNode; lang: string }) {
  // Known at the first render when the first view's early answer has arrived (app/firstView.ts).
  const [first] = useState(() => earlyData<Me>('/api/v1/me'));
  const [me, setMe] = useState<Me | undefined>(() => {
    if (first) setCsrfToken(first.csrfToken);
    return first;
  });
  const [loading, setLoading] = useState(!first);
  const refresh = useCallback(async () => {
    try {
      const m = await api<Me>('/api/v1/me');
      setCsrfToken(m.csrfToken);
      setMe(m);
    } catch {
      setMe({ authenticated: false, roles: [], platformAdmin: false });
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    if (!first) void refresh();
  }, [refresh, first]);
  const value = useMemo<SessionValue>(
    () => ({
      me,
      loading,
      refresh,
      async logout() {
        await api('/auth/logout', { method: 'POST' });
        setCsrfToken(undefined);
        await refresh();
      },
      loginUrl(returnTo) {
        let back = returnTo ?? window.location.pathname + window.location.search;
        // From the home page, the login returns through /sisenemine: officials land on their
        // work queue (/toolaud), residents on the home page (modules/work/AfterLogin.tsx).
        if (back === '/') back = '/sisenemine';
        return `/auth/login?returnTo=${encodeURIComponent(back)}&lang=${lang}`;
      },
      municipalitiesWith(roles) {
        if (!me?.authenticated) return [];
        if (me.platformAdmin) return ['*'];
        return [...new Set(me.roles.filter((r) => roles.includes(r.role)).map((r) => r.municipalityCode))];
      },
      isOfficial: Boolean(me?.authenticated && (me.platformAdmin || me.roles.some((r) => r.role !== 'council_member'))),
    }),
    [me, loading, refresh, lang],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
