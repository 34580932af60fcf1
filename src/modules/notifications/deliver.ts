import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Trx } from '../../platform/db/database';
import type { Lang } from './contract';
import { createMailer, type Mailer, type OutgoingMail, type SendOutcome } from './mailer';
import { renderMail, renderMessage, type Footer } from './render';
import { centreFilter } from './store';
import { STRINGS } from './templates';
import { TOPICS, isTopic, type TopicSpec } from './topics';
import { VERIFICATION_HOURS, bounceToken, unsubscribeToken, verificationToken, type BounceKind } from './tokens';

/**
 * E-mail delivery: the `notifications.deliver` job (enqueued with every notification, and every
 * minute as the safety net for retries and crashes) takes due notifications in batches
 * (FOR UPDATE SKIP LOCKED: any number of app nodes share the work), decides each by the
 * recipient's current settings — no verified address, e-mail of the topic off, address bounced:
 * skipped; digest chosen: held — renders the rest in the recipient's language and hands them to
 * the relay. Temporary failures (4xx, no connection) are retried with exponential backoff; a
 * permanent refusal of the recipient (5xx at RCPT TO) puts the address on the suppression list
 * and nothing more is sent to it. A taken row is leased for five minutes: a node that dies while
 * sending leaves it to be taken again (at-least-once; the Message-ID stays the same, so a receiver
 * can drop the repeat).
 */
export const DIGEST_JOB = 'notifications.digest';
export const MAX_ATTEMPTS = 10;
const LEASE_MS = 5 * 60_000;
const BATCH = 200;

/** Delay before attempt n+1 after n failed attempts: 1, 2, 4 … minutes, at most 6 hours, ±20 %. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

let shared: { key: string; mailer: Mailer } | undefined;
/** One pooled transport per process and relay. */
export function mailerFor(ctx: AppContext): Mailer | undefined {
  const smtp = ctx.config.mail.smtp;
  if (!smtp) return undefined;
  const key = `${smtp.host}:${smtp.port}:${smtp.user ?? ''}:${ctx.config.mail.from}`;
  if (shared?.key !== key) {
    shared?.mailer.close();
    const mailer = createMailer(ctx.config.mail);
    shared = mailer ? { key, mailer } : undefined;
  }
  return shared?.mailer;
}
export function closeMailer() {
  shared?.mailer.close();
  shared = undefined;
}

const domainOf = (from: string) => (/@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'kov.localhost').toLowerCase();
const messageId = (ctx: AppContext, kind: string, id: string | number) =>
  `<${kind}${id}.${createHash('sha256').update(`${ctx.config.publicUrl}|${kind}|${id}`).digest('hex').slice(0, 12)}@${domainOf(ctx.config.mail.from)}>`;

/** The VERP envelope sender of one message (undefined: bounces are not read, use the From address). */
export function returnPath(ctx: AppContext, kind: BounceKind, id: string | number, address: string) {
  const b = ctx.config.mail.bounce;
  if (!b) return undefined;
  return `${b.local}+${bounceToken(ctx.config.secrets.pseudonymKey, kind, id, address)}@${b.domain}`;
}

const settingsUrl = (ctx: AppContext) => `${ctx.config.publicUrl}/teavitused/seaded`;
export const unsubscribeUrl = (ctx: AppContext, personId: string, topic: string) =>
  isTopic(topic)
    ? `${ctx.config.publicUrl}/teavitused/loobu/${unsubscribeToken(ctx.config.secrets.pseudonymKey, personId, topic)}`
    : undefined;

