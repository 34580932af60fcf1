/**
 * The translation types alone, without the module list: `common.ts` and the modules' `locales.ts`
 * import from here, so that reading a locale file (the server-side locale test does) does not pull
 * in every web module.
 */
export type Lang = 'et' | 'ru' | 'en';
export type Locales = Record<Lang, Record<string, unknown>>;
