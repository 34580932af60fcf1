import type { WebModule } from '../types';
import { locales } from './locales';
import { MunicipalityVotes, MyVotesList, VotesIndex } from './VotesPages';
import { VotePage } from './VotePage';
import { IdeaPage } from './IdeaPage';
import { WizardPage } from './Wizard';
import { ManagePage } from './ManagePage';
import './participation.css';

/** Participation: polls and referendums, participatory budgets and village elder elections. */
export const participationWeb: WebModule = {
  name: 'participation',
  locales,
  routes: [
    { path: 'haaletused', element: <VotesIndex /> },
    { path: 'haaletused/:code', element: <MunicipalityVotes /> },
    { path: 'haaletused/:code/uus', element: <WizardPage /> },
    { path: 'haaletused/:code/:id', element: <VotePage /> },
    { path: 'haaletused/:code/:id/idee', element: <IdeaPage /> },
    { path: 'haaletused/:code/:id/haldus', element: <ManagePage /> },
    { path: 'haaletused/:code/:id/muuda', element: <WizardPage /> },
  ],
  nav: [{ to: '/haaletused', labelKey: 'nav.votes', when: 'always' }],
  homeCards: [{ to: '/haaletused', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
  profileSections: [MyVotesList],
};
