import type { WebModule } from '../types';
import { locales } from './locales';
import { VerifiableIndex, VerifiableList } from './ListPage';
import { VerifiableEdit } from './EditPage';
import { VerifiableVote } from './VotePage';
import { VerifiableBallot } from './BallotPage';
import { VerifiableTrustee } from './TrusteePage';
import { VerifiableBoard } from './BoardPage';
import './verifiable.css';

/** Verifiable voting: encrypted ballots, the trustees' key ceremony, the bulletin board. */
export const verifiableWeb: WebModule = {
  name: 'verifiable',
  locales,
  routes: [
    { path: 'kontrollitav', element: <VerifiableIndex /> },
    { path: 'kontrollitav/:code', element: <VerifiableList /> },
    { path: 'kontrollitav/:code/uus', element: <VerifiableEdit /> },
    { path: 'kontrollitav/:code/:id', element: <VerifiableVote /> },
    { path: 'kontrollitav/:code/:id/muuda', element: <VerifiableEdit /> },
    { path: 'kontrollitav/:code/:id/haaleta', element: <VerifiableBallot /> },
    { path: 'kontrollitav/:code/:id/usaldusisik', element: <VerifiableTrustee /> },
    { path: 'kontrollitav/:code/:id/tahvel', element: <VerifiableBoard /> },
  ],
  nav: [{ to: '/kontrollitav', labelKey: 'nav.verifiable', when: 'always' }],
  homeCards: [{ to: '/kontrollitav', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
