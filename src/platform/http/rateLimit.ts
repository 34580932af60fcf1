import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import ipaddr from 'ipaddr.js';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { P, Problem } from './problems';
import {
  FAMILY_NAMES,
  ROUTE_FAMILIES,
  type FamilyName,
  type Limit,
  type RateLimitTable,
  type RouteFamily,
} from './rateLimits';

/**
 * Rate limiting, a platform feature: every request counts against its client address and, when
 * known, its person (browser session) or client system (API key), within its route family's
 * limits (`rateLimits.ts`). Over a limit: `429 /problems/too-many-requests` with `Retry-After`.
 *
 * Counters are shared by every app node through PostgreSQL (unlogged table `rate_limit_counter`,
 * subjects keyed by an HMAC, never an address or id in clear). The hot path never waits for the
 * database: each node counts in memory and merges its counts into PostgreSQL in one statement
 * every `flushMs`, taking the shared totals back. A node therefore refuses as soon as the shared
 * total it knows plus its own new requests pass the limit; a client spreading a burst over N
 * nodes can get at most N × the limit within the first flush interval, and only the limit after.
 * A window starts with its subject's first request (fixed windows, as @fastify/rate-limit's).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's family in the rate-limit table (set from the table when the route is added). */
    rateLimitFamily?: FamilyName;
  }
}

type Dimension = 'address' | 'person' | 'client';

interface Counter {
  /** Requests in the current window: the shared total last known plus this node's since. */
  count: number;
  /** This node's requests not yet merged into PostgreSQL. */
  pending: number;
  resetAt: number;
  windowMs: number;
  /** The limit: a counter at half of it or more is refreshed from PostgreSQL at every flush. */
  max: number;
}

export interface RateLimiterOptions {
  enabled: boolean;
  table: RateLimitTable;
  /** How often counts are merged into PostgreSQL (ms). */
  flushMs: number;
  /** Key for the HMAC of subjects (addresses, person ids) in the shared table. */
  secret: string;
  /** The client system (API client id) of a request that carries a valid API key, if any. */
  clientOf?: (request: FastifyRequest) => Promise<string | undefined>;
}

/** What the limiter reads of a route as it is added. */
interface RouteShape {
  method: string | string[];
  url: string;
  config?: unknown;
}

