import type { ComponentType, ReactNode } from 'react';
import type { Locales } from '../i18n';

/**
 * A domain's part of the web app. Each module keeps its pages, components and translations in
 * `web/src/modules/<name>/` and exports one of these from its `index.tsx`; `modules/index.ts`
 * lists them. Translation keys of a module live in its own namespace (= `name`).
 */
export interface WebModule {
  name: string;
  locales: Locales;
  /** Routes below the site root, e.g. `{ path: 'votes/*', element: <Votes /> }`. */
  routes: { path: string; element: ReactNode }[];
  /** Links in the main navigation (label keys are in the module's namespace). */
  nav?: { to: string; labelKey: string; when?: 'always' | 'official' }[];
  /** A card on the home page. */
  homeCards?: { to: string; titleKey: string; textKey: string; when?: 'always' | 'official' }[];
  /** Extra sections on "My details" (e.g. residence, my votes). */
  profileSections?: ComponentType[];
}
