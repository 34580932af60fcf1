import type { KovModule } from '../../platform/module';
import { registerCommands } from './commands';
import { registerRoutes } from './routes';
import { seedRegisterDemo } from './seed';

/**
 * Population register (Rahvastikuregister) integration and electorates.
 *
 * Public API for other modules (stable; documented in docs/register.md):
 */
export { checkEligibility, type EligibilityInput } from './eligibility';
export type { EligibilityAnswer, EligibilityReason, Residence, RegisterPerson } from './model';
export { residenceOn, tallinnDate } from './model';
export {
  createElectorate,
  updateElectorate,
  getElectorate,
  listElectorates,
  freezeElectorate,
  lockElectorate,
  previewElectorate,
  electorateMembers,
  loadElectorateRow,
  type Definition,
} from './electorates';
export type { ElectorateInput, ElectorateView, Preview } from './schemas';
export { PreviewSchema } from './schemas';
export {
  REGISTER_UNAVAILABLE,
  ELECTORATE_LOCKED,
  ELECTORATE_NOT_FROZEN,
  registerUnavailable,
  isRegisterUnavailable,
} from './problems';
export {
  queryRegister,
  populationRegister,
  usePopulationRegister,
  clearRegisterCache,
  type PopulationRegister,
  type RegisterQuery,
} from './register';

export { importExtract, type ImportReport } from './importExtract';
export { startRegisterSimulator, type RunningSimulator, type SimulatorBehaviour } from './simulator';

export const registerModule: KovModule = {
  name: 'register',
  description:
    'Population register (Rahvastikuregister) over X-Road or from extracts: residence to the settlement unit, the register query log, and electorates (live or frozen voter lists).',
  api: registerRoutes,
  seedDemo: seedRegisterDemo,
  commands: registerCommands,
};
