import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail as MailparserMail } from 'mailparser';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { Problem } from '../../platform/http/problems';
import { suppressIn } from './deliver';
import { NP } from './problems';
import { bounceTokenFits, readBounceToken, type BounceKind } from './tokens';

/**
 * Asynchronous bounces: delivery status notifications (RFC 3464) that a relay sends to the VERP
 * envelope sender of a message it had accepted (`<local>+<token>@<bounce domain>`, see
 * tokens.ts), passed on to `POST /api/v1/notifications/bounces` as the raw message.
 *
 * - `multipart/report; report-type=delivery-status`: each per-recipient block with
 *   `Action: failed` and `Status: 5.x.x` is permanent: the address goes on the suppression list
 *   and the person's settings show it bounced (as for a 5xx refusal during SMTP); `Status: 4.x.x`
 *   (failed after the relay's retries, or `Action: delayed`) is transient: counted, nothing
 *   stopped. `delivered`, `relayed` and `expanded` are ignored.
 * - The token must be genuine and made for the address the message went to (the person's current
 *   address, or the pending one for a verification mail); anything else — forged, altered, an
 *   address changed since — is ignored with a log line, and so is mail that is not a DSN
 *   (auto-replies reach bounce addresses too).
 * - The same DSN passed on twice counts once.
 */
export interface BounceResult {
  outcome: 'permanent' | 'transient' | 'ignored' | 'repeat';
  reason?: string;
  status?: string;
}

const VERP = (local: string, domain: string) => new RegExp(`^${escape(local)}\\+([0-9a-z.]+)@${escape(domain)}$`, 'i');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** The header blocks of a `message/delivery-status` body: per-message fields, then one per recipient. */
export function dsnBlocks(body: string): Record<string, string>[] {
  return body
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ') // unfold
    .split(/\n\s*\n/)
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const i = line.indexOf(':');
        if (i > 0) fields[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      return fields;
    })
    .filter((f) => Object.keys(f).length > 0);
}

const addressesOf = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? '')).filter(Boolean);

/** The VERP tokens the DSN is addressed to: the envelope recipient the relay names, else the headers. */
function tokensIn(ctx: AppContext, mail: MailparserMail, envelopeTo: string[]): string[] {
  const b = ctx.config.mail.bounce!;
  const verp = VERP(b.local, b.domain);
  const header = (name: string) => {
    const v = mail.headers.get(name);
    return typeof v === 'string' ? [v] : [];
  };
  const candidates = [
    ...envelopeTo,
    ...header('x-original-to'),
    ...header('delivered-to'),
    ...addressesOf(mail.to),
    ...header('return-path'),
  ].map((a) => a.trim().replace(/^<|>$/g, ''));
  return [...new Set(candidates.map((a) => verp.exec(a)?.[1]?.toLowerCase()).filter((t): t is string => !!t))];
}

/** The addresses a token may have been made for: what the message could have been sent to. */
async function addressesFor(ctx: AppContext, kind: BounceKind, id: string): Promise<string[]> {
  return inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const row =
      kind === 'v'
        ? await sql<{ email: string | null; pending_email: string | null }>`
            SELECT email, pending_email FROM notification_profile WHERE person_id = ${id}`.execute(trx)
        : await sql<{ email: string | null; pending_email: string | null }>`
            SELECT p.email, NULL::text AS pending_email FROM notification n
              JOIN notification_profile p ON p.person_id = n.person_id WHERE n.id = ${id}`.execute(trx);
    const r = row.rows[0];
    return [r?.email, r?.pending_email].filter((a): a is string => Boolean(a));
  });
}

