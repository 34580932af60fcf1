// The shell's strings in one language, one chunk: common, and each module's navigation and home
// card labels (keys its index.tsx names; see web/vite-locales.ts). Pages load their module's
// whole namespace (i18n/index.ts).
export const common = import.meta.glob('../common.ts', { eager: true, query: { lang: 'ru' }, import: 'default' });
export const shell = import.meta.glob('../../modules/*/locales.ts', {
  eager: true,
  query: { lang: 'ru', shell: 'true' },
  import: 'default',
});
