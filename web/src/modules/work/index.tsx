import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import { WorkCount } from './WorkCount';
import { AfterLogin } from './AfterLogin';

const WorkQueuePage = lazyPage(() => import('./WorkQueuePage'), 'WorkQueuePage');

/** The officials' work queue (issue 18): what waits for them across modules, their start page. */
export const workWeb: WebModule = {
  name: 'work',
  routes: [
    {
      path: 'toolaud',
      element: <WorkQueuePage />,
    },
    // The return from a login started on the home page: officials land on their work queue.
    { path: 'sisenemine', element: <AfterLogin /> },
  ],
  nav: [{ to: '/toolaud', labelKey: 'nav.work', when: 'official', group: 'work', badge: WorkCount }],
};
