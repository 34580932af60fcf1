import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { loadRegisterConfig, type RegisterConfig } from './modules/register/config';
import { loadMapConfig, type MapConfig } from './platform/places/mapConfig';
import { loadMailConfig, type MailConfig } from './modules/notifications/config';
import { FAMILY_NAMES, type FamilyName, type Limit } from './platform/http/rateLimits';

/**
 * Typed configuration. `loadConfig` is the only place that reads the environment
 * (called from main.ts and the CLI); everything else receives a `Config`.
 */
export type Mode = 'demo' | 'production' | 'test';

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  /** Public base URL of the platform, e.g. https://kov.example.ee (no trailing slash). */
  publicUrl: string;
  /** Owner connection (migrations, job queue). Absent: start the embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /**
   * The application role's connection (KOV_APP_DATABASE_URL, user `kov_app`). Absent: derived
   * from DATABASE_URL, and the login roles are set up at start (src/platform/db/roles.ts).
   */
  appDatabaseUrl: string | undefined;
  /** Folder for the embedded database and uploaded files. */
  dataDir: string;
  logLevel: string;
  /** Serve the built web app from this folder (absent: API only). */
  webDist: string | undefined;
  tara: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    /** Scopes asked in addition to `openid` and the scopes of the allowed methods (e.g. `email`). */
    scopes: string[];
    /** Allowed `amr` values; a token whose amr is outside this list is refused. */
    allowedAmr: string[];
    /** Minimum `acr` (low < substantial < high). */
    minAcr: 'low' | 'substantial' | 'high';
  };
  /** Run the built-in demo identity provider (never in production). */
  demoIdp: boolean;
  session: { idleMinutes: number; absoluteHours: number; cookieSecure: boolean };
  /** Seed the demo population when the database is empty. */
  seedDemo: boolean;
  /** Secret keys (hex) used by modules for keyed pseudonyms and signatures. */
  secrets: { pseudonymKey: string };
  /**
   * Master keys that wrap the ballot boxes' data keys (docs/participation.md, "Sealing"), newest
   * first: from KOV_BALLOT_MASTER_KEYS, or the key file KOV_BALLOT_KEY_FILE. `keys` is null when
   * the file does not exist yet: outside production it is generated there at first use.
   */
  ballotKeys: { keys: string[] | null; file: string | null };
  /**
   * Anchoring the audit chains outside the database (docs/architecture.md, "Audit log"): the
   * Ed25519 signing key (PEM file, generated there if missing), an optional separate public key
   * to verify with, and the folder the signed checkpoints are written to.
   */
  audit: { signingKeyFile: string; publicKeyFile: string | null; checkpointDir: string; checkpointCron: string };
  /** Population register connection (extracts or X-Road), see docs/register.md. */
  register: RegisterConfig;
  /** Running in a cluster (docs/operations.md). */
  cluster: {
    /** A streaming replica (or a proxy port leading to the replicas) for read-heavy endpoints. */
    readDatabaseUrl: string | undefined;
    /** Reads go to the replica only while it is at most this many seconds behind the primary. */
    readMaxLagSeconds: number;
    /** Bearer token that Prometheus sends to scrape /metrics; without one /metrics is off. */
    metricsToken: string | undefined;
    /** On SIGTERM: answer unready and close connections after each answer for this long, then stop. */
    drainSeconds: number;
  };
  /** E-mail: the SMTP relay, the sender, the demo mail catcher (docs/notifications.md). */
  mail: MailConfig;
  /** Where user-configured targets (webhooks, Open311 back-offices) may point (src/platform/http/outbound.ts). */
  outbound: { requireHttps: boolean; allowedAddresses: string[] };
  /** Rate limits (src/platform/http/rateLimits.ts holds the families and their default limits). */
  rateLimits: {
    enabled: boolean;
    overrides: Partial<Record<FamilyName, Partial<Record<'address' | 'person' | 'client', Limit>>>>;
    /** How often each node merges its counts into PostgreSQL. */
    flushMs: number;
  };
  /** Base map tiles and the In-ADS address gazetteer (or their stand-in), see platform/places/mapConfig.ts. */
  maps: MapConfig;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const str = (name: string, fallback: string) => (env[name] ?? '').trim() || fallback;
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

  const modeRaw = str('KOV_MODE', 'demo');
  let mode: Mode = 'demo';
  if (modeRaw === 'demo' || modeRaw === 'production' || modeRaw === 'test') mode = modeRaw;
  else problems.push(`KOV_MODE must be demo, production or test, got "${modeRaw}"`);

  const host = str('HOST', '127.0.0.1');
  const port = int('PORT', 3000, 0, 65535);
  const publicUrl = str('PUBLIC_URL', `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    problems.push(`PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
  }

  const demoIdp = bool('KOV_DEMO_IDP', mode !== 'production');
  if (mode === 'production' && demoIdp) {
    problems.push('KOV_DEMO_IDP cannot be enabled in production mode: residents must log in through TARA');
  }

  const taraIssuer = str('TARA_ISSUER', demoIdp ? `${publicUrl}/demo-tara` : '');
  if (!taraIssuer)
    problems.push('TARA_ISSUER is required when the demo identity provider is off (e.g. https://tara.ria.ee)');
  const clientId = str('TARA_CLIENT_ID', demoIdp ? 'kov-platform' : '');
  if (!clientId) problems.push('TARA_CLIENT_ID is required');
  const clientSecret = str('TARA_CLIENT_SECRET', demoIdp ? randomBytes(24).toString('base64url') : '');
  if (!clientSecret) problems.push('TARA_CLIENT_SECRET is required');
  const minAcr = str('TARA_MIN_ACR', 'high');
  if (minAcr !== 'low' && minAcr !== 'substantial' && minAcr !== 'high') {
    problems.push(`TARA_MIN_ACR must be low, substantial or high, got "${minAcr}"`);
  }

  // Persons are identified by the Estonian personal ID code: eIDAS logins (foreign eIDs, subjects
  // without an EE code) could not be mapped to a person, so TARA must not offer them.
  const allowedAmr = str('TARA_ALLOWED_AMR', 'mID,idcard,smartid')
    .split(/[\s,]+/)
    .filter(Boolean);
  for (const a of allowedAmr) {
    if (a === 'eIDAS')
      problems.push(
        'TARA_ALLOWED_AMR: eIDAS is not supported (persons are identified by their Estonian personal ID code); use mID, idcard, smartid',
      );
    else if (!['mID', 'idcard', 'smartid'].includes(a))
      problems.push(`TARA_ALLOWED_AMR: unknown method "${a}" (mID, idcard, smartid)`);
  }

  const pseudonymKey = str('KOV_PSEUDONYM_KEY', mode === 'production' ? '' : '');
  if (mode === 'production' && !/^[0-9a-f]{64}$/i.test(pseudonymKey)) {
    problems.push('KOV_PSEUDONYM_KEY must be 64 hex characters (32 random bytes) in production');
  }
  if (pseudonymKey && !/^[0-9a-f]{64}$/i.test(pseudonymKey)) {
    problems.push('KOV_PSEUDONYM_KEY must be 64 hex characters');
  }

  const dataDir = path.resolve(cwd, str('KOV_DATA_DIR', 'data'));
  const ballotKeys = loadBallotKeys(env, mode, dataDir, cwd, problems);
  const metricsToken = str('KOV_METRICS_TOKEN', '') || undefined;
  if (metricsToken && metricsToken.length < 32)
    problems.push('KOV_METRICS_TOKEN must be at least 32 characters (e.g. openssl rand -hex 32)');
  const readDatabaseUrl = str('KOV_READ_DATABASE_URL', '') || undefined;
  if (readDatabaseUrl) {
    try {
      new URL(readDatabaseUrl);
    } catch {
      problems.push('KOV_READ_DATABASE_URL must be a postgres:// URL');
    }
  }

  // KOV_RATE_LIMIT_OVERRIDES: `family.dimension=max/seconds`, comma-separated (e.g. `login.address=10/60`).
  const rateOverrides: Config['rateLimits']['overrides'] = {};
  for (const item of str('KOV_RATE_LIMIT_OVERRIDES', '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([a-z-]+)\.(address|person|client)=(\d+)\/(\d+)$/.exec(item);
    if (!m || !FAMILY_NAMES.includes(m[1] as FamilyName) || Number(m[3]) < 1 || Number(m[4]) < 1) {
      problems.push(
        `KOV_RATE_LIMIT_OVERRIDES: "${item}" is not family.dimension=max/seconds with a family of ${FAMILY_NAMES.join(', ')} and a dimension of address, person, client`,
      );
      continue;
    }
    const family = (rateOverrides[m[1] as FamilyName] ??= {});
    family[m[2] as 'address' | 'person' | 'client'] = { max: Number(m[3]), windowSeconds: Number(m[4]) };
  }

  // KOV_OUTBOUND_ALLOW: CIDR ranges that user-configured targets may reach although not public.
  const outboundAllowed = str('KOV_OUTBOUND_ALLOW', mode === 'production' ? '' : '127.0.0.0/8,::1/128')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x && x !== 'none');
  for (const cidr of outboundAllowed)
    if (!ipaddr.isValidCIDR(cidr)) problems.push(`KOV_OUTBOUND_ALLOW: "${cidr}" is not a CIDR range`);

  const webDistRaw = env.KOV_WEB_DIST;
  const config: Config = {
    mode,
    host,
    port,
    publicUrl,
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    appDatabaseUrl: env.KOV_APP_DATABASE_URL?.trim() || undefined,
    dataDir,
    logLevel: str('LOG_LEVEL', mode === 'test' ? 'warn' : 'info'),
    webDist: webDistRaw === '' ? undefined : path.resolve(cwd, webDistRaw ?? 'web/dist'),
    tara: {
      issuer: taraIssuer,
      clientId,
      clientSecret,
      scopes: str('TARA_SCOPES', '')
        .split(/[\s,]+/)
        .filter(Boolean),
      allowedAmr,
      minAcr: minAcr as Config['tara']['minAcr'],
    },
    demoIdp,
    session: {
      idleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      absoluteHours: int('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7),
      cookieSecure: bool('COOKIE_SECURE', publicUrl.startsWith('https:')),
    },
    seedDemo: bool('KOV_SEED_DEMO', mode === 'demo'),
    // Outside production a fixed development key keeps demo pseudonyms stable across restarts.
    secrets: { pseudonymKey: pseudonymKey || 'de'.repeat(32) },
    ballotKeys,
    audit: {
      signingKeyFile: path.resolve(
        cwd,
        str('KOV_AUDIT_SIGNING_KEY_FILE', path.join(dataDir, 'secrets', 'audit-signing-key.pem')),
      ),
      publicKeyFile: env.KOV_AUDIT_PUBLIC_KEY_FILE?.trim()
        ? path.resolve(cwd, env.KOV_AUDIT_PUBLIC_KEY_FILE.trim())
        : null,
      // Tests: a folder per process, so that one test's checkpoint is never read against another's database.
      checkpointDir: path.resolve(
        cwd,
        str(
          'KOV_AUDIT_CHECKPOINT_DIR',
          mode === 'test'
            ? path.join(os.tmpdir(), `kov-test-audit-checkpoints-${process.pid}`)
            : path.join(dataDir, 'audit-checkpoints'),
        ),
      ),
      checkpointCron: str('KOV_AUDIT_CHECKPOINT_CRON', '*/15 * * * *'),
    },
    register: loadRegisterConfig(env, problems),
    cluster: {
      readDatabaseUrl,
      readMaxLagSeconds: int('KOV_READ_MAX_LAG_SECONDS', 10, 0, 86_400),
      metricsToken,
      drainSeconds: int('KOV_DRAIN_SECONDS', 0, 0, 300),
    },
    mail: loadMailConfig(env, mode, publicUrl, problems),
    outbound: { requireHttps: mode === 'production', allowedAddresses: outboundAllowed },
    rateLimits: {
      // Off in test mode (tests turn them on where they test them), on otherwise.
      enabled: bool('KOV_RATE_LIMITS', mode !== 'test'),
      overrides: rateOverrides,
      flushMs: int('KOV_RATE_LIMIT_FLUSH_MS', 250, 20, 10_000),
    },
    maps: loadMapConfig(env, problems, { production: mode === 'production', publicUrl }),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const HEX_KEY = /^[0-9a-f]{64}$/i;

/** Parses a list of master keys: 64 hex digits each, separated by commas, spaces or lines; `#` starts a comment. */
export function parseKeyList(text: string): { keys: string[]; bad: number } {
  const words = text
    .split('\n')
    .map((l) => l.replace(/#.*/, ''))
    .join(' ')
    .split(/[\s,]+/)
    .filter(Boolean);
  return {
    keys: words.filter((w) => HEX_KEY.test(w)).map((w) => w.toLowerCase()),
    bad: words.filter((w) => !HEX_KEY.test(w)).length,
  };
}

function loadBallotKeys(env: Env, mode: Mode, dataDir: string, cwd: string, problems: string[]): Config['ballotKeys'] {
  const how =
    'the master key that seals ballots: 64 hex characters (`openssl rand -hex 32`); several keys, newest first, while old ones are retired (docs/configuration.md)';
  const inline = (env.KOV_BALLOT_MASTER_KEYS ?? '').trim();
  const fileRaw = (env.KOV_BALLOT_KEY_FILE ?? '').trim();
  if (inline && fileRaw) {
    problems.push('set KOV_BALLOT_MASTER_KEYS or KOV_BALLOT_KEY_FILE, not both');
    return { keys: null, file: null };
  }
  if (inline) {
    const { keys, bad } = parseKeyList(inline);
    if (bad || keys.length === 0) problems.push(`KOV_BALLOT_MASTER_KEYS must list ${how}`);
    return { keys, file: null };
  }
  if (!fileRaw && mode === 'production') {
    problems.push(`KOV_BALLOT_MASTER_KEYS or KOV_BALLOT_KEY_FILE is required in production: ${how}`);
    return { keys: null, file: null };
  }
  // Demo and test: a key file in the data folder, generated at first use (never in the database).
  const file = fileRaw ? path.resolve(cwd, fileRaw) : path.join(dataDir, 'secrets', 'ballot-master-keys');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT' && mode !== 'production') return { keys: null, file };
    problems.push(`KOV_BALLOT_KEY_FILE ${file} cannot be read (${(err as Error).message}): it must hold ${how}`);
    return { keys: null, file };
  }
  const { keys, bad } = parseKeyList(text);
  if (bad || keys.length === 0) problems.push(`the ballot key file ${file} must hold ${how}`);
  return { keys, file };
}
