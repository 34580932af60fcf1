import type { KovModule } from '../../platform/module';
import { communityRootRoutes, communityRoutes } from './routes';
import { NOTIFY_JOB, REMIND_JOB } from './registration';
import { sendNotice, sendReminder } from './reminders';
import { seedCommunityDemo } from './demo';

/** Public API for other modules. */
export { listEvents } from './readEvents';

export const communityModule: KovModule = {
  name: 'community',
  description:
    'Community and training: webinars, seminars, workshops and training-group meetings with registration, waiting list, reminders, attendance, materials and iCalendar feeds; training programmes by region.',
  api: communityRoutes,
  root: communityRootRoutes,
  jobs(ctx) {
    ctx.jobs.define<{ eventId: string; personId: string }>(REMIND_JOB, (data) => sendReminder(ctx, data));
    ctx.jobs.define<{ eventId: string; personId: string; kind: 'promoted' | 'cancelled' }>(NOTIFY_JOB, (data) =>
      sendNotice(ctx, data),
    );
  },
  seedDemo: seedCommunityDemo,
};
