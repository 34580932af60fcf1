import type { KovModule } from '../../platform/module';
import { purgeExpiredSessions } from '../../platform/auth/sessions';
import { accessRoutes } from './routes';
import { CHECKPOINT_JOB, checkpointAuditChains } from './auditCheckpoint';

export const accessModule: KovModule = {
  name: 'access',
  description: "Roles of officials, council members and ELVL administrators, and each municipality's audit log.",
  api: accessRoutes,
  jobs(ctx) {
    // Expired sessions and abandoned login attempts are personal data we no longer need.
    ctx.jobs.define('access.purge-sessions', async () => {
      const n = await purgeExpiredSessions(ctx.db, ctx.config.session.idleMinutes);
      if (n) ctx.log.info({ sessions: n }, 'purged expired sessions');
    });
    ctx.jobs.schedule('access.purge-sessions', '17 * * * *');
    // The audit chains' heads, signed, outside the database (docs/architecture.md, "Audit log").
    ctx.jobs.define(CHECKPOINT_JOB, async () => {
      const { file } = await checkpointAuditChains(ctx);
      ctx.log.info({ file }, 'audit checkpoint written');
    });
    ctx.jobs.schedule(CHECKPOINT_JOB, ctx.config.audit.checkpointCron);
  },
};

export { checkpointAuditChains } from './auditCheckpoint';
