import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './register.css';

const ElectoratePage = lazyPage(() => import('./ElectoratePages'), 'ElectoratePage');
const ElectoratesPage = lazyPage(() => import('./ElectoratePages'), 'ElectoratesPage');
const QueryLogPage = lazyPage(() => import('./ElectoratePages'), 'QueryLogPage');
const ResidenceSection = lazyPage(() => import('./ResidenceSection'), 'ResidenceSection');

/** Population register: electorates for officials, the register query log, and the resident's registered residence. */
export const registerWeb: WebModule = {
  name: 'register',
  routes: [
    { path: 'valijaskonnad', element: <ElectoratesPage /> },
    { path: 'valijaskonnad/:code/:id', element: <ElectoratePage /> },
    { path: 'registri-paringud', element: <QueryLogPage /> },
  ],
  nav: [{ to: '/valijaskonnad', labelKey: 'nav.electorates', when: 'official', group: 'manage' }],
  homeCards: [{ to: '/valijaskonnad', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'official' }],
  profileSections: [ResidenceSection],
};
