import type { KovModule } from '../platform/module';
import { placesModule } from './places';
import { accessModule } from './access';

/** Every domain module, in the order their demo data is seeded. Add a module here. */
export const modules: KovModule[] = [placesModule, accessModule];