export interface RateLimiter {
  /** Sets a route's family from the table (an `onRoute` hook). */
  onRoute(route: RouteShape): void;
  /**
   * The `onRequest` hook (after the actor is known), callback-style: a request of a person or an
   * address is counted synchronously (no promise, no database); only an API key's client system
   * is looked up first.
   */
  check(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  /** Merges this node's counts into PostgreSQL and takes the shared totals back. */
  flush(): Promise<void>;
  /** Routes of the table that no registered route matched (a renamed route loses its limit). */
  unmatchedRoutes(): string[];
  stop(): Promise<void>;
}

/** An IPv6 client owns at least a /64: it counts as one address. IPv4-mapped IPv6 is IPv4. */
export function addressKey(ip: string): string {
  try {
    const a = ipaddr.process(ip);
    if (a.kind() === 'ipv6') return `${(a as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
    return a.toString();
  } catch {
    return ip;
  }
}

const routeKey = (method: string, url: string) => `${method} ${url}`;

export function createRateLimiter(db: Db, log: Logger, opts: RateLimiterOptions): RateLimiter {
  const counters = new Map<string, Counter>();
  const dirty = new Set<string>();
  const families = new Map<string, FamilyName>();
  for (const name of FAMILY_NAMES) for (const r of ROUTE_FAMILIES[name].routes) families.set(r, name);
  const matched = new Set<string>();
  // Subjects' HMACs, computed once per subject and kept while it is counted (most recent last):
  // a flush sends each active subject again and again, and HMAC-SHA-256 per key per flush was the
  // bulk of a flush's CPU. Bounded, so a flood of new addresses cannot grow it without limit.
  const hashes = new Map<string, string>();
  const HASHES_MAX = 100_000;
  const hmac = (key: string) => {
    let h = hashes.get(key);
    if (h !== undefined) {
      hashes.delete(key);
      hashes.set(key, h);
      return h;
    }
    h = createHmac('sha256', opts.secret).update(key).digest('base64url').slice(0, 32);
    if (hashes.size >= HASHES_MAX) hashes.delete(hashes.keys().next().value!);
    hashes.set(key, h);
    return h;
  };

  /** Counts one request; returns the seconds to wait if it is over the limit. */
  const hit = (key: string, limit: Limit, now: number): number | undefined => {
    let c = counters.get(key);
    if (!c || c.resetAt <= now) {
      c = {
        count: 0,
        pending: c?.pending ?? 0,
        resetAt: now + limit.windowSeconds * 1000,
        windowMs: limit.windowSeconds * 1000,
        max: limit.max,
      };
      counters.set(key, c);
    }
    c.count += 1;
    c.pending += 1;
    dirty.add(key);
    return c.count > limit.max ? Math.max(1, Math.ceil((c.resetAt - now) / 1000)) : undefined;
  };

  let lastSweep = Date.now();
  const flushOnce = async () => {
    // What this node counted, and the subjects near their limit (other nodes may have counted them).
    const started = Date.now();
    const keys = [...dirty];
    for (const [k, c] of counters) if (!dirty.has(k) && c.resetAt > started && c.count * 2 >= c.max) keys.push(k);
    dirty.clear();
    if (!keys.length) return;
    const sent = keys.map((k) => {
      const c = counters.get(k)!;
      const n = c.pending;
      c.pending = 0;
      return { k, n, w: c.windowMs };
    });
    const byHash = new Map(sent.map((s) => [hmac(s.k), s.k]));
    try {
      const { rows } = await sql<{ key: string; hits: number; ttl_ms: number }>`
        INSERT INTO rate_limit_counter AS c (key, hits, resets_at)
        SELECT k, n, now() + make_interval(secs => w / 1000.0)
          FROM unnest(${[...byHash.keys()]}::text[], ${sent.map((s) => s.n)}::int[], ${sent.map((s) => s.w)}::int[]) AS t(k, n, w)
        ON CONFLICT (key) DO UPDATE
          SET hits = CASE WHEN c.resets_at <= now() THEN EXCLUDED.hits ELSE c.hits + EXCLUDED.hits END,
              resets_at = CASE WHEN c.resets_at <= now() THEN EXCLUDED.resets_at ELSE c.resets_at END
        RETURNING key, hits, (extract(epoch FROM resets_at - now()) * 1000)::int AS ttl_ms`.execute(db);
      const now = Date.now();
      for (const r of rows) {
        const c = counters.get(byHash.get(r.key)!);
        if (!c) continue;
        // The shared total includes what this node just sent; add what arrived meanwhile.
        c.count = r.hits + c.pending;
        c.resetAt = now + r.ttl_ms;
      }
      if (now - lastSweep > 60_000) {
        lastSweep = now;
        for (const [k, c] of counters) if (c.resetAt <= now && c.pending === 0) counters.delete(k);
        await sql`DELETE FROM rate_limit_counter WHERE resets_at < now() - interval '1 minute'`.execute(db);
      }
    } catch (err) {
      // The database is away: keep counting here, merge when it is back.
      for (const s of sent) {
        const c = counters.get(s.k);
        if (c) {
          c.pending += s.n;
          dirty.add(s.k);
        }
      }
      log.debug({ err }, 'rate limit counters not merged');
    }
  };
  // One flush at a time; a flush asked for while one runs follows it (it must see the newest counts).
  let queued = 0;
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    queued += 1;
    chain = chain
      .then(flushOnce)
      .catch((err: unknown) => log.warn({ err }, 'rate limit flush failed'))
      .finally(() => (queued -= 1));
    return chain;
  };
  const timer = opts.enabled ? setInterval(() => queued || void flush(), opts.flushMs) : undefined;
  timer?.unref();

  /** Counts the request against each of its subjects; throws 429 at the first limit passed. */
  const count = (
    request: FastifyRequest,
    reply: FastifyReply,
    name: FamilyName,
    family: RouteFamily,
    client: string | undefined,
  ) => {
    const now = Date.now();
    const actor = request.actor;
    let limited: [Dimension, string, Limit] | undefined;
    if (family.address) {
      const wait = hit(`${name}|address|${addressKey(request.ip)}`, family.address, now);
      if (wait !== undefined) limited = ['address', String(wait), family.address];
    }
    if (!limited && actor?.kind === 'person' && family.person) {
      const wait = hit(`${name}|person|${actor.personId}`, family.person, now);
      if (wait !== undefined) limited = ['person', String(wait), family.person];
    } else if (!limited && client !== undefined && family.client) {
      const wait = hit(`${name}|client|${client}`, family.client, now);
      if (wait !== undefined) limited = ['client', String(wait), family.client];
    }
    if (!limited) return;
    const [dimension, wait, limit] = limited;
    reply.header('retry-after', wait);
    throw new Problem(
      P.tooManyRequests,
      `At most ${limit.max} requests per ${limit.windowSeconds} s for ${family.description} from one ${dimension === 'client' ? 'client system' : dimension}; try again in ${wait} s.`,
      { family: name, limit: limit.max, windowSeconds: limit.windowSeconds },
    );
  };

  const check = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!opts.enabled) return done();
    const name = request.routeOptions.config?.rateLimitFamily ?? 'default';
    const family = opts.table[name];
    if (request.actor?.kind !== 'person' && opts.clientOf && family.client) {
      // Only a valid key counts for its client system: a forged one must not use up another's budget.
      opts.clientOf(request).then(
        (client) => {
          try {
            count(request, reply, name, family, client);
          } catch (err) {
            return done(err as Error);
          }
          done();
        },
        (err: Error) => done(err),
      );
      return;
    }
    try {
      count(request, reply, name, family, undefined);
    } catch (err) {
      return done(err as Error);
    }
    done();
  };

  return {
    onRoute(route) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const m of methods) {
        const family = families.get(routeKey(m, route.url));
        if (family) {
          matched.add(routeKey(m, route.url));
          route.config = { ...((route.config as object | undefined) ?? {}), rateLimitFamily: family };
        }
      }
    },
    check,
    flush,
    unmatchedRoutes: () => [...families.keys()].filter((r) => !matched.has(r)),
    async stop() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}
