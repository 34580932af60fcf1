/**
 * Errors as RFC 9457 problem details. Every kind of error has a stable `type` (a relative URI,
 * `/problems/<slug>`, served as a short description) so that clients and the web app branch on
 * the type, never on the English `title`/`detail` text. Modules define their own kinds with
 * `defineProblem`.
 */
export interface ProblemKind {
  slug: string;
  status: number;
  title: string;
  /** One or two sentences for the /problems/<slug> page and docs. */
  description: string;
}

export interface FieldError {
  /** JSON pointer into the request part, e.g. `/body/name` or `/query/limit`. */
  pointer: string;
  detail: string;
  /**
   * What is wrong, for clients that word it themselves (the web app says it in the page's
   * language): the JSON Schema keyword that failed (`required`, `minLength`, `maxLength`,
   * `minimum`, `maximum`, `minItems`, `maxItems`, `format`, `type`, `pattern`, `enum`,
   * `additionalProperties`) with its `limit`, `format` or `allowed` values.
   */
  code?: string;
  limit?: number;
  format?: string;
  allowed?: unknown[];
  /** The values a module's own reason (`defineReason`) is worded with, e.g. `{ max: 80, length: 93 }`. */
  params?: ReasonParams;
}

/**
 * A domain rule's refusal that a person can meet on a page ("the vote closes before it opens"):
 * a stable `code` that clients word themselves (the web app in the page's language, from
 * `common:reasons.<code>`), the values it is worded with (`params`) and the English words for API
 * clients (`detail`). Defined once, next to the rule, like problem kinds; every code has its
 * et/ru/en text (test/web/reasons.test.ts reads `reasonCodes()`).
 */
export type ReasonParams = Record<string, string | number>;
export interface Reason<Params extends ReasonParams = ReasonParams> {
  code: string;
  english: (params: Params) => string;
}

/** JSON Schema keywords are the codes of schema errors (`common:validation.<code>`): not reasons. */
const SCHEMA_CODES = new Set([
  'required',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'format',
  'type',
  'pattern',
  'enum',
  'additionalProperties',
  'invalid',
]);
const reasons = new Map<string, Reason<never>>();

export function defineReason<Params extends ReasonParams = Record<never, never>>(
  code: string,
  english: string | ((params: Params) => string),
): Reason<Params> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(code) || SCHEMA_CODES.has(code))
    throw new Error(`reason code ${code}: lowercase words joined by dashes, not a JSON Schema keyword`);
  if (reasons.has(code)) throw new Error(`reason ${code} defined twice`);
  const reason = { code, english: typeof english === 'string' ? () => english : english };
  reasons.set(code, reason as Reason<never>);
  return reason;
}

/** Every reason code the server can send (once the modules are loaded). */
export function reasonCodes(): string[] {
  return [...reasons.keys()].sort();
}

type ParamsArg<Params extends ReasonParams> = keyof Params extends never ? [] : [params: Params];

/** A field's error for a reason: `{ pointer, code, params, detail }` (detail in English). */
export function fieldError<Params extends ReasonParams>(
  pointer: string,
  reason: Reason<Params>,
  ...[params]: ParamsArg<Params>
): FieldError {
  const p = (params ?? {}) as Params;
  return { pointer, code: reason.code, ...(params ? { params: p } : {}), detail: reason.english(p) };
}

/** A refusal that is not about one field: a problem of `kind` carrying the reason's `code` and `params`. */
export function refusal<Params extends ReasonParams>(
  kind: ProblemKind,
  reason: Reason<Params>,
  ...[params]: ParamsArg<Params>
): Problem {
  const p = (params ?? {}) as Params;
  return new Problem(kind, reason.english(p), { code: reason.code, ...(params ? { params: p } : {}) });
}

const registry = new Map<string, ProblemKind>();

export function defineProblem(slug: string, status: number, title: string, description: string): ProblemKind {
  const existing = registry.get(slug);
  if (existing) {
    if (existing.status !== status) throw new Error(`problem ${slug} defined twice with different statuses`);
    return existing;
  }
  const kind = { slug, status, title, description };
  registry.set(slug, kind);
  return kind;
}

