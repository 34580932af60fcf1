import type { KovModule } from '../../platform/module';
import { accessRoutes } from './routes';

export const accessModule: KovModule = {
  name: 'access',
  description: "Roles of officials, council members and ELVL administrators, and each municipality's audit log.",
  api: accessRoutes,
};
