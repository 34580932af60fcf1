import type { KovModule } from '../../platform/module';
import type { DatasetProvider } from '../../platform/openData';
import { opendataRoutes } from './routes';
import { ckanRoutes } from './ckanRoutes';
import { runProviders, type Trigger } from './autoPublish';
import { seedOpenData } from './seed';
import { infoSystemsProvider } from './openData';

export const AUTO_PUBLISH_JOB = 'opendata.publish-auto';

/**
 * Open data and data governance: a DCAT-AP 3.0.1 catalogue per municipality (and ELVL), a
 * CKAN-compatible read API at /api/3, Frictionless datapackage.json per dataset, automatic
 * publication of the platform's own data (the `openData` providers of every module, nightly and
 * on demand through the job `opendata.publish-auto`), and the inventory of information systems
 * with the roles of the data governance framework. See docs/opendata.md.
 *
 * The module list (`src/modules/index.ts`) hands it `providers`, which gathers the `openData` of
 * every manifest when a run starts; this module imports no other module.
 */
export const opendataModule = (opts: { providers: () => DatasetProvider[] }): KovModule => ({
  name: 'opendata',
  description:
    'Open data catalogues (DCAT-AP 3.0.1, CKAN API, Frictionless), automatic publication of the platform’s own data, and data governance (information systems, roles).',
  api: (app, ctx) => opendataRoutes(app, ctx, opts.providers),
  root: ckanRoutes,
  jobs(ctx) {
    // Data `{ trigger?, providerKeys?, municipalities? }`: other modules send it when something
    // worth publishing happens — participation does when a vote's results are published
    // (`publishResults`, in the same transaction).
    ctx.jobs.define<{ trigger?: Trigger; providerKeys?: string[]; municipalities?: string[] }>(
      AUTO_PUBLISH_JOB,
      async (data) => {
        const runs = await runProviders(ctx, opts.providers(), {
          trigger: data.trigger ?? 'schedule',
          ...(data.providerKeys ? { providerKeys: data.providerKeys } : {}),
          ...(data.municipalities ? { municipalities: data.municipalities } : {}),
        });
        const published = runs.reduce(
          (n, r) => n + r.changes.filter((c) => c.change === 'new' || c.change === 'updated').length,
          0,
        );
        if (published) ctx.log.info({ runs: runs.length, published }, 'open data: automatic publication');
      },
      { retryLimit: 2, expireInSeconds: 3600 },
    );
    ctx.jobs.schedule(AUTO_PUBLISH_JOB, '40 3 * * *', { trigger: 'schedule' });
  },
  seedDemo: (ctx, seed) => seedOpenData(ctx, seed, opts.providers()),
  openData: [infoSystemsProvider],
});
