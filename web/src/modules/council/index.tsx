import type { WebModule } from '../types';
import { locales } from './locales';
import { CouncilHome, CouncilIndex } from './CouncilHome';
import { SittingPage } from './SittingPage';
import { MinutesPage } from './MinutesPage';
import { ArchivePage, MemberRecordPage } from './ArchivePage';
import { ManagePage } from './ManagePage';
import './council.css';

/** Council sittings: composition, live sittings with votes, minutes, the archive and management. */
export const councilWeb: WebModule = {
  name: 'council',
  locales,
  routes: [
    { path: 'volikogu', element: <CouncilIndex /> },
    { path: 'volikogu/:code', element: <CouncilHome /> },
    { path: 'volikogu/:code/istung/:id', element: <SittingPage /> },
    { path: 'volikogu/:code/istung/:id/protokoll', element: <MinutesPage /> },
    { path: 'volikogu/:code/arhiiv', element: <ArchivePage /> },
    { path: 'volikogu/:code/liige/:memberId', element: <MemberRecordPage /> },
    { path: 'volikogu/:code/haldus', element: <ManagePage /> },
  ],
  nav: [{ to: '/volikogu', labelKey: 'nav.council', when: 'always' }],
  homeCards: [{ to: '/volikogu', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
