import type { WebModule } from './types';
import { reportsWeb } from './reports';
import { apiClientsWeb } from './apiClients';
import { servicesWeb } from './services';
import { councilWeb } from './council';
import { hubWeb } from './hub';
import { communityWeb } from './community';
import { programmeWeb } from './programme';
import { opendataWeb } from './opendata';
import { verifiableWeb } from './verifiable';
import { registerWeb } from './register';
import { participationWeb } from './participation';
import { notificationsWeb } from './notifications';
import { workWeb } from './work';

/** Every domain's web module. Add a module here. */
export const webModules: WebModule[] = [
  workWeb,
  registerWeb,
  participationWeb,
  servicesWeb,
  councilWeb,
  hubWeb,
  communityWeb,
  programmeWeb,
  verifiableWeb,
  opendataWeb,
  reportsWeb,
  apiClientsWeb,
  notificationsWeb,
];
