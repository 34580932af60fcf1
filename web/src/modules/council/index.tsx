import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './council.css';

const CouncilHome = lazyPage(() => import('./CouncilHome'), 'CouncilHome');
const CouncilIndex = lazyPage(() => import('./CouncilHome'), 'CouncilIndex');
const SittingPage = lazyPage(() => import('./SittingPage'), 'SittingPage');
const MinutesPage = lazyPage(() => import('./MinutesPage'), 'MinutesPage');
const ArchivePage = lazyPage(() => import('./ArchivePage'), 'ArchivePage');
const MemberRecordPage = lazyPage(() => import('./ArchivePage'), 'MemberRecordPage');
const ManagePage = lazyPage(() => import('./ManagePage'), 'ManagePage');

/** Council sittings: composition, live sittings with votes, minutes, the archive and management. */
export const councilWeb: WebModule = {
  name: 'council',
  routes: [
    { path: 'volikogu', element: <CouncilIndex /> },
    { path: 'volikogu/:code', element: <CouncilHome /> },
    { path: 'volikogu/:code/istung/:id', element: <SittingPage /> },
    { path: 'volikogu/:code/istung/:id/protokoll', element: <MinutesPage /> },
    { path: 'volikogu/:code/arhiiv', element: <ArchivePage /> },
    { path: 'volikogu/:code/liige/:memberId', element: <MemberRecordPage /> },
    { path: 'volikogu/:code/haldus', element: <ManagePage /> },
  ],
  nav: [{ to: '/volikogu', labelKey: 'nav.council', when: 'always', group: 'participate', primary: true }],
  homeCards: [{ to: '/volikogu', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