function footerFor(
  ctx: AppContext,
  personId: string,
  topic: string,
): { footer: Footer; headers: Record<string, string> } {
  const spec = TOPICS[topic as keyof typeof TOPICS] as TopicSpec | undefined;
  const unsub = spec && !spec.required ? unsubscribeUrl(ctx, personId, topic) : undefined;
  const headers: Record<string, string> = {
    'List-Id': `<${topic.replace('.', '-')}.notifications.${domainOf(ctx.config.mail.from)}>`,
  };
  if (unsub) {
    headers['List-Unsubscribe'] = `<${unsub}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    footer: { settingsUrl: settingsUrl(ctx), unsubscribeUrl: unsub, topic, required: Boolean(spec?.required) },
    headers,
  };
}

interface Claimed {
  id: number;
  person_id: string;
  topic: string;
  params: Record<string, unknown>;
  link: string | null;
  email_attempts: number;
  email: string | null;
  language: Lang | null;
  digest: 'off' | 'daily' | null;
  email_on: boolean;
  suppressed: boolean;
}

async function claim(ctx: AppContext, now: Date, limit: number): Promise<Claimed[]> {
  const { emailOn } = centreFilter;
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const r = await sql<Claimed>`
      WITH due AS (
        SELECT id FROM notification
         WHERE email_state IN ('pending', 'sending') AND email_next_at <= ${now}
         ORDER BY email_next_at, id
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
      ), taken AS (
        UPDATE notification n SET email_state = 'sending', email_next_at = ${new Date(now.getTime() + LEASE_MS)}
          FROM due WHERE n.id = due.id
        RETURNING n.id, n.person_id, n.topic, n.params, n.link, n.email_attempts
      )
      SELECT t.id, t.person_id, t.topic, t.params, t.link, t.email_attempts,
             p.email, p.language, p.digest,
             ${emailOn(sql.ref('t.topic'))} AS email_on,
             EXISTS (SELECT 1 FROM notification_suppression s WHERE s.email = lower(p.email)) AS suppressed
        FROM taken t
        LEFT JOIN notification_profile p ON p.person_id = t.person_id
        LEFT JOIN notification_preference pref ON pref.person_id = t.person_id AND pref.topic = t.topic
       ORDER BY t.id`.execute(trx);
    return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
  });
}

async function settle(
  ctx: AppContext,
  ids: number[],
  state: 'sent' | 'held' | 'skipped' | 'failed',
  error: string | null,
  attempted: boolean,
) {
  if (!ids.length) return;
  await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .updateTable('notification')
      .set((eb) => ({
        email_state: state,
        email_next_at: null,
        email_done_at: state === 'held' ? null : ctx.now(),
        email_error: error,
        ...(attempted ? { email_attempts: eb('email_attempts', '+', 1) } : {}),
      }))
      .where('id', 'in', ids)
      .execute(),
  );
}

async function retryLater(ctx: AppContext, row: Claimed, outcome: Extract<SendOutcome, { ok: false }>) {
  const attempts = row.email_attempts + 1;
  if (attempts >= MAX_ATTEMPTS) return settle(ctx, [row.id], 'failed', `gave up: ${outcome.message}`, true);
  await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx
      .updateTable('notification')
      .set({
        email_state: 'pending',
        email_attempts: attempts,
        email_next_at: new Date(ctx.now().getTime() + backoffMs(attempts)),
        email_error: `${outcome.code ?? ''} ${outcome.message}`.trim().slice(0, 500),
      })
      .where('id', '=', row.id)
      .execute(),
  );
}

/** A permanent refusal of the address: no more mail to it until it is verified again. */
export async function suppressAddress(ctx: AppContext, email: string, detail: string) {
  await inScope(ctx.db, { tenant: '*' }, (trx) => suppressIn(trx, email, detail, ctx.now()));
}

/** The same inside a platform-wide transaction (scope '*'). */
export async function suppressIn(trx: Trx, email: string, detail: string, now: Date) {
  const address = email.toLowerCase();
  await trx
    .insertInto('notification_suppression')
    .values({ email: address, reason: 'bounce', detail: detail.slice(0, 500), at: now })
    .onConflict((oc) => oc.column('email').doUpdateSet({ detail: detail.slice(0, 500), at: now }))
    .execute();
  await trx
    .updateTable('notification_profile')
    .set({ email_bounced_at: now, updated_at: now })
    .where(sql`lower(email)`, '=', address)
    .execute();
}

export interface DeliveryStats {
  sent: number;
  held: number;
  skipped: number;
  retried: number;
  failed: number;
  bounced: number;
}

/**
 * Sends what is due, batch after batch, until nothing is due or `budgetMs` has passed (then the
 * caller enqueues another run). Without a relay configured every e-mail is skipped. `runs` such
 * loops at once (the job uses 2).
 */
export async function deliverDue(
  ctx: AppContext,
  opts: { budgetMs?: number; batch?: number; mailer?: Mailer; runs?: number } = {},
): Promise<DeliveryStats & { more: boolean }> {
  const runs = Math.max(1, opts.runs ?? 1);
  if (runs === 1) return deliverRun(ctx, opts);
  // Several runs at once keep the SMTP connections busy while another run talks to the database.
  const all = await Promise.all(Array.from({ length: runs }, () => deliverRun(ctx, opts)));
  const sum = (k: keyof DeliveryStats) => all.reduce((a, r) => a + r[k], 0);
  return {
    sent: sum('sent'),
    held: sum('held'),
    skipped: sum('skipped'),
    retried: sum('retried'),
    failed: sum('failed'),
    bounced: sum('bounced'),
    more: all.some((r) => r.more),
  };
}

async function deliverRun(
  ctx: AppContext,
  opts: { budgetMs?: number; batch?: number; mailer?: Mailer },
): Promise<DeliveryStats & { more: boolean }> {
  const stats: DeliveryStats = { sent: 0, held: 0, skipped: 0, retried: 0, failed: 0, bounced: 0 };
  const mailer = opts.mailer ?? mailerFor(ctx);
  const started = performance.now();
  const budget = opts.budgetMs ?? 60_000;
  const rendered = new Map<string, ReturnType<typeof renderMessage>>();
  for (;;) {
    if (performance.now() - started > budget) return { ...stats, more: true };
    const rows = await claim(ctx, ctx.now(), opts.batch ?? BATCH);
    if (!rows.length) return { ...stats, more: false };
    const skip = new Map<string, number[]>();
    const held: number[] = [];
    const toSend: Claimed[] = [];
    for (const r of rows) {
      const spec = TOPICS[r.topic as keyof typeof TOPICS] as TopicSpec | undefined;
      const reason = !mailer
        ? 'no relay'
        : !r.email
          ? 'no verified address'
          : !r.email_on
            ? 'switched off'
            : r.suppressed
              ? 'address bounced'
              : null;
      if (reason) skip.set(reason, [...(skip.get(reason) ?? []), r.id]);
      else if (r.digest === 'daily' && !spec?.urgent && !spec?.required) held.push(r.id);
      else toSend.push(r);
    }
    for (const [reason, ids] of skip) {
      await settle(ctx, ids, 'skipped', reason, false);
      stats.skipped += ids.length;
    }
    await settle(ctx, held, 'held', null, false);
    stats.held += held.length;

    const outcomes = await Promise.all(
      toSend.map(async (r) => {
        const lang = r.language ?? 'et';
        // A large audience gets the same notification: render it once per language.
        const key = `${r.topic}\n${lang}\n${r.link ?? ''}\n${JSON.stringify(r.params)}`;
        let message = rendered.get(key);
        if (!message) {
          message = renderMessage(ctx.config.publicUrl, r, lang);
          if (rendered.size > 1000) rendered.clear();
          rendered.set(key, message);
        }
        const { footer, headers } = footerFor(ctx, r.person_id, r.topic);
        const mail = renderMail(lang, message.subject, [{ message }], footer);
        const out: OutgoingMail = {
          to: r.email!,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          lang,
          messageId: messageId(ctx, 'n', r.id),
          headers,
          returnPath: returnPath(ctx, 'n', r.id, r.email!),
        };
        return { r, outcome: await mailer!.send(out) };
      }),
    );
    const sent = outcomes.filter((o) => o.outcome.ok).map((o) => o.r.id);
    await settle(ctx, sent, 'sent', null, true);
    stats.sent += sent.length;
    for (const { r, outcome } of outcomes) {
      if (outcome.ok) continue;
      if (outcome.kind === 'temporary') {
        await retryLater(ctx, r, outcome);
        stats.retried += 1;
      } else {
        if (outcome.kind === 'bounce') {
          await suppressAddress(ctx, r.email!, `${outcome.code ?? ''} ${outcome.message}`.trim());
          stats.bounced += 1;
        }
        await settle(ctx, [r.id], 'failed', `${outcome.code ?? ''} ${outcome.message}`.trim().slice(0, 500), true);
        stats.failed += 1;
        ctx.log.warn({ notification: r.id, code: outcome.code, kind: outcome.kind }, 'notification e-mail refused');
      }
    }
  }
}

/**
 * The daily digest: for every person with held notifications, one e-mail listing them (at most
 * 30, with a pointer to the centre for the rest). Settings are checked again at send time.
 */
export async function sendDigests(ctx: AppContext, opts: { mailer?: Mailer } = {}): Promise<number> {
  const mailer = opts.mailer ?? mailerFor(ctx);
  const people = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('notification').select('person_id').distinct().where('email_state', '=', 'held').execute(),
  );
  let sent = 0;
  for (const { person_id } of people) {
    const done = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
      const rows = await sql<Claimed>`
        SELECT n.id, n.person_id, n.topic, n.params, n.link, n.email_attempts, p.email, p.language, p.digest,
               ${centreFilter.emailOn(sql.ref('n.topic'))} AS email_on,
               EXISTS (SELECT 1 FROM notification_suppression s WHERE s.email = lower(p.email)) AS suppressed
          FROM notification n
          LEFT JOIN notification_profile p ON p.person_id = n.person_id
          LEFT JOIN notification_preference pref ON pref.person_id = n.person_id AND pref.topic = n.topic
         WHERE n.person_id = ${person_id} AND n.email_state = 'held'
         ORDER BY n.id
         FOR UPDATE OF n SKIP LOCKED`.execute(trx);
      const all = rows.rows.map((x) => ({ ...x, id: Number(x.id) }));
      if (!all.length) return 0;
      const wanted = all.filter((r) => r.email_on && r.email && !r.suppressed && mailer);
      const dropped = all.filter((r) => !wanted.includes(r)).map((r) => r.id);
      if (dropped.length)
        await trx
          .updateTable('notification')
          .set({ email_state: 'skipped', email_done_at: ctx.now(), email_error: 'not wanted at digest time' })
          .where('id', 'in', dropped)
          .execute();
      if (!wanted.length) return 0;
      const lang = wanted[0]!.language ?? 'et';
      const shownRows = wanted.slice(0, 30);
      const bodies = shownRows.map((r) => {
        const message = renderMessage(ctx.config.publicUrl, r, lang);
        return { heading: message.subject, message: { ...message, subject: message.subject } };
      });
      const intro =
        STRINGS.digestIntro[lang] +
        (wanted.length > shownRows.length ? ` ${STRINGS.digestMore[lang](wanted.length - shownRows.length)}` : '');
      const mail = renderMail(
        lang,
        STRINGS.digestSubject[lang](wanted.length),
        bodies,
        {
          settingsUrl: settingsUrl(ctx),
        },
        intro,
      );
      const outcome = await mailer!.send({
        to: wanted[0]!.email!,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        lang,
        messageId: messageId(ctx, 'd', `${person_id}.${wanted[0]!.id}`),
        headers: { 'List-Id': `<digest.notifications.${domainOf(ctx.config.mail.from)}>` },
        returnPath: returnPath(ctx, 'd', wanted[0]!.id, wanted[0]!.email!),
      });
      if (!outcome.ok) {
        if (outcome.kind === 'bounce') await suppressAddress(ctx, wanted[0]!.email!, outcome.message);
        // Held rows stay held for the next run (temporary) or are skipped next time (bounced).
        ctx.log.warn({ code: outcome.code, kind: outcome.kind }, 'digest e-mail not delivered');
        return 0;
      }
      await trx
        .updateTable('notification')
        .set({ email_state: 'digested', email_done_at: ctx.now(), email_error: null })
        .where(
          'id',
          'in',
          wanted.map((r) => r.id),
        )
        .execute();
      return 1;
    });
    sent += done;
  }
  return sent;
}

/** The verification mail of a pending address (job `notifications.verify`). */
export async function sendVerification(
  ctx: AppContext,
  personId: string,
  opts: { mailer?: Mailer } = {},
): Promise<'sent' | 'nothing'> {
  const mailer = opts.mailer ?? mailerFor(ctx);
  const p = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('notification_profile').selectAll().where('person_id', '=', personId).executeTakeFirst(),
  );
  if (!mailer || !p?.pending_email || !p.pending_expires_at || p.pending_expires_at <= ctx.now()) return 'nothing';
  const token = verificationToken(ctx.config.secrets.pseudonymKey, personId, p.pending_email, p.pending_expires_at);
  const lang = p.language;
  const url = `${ctx.config.publicUrl}/teavitused/kinnita/${token}`;
  const mail = renderMail(
    lang,
    STRINGS.verifySubject[lang],
    [
      {
        message: {
          subject: STRINGS.verifySubject[lang],
          paragraphs: [STRINGS.verifyBody[lang](VERIFICATION_HOURS)],
          action: { label: STRINGS.verifyAction[lang], url },
        },
      },
    ],
    { settingsUrl: settingsUrl(ctx), system: true },
  );
  const outcome = await mailer.send({
    to: p.pending_email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    lang,
    messageId: messageId(ctx, 'v', `${personId}.${p.pending_expires_at.getTime()}`),
    returnPath: returnPath(ctx, 'v', personId, p.pending_email),
  });
  if (outcome.ok) return 'sent';
  // A bounce of an unverified address only means the link never arrives; the job retries the rest.
  if (outcome.kind === 'temporary') throw new Error(`verification mail not delivered yet: ${outcome.message}`);
  ctx.log.warn({ code: outcome.code }, 'verification mail refused');
  return 'nothing';
}
