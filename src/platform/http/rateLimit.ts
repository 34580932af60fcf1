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
  /** The subject in the shared table, before hashing: `family|dimension|subject`. */
  key: string;
  /** Its keyed hash (the key of the shared table's row), computed at its first flush. */
  hash: string | undefined;
  /** Requests in the current window: the shared total last known plus this node's since. */
  count: number;
  /** This node's requests not yet merged into PostgreSQL. */
  pending: number;
  resetAt: number;
  windowMs: number;
  /** The limit: a counter at half of it or more is refreshed from PostgreSQL at every flush. */
  max: number;
  /** Waiting in the list of counters for the next flush. */
  dirty: boolean;
  /** In the set of counters at half their limit or more. */
  near: boolean;
}

export interface RateLimiterUsage {
  /** Requests counted, and the time spent counting them in the hook (ms, the event loop's). */
  checks: number;
  checkMs: number;
  /** Flushes that sent rows, the rows sent, and their time from start to end (ms, wall clock: the
   * statement's round trip included, so an upper bound of what they cost this process and the database). */
  flushes: number;
  flushRows: number;
  flushMs: number;
}

export interface RateLimiterOptions {
  enabled: boolean;
  /**
   * Benchmarks only: the limiter can be switched on and off while the app runs (`switch`), so one
   * server measures with and without it. Never set by main.ts.
   */
  switchable?: boolean;
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
  /** Switches counting on or off; only a limiter created `switchable` (benchmarks) has it. */
  switch(on: boolean): void;
  /**
   * Benchmarks only (a `switchable` limiter times itself; others answer zeros): the limiter's own
   * time so far, so that its cost can be told apart from the noise of a shared machine.
   */
  usage(): RateLimiterUsage;
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
  let enabled = opts.enabled;
  // Only a benchmark's limiter times itself (two clock reads per request are not free).
  const timed = opts.switchable === true;
  const usage: RateLimiterUsage = { checks: 0, checkMs: 0, flushes: 0, flushRows: 0, flushMs: 0 };
  // The counters of each family and dimension by subject (an address key, a person id, a client
  // id): the hot path looks a subject up without building a key string or hashing it twice.
  const counters = new Map<FamilyName, Record<Dimension, Map<string, Counter>>>();
  for (const name of FAMILY_NAMES) counters.set(name, { address: new Map(), person: new Map(), client: new Map() });
  /** Counters with requests or a refresh due at the next flush. */
  let dirty: Counter[] = [];
  /** Counters at half their limit or more (other nodes may have counted them): refreshed at every flush. */
  const near = new Set<Counter>();
  const families = new Map<string, FamilyName>();
  for (const name of FAMILY_NAMES) for (const r of ROUTE_FAMILIES[name].routes) families.set(r, name);
  const matched = new Set<string>();
  // Client addresses as counted (an IPv6 /64 for an IPv6 address): parsing an address was most of
  // a request's counting. Bounded: a flood of new addresses empties it now and then.
  const addresses = new Map<string, string>();
  const ADDRESSES_MAX = 100_000;
  const addressOf = (ip: string) => {
    let a = addresses.get(ip);
    if (a === undefined) {
      if (addresses.size >= ADDRESSES_MAX) addresses.clear();
      a = addressKey(ip);
      addresses.set(ip, a);
    }
    return a;
  };
  const hmac = (key: string) => createHmac('sha256', opts.secret).update(key).digest('base64url').slice(0, 32);

  /** Counts one request; returns the seconds to wait if it is over the limit. */
  const hit = (
    map: Map<string, Counter>,
    name: FamilyName,
    dimension: Dimension,
    subject: string,
    limit: Limit,
    now: number,
  ): number | undefined => {
    let c = map.get(subject);
    if (c === undefined) {
      c = {
        key: `${name}|${dimension}|${subject}`,
        hash: undefined,
        count: 0,
        pending: 0,
        resetAt: now + limit.windowSeconds * 1000,
        windowMs: limit.windowSeconds * 1000,
        max: limit.max,
        dirty: false,
        near: false,
      };
      map.set(subject, c);
    } else if (c.resetAt <= now) {
      // A new window (what this node has not merged yet still goes to PostgreSQL).
      c.count = 0;
      c.resetAt = now + limit.windowSeconds * 1000;
      c.windowMs = limit.windowSeconds * 1000;
      c.max = limit.max;
    }
    c.count += 1;
    c.pending += 1;
    if (!c.dirty) {
      c.dirty = true;
      dirty.push(c);
    }
    if (!c.near && c.count * 2 >= c.max) {
      c.near = true;
      near.add(c);
    }
    return c.count > limit.max ? Math.max(1, Math.ceil((c.resetAt - now) / 1000)) : undefined;
  };

