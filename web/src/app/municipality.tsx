import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, earlyData } from './api';
import { useSession } from './session';

export interface Municipality {
  code: string;
  name: string;
  kind: string;
  county: { code: string; name: string };
  settlementCount: number;
}

interface MunicipalityValue {
  list: Municipality[];
  /** The municipality the resident or official is looking at ('' = none chosen). */
  selected: string;
  select(code: string): void;
  nameOf(code: string): string;
  /**
   * Where the logged-in resident lives by the population register (null: not logged in, or no
   * residence on record). Pages preselect it: the municipality and its settlement unit.
   */
  home: { municipalityCode: string; settlementCode: string | null } | null;
}

const Ctx = createContext<MunicipalityValue | undefined>(undefined);
const KEY = 'kov.municipality';
/** The person whose registered residence was last applied as the selection (once per login). */
const HOME_APPLIED = 'kov.municipality.home';

/**
 * The municipality being looked at, for every page. Strangers choose it (remembered in the
 * browser). A logged-in resident starts in their registered residence (GET
 * /api/v1/register/me/residence): applied once after each login, then changeable as before.
 */
export function MunicipalityProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  // Known at the first render when the first view's early answer has arrived (app/firstView.ts).
  const [first] = useState(() => earlyData<Municipality[]>('/api/v1/municipalities'));
  const [list, setList] = useState<Municipality[]>(first ?? []);
  const [selected, setSelected] = useState<string>(() => localStorage.getItem(KEY) ?? '');
  const [home, setHome] = useState<MunicipalityValue['home']>(null);
  useEffect(() => {
    if (!first) api<Municipality[]>('/api/v1/municipalities').then(setList, () => setList([]));
  }, [first]);
  const personId = session.me?.authenticated ? session.me.person?.id : undefined;
  useEffect(() => {
    if (!personId) {
      setHome(null);
      return;
    }
    let cancelled = false;
    api<{ current: { municipalityCode: string; settlementCode: string | null } | null }>(
      '/api/v1/register/me/residence',
    ).then(
      (r) => {
        if (cancelled || !r.current) return;
        setHome({ municipalityCode: r.current.municipalityCode, settlementCode: r.current.settlementCode });
        if (sessionStorage.getItem(HOME_APPLIED) !== personId) {
          sessionStorage.setItem(HOME_APPLIED, personId);
          setSelected(r.current.municipalityCode);
          localStorage.setItem(KEY, r.current.municipalityCode);
        }
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [personId]);
  const value = useMemo<MunicipalityValue>(
    () => ({
      list,
      selected,
      select(code) {
        setSelected(code);
        if (code) localStorage.setItem(KEY, code);
        else localStorage.removeItem(KEY);
      },
      nameOf(code) {
        if (code === '0000') return 'ELVL';
        return list.find((m) => m.code === code)?.name ?? code;
      },
      home,
    }),
    [list, selected, home],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useMunicipality(): MunicipalityValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useMunicipality outside MunicipalityProvider');
  return v;
}
