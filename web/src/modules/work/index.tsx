import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import { WorkCount } from './WorkCount';

const WorkQueuePage = lazyPage(() => import('./WorkQueuePage'), 'WorkQueuePage');

/** The officials' work queue (issue 18): what waits for them across modules, their start page. */
export const workWeb: WebModule = {
  name: 'work',
  routes: [
    {
      path: 'toolaud',
      element: <WorkQueuePage />,
    },
  ],
  nav: [{ to: '/toolaud', labelKey: 'nav.work', when: 'official', group: 'work', badge: WorkCount }],
};
