import type { KovModule } from '../../platform/module';
import { servicesRoutes, surveyRoutes } from './routes';
import { createIntake, recentMonths, refreshAllMonths, refreshRollup } from './satisfaction';
import { seedServices } from './seed';
import { servicesCatalogueProvider } from './openData';
import { servicesWork } from './workQueue';
import { exportCatalogue, validateCpsv } from './cpsvExport';

import './integrations';

export { registerPersonalItems, type PersonalItem, type PersonalItemsProvider } from './personalItems';

/** One intake (rate-limit counters) per process, shared by the API and the survey page. */
const intake = createIntake();

export const servicesModule: KovModule = {
  name: 'services',
  description:
    'The municipal service catalogue (CPSV-AP 3.2.0, the state catalogue’s fields), ELVL’s national templates, life events with state services, the service standard self-assessment, unified satisfaction measurement (embeddable survey, link/QR, back-office API) and the resident’s “Minu vald”.',
  api: servicesRoutes(intake),
  root: surveyRoutes(intake),
  jobs(ctx) {
    ctx.jobs.define('services.satisfaction-rollup', async () => {
      const rows = await refreshRollup(ctx, recentMonths(ctx.now()));
      ctx.log.debug({ rows }, 'satisfaction roll-up refreshed');
    });
    ctx.jobs.schedule('services.satisfaction-rollup', '*/5 * * * *');
  },
  seedDemo: seedServices,
  openData: [servicesCatalogueProvider],
  workQueue: [servicesWork],
  commands: [
    {
      name: 'services rollup',
      summary: 'Recompute the monthly satisfaction roll-up (all months)',
      help: 'Usage: kov services rollup\n\nRecomputes survey_monthly from every answer (the job refreshes only the current and previous month).',
      async run(io) {
        const { ctx, close } = await io.openContext();
        try {
          io.out(`${await refreshAllMonths(ctx)} roll-up rows`);
          return 0;
        } finally {
          await close();
        }
      },
    },
    {
      name: 'services validate',
      summary: "Validate a municipality's CPSV-AP export against the official SHACL shapes",
      help: 'Usage: kov services validate <municipality code>\n\nExports the public catalogue as CPSV-AP 3.2.0 and validates it with the SHACL engine; exit code 1 if it does not conform.',
      async run(io) {
        const code = io.positionals[0] ?? '';
        const { ctx, close } = await io.openContext();
        try {
          const { quads } = await exportCatalogue(ctx, code, 'turtle');
          const report = await validateCpsv(quads);
          io.out(report.conforms ? `conforms (${quads.length} triples)` : report.text);
          return report.conforms ? 0 : 1;
        } finally {
          await close();
        }
      },
    },
  ],
};
