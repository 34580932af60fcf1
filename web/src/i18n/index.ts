import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './common';
import { webModules } from '../modules';

export const LANGUAGES = [
  { code: 'et', label: 'Eesti', short: 'ET' },
  { code: 'ru', label: 'Русский', short: 'RU' },
  { code: 'en', label: 'English', short: 'EN' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];

/** Every module brings its own namespace in three languages (`web/src/modules/<m>/locales.ts`). */
export type { Locales } from './types';
import type { Locales } from './types';

export const namespaces: Record<string, Locales> = {
  common,
  ...Object.fromEntries(webModules.map((m) => [m.name, m.locales])),
};

const STORAGE_KEY = 'kov.lang';
export function initialLanguage(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (saved === 'et' || saved === 'ru' || saved === 'en') return saved;
  return 'et';
}

export function rememberLanguage(lang: Lang) {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

const resources = Object.fromEntries(
  LANGUAGES.map(({ code }) => [
    code,
    Object.fromEntries(Object.entries(namespaces).map(([ns, loc]) => [ns, loc[code]])),
  ]),
);

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: false,
  ns: Object.keys(namespaces),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export default i18n;
