import type { KovModule } from '../../platform/module';
import type { WorkQueueProvider } from '../../platform/workQueue';
import { workQueueRoutes } from './routes';

/**
 * The officials' work queue (issue 18): one read over the `workQueue` providers every module
 * declares in its manifest (reports to handle, ideas and candidates to review, sittings to prepare,
 * results and minutes to publish, services to update). The module list hands it `providers`; it
 * imports no other module and reads no table of its own.
 */
export const workQueueModule = (opts: { providers: () => WorkQueueProvider[] }): KovModule => ({
  name: 'workQueue',
  description: 'The officials’ work queue: what waits for them across modules, with counts, age and deadlines.',
  api: (app, ctx) => workQueueRoutes(app, ctx, opts.providers),
});
