/**
 * E-mail settings, read by `loadConfig` (src/config.ts) from the environment. See
 * docs/configuration.md ("E-mail") and docs/notifications.md.
 */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS when the relay offers it. */
  secure: boolean;
  /** Refuse to send unless the connection is upgraded with STARTTLS. */
  requireTLS: boolean;
  /** Check the relay's certificate (turn off only for a test relay). */
  rejectUnauthorized: boolean;
  user: string | undefined;
  password: string | undefined;
  /** Parallel connections to the relay. */
  connections: number;
}

export interface MailConfig {
  /** The relay; absent: no e-mail is sent (notifications stay in the platform). */
  smtp: SmtpConfig | undefined;
  /** The sender, e.g. `KOV platvorm <teavitused@kov.example.ee>`. */
  from: string;
  /** The local mail catcher of demo and development (never in production): where it listens. */
  catcher: { host: string; port: number } | undefined;
  /**
   * Asynchronous bounces (delivery status notifications, RFC 3464). When set, every message goes
   * out with its own VERP envelope sender `<local>+<token>@<domain>`, and the relay posts the
   * DSNs it gets for those addresses to `POST /api/v1/notifications/bounces` with
   * `Authorization: Bearer <secret>`. Absent: the envelope sender is the From address and only
   * refusals during the SMTP dialogue are seen.
   */
  bounce: { domain: string; local: string; secret: string } | undefined;
}

type Env = Record<string, string | undefined>;

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function loadMailConfig(env: Env, mode: string, publicUrl: string, problems: string[]): MailConfig {
  const str = (name: string, fallback = '') => (env[name] ?? '').trim() || fallback;
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };

  let host = 'localhost';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // PUBLIC_URL is reported by loadConfig itself.
  }
  const from = str('MAIL_FROM', `KOV platvorm <teavitused@${host.includes('.') ? host : `${host}.localhost`}>`);
  const bare = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!ADDRESS.test(bare))
    problems.push(`MAIL_FROM must be an address, e.g. "KOV <teavitused@example.ee>", got "${from}"`);

  const smtpHost = str('SMTP_HOST');
  const catcherWanted = bool('MAIL_CATCHER', mode === 'demo' && !smtpHost);
  if (catcherWanted && mode === 'production')
    problems.push('MAIL_CATCHER cannot be enabled in production mode: set SMTP_HOST to your mail relay');
  if (catcherWanted && smtpHost)
    problems.push('MAIL_CATCHER and SMTP_HOST exclude each other: the catcher is the relay of demo and development');
  const catcher =
    catcherWanted && mode !== 'production' && !smtpHost
      ? { host: str('MAIL_CATCHER_HOST', '127.0.0.1'), port: int('MAIL_CATCHER_PORT', 2525, 0, 65535) }
      : undefined;

  let smtp: SmtpConfig | undefined;
  if (smtpHost) {
    const secure = bool('SMTP_SECURE', str('SMTP_PORT') === '465');
    const user = str('SMTP_USER') || undefined;
    const password = env.SMTP_PASSWORD || undefined;
    if (Boolean(user) !== Boolean(password)) problems.push('SMTP_USER and SMTP_PASSWORD go together');
    smtp = {
      host: smtpHost,
      port: int('SMTP_PORT', secure ? 465 : 587, 1, 65535),
      secure,
      requireTLS: bool('SMTP_REQUIRE_TLS', mode === 'production' && !secure),
      rejectUnauthorized: bool('SMTP_TLS_VERIFY', true),
      user,
      password,
      connections: int('SMTP_CONNECTIONS', 4, 1, 50),
    };
    if (mode === 'production' && !smtp.rejectUnauthorized)
      problems.push("SMTP_TLS_VERIFY=false is refused in production: the relay's certificate must be checked");
  } else if (catcher) {
    smtp = {
      host: catcher.host,
      port: catcher.port,
      secure: false,
      requireTLS: false,
      rejectUnauthorized: false,
      user: undefined,
      password: undefined,
      connections: int('SMTP_CONNECTIONS', 4, 1, 50),
    };
  }
  const bounceSecret = env.MAIL_BOUNCE_SECRET ?? '';
  let bounce: MailConfig['bounce'];
  if (bounceSecret) {
    if (bounceSecret.length < 32 || /\s/.test(bounceSecret))
      problems.push('MAIL_BOUNCE_SECRET must be at least 32 characters without spaces (e.g. openssl rand -hex 32)');
    const domain = str('MAIL_BOUNCE_DOMAIN', (/@([^@\s]+)$/.exec(bare)?.[1] ?? host).toLowerCase()).toLowerCase();
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain))
      problems.push(`MAIL_BOUNCE_DOMAIN must be a domain name, got "${domain}"`);
    const local = str('MAIL_BOUNCE_LOCAL', 'bounces').toLowerCase();
    if (!/^[a-z0-9][a-z0-9._-]{0,11}$/.test(local))
      problems.push(`MAIL_BOUNCE_LOCAL must be 1 to 12 letters, digits, dots, dashes or underscores, got "${local}"`);
    bounce = { domain, local, secret: bounceSecret };
  } else if (str('MAIL_BOUNCE_DOMAIN') || str('MAIL_BOUNCE_LOCAL')) {
    problems.push(
      'MAIL_BOUNCE_DOMAIN and MAIL_BOUNCE_LOCAL need MAIL_BOUNCE_SECRET (the inbound bounce path is off without it)',
    );
  }
  return { smtp, from, catcher, bounce };
}
