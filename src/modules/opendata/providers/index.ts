import type { DatasetProvider } from '../../../platform/openData';
import { participationResultsProvider } from './participation';
import { councilVotesProvider } from './council';
import { servicesCatalogueProvider } from './services';
import { infoSystemsProvider } from './infoSystems';
import { reportsProvider } from './reports';

/**
 * Dataset providers written by the open data module for modules that do not (yet) declare their
 * own `openData` in their manifest. A module that takes over its provider declares it in its
 * own manifest and the entry here is removed.
 */
export const opendataProviders: DatasetProvider[] = [
  participationResultsProvider,
  councilVotesProvider,
  servicesCatalogueProvider,
  reportsProvider,
  infoSystemsProvider,
];
