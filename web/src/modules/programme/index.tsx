import type { WebModule } from '../types';
import { locales } from './locales';
import { PlanPage } from './PlanPage';

/** Programme office: the action plan's totals, consistency checks and spending. */
export const programmeWeb: WebModule = {
  name: 'programme',
  locales,
  routes: [{ path: 'tegevuskava', element: <PlanPage /> }],
  nav: [{ to: '/tegevuskava', labelKey: 'nav.plan', when: 'official' }],
  homeCards: [{ to: '/tegevuskava', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'official' }],
};