export async function receiveBounce(
  ctx: AppContext,
  raw: Buffer,
  opts: { envelopeTo?: string[] } = {},
): Promise<BounceResult> {
  const ignored = (reason: string, extra: Record<string, unknown> = {}): BounceResult => {
    ctx.log.info({ reason, ...extra }, 'notifications: bounce ignored');
    return { outcome: 'ignored', reason };
  };
  if (!/^[!-9;-~]+:/.test(raw.subarray(0, 1000).toString('latin1')))
    throw new Problem(NP.bounceUnreadable, 'The body does not begin with a header field');
  if (!ctx.config.mail.bounce) throw new Problem(NP.bouncesOff, 'MAIL_BOUNCE_SECRET is not set');
  const mail = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true });
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const report =
    type?.value?.toLowerCase() === 'multipart/report' &&
    /^(delivery-status|global-delivery-status)$/i.test(type.params?.['report-type'] ?? '');
  const statusPart = mail.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.contentType ?? ''));
  if (!report || !statusPart) return ignored('not a delivery status notification');

  const tokens = tokensIn(ctx, mail, opts.envelopeTo ?? []);
  if (!tokens.length) return ignored('not addressed to a bounce address of this platform');
  let found: { kind: BounceKind; id: string; email: string } | undefined;
  for (const t of tokens) {
    const token = readBounceToken(t);
    if (!token) continue;
    const email = (await addressesFor(ctx, token.kind, token.id)).find((a) =>
      bounceTokenFits(ctx.config.secrets.pseudonymKey, token, a),
    );
    if (email) {
      found = { kind: token.kind, id: token.id, email: email.toLowerCase() };
      break;
    }
  }
  // Forged, altered, or the address changed since the message went out.
  if (!found) return ignored('unknown or forged bounce address', { tokens: tokens.length });

  const recipients = dsnBlocks(statusPart.content.toString('utf8'))
    .slice(1)
    .filter((f) => f['action'] && f['status']);
  const judged = recipients
    .map((f) => {
      const action = f['action']!.toLowerCase();
      const status = /^([245])\.\d{1,3}\.\d{1,3}/.exec(f['status']!)?.[0];
      const kind =
        status && action === 'failed' && status.startsWith('5')
          ? ('permanent' as const)
          : status && (action === 'failed' || action === 'delayed') && status.startsWith('4')
            ? ('transient' as const)
            : undefined;
      return kind && status ? { kind, status, diagnostic: f['diagnostic-code'] ?? null } : undefined;
    })
    .filter((x) => x !== undefined);
  const verdict = judged.find((j) => j.kind === 'permanent') ?? judged[0];
  if (!verdict) return ignored('no failed or delayed recipient in the report');

  const dsnId = (mail.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`).slice(0, 300);
  const detail = `DSN ${verdict.status}${verdict.diagnostic ? ` ${verdict.diagnostic}` : ''}`.slice(0, 500);
  const fresh = await inScope(ctx.db, { tenant: '*' }, async (trx) => {
    const added = await trx
      .insertInto('notification_bounce')
      .values({
        email: found.email,
        kind: verdict.kind,
        status: verdict.status,
        token_kind: found.kind,
        token_id: found.id,
        diagnostic: verdict.diagnostic?.slice(0, 500) ?? null,
        dsn_id: dsnId,
        at: ctx.now(),
      })
      .onConflict((oc) => oc.columns(['dsn_id', 'email']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!added || verdict.kind !== 'permanent') return Boolean(added);
    await suppressIn(trx, found.email, detail, ctx.now());
    if (found.kind === 'n')
      // The e-mail the relay had accepted was not delivered after all.
      await trx
        .updateTable('notification')
        .set({ email_state: 'failed', email_error: `bounced: ${detail}`.slice(0, 500) })
        .where('id', '=', Number(found.id))
        .where('email_state', 'in', ['sent', 'digested'])
        .execute();
    return true;
  });
  if (!fresh) return { outcome: 'repeat', status: verdict.status };
  ctx.log.info({ kind: verdict.kind, status: verdict.status, message: found.kind }, 'notifications: bounce received');
  return { outcome: verdict.kind, status: verdict.status };
}
