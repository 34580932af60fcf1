import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './community.css';

const EventPage = lazyPage(() => import('./EventPages'), 'EventPage');
const EventsPage = lazyPage(() => import('./EventPages'), 'EventsPage');
const MyEventsPage = lazyPage(() => import('./EventPages'), 'MyEventsPage');
const TrainingPage = lazyPage(() => import('./EventPages'), 'TrainingPage');

/** Community and training: events with registration and waiting list, my events, training groups. */
export const communityWeb: WebModule = {
  name: 'community',
  routes: [
    { path: 'uritused', element: <EventsPage /> },
    { path: 'uritused/minu', element: <MyEventsPage /> },
    { path: 'uritused/:id', element: <EventPage /> },
    { path: 'koolitus', element: <TrainingPage /> },
  ],
  nav: [{ to: '/uritused', labelKey: 'nav.events', when: 'always', group: 'participate' }],
  homeCards: [{ to: '/uritused', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
