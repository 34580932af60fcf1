import i18n from '../i18n';

/**
 * The web app's only way to call the API: JSON in and out, the CSRF token on state-changing
 * requests, and problem+json errors turned into `ApiError` (branch on `type`, show `detail`).
 */
export interface FieldError {
  pointer: string;
  detail: string;
  /** What failed (the JSON Schema keyword or the module's own reason) and its limit. */
  code?: string;
  limit?: number;
  format?: string;
}

const FORMAT_KEYS: Record<string, string> = { email: 'formatEmail', date: 'formatDate', uri: 'formatUri' };

/**
 * A field error in the page's language: the server's English `detail` is for API clients; the
 * page words the failed rule itself (`common:validation.*`), and shows the detail only for a rule
 * it has no words for (a module's own reasons are worded by the module, e.g. opendata's).
 */
export function fieldMessage(e: FieldError): string {
  const key =
    e.code === 'format' && e.format && FORMAT_KEYS[e.format] ? FORMAT_KEYS[e.format] : e.code ? e.code : undefined;
  if (!key) return e.detail;
  const known = i18n.exists(`common:validation.${key}`) || i18n.exists(`common:validation.${key}_other`);
  return known ? i18n.t(`common:validation.${key}`, { count: e.limit ?? 0, limit: e.limit }) : e.detail;
}

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly type: string,
    public readonly title: string,
    public readonly detail: string,
    public readonly errors: FieldError[] = [],
    public readonly body: Record<string, unknown> = {},
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }
  /** The error for one field in the page's language, e.g. `fieldError('/body/idCode')`. */
  fieldError(pointer: string): string | undefined {
    const e = this.errors.find((x) => x.pointer === pointer);
    return e ? fieldMessage(e) : undefined;
  }
}

let csrfToken: string | undefined;

/**
 * Responses asked for before the app rendered (see `prefetch`): the first `api()` GET of the same
 * path takes it instead of asking again. Each is used once, and only for a few seconds.
 */
const early = new Map<string, { response: Promise<Response>; at: number }>();
const EARLY_MS = 10_000;

/** Starts a GET now (while the code of the first view is still arriving); `api()` picks it up. */
export function prefetch(path: string) {
  if (early.has(path)) return;
  const response = fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  // An unused or failed early answer is simply asked again later.
  response.catch(() => early.delete(path));
  early.set(path, { response, at: performance.now() });
}

function takeEarly(path: string): Promise<Response> | undefined {
  const e = early.get(path);
  if (!e) return undefined;
  early.delete(path);
  return performance.now() - e.at < EARLY_MS ? e.response : undefined;
}
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

export async function api<T>(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    signal?: AbortSignal;
    raw?: BodyInit;
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body: BodyInit | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    const pre = method === 'GET' && !init.headers ? takeEarly(path) : undefined;
    res = await (pre ?? fetch(path, { method, headers, body, credentials: 'same-origin', signal: init.signal }));
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(
      0,
      'network',
      'Network error',
      'The server could not be reached. Check your connection and try again.',
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as Record<string, unknown>;
    throw new ApiError(
      res.status,
      String(p.type ?? 'unknown'),
      String(p.title ?? res.statusText),
      String(p.detail ?? ''),
      (p.errors as FieldError[]) ?? [],
      p,
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}
