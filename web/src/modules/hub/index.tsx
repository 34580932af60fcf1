import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './hub.css';

const ArticleEditor = lazyPage(() => import('./HubPages'), 'ArticleEditor');
const ArticlePage = lazyPage(() => import('./HubPages'), 'ArticlePage');
const HubList = lazyPage(() => import('./HubPages'), 'HubList');
const OverviewPage = lazyPage(() => import('./EitsPages'), 'OverviewPage');
const TrackerPage = lazyPage(() => import('./EitsPages'), 'TrackerPage');
const MentorPage = lazyPage(() => import('./MentorPage'), 'MentorPage');

/** Security and knowledge hub: articles and search, the E-ITS tracker and overview, mentoring. */
export const hubWeb: WebModule = {
  name: 'hub',
  routes: [
    { path: 'teadmised', element: <HubList /> },
    { path: 'teadmised/uus', element: <ArticleEditor /> },
    { path: 'teadmised/:slug', element: <ArticlePage /> },
    { path: 'teadmised/:slug/muuda', element: <ArticleEditor /> },
    { path: 'e-its', element: <TrackerPage /> },
    { path: 'e-its/ulevaade', element: <OverviewPage /> },
    { path: 'mentorlus', element: <MentorPage /> },
  ],
  nav: [
    { to: '/teadmised', labelKey: 'nav.hub', when: 'always', group: 'knowledge' },
    { to: '/e-its', labelKey: 'nav.eits', when: 'official', group: 'manage' },
  ],
  homeCards: [{ to: '/teadmised', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
