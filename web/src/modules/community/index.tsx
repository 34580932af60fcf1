import type { WebModule } from '../types';
import { locales } from './locales';
import { EventPage, EventsPage, MyEventsPage, TrainingPage } from './EventPages';
import './community.css';

/** Community and training: events with registration and waiting list, my events, training groups. */
export const communityWeb: WebModule = {
  name: 'community',
  locales,
  routes: [
    { path: 'uritused', element: <EventsPage /> },
    { path: 'uritused/minu', element: <MyEventsPage /> },
    { path: 'uritused/:id', element: <EventPage /> },
    { path: 'koolitus', element: <TrainingPage /> },
  ],
  nav: [{ to: '/uritused', labelKey: 'nav.events', when: 'always' }],
  homeCards: [{ to: '/uritused', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
