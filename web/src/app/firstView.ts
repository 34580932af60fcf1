import { isValidElement } from 'react';
import { matchRoutes } from 'react-router';
import { prefetch } from './api';
import type { LazyPage } from './lazy';
import { initialLanguage, preloadNamespace } from '../i18n';
import { nowUrl } from './now';
import { webModules } from '../modules';

/**
 * The first view's data and code, asked for as soon as the app's entry has run, in parallel
 * (not one after the other as the components would): the session and the municipality list every
 * page needs, and for a module's route its page chunk, its strings and the API paths its
 * `prefetch` names. `api()` then takes those answers instead of asking again. (For a page opened by
 * its address the build's first-view script has already asked for them, before the entry arrived:
 * web/vite-first-view.ts; these requests then take the preloaded responses.)
 */
export function startFirstView(pathname: string, extra: string[] = []) {
  prefetch('/api/v1/me');
  prefetch('/api/v1/municipalities');
  for (const url of extra) prefetch(url);
  // Home and "Minu vald" open with what is open now (web/src/modules/services/OpenNow.tsx).
  if (pathname === '/' || pathname === '/minu-vald')
    prefetch(nowUrl(initialLanguage(), localStorage.getItem('kov.municipality')));
  const routes = webModules.flatMap((m) => m.routes.map((r) => ({ path: `/${r.path}`, module: m.name, route: r })));
  const best = matchRoutes(routes, pathname)?.at(-1);
  if (!best) return;
  const { module, route } = best.route;
  const page = isValidElement(route.element) ? (route.element.type as Partial<LazyPage>) : undefined;
  void page?.preload?.();
  preloadNamespace(module);
  for (const template of route.prefetch ?? [])
    prefetch(template.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(best.params[k] ?? '')));
}
