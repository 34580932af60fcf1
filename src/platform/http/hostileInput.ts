import { P, Problem, invalid, type FieldError, type ProblemKind } from './problems';

/**
 * Input no schema refuses but PostgreSQL or a later step would choke on, refused at the edge for
 * every route: NUL characters (PostgreSQL's text cannot hold U+0000) and lone UTF-16 surrogates
 * (not Unicode: PostgreSQL refuses them in `jsonb`, and they cannot be encoded as UTF-8) in any
 * string of the path, the query or a JSON/form body, keys included. Answered 400 naming the field.
 */
const MAX_DEPTH = 64;

declare global {
  interface String {
    /** ES2024, in Node since 20: false when the string holds a lone surrogate. */
    isWellFormed(): boolean;
  }
}

function badString(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL characters (U+0000)';
  if (!s.isWellFormed()) return 'must be valid Unicode (no lone surrogates)';
  return undefined;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every string in `value` (keys too) that cannot be stored, as field errors under `pointer`. */
export function unstorableStrings(value: unknown, pointer: string, out: FieldError[] = [], depth = 0): FieldError[] {
  if (out.length >= 10) return out;
  if (typeof value === 'string') {
    const detail = badString(value);
    if (detail) out.push({ pointer, detail });
  } else if (value !== null && typeof value === 'object' && depth < MAX_DEPTH && !Buffer.isBuffer(value)) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) unstorableStrings(value[i], `${pointer}/${i}`, out, depth + 1);
    } else {
      for (const [k, v] of Object.entries(value)) {
        const keyDetail = badString(k);
        if (keyDetail) out.push({ pointer, detail: `has a field name that ${keyDetail}` });
        else unstorableStrings(v, `${pointer}/${escapePointer(k)}`, out, depth + 1);
      }
    }
  }
  return out;
}

/** Throws 400 when the request's path, query or body carries a string PostgreSQL cannot store. */
export function refuseUnstorableInput(request: { params?: unknown; query?: unknown; body?: unknown }): void {
  const errors = unstorableStrings(request.params, '/params');
  unstorableStrings(request.query, '/query', errors);
  unstorableStrings(request.body, '/body', errors);
  if (errors.length) throw invalid(errors);
}

/**
 * PostgreSQL's refusals that a request can provoke, as clear 4xx problems instead of 500s: the
 * database is the last line that keeps data consistent, and a request that crosses it (two
 * identical creates racing for a unique key, a reference to something that does not exist or was
 * just deleted, a value outside a check constraint) is the client's conflict or mistake. Modules
 * that can say more (which field, what to do) catch these themselves; this is the safety net.
 */
interface PgError {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  message?: unknown;
  detail?: unknown;
}

const what = (e: PgError) =>
  typeof e.constraint === 'string' ? ` (${e.constraint})` : typeof e.column === 'string' ? ` (${e.column})` : '';

export function databaseRefusal(err: unknown): Problem | undefined {
  const e = err as PgError | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const code = e.code;
  const problem = (kind: ProblemKind, detail: string) => new Problem(kind, detail, { constraint: e.constraint });
  switch (code) {
    case '23505':
      return problem(P.conflict, `A record with these values exists already${what(e)}.`);
    case '23P01':
      return problem(P.conflict, `This overlaps an existing record${what(e)}.`);
    case '23503':
      // Deleting or changing something still in use, or referring to something that does not exist.
      return typeof e.message === 'string' && /^update or delete on table/.test(e.message)
        ? problem(P.conflict, `This is still referred to by other records${what(e)}.`)
        : invalid(
            [{ pointer: '', detail: `refers to something that does not exist${what(e)}` }],
            `The request refers to something that does not exist${what(e)}.`,
          );
    case '23514':
      return invalid(
        [{ pointer: '', detail: `a value is outside what is allowed${what(e)}` }],
        `A value is outside what is allowed${what(e)}.`,
      );
    case '23502':
      return invalid(
        [{ pointer: '', detail: `a required value is missing${what(e)}` }],
        `A required value is missing${what(e)}.`,
      );
  }
  // Class 22, data exception: a value of the wrong form or size (too long, out of range, not a
  // date, invalid text for its type, bad encoding).
  if (code.startsWith('22'))
    return invalid(
      [{ pointer: '', detail: 'a value has the wrong form or is out of range' }],
      `A value was refused: ${typeof e.message === 'string' ? e.message.slice(0, 200) : code}.`,
    );
  // 54000: a value too large to index or store.
  if (code === '54000')
    return invalid([{ pointer: '', detail: 'a value is too large' }], 'A value is too large to be stored.');
  return undefined;
}
