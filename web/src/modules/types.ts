import type { ComponentType, ReactNode } from 'react';

/**
 * A domain's part of the web app. Each module keeps its pages, components and translations in
 * `web/src/modules/<name>/` and exports one of these from its `index.tsx`; `modules/index.ts`
 * lists them. Translation keys of a module live in its own namespace (= `name` = the folder's
 * name), in `locales.ts` (loaded by language, see i18n/index.ts). Pages and profile sections are
 * made with `lazyPage` (app/lazy.tsx), so each is downloaded only where it is shown.
 */
export type NavGroup = 'work' | 'participate' | 'services' | 'knowledge' | 'manage';

export interface NavEntry {
  to: string;
  labelKey: string;
  when?: 'always' | 'official';
  group: NavGroup;
  primary?: boolean;
  badge?: ComponentType;
}

export interface WebModule {
  name: string;
  /**
   * Routes below the site root, e.g. `{ path: 'votes/*', element: <Votes /> }`. `prefetch` names
   * the API paths the page reads first, with the route's parameters (`'/api/v1/x/:id'`): when the
   * app starts on this route they are asked for at once, in parallel with the entry and the page's
   * code (web/vite-first-view.ts, app/firstView.ts). Write the route on one line as
   * `{ path: '…', element: <Page />, prefetch: ['…'] }` with a `lazyPage` constant: the build reads
   * it so.
   */
  routes: { path: string; element: ReactNode; prefetch?: string[] }[];
  /**
   * Links in the main navigation (label keys are in the module's namespace), grouped by task
   * (`group`): officials see the work queue on top and every group as a menu of its own;
   * residents see the `primary` links on top and the rest under "More". `badge` is a small
   * component shown beside the link (the work queue's count).
   */
  nav?: NavEntry[];
  /** A card on the home page. */
  homeCards?: { to: string; titleKey: string; textKey: string; when?: 'always' | 'official' }[];
  /**
   * Sections at the top of the home page (e.g. "what is open for me now"); made with `lazyPage`,
   * so the home page's entry stays small and the section's code comes with its data.
   */
  homeSections?: ComponentType[];
  /** Extra sections on "My details" (e.g. residence, my votes). */
  profileSections?: ComponentType[];
  /**
   * Tools in the page header beside the account, for signed-in people (e.g. the notification
   * centre's bell); made with `lazyPage`, each is downloaded after the first render.
   */
  headerTools?: ComponentType[];
}
