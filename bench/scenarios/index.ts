import type { BenchScenario } from '../lib';
import { meScenario } from './me';
import { opendataScenario } from './opendata';
import { servicesComparisonScenario, servicesIntakeScenario } from './services';
import { councilScenario } from './council';
import { reportsScenario } from './reports';
import { communityRegistrationScenario, hubSearchScenario } from './hub';
import { participationScenario } from './participation';
import { equalSharesScenario, pabulibImportScenario } from './pabulib';
import { registerFrozenScenario, registerImportScenario, registerLiveScenario } from './register';
import { webperfScenario } from './webperf';
import { clusterScenario } from './cluster';
import { notificationsScenario } from './notifications';
import { verifiableBrowserScenario, verifiableTallyScenario, verifiableVerifyScenario } from './verifiable';

/** Every scenario `npm run bench` knows. Add a module's scenario here. */
export const scenarios: BenchScenario[] = [
  meScenario,
  servicesIntakeScenario,
  servicesComparisonScenario,
  councilScenario,
  reportsScenario,
  hubSearchScenario,
  communityRegistrationScenario,
  participationScenario,
  pabulibImportScenario,
  equalSharesScenario,
  registerImportScenario,
  registerFrozenScenario,
  registerLiveScenario,
  verifiableBrowserScenario,
  verifiableVerifyScenario,
  verifiableTallyScenario,
  opendataScenario,
  webperfScenario,
  clusterScenario,
  notificationsScenario,
];
