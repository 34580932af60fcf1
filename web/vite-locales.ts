import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';
import { tsImport } from 'tsx/esm/api';

/**
 * One language of a translation file, as its own module: `…/locales.ts?lang=ru` (or
 * `i18n/common.ts?lang=ru`) becomes `export default { …the Russian strings… }`.
 *
 * The modules keep their strings in one file with all three languages (`{ et, ru, en }`, checked
 * side by side by test/web/locales.test.ts); the browser should download only the language it
 * shows. This plugin evaluates the file at build time (tsx) and emits the chosen language alone,
 * as a JSON string (parsed faster than an object literal of the same size).
 *
 * `…/locales.ts?lang=ru&shell=true` gives only the strings the app's shell shows for the module
 * before any of its pages is opened: the keys its `index.tsx` names as `labelKey`, `titleKey`
 * or `textKey` (navigation and home page cards).
 */
export function localesByLanguage(): Plugin {
  const evaluated = new Map<string, Promise<Record<string, unknown>>>();
  return {
    name: 'kov-locales-by-language',
    enforce: 'pre',
    // The default language's shell chunk is needed before the first render: let the browser fetch
    // it together with the entry instead of after the entry has run.
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find(
          (c) => c.type === 'chunk' && /[/\\]i18n[/\\]bundles[/\\]et\.ts$/.test(c.facadeModuleId ?? ''),
        );
        return chunk
          ? [
              {
                tag: 'link',
                attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` },
                injectTo: 'head',
              },
            ]
          : [];
      },
    },
    async load(id) {
      const [file, query] = id.split('?', 2);
      if (!file || !query || !/[/\\](locales|common)\.ts$/.test(file)) return null;
      const lang = /(?:^|&)lang=(et|ru|en)(?:&|$)/.exec(query)?.[1];
      if (!lang) return null;
      this.addWatchFile(file);
      // The file's modification time in the URL: a changed file is evaluated afresh (dev server).
      const url = `${pathToFileURL(file).href}?mtime=${statSync(file).mtimeMs}`;
      // One evaluation per file version serves its three languages and its shell part.
      let loading = evaluated.get(url);
      if (!loading) evaluated.set(url, (loading = tsImport(url, import.meta.url) as Promise<Record<string, unknown>>));
      const mod = await loading;
      const all = (mod.locales ?? mod.common) as Record<string, unknown> | undefined;
      if (!all?.[lang]) throw new Error(`${file}: exports no "locales" (or "common") with the language ${lang}`);
      let strings = all[lang] as Record<string, unknown>;
      if (/(?:^|&)shell=true(?:&|$)/.test(query)) strings = shellStrings(file, strings, this.addWatchFile.bind(this));
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(strings))});`;
    },
  };
}

/** The strings whose keys the module's index.tsx names as labelKey, titleKey or textKey. */
function shellStrings(
  localesFile: string,
  strings: Record<string, unknown>,
  watch: (file: string) => void,
): Record<string, unknown> {
  const index = path.join(path.dirname(localesFile), 'index.tsx');
  if (!existsSync(index)) return {};
  watch(index);
  const out: Record<string, unknown> = {};
  for (const m of readFileSync(index, 'utf8').matchAll(/\b(?:labelKey|titleKey|textKey):\s*'([^']+)'/g)) {
    const parts = m[1]!.split('.');
    let from: unknown = strings;
    for (const p of parts) from = (from as Record<string, unknown> | undefined)?.[p];
    if (typeof from !== 'string') throw new Error(`${index}: the key ${m[1]} is not a string in ${localesFile}`);
    let to = out;
    for (const p of parts.slice(0, -1)) to = (to[p] ??= {}) as Record<string, unknown>;
    to[parts.at(-1)!] = from;
  }
  return out;
}
