import type { KovModule } from '../../platform/module';
import { placeRoutes } from './routes';

/** Public API for other modules: the place code schema and the place store. */
export { PlaceCode, PlaceSchema, MunicipalitySchema } from './schemas';
export { placeStore, type Place } from './store';

export const placesModule: KovModule = {
  name: 'places',
  description: 'Counties, municipalities and settlement units of Estonia (EHAK 2025v5, Statistikaamet).',
  api: placeRoutes,
};