export function problemKinds(): ProblemKind[] {
  return [...registry.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

export function problemKind(slug: string): ProblemKind | undefined {
  return registry.get(slug);
}

export class Problem extends Error {
  constructor(
    public readonly kind: ProblemKind,
    public readonly detail: string,
    public readonly extras: { errors?: FieldError[] } & Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
  get status() {
    return this.kind.status;
  }
  toJSON(instance?: string) {
    return {
      type: `/problems/${this.kind.slug}`,
      title: this.kind.title,
      status: this.kind.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extras,
    };
  }
}

export const P = {
  validation: defineProblem(
    'validation',
    400,
    'The request is not valid',
    'One or more fields are missing, of the wrong type, out of range or not allowed. `errors` lists each field with a JSON pointer and what is wrong.',
  ),
  malformedJson: defineProblem(
    'malformed-json',
    400,
    'The request body is not valid JSON',
    'The body could not be parsed as JSON.',
  ),
  unsupportedMediaType: defineProblem(
    'unsupported-media-type',
    415,
    'Unsupported content type',
    'The body must be sent with a content type this endpoint accepts, usually application/json.',
  ),
  bodyTooLarge: defineProblem(
    'body-too-large',
    413,
    'The request body is too large',
    'The body exceeds the size limit of this endpoint.',
  ),
  uriTooLong: defineProblem(
    'uri-too-long',
    414,
    'The address is too long',
    'A part of the path is longer than any value this API accepts.',
  ),
  headersTooLarge: defineProblem(
    'request-header-fields-too-large',
    431,
    'The request line or headers are too large',
    'The address (with its query string) or the headers exceed the server’s limit of 16 kB; send long data in a body.',
  ),
  unauthenticated: defineProblem(
    'unauthenticated',
    401,
    'Login required',
    'This action needs a logged-in user (or a valid API key).',
  ),
  forbidden: defineProblem(
    'forbidden',
    403,
    'Not allowed',
    'The logged-in user does not have a role that allows this action in this municipality.',
  ),
  csrf: defineProblem(
    'csrf',
    403,
    'Missing or wrong CSRF token',
    'State-changing browser requests must carry the X-CSRF-Token header from /api/v1/me.',
  ),
  notFound: defineProblem('not-found', 404, 'Not found', 'No such resource, or it is not visible to you.'),
  routeNotFound: defineProblem(
    'route-not-found',
    404,
    'No such endpoint',
    'No route matches this method and path. See /api/docs.',
  ),
  methodNotAllowed: defineProblem(
    'method-not-allowed',
    405,
    'Method not allowed',
    'The path exists but not with this method.',
  ),
  conflict: defineProblem(
    'conflict',
    409,
    'Conflict with the current state',
    'The request conflicts with the current state of the resource.',
  ),
  tooManyRequests: defineProblem('too-many-requests', 429, 'Too many requests', 'Slow down and try again later.'),
  unavailable: defineProblem(
    'service-unavailable',
    503,
    'Temporarily unavailable',
    'A system this request depends on is not answering. Nothing was recorded; try again shortly.',
  ),
  internal: defineProblem(
    'internal',
    500,
    'Internal error',
    'Something failed on the server. The request id identifies it in the logs.',
  ),
  loginFailed: defineProblem(
    'login-failed',
    401,
    'Login failed',
    'The identity provider answer could not be accepted (state, nonce, audience, expiry, authentication method or level).',
  ),
};

export const notFound = (what: string) => new Problem(P.notFound, `${what} was not found`);
export const forbidden = (detail: string) => new Problem(P.forbidden, detail);
export const conflict = (detail: string, extras: Record<string, unknown> = {}) =>
  new Problem(P.conflict, detail, extras);
export const invalid = (errors: FieldError[], detail?: string) =>
  new Problem(P.validation, detail ?? errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '), { errors });
