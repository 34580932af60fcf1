import type { KovModule } from '../../platform/module';
import { notificationRootRoutes, notificationRoutes } from './routes';
import { DELIVER_JOB } from './notify';
import { DIGEST_JOB, deliverDue, sendDigests, sendVerification } from './deliver';
import { VERIFY_JOB } from './settings';

/**
 * Notifications: one service for every module. A module tells people about a change by calling
 * `notify` (named people), `notifyAudience` (everyone a query names, e.g. a vote's electorate) or
 * `notifyAreaFollowers` (followers of the place) inside the transaction of that change; the
 * notification centre shows it and the delivery job e-mails it to those who chose e-mail, in
 * their language. See docs/notifications.md.
 *
 * Public API for other modules (stable):
 */
export { notify, notifyAudience, notifyAreaFollowers, DELIVER_JOB, type NotifyInput } from './notify';
export { TOPICS, type Topic } from './topics';
export {
  deliverDue,
  sendDigests,
  sendVerification,
  closeMailer,
  DIGEST_JOB,
  backoffMs,
  type DeliveryStats,
} from './deliver';
export { startMailCatcher, runningCatcher, type MailCatcher, type ParsedMail, type CatcherRule } from './mailCatcher';
export { VERIFY_JOB } from './settings';

export const notificationsModule: KovModule = {
  name: 'notifications',
  description:
    'Notifications: the notification centre, e-mail (verified addresses, per-topic choices, one-click unsubscribe, daily digest) and followed areas; the demo mailbox of the local mail catcher.',
  api: notificationRoutes,
  root: notificationRootRoutes,
  jobs(ctx) {
    ctx.jobs.define(
      DELIVER_JOB,
      async () => {
        const r = await deliverDue(ctx, { budgetMs: 120_000, runs: 2 });
        if (r.sent || r.failed || r.retried)
          ctx.log.info({ sent: r.sent, retried: r.retried, failed: r.failed }, 'notifications: e-mails delivered');
        if (r.more) await ctx.jobs.send(DELIVER_JOB, {});
      },
      { batchSize: 20, retryLimit: 2, expireInSeconds: 900 },
    );
    // Retries come due and a crashed run's lease runs out: the minute sweep picks them up.
    ctx.jobs.schedule(DELIVER_JOB, '* * * * *');
    ctx.jobs.define<{ personId: string }>(VERIFY_JOB, async (d) => {
      await sendVerification(ctx, d.personId);
    });
    ctx.jobs.define(DIGEST_JOB, async () => {
      const n = await sendDigests(ctx);
      if (n) ctx.log.info({ digests: n }, 'notifications: daily digests sent');
    });
    ctx.jobs.schedule(DIGEST_JOB, '0 7 * * *');
  },
};
