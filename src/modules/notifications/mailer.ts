import nodemailer from 'nodemailer';
import type { MailConfig } from './config';

/**
 * SMTP through nodemailer's pooled transport (a few long-lived connections to the relay, many
 * messages each). The relay signs (DKIM) and delivers; we hand over and classify its answer:
 *   temporary  4xx answers, connection errors and timeouts: try again later (backoff)
 *   bounce     5xx answer to RCPT TO: the address does not exist or refuses mail: stop using it
 *   permanent  any other 5xx (the message itself was refused): give up on this message
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  lang: string;
  /** Stable per notification, so that a receiver can drop a repeat. */
  messageId: string;
  headers?: Record<string, string>;
  /** The envelope sender (MAIL FROM, Return-Path): a VERP bounce address; else the From address. */
  returnPath?: string;
}

export type SendOutcome =
  | { ok: true; response: string }
  | { ok: false; kind: 'temporary' | 'bounce' | 'permanent'; code: number | null; message: string };

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

export function classify(err: SmtpError): SendOutcome {
  const code = typeof err.responseCode === 'number' ? err.responseCode : null;
  const message = (err.response || err.message || String(err)).slice(0, 480);
  if (code !== null && code >= 500 && code < 600) {
    const atRecipient = err.command === 'RCPT TO' || err.code === 'EENVELOPE';
    return { ok: false, kind: atRecipient ? 'bounce' : 'permanent', code, message };
  }
  return { ok: false, kind: 'temporary', code, message };
}

export function createMailer(config: MailConfig): Mailer | undefined {
  const smtp = config.smtp;
  if (!smtp) return undefined;
  const transport = nodemailer.createTransport({
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    maxConnections: smtp.connections,
    maxMessages: 10_000,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
  });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          ...(mail.returnPath ? { envelope: { from: mail.returnPath, to: mail.to } } : {}),
          headers: { 'Content-Language': mail.lang, 'Auto-Submitted': 'auto-generated', ...mail.headers },
        });
        if (info.rejected?.length) {
          const r = info.rejectedErrors?.[0] as SmtpError | undefined;
          return r
            ? classify(r)
            : { ok: false, kind: 'bounce', code: null, message: 'the relay refused the recipient' };
        }
        return { ok: true, response: String(info.response ?? '').slice(0, 200) };
      } catch (err) {
        return classify(err as SmtpError);
      }
    },
    close() {
      transport.close();
    },
  };
}
