import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { registerPlaceFormatters } from './placeFormat';

export const LANGUAGES = [
  { code: 'et', label: 'Eesti', short: 'ET' },
  { code: 'ru', label: 'Русский', short: 'RU' },
  { code: 'en', label: 'English', short: 'EN' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];

/**
 * Every module brings its own namespace in three languages (`web/src/modules/<m>/locales.ts`,
 * namespace = the folder's name = the module's `name`). The browser loads one language, and of
 * it only what it shows: before the first render the shell's chunk (`common` and, as namespace
 * `shell`, each module's navigation and home card labels: `t('shell:reports.nav.reports')`), and
 * a module's whole namespace when one of its pages (or anything calling `useTranslation('<m>')`)
 * is first shown — see `preloadNamespace`. Files are split by language at build time
 * (web/vite-locales.ts).
 */
export type { Locales } from './types';

type Strings = Record<string, unknown>;
type Glob = Record<string, unknown>;
const SHELLS: Record<Lang, () => Promise<{ common: Glob; shell: Glob }>> = {
  et: () => import('./bundles/et'),
  ru: () => import('./bundles/ru'),
  en: () => import('./bundles/en'),
};
const MODULES: Record<Lang, Glob> = {
  et: import.meta.glob('../modules/*/locales.ts', { query: { lang: 'et' }, import: 'default' }),
  ru: import.meta.glob('../modules/*/locales.ts', { query: { lang: 'ru' }, import: 'default' }),
  en: import.meta.glob('../modules/*/locales.ts', { query: { lang: 'en' }, import: 'default' }),
};
const nsOf = (file: string) => file.split('/').at(-2)!;
const langOf = (lang: string): Lang => (lang === 'ru' || lang === 'en' ? lang : 'et');

const shells = new Map<Lang, Promise<{ common: Strings; shell: Strings }>>();
function shellOf(lang: Lang) {
  let p = shells.get(lang);
  if (!p) {
    p = SHELLS[lang]().then((b) => ({
      common: Object.values(b.common)[0] as Strings,
      shell: Object.fromEntries(Object.entries(b.shell).map(([f, s]) => [nsOf(f), s])),
    }));
    // A failed download (offline) may be tried again.
    p.catch(() => shells.delete(lang));
    shells.set(lang, p);
  }
  return p;
}

async function read(lang: Lang, ns: string): Promise<Strings> {
  if (ns === 'common' || ns === 'shell') return (await shellOf(lang))[ns];
  const load = Object.entries(MODULES[lang]).find(([f]) => nsOf(f) === ns)?.[1] as (() => Promise<Strings>) | undefined;
  return load ? load() : {};
}

const backend: BackendModule = {
  type: 'backend',
  init() {},
  read(lang, ns, done) {
    read(langOf(lang), ns).then(
      (strings) => done(null, strings),
      (err: unknown) => done(err as Error, false),
    );
  },
};

/** Starts downloading a module's strings (e.g. together with its page's code). */
export function preloadNamespace(ns: string) {
  if (!i18n.hasLoadedNamespace(ns)) void i18n.loadNamespaces(ns);
}

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

// The shell's strings are asked for now, not when i18next gets round to it (it starts loading on
// a later task, after the rest of the entry chunk has run).
void shellOf(langOf(initialLanguage())).catch(() => {});

/** Resolves when the first render can happen (the language's shell strings are there). */
export const i18nReady: Promise<unknown> = i18n
  .use(backend)
  .use(initReactI18next)
  .init({
    lng: initialLanguage(),
    fallbackLng: false,
    ns: ['common', 'shell'],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    // Pages wait (Suspense) for their namespace rather than showing keys.
    react: { useSuspense: true },
  })
  .then(() => {
    document.documentElement.lang = i18n.language;
  });

registerPlaceFormatters(i18n);

export default i18n;
