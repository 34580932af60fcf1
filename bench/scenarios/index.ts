import type { BenchScenario } from '../lib';
import { meScenario } from './me';

/** Every scenario `npm run bench` knows. Add a module's scenario here. */
export const scenarios: BenchScenario[] = [meScenario];
