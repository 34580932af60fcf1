import { isValidElement } from 'react';
import { matchRoutes } from 'react-router';
import { prefetch } from './api';
import type { LazyPage } from './lazy';
import i18n, { initialLanguage } from '../i18n';
import { nowUrl } from './now';
import { webModules } from '../modules';

/**
 * How long the first render waits for the first view's code, strings and data (see
 * `startFirstView`). They were asked for from the page's <head>, so they have usually arrived
 * before the entry has; when they are slow, the shell renders without them after this long and
 * the page shows its loading line as before.
 */
const FIRST_VIEW_WAIT_MS = 1000;

/**
 * The first view's data and code, asked for as soon as the app's entry has run, in parallel
 * (not one after the other as the components would): the session and the municipality list every
 * page needs, and for a module's route its page chunk, its strings and the API paths its
 * `prefetch` names. `api()` then takes those answers instead of asking again. (For a page opened by
 * its address the build's first-view script has already asked for them, before the entry arrived:
 * web/vite-first-view.ts; these requests then take the preloaded responses.)
 *
 * Resolves when they are all there (or after FIRST_VIEW_WAIT_MS; never rejects): main.tsx renders
 * then, so that the first render is the page with its content — the page's code renders without
 * a Suspense fallback (`lazyPage`), its strings are loaded, the session and the municipality list
 * are known, and a page that reads its data with `useLoad(…, () => earlyData(path))` has it.
 * One render instead of three on a slow phone (shell, page with a loading line, page with data).
 */
export function startFirstView(pathname: string, extra: string[] = []): Promise<unknown> {
  const wanted: Promise<unknown>[] = [prefetch('/api/v1/me'), prefetch('/api/v1/municipalities')];
  for (const url of extra) wanted.push(prefetch(url));
  // Home and "Minu vald" open with what is open now (web/src/modules/services/OpenNow.tsx); not
  // waited for: the pages paint first and show it in a section of its own.
  if (pathname === '/' || pathname === '/minu-vald')
    void prefetch(nowUrl(initialLanguage(), localStorage.getItem('kov.municipality')));
  const routes = webModules.flatMap((m) => m.routes.map((r) => ({ path: `/${r.path}`, module: m.name, route: r })));
  const best = matchRoutes(routes, pathname)?.at(-1);
  if (best) {
    const { module, route } = best.route;
    const page = isValidElement(route.element) ? (route.element.type as Partial<LazyPage>) : undefined;
    if (page?.preload) wanted.push(page.preload());
    wanted.push(i18n.loadNamespaces(module));
    for (const template of route.prefetch ?? [])
      wanted.push(prefetch(template.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(best.params[k] ?? ''))));
  }
  return Promise.race([Promise.allSettled(wanted), new Promise((resolve) => setTimeout(resolve, FIRST_VIEW_WAIT_MS))]);
}
