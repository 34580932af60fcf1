import { SMTPServer } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * The mail catcher of demo, development and tests: a real SMTP server (npm smtp-server) that
 * accepts everything the platform sends and keeps the latest messages in memory, so that demo
 * users can read them on the "demo mailbox" page and tests can follow the links in them. It
 * speaks real SMTP, so the platform sends to it exactly as to a production relay. Messages are
 * parsed (npm mailparser) only when read. Tests can make it answer like a real server that
 * refuses a recipient for now (4xx) or for good (5xx), or like a relay that accepts a message and
 * later finds it cannot deliver it: it then writes a delivery status notification (RFC 3464) to
 * the message's envelope sender and hands it to `onBounce` (as a relay passes the mail of the
 * platform's bounce addresses on to it).
 */
export interface CaughtMail {
  id: number;
  receivedAt: Date;
  from: string;
  to: string[];
  raw: Buffer;
}

export interface ParsedMail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  date: string | null;
  messageId: string | null;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

export interface CatcherRule {
  /** Recipient address (lower case), or a pattern. */
  to: string | RegExp;
  /** SMTP reply code at RCPT TO, e.g. 450 (try later) or 550 (no such user). */
  code?: number;
  /**
   * Accept the message, then report it undelivered: a DSN with this status (e.g. `5.1.1`, or
   * `4.4.7` for a message that expired in the queue) and action (default `failed`).
   */
  dsn?: { status: string; action?: 'failed' | 'delayed'; diagnostic?: string };
  message?: string;
  /** How many times the rule applies (default: always). */
  times?: number;
}

