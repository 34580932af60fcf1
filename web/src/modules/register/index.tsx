import type { WebModule } from '../types';
import { locales } from './locales';
import { ElectoratePage, ElectoratesPage, QueryLogPage } from './ElectoratePages';
import { ResidenceSection } from './ResidenceSection';
import './register.css';

/** Population register: electorates for officials, the register query log, and the resident's registered residence. */
export const registerWeb: WebModule = {
  name: 'register',
  locales,
  routes: [
    { path: 'valijaskonnad', element: <ElectoratesPage /> },
    { path: 'valijaskonnad/:code/:id', element: <ElectoratePage /> },
    { path: 'registri-paringud', element: <QueryLogPage /> },
  ],
  nav: [{ to: '/valijaskonnad', labelKey: 'nav.electorates', when: 'official' }],
  homeCards: [{ to: '/valijaskonnad', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'official' }],
  profileSections: [ResidenceSection],
};
