import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './opendata.css';

const Catalogue = lazyPage(() => import('./PublicPages'), 'Catalogue');
const DatasetPage = lazyPage(() => import('./PublicPages'), 'DatasetPage');
const Editor = lazyPage(() => import('./ManagePages'), 'Editor');
const Manage = lazyPage(() => import('./ManagePages'), 'Manage');
const Governance = lazyPage(() => import('./GovernancePage'), 'Governance');

/** Open data: the public catalogue and dataset pages, the officials' editor, data governance. */
export const opendataWeb: WebModule = {
  name: 'opendata',
  routes: [
    { path: 'avaandmed', element: <Catalogue /> },
    { path: 'avaandmed/:name', element: <DatasetPage /> },
    { path: 'avaandmed-haldus', element: <Manage /> },
    { path: 'avaandmed-haldus/:code/:id', element: <Editor /> },
    { path: 'avaandmed-andmehaldus', element: <Governance /> },
  ],
  nav: [
    { to: '/avaandmed', labelKey: 'nav.catalogue', when: 'always', group: 'knowledge' },
    { to: '/avaandmed-haldus', labelKey: 'nav.manage', when: 'official', group: 'manage' },
  ],
  homeCards: [
    { to: '/avaandmed', titleKey: 'home.title', textKey: 'home.text', when: 'always' },
    { to: '/avaandmed-haldus', titleKey: 'home.manageTitle', textKey: 'home.manageText', when: 'official' },
  ],
};
