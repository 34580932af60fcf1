import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { SelectField } from '../../components/ui';
import type { Reference as ServiceReference } from '../../../../src/modules/services/contract';

export type Lang = 'et' | 'ru' | 'en';
export type Label = Record<Lang, string>;
export type LangText = { et: string; ru?: string; en?: string };
export interface Coded {
  code: string;
  label: Label;
}
export type Reference = ServiceReference;
export interface LifeEventRef {
  code: string;
  kind: 'life' | 'business';
  name: Label;
  steps: { title: Label; stateServices: string[] }[];
}

let cached: Promise<Reference> | undefined;
/** The code lists and their labels in three languages (loaded once). */
export function useReference(): Reference | undefined {
  const [ref, setRef] = useState<Reference>();
  useEffect(() => {
    cached ??= api<Reference>('/api/v1/services/reference');
    cached.then(setRef, () => (cached = undefined));
  }, []);
  return ref;
}

export function useLang(): Lang {
  const { i18n } = useTranslation();
  const l = i18n.language;
  return l === 'ru' || l === 'en' ? l : 'et';
}

export const pick = (t: Partial<Record<Lang, string>> | undefined, lang: Lang) => t?.[lang] || t?.et || '';
/** A code's label in the reader's language: nothing while the code lists load (never the raw code), the code itself only if a loaded list lacks it. */
export const labelOf = (list: Coded[] | undefined, code: string, lang: Lang) =>
  list === undefined ? '' : pick(list.find((c) => c.code === code)?.label, lang) || code;

/** A municipality picker (the site-wide choice), for pages that show one municipality's services. */
export function MunicipalityPicker({ only }: { only?: string[] }) {
  const { t } = useTranslation('services');
  const m = useMunicipality();
  const list = only && !only.includes('*') ? m.list.filter((x) => only.includes(x.code)) : m.list;
  return (
    <SelectField label={t('common.municipality')} value={m.selected} onChange={(e) => m.select(e.target.value)}>
      <option value="">{t('common.choose')}</option>
      {list.map((x) => (
        <option key={x.code} value={x.code}>
          {x.name}
        </option>
      ))}
    </SelectField>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const ref = useReference();
  const lang = useLang();
  return <span className={`svc-badge svc-status-${status}`}>{labelOf(ref?.statuses, status, lang)}</span>;
}
