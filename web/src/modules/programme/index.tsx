import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';

const PlanPage = lazyPage(() => import('./PlanPage'), 'PlanPage');

/** Programme office: the action plan's totals, consistency checks and spending. */
export const programmeWeb: WebModule = {
  name: 'programme',
  routes: [{ path: 'tegevuskava', element: <PlanPage /> }],
  nav: [{ to: '/tegevuskava', labelKey: 'nav.plan', when: 'official', group: 'manage' }],
  homeCards: [{ to: '/tegevuskava', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'official' }],
};