export interface MailCatcher {
  host: string;
  port: number;
  /** Every message received since start (more than are kept). */
  received(): number;
  /** The kept messages, newest first. */
  list(): CaughtMail[];
  get(id: number): CaughtMail | undefined;
  parse(id: number): Promise<ParsedMail | undefined>;
  /** Messages to an address, parsed, oldest first. */
  messagesTo(address: string): Promise<ParsedMail[]>;
  /** Resolves with the first message (arriving from now or already kept) that matches. */
  waitFor(match: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  /** Answers for recipients, checked in order at RCPT TO. */
  setRules(rules: CatcherRule[]): void;
  /** Where the DSNs of `dsn` rules go (raw message, its envelope recipient). */
  onBounce(handler: ((dsn: Buffer, to: string) => Promise<void>) | undefined): void;
  /** Waits until every DSN written so far has been handed over (rethrows the handler's failure). */
  bouncesDone(): Promise<void>;
  /** DSNs written since start. */
  bouncesWritten(): number;
  clear(): void;
  stop(): Promise<void>;
}

let running: MailCatcher | undefined;
/** The catcher running in this process (demo mode), for the demo mailbox page. */
export const runningCatcher = () => running;

export async function startMailCatcher(opts: {
  /** The time a message is stamped with. */
  clock: () => Date;
  host?: string;
  port?: number;
  keep?: number;
  /** Make it the demo mailbox of this process (default). */
  register?: boolean;
}): Promise<MailCatcher> {
  const keep = opts.keep ?? 1000;
  const kept: CaughtMail[] = [];
  const parsed = new Map<number, ParsedMail>();
  const waiters = new Set<{ match: (m: CaughtMail) => boolean; resolve: (m: CaughtMail) => void }>();
  let rules: (CatcherRule & { left: number })[] = [];
  let seq = 0;
  let bounceHandler: ((dsn: Buffer, to: string) => Promise<void>) | undefined;
  const handing = new Set<Promise<void>>();
  const failures: unknown[] = [];
  let dsnCount = 0;
  // Recipients of a session that are to be reported undelivered after DATA.
  const toReport = new Map<string, { rcpt: string; dsn: NonNullable<CatcherRule['dsn']> }[]>();
  const writeDsn = (envelopeFrom: string, raw: Buffer, rcpt: string, dsn: NonNullable<CatcherRule['dsn']>) => {
    const now = opts.clock();
    const boundary = `dsn-${randomBytes(8).toString('hex')}`;
    const headerEnd = raw.indexOf('\r\n\r\n');
    const original = raw.subarray(0, headerEnd < 0 ? raw.length : headerEnd).toString('utf8');
    const action = dsn.action ?? 'failed';
    const diagnostic =
      dsn.diagnostic ?? `smtp; ${dsn.status.startsWith('5') ? 550 : 450} ${dsn.status} mailbox unavailable`;
    dsnCount += 1;
    return Buffer.from(
      [
        'From: Mail Delivery System <MAILER-DAEMON@catcher.localhost>',
        `To: <${envelopeFrom}>`,
        `Subject: ${action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)'}`,
        `Date: ${now.toUTCString()}`,
        `Message-ID: <dsn.${dsnCount}.${randomBytes(6).toString('hex')}@catcher.localhost>`,
        'Auto-Submitted: auto-replied',
        'MIME-Version: 1.0',
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Your message to <${rcpt}> ${action === 'failed' ? 'could not be delivered' : 'has not been delivered yet'}.`,
        '',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; catcher.localhost',
        `Arrival-Date: ${now.toUTCString()}`,
        '',
        `Final-Recipient: rfc822; ${rcpt}`,
        `Original-Recipient: rfc822; ${rcpt}`,
        `Action: ${action}`,
        `Status: ${dsn.status}`,
        `Diagnostic-Code: ${diagnostic}`,
        '',
        `--${boundary}`,
        'Content-Type: text/rfc822-headers',
        '',
        original,
        '',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'KOV mail catcher (demo)',
    size: 20 * 1024 * 1024,
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      const rule = rules.find((r) => r.left > 0 && (typeof r.to === 'string' ? r.to === to : r.to.test(to)));
      if (rule?.dsn) {
        rule.left -= 1;
        const list = toReport.get(_session.id) ?? [];
        list.push({ rcpt: to, dsn: rule.dsn });
        toReport.set(_session.id, list);
        return callback();
      }
      if (rule) {
        rule.left -= 1;
        const code = rule.code ?? 550;
        const err = new Error(rule.message ?? (code >= 500 ? 'No such user here' : 'Try again later')) as Error & {
          responseCode: number;
        };
        err.responseCode = code;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: CaughtMail = {
          id: ++seq,
          receivedAt: opts.clock(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks),
        };
        kept.unshift(mail);
        if (kept.length > keep) {
          const gone = kept.pop()!;
          parsed.delete(gone.id);
        }
        for (const w of waiters) {
          if (w.match(mail)) {
            waiters.delete(w);
            w.resolve(mail);
          }
        }
        callback(null, `Queued as ${mail.id}`);
        // Later, as a relay would: a DSN to the envelope sender (never for a bounce itself, MAIL FROM:<>).
        const report = toReport.get(session.id) ?? [];
        toReport.delete(session.id);
        for (const r of report) {
          if (!mail.from || !mail.to.includes(r.rcpt)) continue;
          const raw = writeDsn(mail.from, mail.raw, r.rcpt, r.dsn);
          if (!bounceHandler) continue;
          const p: Promise<void> = bounceHandler(raw, mail.from)
            .catch((err: unknown) => {
              failures.push(err);
            })
            .finally(() => handing.delete(p));
          handing.add(p);
        }
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;

  const parse = async (id: number): Promise<ParsedMail | undefined> => {
    const hit = parsed.get(id);
    if (hit) return hit;
    const m = kept.find((k) => k.id === id);
    if (!m) return undefined;
    const p = await simpleParser(m.raw);
    const addresses = (a: AddressObject | AddressObject[] | undefined) =>
      (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? '')).filter(Boolean);
    const headers: Record<string, string> = {};
    for (const line of p.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
    const out: ParsedMail = {
      id: m.id,
      receivedAt: m.receivedAt.toISOString(),
      from: addresses(p.from)[0] ?? m.from,
      to: m.to,
      subject: p.subject ?? '',
      date: p.date ? p.date.toISOString() : null,
      messageId: p.messageId ?? null,
      text: p.text ?? '',
      html: typeof p.html === 'string' ? p.html : null,
      headers,
    };
    parsed.set(id, out);
    return out;
  };

  const catcher: MailCatcher = {
    host: address.address,
    port: address.port,
    received: () => seq,
    list: () => [...kept],
    get: (id) => kept.find((k) => k.id === id),
    parse,
    async messagesTo(to) {
      const want = to.toLowerCase();
      const mine = kept.filter((k) => k.to.includes(want)).reverse();
      return (await Promise.all(mine.map((k) => parse(k.id)))).filter((p): p is ParsedMail => Boolean(p));
    },
    waitFor(match, timeoutMs = 10_000) {
      const already = [...kept].reverse().find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const w = {
          match,
          resolve: (m: CaughtMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no matching mail arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    setRules(next) {
      rules = next.map((r) => ({
        ...r,
        to: typeof r.to === 'string' ? r.to.toLowerCase() : r.to,
        left: r.times ?? Number.POSITIVE_INFINITY,
      }));
    },
    onBounce(handler) {
      bounceHandler = handler;
    },
    async bouncesDone() {
      while (handing.size) await Promise.all([...handing]);
      if (failures.length) throw failures.splice(0)[0];
    },
    bouncesWritten: () => dsnCount,
    clear() {
      kept.length = 0;
      parsed.clear();
    },
    async stop() {
      if (running === catcher) running = undefined;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  if (opts.register ?? true) running = catcher;
  return catcher;
}
