import { after } from 'node:test';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { closeMailer, deliverDue } from './deliver';
import { startMailCatcher, type MailCatcher, type ParsedMail } from './mailCatcher';
import type { Lang } from './store';

/**
 * For tests of any module that sends notifications: a real SMTP mail catcher and the settings
 * that point the platform at it, a person with a verified address (set directly, without the
 * link: the link itself is tested in this module), and delivery of everything due.
 */
export async function mailForTests(): Promise<{ catcher: MailCatcher; env: Record<string, string> }> {
  const catcher = await startMailCatcher({ register: true, clock: () => new Date() });
  after(async () => {
    closeMailer();
    await catcher.stop();
  });
  return {
    catcher,
    env: { SMTP_HOST: catcher.host, SMTP_PORT: String(catcher.port), MAIL_FROM: 'KOV test <teavitused@kov.test>' },
  };
}

export async function giveVerifiedEmail(
  ctx: AppContext,
  personId: string,
  email: string,
  opts: { language?: Lang; digest?: 'off' | 'daily' } = {},
) {
  const now = ctx.now();
  await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .insertInto('notification_profile')
      .values({
        person_id: personId,
        language: opts.language ?? 'et',
        email,
        email_verified_at: now,
        email_bounced_at: null,
        pending_email: null,
        pending_token_hash: null,
        pending_expires_at: null,
        digest: opts.digest ?? 'off',
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('person_id').doUpdateSet({
          email,
          email_verified_at: now,
          language: opts.language ?? 'et',
          digest: opts.digest ?? 'off',
        }),
      )
      .execute(),
  );
}

/** Sends every e-mail that is due now. */
export const deliverNow = (ctx: AppContext) => deliverDue(ctx, { budgetMs: 60_000 });

/** The links of a message's plain-text part. */
export const linksIn = (m: ParsedMail) => [...m.text.matchAll(/https?:\/\/[^\s>]+/g)].map((x) => x[0]);
