/**
 * Which failures mean "a system we depend on is not answering" — answered `503
 * /problems/service-unavailable` with `Retry-After`, never `500`. The one place that decides it
 * (`sendProblem` asks `dependencyFailure`), so that metrics and failover (issue 20) can build on
 * one classification:
 *
 * - `DependencyUnavailable`, thrown by code that talks to an outside system (TARA, the population
 *   register, back-offices) when it got no usable answer;
 * - PostgreSQL unreachable or going away: refused or reset connections, the pool's connect
 *   timeout, a connection cut mid-query, SQLSTATE classes 08 (connection exception), 53
 *   (insufficient resources), 57P01–57P05 (shutdown, cannot connect now), and 40001/40P01
 *   (serialization failure, deadlock: the transaction was rolled back, the same request may
 *   succeed when repeated);
 * - network failures of `fetch` (refused, reset, DNS, timeouts).
 *
 * In every case the transaction of the request was rolled back (or never began), so nothing
 * was recorded and the client may simply try again.
 */
export type Dependency = 'database' | 'tara' | 'population-register' | 'outbound' | (string & {});

export class DependencyUnavailable extends Error {
  constructor(
    public readonly dependency: Dependency,
    message: string,
    public readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyUnavailable';
  }
}

export interface DependencyFailure {
  dependency: Dependency;
  retryAfterSeconds: number;
  /** Short, safe reason for logs (no credentials, no personal data). */
  reason: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Messages of `pg` / `pg-pool` for a connection that could not be made or was lost (they carry no code). */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Connection ended|Query read timeout)/;

function sqlState(code: unknown): DependencyFailure | undefined {
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code.startsWith('08')) return { dependency: 'database', retryAfterSeconds: 5, reason: `connection (${code})` };
  if (code.startsWith('53')) return { dependency: 'database', retryAfterSeconds: 5, reason: `resources (${code})` };
  if (/^57P0[1-5]$/.test(code)) return { dependency: 'database', retryAfterSeconds: 5, reason: `shutdown (${code})` };
  // A write that reached a standby (the old primary after a failover, before the proxy cut it off).
  if (code === '25006') return { dependency: 'database', retryAfterSeconds: 2, reason: `read-only (${code})` };
  // The database refuses our credentials or lacks the database: an operator's fault, not the user's.
  if (code === '28P01' || code === '28000' || code === '3D000')
    return { dependency: 'database', retryAfterSeconds: 30, reason: `refused (${code})` };
  if (code === '40001' || code === '40P01')
    return { dependency: 'database', retryAfterSeconds: 1, reason: `concurrent update (${code})` };
  return undefined;
}

/** Says whether `err` (or an error in its cause chain) means a dependency is down, and which. */
export function dependencyFailure(err: unknown): DependencyFailure | undefined {
  const seen = new Set<unknown>();
  let e: unknown = err;
  // The database is what the platform itself talks to; a network error without a tag is ours.
  let dependency: Dependency = 'database';
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    if (e instanceof DependencyUnavailable)
      return { dependency: e.dependency, retryAfterSeconds: e.retryAfterSeconds, reason: e.message };
    const x = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const state = sqlState(x.code);
    if (state) return state;
    if (typeof x.code === 'string' && NETWORK_CODES.has(x.code))
      return { dependency, retryAfterSeconds: 5, reason: x.code };
    if (typeof x.message === 'string' && PG_CONNECTION_MESSAGES.test(x.message))
      return { dependency: 'database', retryAfterSeconds: 5, reason: x.message.slice(0, 80) };
    if (x.name === 'TimeoutError') return { dependency: 'outbound', retryAfterSeconds: 5, reason: 'timeout' };
    // Several addresses tried (IPv4 and IPv6): every one failed.
    if (Array.isArray(x.errors) && x.errors.length) {
      const inner = dependencyFailure(x.errors[0]);
      if (inner) return inner;
    }
    // `fetch` wraps the socket's error: TypeError('fetch failed', { cause }).
    if (x.name === 'TypeError' && x.message === 'fetch failed') dependency = 'outbound';
    e = x.cause;
  }
  return undefined;
}
