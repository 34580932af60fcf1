/**
 * One line for a log or /readyz saying why the database cannot be used, in PostgreSQL's own words
 * with its code, and what to check for the common operator mistakes. (Whether an error means "the
 * database is down" at all is decided in one place: `platform/http/outages.ts`.)
 */
export function describeDatabaseError(err: unknown): string {
  const all: { code?: string; message?: string }[] = [];
  let e = err as { code?: string; message?: string; cause?: unknown; errors?: unknown[] } | undefined;
  for (let i = 0; e && i < 5; i++) {
    all.push(e);
    // AggregateError (refused on both ::1 and 127.0.0.1) carries the real ones inside.
    if (Array.isArray(e.errors)) for (const x of e.errors) all.push(x as { code?: string; message?: string });
    e = e.cause as typeof e;
  }
  const first = all.find((x) => x.code) ?? all[0] ?? {};
  const code = first.code ?? '';
  const message = (first.message || String(err)).split('\n')[0]!.slice(0, 300);
  if (code === '28P01' || code === '28000')
    return `the database refused the credentials (${message}); check the password in KOV_APP_DATABASE_URL (the application role), or DATABASE_URL where the owner connects`;
  if (code === 'ECONNREFUSED') return `nothing listens at the database address (${message})`;
  if (code === '3D000') return `the database does not exist (${message})`;
  return code ? `${message} [${code}]` : message;
}
