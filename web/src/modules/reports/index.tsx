import type { WebModule } from '../types';
import { locales } from './locales';
import { ReportsHome } from './ReportsHome';
import { NewReport } from './NewReport';
import { ReportPage } from './ReportPage';
import { ManageReports } from './ManageReports';
import { ReportAnalytics } from './Analytics';
import { ReportSettings } from './Settings';
import { MyReports } from './MyReports';
import './reports.css';

/** Anna Teada: report a problem, follow and rate it; officials handle, configure and analyse. */
export const reportsWeb: WebModule = {
  name: 'reports',
  locales,
  routes: [
    { path: 'teated', element: <ReportsHome /> },
    { path: 'teated/uus', element: <NewReport /> },
    { path: 'teated/haldus', element: <ManageReports /> },
    { path: 'teated/analuutika', element: <ReportAnalytics /> },
    { path: 'teated/seaded', element: <ReportSettings /> },
    { path: 'teated/:id', element: <ReportPage /> },
  ],
  nav: [
    { to: '/teated', labelKey: 'nav.reports', when: 'always' },
    { to: '/teated/haldus', labelKey: 'nav.manage', when: 'official' },
  ],
  homeCards: [{ to: '/teated/uus', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
  profileSections: [MyReports],
};
