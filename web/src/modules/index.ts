import type { WebModule } from './types';
import { servicesWeb } from './services';

/** Every domain's web module. Add a module here. */
export const webModules: WebModule[] = [servicesWeb];
