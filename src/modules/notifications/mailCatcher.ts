import { SMTPServer } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';
import type { AddressInfo } from 'node:net';

/**
 * The mail catcher of demo, development and tests: a real SMTP server (npm smtp-server) that
 * accepts everything the platform sends and keeps the latest messages in memory, so that demo
 * users can read them on the "demo mailbox" page and tests can follow the links in them. It
 * speaks real SMTP, so the platform sends to it exactly as to a production relay. Messages are
 * parsed (npm mailparser) only when read. Tests can make it answer like a real server that
 * refuses a recipient for now (4xx) or for good (5xx).
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
  /** SMTP reply code, e.g. 450 (try later) or 550 (no such user). */
  code: number;
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

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'KOV mail catcher (demo)',
    size: 20 * 1024 * 1024,
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      const rule = rules.find((r) => r.left > 0 && (typeof r.to === 'string' ? r.to === to : r.to.test(to)));
      if (rule) {
        rule.left -= 1;
        const err = new Error(rule.message ?? (rule.code >= 500 ? 'No such user here' : 'Try again later')) as Error & {
          responseCode: number;
        };
        err.responseCode = rule.code;
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
