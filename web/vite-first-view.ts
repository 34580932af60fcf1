import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, Rolldown } from 'vite';

type OutputChunk = Rolldown.OutputChunk;
type OutputAsset = Rolldown.OutputAsset;

/**
 * The first view's page code, strings and data, asked for before the app's entry has arrived.
 *
 * Without this a page opened by its address is a waterfall on a slow phone: the entry (≈ 110 kB)
 * downloads and runs, and only then does it ask for the page's chunk, the module's strings and
 * the page's data (app/firstView.ts). The build writes a small script of its own
 * (`assets/first-view-<hash>.js`, classic, loaded from <head>: the CSP allows no inline script)
 * that knows each module route's chunks, and for the reader's language (localStorage `kov.lang`)
 * the module's strings chunk and the API paths the route names in `prefetch`. It matches
 * `location.pathname` and adds `<link rel=modulepreload>` / `preload` for them, so they download
 * in parallel with the entry. Later `import()` and `prefetch()` calls take the same responses.
 *
 * Routes are read from each `web/src/modules/<m>/index.tsx`: `const X = lazyPage(() =>
 * import('./File'), …)` and `{ path: '…', element: <X />, prefetch: ['/api/…/:param'] }`. A route
 * written otherwise simply gets no early hints.
 */
export function firstViewPreload(): Plugin {
  return {
    name: 'kov-first-view-preload',
    apply: 'build',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const modulesDir = path.resolve(import.meta.dirname, 'src/modules');
        const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
        const entry = chunks.find((c) => c.isEntry);
        const html = bundle['index.html'] as OutputAsset | undefined;
        if (!entry || !html) return;
        // What the entry brings anyway.
        const loaded = new Set<string>();
        const closure = (file: string) => {
          if (loaded.has(file)) return;
          loaded.add(file);
          for (const i of (bundle[file] as OutputChunk | undefined)?.imports ?? []) closure(i);
        };
        closure(entry.fileName);
        const byFacade = (re: RegExp) => chunks.find((c) => re.test(c.facadeModuleId ?? ''));

        const routes: [string, string[], string[], string, string[]][] = [];
        const strings: Record<string, Record<string, string>> = { et: {}, ru: {}, en: {} };
        for (const m of readdirSync(modulesDir)) {
          let src: string;
          try {
            src = readFileSync(path.join(modulesDir, m, 'index.tsx'), 'utf8');
          } catch {
            continue;
          }
          for (const lang of Object.keys(strings)) {
            const c = byFacade(new RegExp(`[/\\\\]modules[/\\\\]${m}[/\\\\]locales\\.ts\\?lang=${lang}$`));
            if (c) strings[lang]![m] = `/${c.fileName}`;
          }
          const pages = new Map<string, string>();
          for (const x of src.matchAll(/const (\w+) = lazyPage\(\(\) => import\('\.\/([\w/]+)'\)/g))
            pages.set(x[1]!, x[2]!);
          for (const r of src.matchAll(/\{\s*path: '([^']+)',\s*element: <(\w+) \/>(?:,\s*prefetch: \[([^\]]*)\])?/g)) {
            const file = pages.get(r[2]!);
            if (!file) continue;
            const page = byFacade(new RegExp(`[/\\\\]modules[/\\\\]${m}[/\\\\]${file}\\.tsx$`));
            if (!page) continue;
            const js: string[] = [];
            const css = new Set<string>();
            const visit = (f: string) => {
              if (loaded.has(f) || js.includes(`/${f}`)) return;
              const c = bundle[f] as OutputChunk | undefined;
              if (!c) return;
              js.push(`/${f}`);
              for (const s of c.viteMetadata?.importedCss ?? []) css.add(`/${s}`);
              for (const i of c.imports) visit(i);
            };
            visit(page.fileName);
            const api = [...(r[3] ?? '').matchAll(/'([^']+)'/g)].map((a) => a[1]!);
            routes.push([r[1]!, js, [...css], m, api]);
          }
        }
        const source = `// Written by web/vite-first-view.ts: the first view's code, strings and data, asked for early.
(function () {
  var routes = ${JSON.stringify(routes)};
  var strings = ${JSON.stringify(strings)};
  var lang = 'et';
  try {
    var saved = localStorage.getItem('kov.lang');
    if (saved === 'ru' || saved === 'en') lang = saved;
  } catch (e) {}
  // The first Intl date format of a page loads the locale's and the time zone's data: a quarter
  // of a second on a slow phone, in the middle of the first render. Done now instead, while the
  // main thread waits for the entry to download (components/ui.tsx formatDate then takes ~1 ms).
  setTimeout(function () {
    try {
      new Intl.DateTimeFormat(lang === 'et' ? 'et-EE' : lang === 'ru' ? 'ru-RU' : 'en-GB', {
        dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Tallinn'
      }).format(0);
    } catch (e) {}
  }, 0);
  var parts = location.pathname.split('/').filter(Boolean);
  var best, bestScore = -1, params;
  routes.forEach(function (r) {
    var segs = r[0].split('/');
    if (segs.length !== parts.length) return;
    var score = 0, p = {};
    for (var i = 0; i < segs.length; i++) {
      if (segs[i].charAt(0) === ':') p[segs[i].slice(1)] = parts[i];
      else if (segs[i] === decodeURIComponent(parts[i])) score++;
      else return;
    }
    if (score > bestScore) { best = r; bestScore = score; params = p; }
  });
  if (!best) return;
  function link(rel, href, as) {
    var l = document.createElement('link');
    l.rel = rel;
    l.href = href;
    if (as) l.as = as;
    l.crossOrigin = 'anonymous';
    document.head.appendChild(l);
  }
  best[1].forEach(function (f) { link('modulepreload', f); });
  best[2].forEach(function (f) { link('preload', f, 'style'); });
  if (strings[lang][best[3]]) link('modulepreload', strings[lang][best[3]]);
  best[4].forEach(function (t) {
    link('preload', t.replace(/:(\\w+)/g, function (_, k) { return encodeURIComponent(params[k] || ''); }), 'fetch');
  });
})();
`;
        const fileName = `assets/first-view-${createHash('sha256').update(source).digest('hex').slice(0, 8)}.js`;
        this.emitFile({ type: 'asset', fileName, source });
        const page = String(html.source);
        if (!page.includes('</title>'))
          throw new Error('index.html has no </title> to put the first-view script after');
        html.source = page.replace('</title>', `</title>\n    <script src="/${fileName}"></script>`);
      },
    },
  };
}
