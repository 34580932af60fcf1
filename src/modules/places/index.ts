import type { KovModule } from '../../platform/module';
import { placeRoutes } from './routes';

export const placesModule: KovModule = {
  name: 'places',
  description: 'Counties, municipalities and settlement units of Estonia (EHAK 2025v5, Statistikaamet).',
  api: placeRoutes,
};