  let lastSweep = Date.now();
  const flushOnce = async () => {
    // What this node counted, and the subjects near their limit (other nodes may have counted them).
    const started = Date.now();
    for (const c of near) {
      // A window that ended (or began again here) leaves the set until it nears its limit again.
      if (c.resetAt <= started || c.count * 2 < c.max) {
        near.delete(c);
        c.near = false;
      } else if (!c.dirty) {
        c.dirty = true;
        dirty.push(c);
      }
    }
    const batch = dirty;
    dirty = [];
    if (!batch.length) return;
    const t0 = timed ? performance.now() : 0;
    const hashes: string[] = [];
    const hits: number[] = [];
    const windows: number[] = [];
    const byHash = new Map<string, Counter>();
    for (const c of batch) {
      c.dirty = false;
      c.hash ??= hmac(c.key);
      hashes.push(c.hash);
      hits.push(c.pending);
      windows.push(c.windowMs);
      byHash.set(c.hash, c);
      c.pending = 0;
    }
    try {
      const { rows } = await sql<{ key: string; hits: number; ttl_ms: number }>`
        INSERT INTO rate_limit_counter AS c (key, hits, resets_at)
        SELECT k, n, now() + make_interval(secs => w / 1000.0)
          FROM unnest(${hashes}::text[], ${hits}::int[], ${windows}::int[]) AS t(k, n, w)
        ON CONFLICT (key) DO UPDATE
          SET hits = CASE WHEN c.resets_at <= now() THEN EXCLUDED.hits ELSE c.hits + EXCLUDED.hits END,
              resets_at = CASE WHEN c.resets_at <= now() THEN EXCLUDED.resets_at ELSE c.resets_at END
        RETURNING key, hits, (extract(epoch FROM resets_at - now()) * 1000)::int AS ttl_ms`.execute(db);
      const now = Date.now();
      for (const r of rows) {
        const c = byHash.get(r.key)!;
        // The shared total includes what this node just sent; add what arrived meanwhile.
        c.count = r.hits + c.pending;
        c.resetAt = now + r.ttl_ms;
        if (!c.near && c.count * 2 >= c.max) {
          c.near = true;
          near.add(c);
        }
      }
      if (now - lastSweep > 60_000) {
        lastSweep = now;
        for (const dimensions of counters.values())
          for (const map of Object.values(dimensions))
            for (const [subject, c] of map)
              if (c.resetAt <= now && c.pending === 0 && !c.dirty) {
                map.delete(subject);
                if (c.near) near.delete(c);
              }
        await sql`DELETE FROM rate_limit_counter WHERE resets_at < now() - interval '1 minute'`.execute(db);
      }
    } catch (err) {
      // The database is away: keep counting here, merge when it is back.
      batch.forEach((c, i) => {
        c.pending += hits[i]!;
        if (!c.dirty) {
          c.dirty = true;
          dirty.push(c);
        }
      });
      log.debug({ err }, 'rate limit counters not merged');
    }
    if (timed) {
      usage.flushes += 1;
      usage.flushRows += batch.length;
      usage.flushMs += performance.now() - t0;
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
  const timer = opts.enabled || opts.switchable ? setInterval(() => queued || void flush(), opts.flushMs) : undefined;
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
    const maps = counters.get(name)!;
    let limited: [Dimension, number, Limit] | undefined;
    if (family.address) {
      const wait = hit(maps.address, name, 'address', addressOf(request.ip), family.address, now);
      if (wait !== undefined) limited = ['address', wait, family.address];
    }
    if (!limited && actor?.kind === 'person' && family.person) {
      const wait = hit(maps.person, name, 'person', actor.personId, family.person, now);
      if (wait !== undefined) limited = ['person', wait, family.person];
    } else if (!limited && client !== undefined && family.client) {
      const wait = hit(maps.client, name, 'client', client, family.client, now);
      if (wait !== undefined) limited = ['client', wait, family.client];
    }
    if (!limited) return;
    const [dimension, wait, limit] = limited;
    reply.header('retry-after', String(wait));
    throw new Problem(
      P.tooManyRequests,
      `At most ${limit.max} requests per ${limit.windowSeconds} s for ${family.description} from one ${dimension === 'client' ? 'client system' : dimension}; try again in ${wait} s.`,
      { family: name, limit: limit.max, windowSeconds: limit.windowSeconds },
    );
  };

  const check = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!enabled) return done();
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
  /** The same, timed (a switchable limiter): the time up to `done`, not what `done` runs next. */
  const timedCheck = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!enabled) return done();
    const t0 = performance.now();
    let sync = true;
    let answer: { err: Error | undefined } | undefined;
    check(request, reply, (err?: Error) => {
      if (sync) answer = { err };
      else done(err); // an API key's client system was looked up first
    });
    sync = false;
    usage.checks += 1;
    usage.checkMs += performance.now() - t0;
    if (answer) done(answer.err);
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
    check: timed ? timedCheck : check,
    flush,
    unmatchedRoutes: () => [...families.keys()].filter((r) => !matched.has(r)),
    switch(on) {
      if (!opts.switchable)
        throw new Error('this rate limiter cannot be switched (only benchmarks build one that can)');
      enabled = on;
    },
    usage: () => ({ ...usage }),
    async stop() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}
