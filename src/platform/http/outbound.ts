import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit, type Response } from 'undici';

/**
 * Outbound target rules (SSRF): where the platform may send requests to addresses that users
 * configure (report webhooks, municipal Open311 back-offices). A target must be `https` (plain
 * `http` only outside production) and every address its host resolves to must be a public
 * unicast address: loopback, private (RFC 1918, unique-local), link-local (also the cloud
 * metadata address 169.254.169.254), carrier-grade NAT, multicast, broadcast, unspecified,
 * documentation, 6to4/Teredo and other reserved ranges are refused — unless listed in
 * `allowedAddresses` (demo and test: loopback, for the local stand-ins of back-offices).
 *
 * Checked when the target is registered (`checkOutboundTarget`, the host name resolved) and again
 * at every request (`outboundFetch`): the address is checked when the connection is made, from the
 * same DNS answer the connection uses (a name re-pointed at an internal address after
 * registration is refused), and redirects are followed by hand, each hop checked the same way.
 */
export interface OutboundRules {
  /** Only https targets (production). */
  requireHttps: boolean;
  /** CIDR ranges allowed although not public (e.g. `127.0.0.0/8`). */
  allowedAddresses: string[];
}

export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
const parsedRanges = new Map<string, [Addr, number][]>();
function ranges(rules: OutboundRules): [Addr, number][] {
  const key = rules.allowedAddresses.join(',');
  let r = parsedRanges.get(key);
  if (!r) {
    r = rules.allowedAddresses.map((c) => ipaddr.parseCIDR(c));
    parsedRanges.set(key, r);
  }
  return r;
}

/** Why an address may not be a target, or undefined when it may. */
export function refusedAddress(ip: string, rules: OutboundRules): string | undefined {
  let a: Addr;
  try {
    // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
    a = ipaddr.process(ip);
  } catch {
    return `${ip} is not an IP address`;
  }
  if (ranges(rules).some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits))) return undefined;
  const range = a.range();
  return range === 'unicast' ? undefined : `${a.toString()} is a ${range} address`;
}

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');

function checkUrl(raw: string | URL, rules: OutboundRules): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new OutboundRefused('not a URL');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && !rules.requireHttps))
    throw new OutboundRefused(rules.requireHttps ? 'must be https' : 'must be http or https');
  if (u.username || u.password) throw new OutboundRefused('must not carry a user name or password');
  return u;
}

/**
 * Checks a target when it is registered: scheme, and every address its host resolves to now.
 * Throws `OutboundRefused` with a reason fit for the user.
 */
export async function checkOutboundTarget(raw: string, rules: OutboundRules): Promise<void> {
  const u = checkUrl(raw, rules);
  const host = hostOf(u);
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new OutboundRefused(`the host name ${host} does not resolve`);
    }
  }
  for (const a of addresses) {
    const why = refusedAddress(a, rules);
    if (why) throw new OutboundRefused(`${host} is not a public address (${why})`);
  }
}

type LookupCallback = (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;

const agents = new Map<string, Agent>();
/** A connection pool whose DNS lookups only hand out allowed addresses. */
function agentFor(rules: OutboundRules): Agent {
  const key = `${rules.requireHttps}|${rules.allowedAddresses.join(',')}`;
  let agent = agents.get(key);
  if (!agent) {
    const lookup = (hostname: string, options: dns.LookupOptions, cb: LookupCallback) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return cb(err, []);
        const list = addresses as dns.LookupAddress[];
        const allowed = list.filter((a) => !refusedAddress(a.address, rules));
        if (!allowed.length)
          return cb(
            new OutboundRefused(`${hostname} is not a public address (${refusedAddress(list[0]!.address, rules)})`),
            [],
          );
        if (options.all) cb(null, allowed);
        else cb(null, allowed[0]!.address, allowed[0]!.family);
      });
    };
    agent = new Agent({ connect: { lookup: lookup as LookupFunction } });
    agents.set(key, agent);
  }
  return agent;
}

const MAX_REDIRECTS = 5;

/**
 * `fetch` to a user-configured target under the rules: refused targets throw `OutboundRefused`
 * (also when found at connection time or after a redirect); redirects are followed up to five
 * times, each hop checked (a 303, or a 301/302 after a POST, continues as GET without the body).
 */
export async function outboundFetch(raw: string, init: UndiciRequestInit, rules: OutboundRules): Promise<Response> {
  let url = checkUrl(raw, rules);
  let req: UndiciRequestInit = { ...init };
  for (let hop = 0; ; hop++) {
    // Literal addresses are never looked up: check them here.
    const host = hostOf(url);
    if (ipaddr.isValid(host)) {
      const why = refusedAddress(host, rules);
      if (why) throw new OutboundRefused(`${host} is not a public address (${why})`);
    }
    let res: Response;
    try {
      res = await undiciFetch(url, { ...req, redirect: 'manual', dispatcher: agentFor(rules) });
    } catch (err) {
      // The lookup's refusal arrives wrapped ("fetch failed"): give it back as itself.
      for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause)
        if (e instanceof OutboundRefused) throw e;
      throw err;
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
    await res.body?.cancel().catch(() => {});
    if (hop >= MAX_REDIRECTS) throw new OutboundRefused(`more than ${MAX_REDIRECTS} redirects`);
    url = checkUrl(new URL(location, url), rules);
    const method = (req.method ?? 'GET').toUpperCase();
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST'))
      req = { ...req, method: 'GET', body: null };
  }
}
