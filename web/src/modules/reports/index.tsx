import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './reports.css';

const ReportsHome = lazyPage(() => import('./ReportsHome'), 'ReportsHome');
const NewReport = lazyPage(() => import('./NewReport'), 'NewReport');
const ReportPage = lazyPage(() => import('./ReportPage'), 'ReportPage');
const ManageReports = lazyPage(() => import('./ManageReports'), 'ManageReports');
const ReportAnalytics = lazyPage(() => import('./Analytics'), 'ReportAnalytics');
const ReportSettings = lazyPage(() => import('./Settings'), 'ReportSettings');
const MyReports = lazyPage(() => import('./MyReports'), 'MyReports');

/** Anna Teada: report a problem, follow and rate it; officials handle, configure and analyse. */
export const reportsWeb: WebModule = {
  name: 'reports',
  routes: [
    { path: 'teated', element: <ReportsHome /> },
    { path: 'teated/uus', element: <NewReport /> },
    { path: 'teated/haldus', element: <ManageReports /> },
    { path: 'teated/analuutika', element: <ReportAnalytics /> },
    { path: 'teated/seaded', element: <ReportSettings /> },
    { path: 'teated/:id', element: <ReportPage /> },
  ],
  nav: [
    { to: '/teated', labelKey: 'nav.reports', when: 'always', group: 'services', primary: true },
    { to: '/teated/haldus', labelKey: 'nav.manage', when: 'official', group: 'manage' },
  ],
  homeCards: [{ to: '/teated/uus', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
  profileSections: [MyReports],
};
