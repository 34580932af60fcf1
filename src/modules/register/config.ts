/**
 * Configuration of the population register connection, read by `loadConfig` (src/config.ts)
 * from the environment. See docs/register.md and docs/configuration.md.
 */
export interface XRoadMember {
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
}

export interface XRoadService extends XRoadMember {
  serviceCode: string;
  serviceVersion: string | undefined;
}

export interface RegisterConfig {
  /** Where residence comes from at voting time: imported extracts (local) or X-Road (live). */
  source: 'extract' | 'xroad';
  /** How long a live register answer may be reused (seconds; 0 = never). */
  cacheSeconds: number;
  xroad: {
    /** Base URL of the security server, e.g. https://xroad-ss.tallinn.ee (no trailing slash). */
    securityServer: string;
    /** The X-Road client subsystem used when a municipality has no own one. */
    client: XRoadMember | undefined;
    /** Per municipality: its own client subsystem (KOV_XROAD_CLIENTS). */
    clients: Record<string, XRoadMember>;
    service: XRoadService;
    /** Per attempt. */
    timeoutMs: number;
    /** Further attempts after a timeout, network error or 5xx answer. */
    retries: number;
    /** First back-off; doubled on every retry, with ±25 % jitter. */
    backoffMs: number;
    tls: { certFile?: string; keyFile?: string; caFile?: string; passphrase?: string; rejectUnauthorized: boolean };
  };
}

type Env = Record<string, string | undefined>;

export function parseXRoadMember(raw: string): XRoadMember | undefined {
  const parts = raw.trim().split('/');
  if (parts.length !== 4 || parts.some((p) => !/^[A-Za-z0-9._-]+$/.test(p))) return undefined;
  const [instance, memberClass, memberCode, subsystemCode] = parts as [string, string, string, string];
  return { instance, memberClass, memberCode, subsystemCode };
}

export function parseXRoadService(raw: string): XRoadService | undefined {
  const parts = raw.trim().split('/');
  if ((parts.length !== 5 && parts.length !== 6) || parts.some((p) => !/^[A-Za-z0-9._-]+$/.test(p))) return undefined;
  const [instance, memberClass, memberCode, subsystemCode, serviceCode, serviceVersion] = parts as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  return { instance, memberClass, memberCode, subsystemCode, serviceCode, serviceVersion };
}

export const memberPath = (m: XRoadMember) => `${m.instance}/${m.memberClass}/${m.memberCode}/${m.subsystemCode}`;

export function loadRegisterConfig(env: Env, problems: string[]): RegisterConfig {
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
  const source = str('KOV_REGISTER_SOURCE', 'extract');
  if (source !== 'extract' && source !== 'xroad')
    problems.push(`KOV_REGISTER_SOURCE must be extract or xroad, got "${source}"`);

  const securityServer = str('KOV_XROAD_SECURITY_SERVER').replace(/\/+$/, '');
  if (securityServer) {
    try {
      const u = new URL(securityServer);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      problems.push(`KOV_XROAD_SECURITY_SERVER must be an http(s) URL, got "${securityServer}"`);
    }
  }
  let client: XRoadMember | undefined;
  const clientRaw = str('KOV_XROAD_CLIENT');
  if (clientRaw) {
    client = parseXRoadMember(clientRaw);
    if (!client) problems.push(`KOV_XROAD_CLIENT must be INSTANCE/CLASS/MEMBER/SUBSYSTEM, got "${clientRaw}"`);
  }
  const clients: Record<string, XRoadMember> = {};
  for (const item of str('KOV_XROAD_CLIENTS')
    .split(/[,;\s]+/)
    .filter(Boolean)) {
    const [code, id] = item.split('=');
    const m = id ? parseXRoadMember(id) : undefined;
    if (!code || !/^[0-9]{4}$/.test(code) || !m)
      problems.push(`KOV_XROAD_CLIENTS entries must look like 0784=EE/GOV/75014566/kov, got "${item}"`);
    else clients[code] = m;
  }
  const serviceRaw = str('KOV_XROAD_SERVICE', 'EE/GOV/70008440/rr/RR434/v1');
  const service = parseXRoadService(serviceRaw);
  if (!service)
    problems.push(`KOV_XROAD_SERVICE must be INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION], got "${serviceRaw}"`);
  if (source === 'xroad') {
    if (!securityServer) problems.push('KOV_XROAD_SECURITY_SERVER is required when KOV_REGISTER_SOURCE=xroad');
    if (!client && Object.keys(clients).length === 0)
      problems.push('KOV_XROAD_CLIENT (or KOV_XROAD_CLIENTS) is required when KOV_REGISTER_SOURCE=xroad');
  }
  const tls = {
    certFile: str('KOV_XROAD_TLS_CERT') || undefined,
    keyFile: str('KOV_XROAD_TLS_KEY') || undefined,
    caFile: str('KOV_XROAD_TLS_CA') || undefined,
    passphrase: env.KOV_XROAD_TLS_KEY_PASSPHRASE || undefined,
    rejectUnauthorized: str('KOV_XROAD_TLS_VERIFY', 'true') !== 'false',
  };
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile))
    problems.push('KOV_XROAD_TLS_CERT and KOV_XROAD_TLS_KEY go together (the client certificate and its key)');
  return {
    source: source === 'xroad' ? 'xroad' : 'extract',
    cacheSeconds: int('KOV_REGISTER_CACHE_SECONDS', 300, 0, 86_400),
    xroad: {
      securityServer,
      client,
      clients,
      service: service ?? {
        instance: 'EE',
        memberClass: 'GOV',
        memberCode: '70008440',
        subsystemCode: 'rr',
        serviceCode: 'RR434',
        serviceVersion: 'v1',
      },
      timeoutMs: int('KOV_XROAD_TIMEOUT_MS', 3000, 50, 120_000),
      retries: int('KOV_XROAD_RETRIES', 2, 0, 10),
      backoffMs: int('KOV_XROAD_BACKOFF_MS', 200, 0, 60_000),
      tls,
    },
  };
}
