import type { WebModule } from './types';
import { servicesWeb } from './services';
import { hubWeb } from './hub';
import { communityWeb } from './community';
import { programmeWeb } from './programme';
import { councilWeb } from './council';

/** Every domain's web module. Add a module here. */
export const webModules: WebModule[] = [servicesWeb, councilWeb];
