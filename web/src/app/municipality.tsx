import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from './api';

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
}

const Ctx = createContext<MunicipalityValue | undefined>(undefined);
const KEY = 'kov.municipality';

export function MunicipalityProvider({ children }: { children: ReactNode }) {
  const [list, setList] = useState<Municipality[]>([]);
  const [selected, setSelected] = useState<string>(() => localStorage.getItem(KEY) ?? '');
  useEffect(() => {
    api<Municipality[]>('/api/v1/municipalities').then(setList, () => setList([]));
  }, []);
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
    }),
    [list, selected],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useMunicipality(): MunicipalityValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useMunicipality outside MunicipalityProvider');
  return v;
}
