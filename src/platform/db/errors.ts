/**
 * Errors that mean "the database is not there right now" rather than "this request is wrong":
 * the server is down or restarting, a failover is in progress (the connection was cut, or it
 * landed on a standby that refuses writes), the pool is exhausted, or the server refuses our
 * credentials. Such errors become 503 with Retry-After, never 500, and a clear log line.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '25006', // read_only_sql_transaction: a standby (the old primary, or a proxy's wrong turn)
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
  '3D000', // invalid_catalog_name (database missing)
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '58000', // system_error
  '58030', // io_error
]);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

function chain(err: unknown): { code?: string; message?: string }[] {
  const out: { code?: string; message?: string }[] = [];
  let e = err as { code?: string; message?: string; cause?: unknown; errors?: unknown[] } | undefined;
  for (let i = 0; e && i < 5; i++) {
    out.push(e);
    // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) carries the real ones inside.
    if (Array.isArray(e.errors)) for (const x of e.errors) out.push(x as { code?: string; message?: string });
    e = e.cause as typeof e;
  }
  return out;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return chain(err).some(
    (e) =>
      (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code))) ||
      (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message!))),
  );
}

/** One line for a log or /readyz: what is wrong, with PostgreSQL's own words and code. */
export function describeDatabaseError(err: unknown): string {
  const all = chain(err);
  const e = all.find((x) => x.code) ?? all[0] ?? {};
  const code = e.code ?? '';
  const message = (e.message || String(err)).split('\n')[0]!.slice(0, 300);
  if (code === '28P01' || code === '28000')
    return `the database refused the credentials (${message}); check the password in DATABASE_URL`;
  if (code === 'ECONNREFUSED') return `nothing listens at the database address (${message})`;
  if (code === '3D000') return `the database does not exist (${message})`;
  return code ? `${message} [${code}]` : message;
}
