import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './participation.css';

const MunicipalityVotes = lazyPage(() => import('./VotesPages'), 'MunicipalityVotes');
const MyVotesList = lazyPage(() => import('./VotesPages'), 'MyVotesList');
const VotesIndex = lazyPage(() => import('./VotesPages'), 'VotesIndex');
const VotePage = lazyPage(() => import('./VotePage'), 'VotePage');
const IdeaPage = lazyPage(() => import('./IdeaPage'), 'IdeaPage');
const WizardPage = lazyPage(() => import('./Wizard'), 'WizardPage');
const ManagePage = lazyPage(() => import('./ManagePage'), 'ManagePage');
const ImportPage = lazyPage(() => import('./ImportPage'), 'ImportPage');

/** Participation: polls and referendums, participatory budgets and village elder elections. */
export const participationWeb: WebModule = {
  name: 'participation',
  routes: [
    { path: 'haaletused', element: <VotesIndex /> },
    { path: 'haaletused/:code', element: <MunicipalityVotes /> },
    { path: 'haaletused/:code/uus', element: <WizardPage /> },
    { path: 'haaletused/:code/pabulib', element: <ImportPage /> },
    { path: 'haaletused/:code/:id', element: <VotePage />, prefetch: ['/api/v1/municipalities/:code/votes/:id'] },
    { path: 'haaletused/:code/:id/idee', element: <IdeaPage /> },
    { path: 'haaletused/:code/:id/haldus', element: <ManagePage /> },
    { path: 'haaletused/:code/:id/muuda', element: <WizardPage /> },
  ],
  nav: [{ to: '/haaletused', labelKey: 'nav.votes', when: 'always', group: 'participate', primary: true }],
  homeCards: [{ to: '/haaletused', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
  profileSections: [MyVotesList],
};
