import type { KovModule } from '../platform/module';
import { placesModule } from './places';
import { accessModule } from './access';
import { registerModule } from './register';
import { ballotBoxModule } from './ballotBox';
import { participationModule } from './participation';
import { apiClientsModule } from '../platform/auth/apiKeyRoutes';
import { mapModule } from '../platform/places/map';
import { reportsModule } from './reports';
import { programmeModule } from './programme';
import { servicesModule } from './services';
import { councilModule } from './council';
import { hubModule } from './hub';
import { opendataModule } from './opendata';
import { verifiableModule } from './verifiable';
import { communityModule } from './community';
import { notificationsModule } from './notifications';
import { workQueueModule } from './workQueue';

/** Every domain module, in the order their demo data is seeded. Add a module here. */
export const modules: KovModule[] = [
  placesModule,
  accessModule,
  notificationsModule,
  registerModule,
  ballotBoxModule,
  participationModule,
  apiClientsModule,
  mapModule,
  reportsModule,
  programmeModule,
  hubModule,
  communityModule,
  servicesModule,
  councilModule,
  verifiableModule,
  // Open data runs the dataset providers every module declares (`openData`), its own included.
  opendataModule({ providers: () => modules.flatMap((m) => m.openData ?? []) }),
  // The officials' work queue runs the `workQueue` providers of every module.
  workQueueModule({ providers: () => modules.flatMap((m) => m.workQueue ?? []) }),
];
