import type { WebModule } from '../types';
import { locales } from './locales';
import { Catalogue, DatasetPage } from './PublicPages';
import { Editor, Manage } from './ManagePages';
import { Governance } from './GovernancePage';
import './opendata.css';

/** Open data: the public catalogue and dataset pages, the officials' editor, data governance. */
export const opendataWeb: WebModule = {
  name: 'opendata',
  locales,
  routes: [
    { path: 'avaandmed', element: <Catalogue /> },
    { path: 'avaandmed/:name', element: <DatasetPage /> },
    { path: 'avaandmed-haldus', element: <Manage /> },
    { path: 'avaandmed-haldus/:code/:id', element: <Editor /> },
    { path: 'avaandmed-andmehaldus', element: <Governance /> },
  ],
  nav: [
    { to: '/avaandmed', labelKey: 'nav.catalogue', when: 'always' },
    { to: '/avaandmed-haldus', labelKey: 'nav.manage', when: 'official' },
  ],
  homeCards: [
    { to: '/avaandmed', titleKey: 'home.title', textKey: 'home.text', when: 'always' },
    { to: '/avaandmed-haldus', titleKey: 'home.manageTitle', textKey: 'home.manageText', when: 'official' },
  ],
};
