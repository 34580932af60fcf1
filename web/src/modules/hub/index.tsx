import type { WebModule } from '../types';
import { locales } from './locales';
import { ArticleEditor, ArticlePage, HubList } from './HubPages';
import { OverviewPage, TrackerPage } from './EitsPages';
import { MentorPage } from './MentorPage';
import './hub.css';

/** Security and knowledge hub: articles and search, the E-ITS tracker and overview, mentoring. */
export const hubWeb: WebModule = {
  name: 'hub',
  locales,
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
    { to: '/teadmised', labelKey: 'nav.hub', when: 'always' },
    { to: '/e-its', labelKey: 'nav.eits', when: 'official' },
  ],
  homeCards: [{ to: '/teadmised', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
