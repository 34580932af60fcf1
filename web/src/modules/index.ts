import type { WebModule } from './types';

/** Every domain's web module. Add a module here. */
export const webModules: WebModule[] = [];
