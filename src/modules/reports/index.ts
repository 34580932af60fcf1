import type { KovModule } from '../../platform/module';
import { defineApiScope } from '../../platform/auth/apiKeys';
import { DELIVER_JOB, runDelivery } from './delivery';
import { REFRESH_JOB, refreshStats } from './refreshStats';
import { FETCH_JOB, fetchOpen311Updates } from './open311Fetch';
import { reportRoutes } from './routes';
import { open311Routes } from './open311/routes';
import { seedReports } from './seed';
import { reportsProvider } from './openData';
import { ALERTS_JOB, sendReportAlerts } from './alerts';
import { OVERDUE_JOB, notifyOverdue } from './overdue';
import { WORK_DIGEST_JOB, sendWorkDigests } from './workDigest';
import { reportsWork } from './workQueue';
import { IDEMPOTENCY_PURGE_JOB, purgeIdempotencyKeys } from './idempotency';

/** Public API for other modules. */
export { myReports } from './listReports';

export const SCOPE_OPEN311_WRITE = defineApiScope(
  'reports.open311',
  'Open311: submit service requests and post service request updates (status changes) for the municipality’s reports',
);
export const SCOPE_OPEN311_READ = defineApiScope(
  'reports.read',
  'Reports: read the full data of reports, including internal fields and contact details, through the machine API',
);

export const reportsModule: KovModule = {
  name: 'reports',
  description:
    'Anna Teada: problem reports routed by location to municipalities, handling, Open311 GeoReport v2 with servicerequestupdates, webhooks, satisfaction and analytics.',
  api: reportRoutes,
  root: open311Routes,
  jobs(ctx) {
    ctx.jobs.define(
      DELIVER_JOB,
      async (data: { municipalityCode: string; deliveryId: number }) => {
        await runDelivery(ctx, data);
      },
      { retryLimit: 3, retryDelaySeconds: 60, expireInSeconds: 120 },
    );
    ctx.jobs.define(
      REFRESH_JOB,
      async () => {
        await refreshStats(ctx);
      },
      { retryLimit: 0, expireInSeconds: 600 },
    );
    ctx.jobs.schedule(REFRESH_JOB, '* * * * *');
    ctx.jobs.define(
      FETCH_JOB,
      async () => {
        await fetchOpen311Updates(ctx);
      },
      { retryLimit: 0, expireInSeconds: 600 },
    );
    ctx.jobs.schedule(FETCH_JOB, '*/5 * * * *');
    // Telling people (docs/notifications.md): new reports, overdue reports, the officials' digest.
    ctx.jobs.define(ALERTS_JOB, async () => void (await sendReportAlerts(ctx)), { retryLimit: 0 });
    ctx.jobs.schedule(ALERTS_JOB, '* * * * *');
    ctx.jobs.define(OVERDUE_JOB, async () => void (await notifyOverdue(ctx)), { retryLimit: 0 });
    ctx.jobs.schedule(OVERDUE_JOB, '*/15 * * * *');
    ctx.jobs.define(WORK_DIGEST_JOB, async () => void (await sendWorkDigests(ctx)), { retryLimit: 1 });
    ctx.jobs.schedule(WORK_DIGEST_JOB, '0 7 * * *');
    // Idempotency keys of report intake are kept 24 hours (idempotency.ts).
    ctx.jobs.define(IDEMPOTENCY_PURGE_JOB, async () => void (await purgeIdempotencyKeys(ctx)), { retryLimit: 0 });
    ctx.jobs.schedule(IDEMPOTENCY_PURGE_JOB, '17 * * * *');
  },
  seedDemo: seedReports,
  openData: [reportsProvider],
  workQueue: [reportsWork],
};
