import type { KovModule } from '../../platform/module';
import { purgeExpiredSessions } from '../../platform/auth/sessions';
import { accessRoutes } from './routes';

export const accessModule: KovModule = {
  name: 'access',
  description: "Roles of officials, council members and ELVL administrators, and each municipality's audit log.",
  api: accessRoutes,
  jobs(ctx) {
    // Expired sessions and abandoned login attempts are personal data we no longer need.
    ctx.jobs.define('access.purge-sessions', async () => {
      const n = await purgeExpiredSessions(ctx.db, ctx.config.session.idleMinutes);
      await ctx.db.deleteFrom('auth_request').where('expires_at', '<', new Date()).execute();
      if (n) ctx.log.info({ sessions: n }, 'purged expired sessions');
    });
    ctx.jobs.schedule('access.purge-sessions', '17 * * * *');
  },
};
