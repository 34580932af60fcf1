import type { WebModule } from '../types';
import { lazyPage } from '../../app/lazy';
import './verifiable.css';

const VerifiableIndex = lazyPage(() => import('./ListPage'), 'VerifiableIndex');
const VerifiableList = lazyPage(() => import('./ListPage'), 'VerifiableList');
const VerifiableEdit = lazyPage(() => import('./EditPage'), 'VerifiableEdit');
const VerifiableVote = lazyPage(() => import('./VotePage'), 'VerifiableVote');
const VerifiableBallot = lazyPage(() => import('./BallotPage'), 'VerifiableBallot');
const VerifiableTrustee = lazyPage(() => import('./TrusteePage'), 'VerifiableTrustee');
const VerifiableBoard = lazyPage(() => import('./BoardPage'), 'VerifiableBoard');

/** Verifiable voting: encrypted ballots, the trustees' key ceremony, the bulletin board. */
export const verifiableWeb: WebModule = {
  name: 'verifiable',
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
  nav: [{ to: '/kontrollitav', labelKey: 'nav.verifiable', when: 'always', group: 'participate' }],
  homeCards: [{ to: '/kontrollitav', titleKey: 'homeCard.title', textKey: 'homeCard.text', when: 'always' }],
};
