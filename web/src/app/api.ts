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
  /** The values a module's own reason is worded with (`common:reasons.<code>`). */
  params?: Record<string, string | number>;
}

const FORMAT_KEYS: Record<string, string> = { email: 'formatEmail', date: 'formatDate', uri: 'formatUri' };

/**
 * A field error in the page's language: the server's English `detail` is for API clients; the
 * page words the failed rule itself — a domain rule's reason from `common:reasons.<code>` with its
 * `params`, a schema keyword from `common:validation.*` — and shows the detail only for a rule it
 * has no words for (opendata words its own codes in its namespace).
 */
export function fieldMessage(e: FieldError): string {
  const reason = e.code ? reasonMessage(e.code, e.params) : undefined;
  if (reason) return reason;
  const key =
    e.code === 'format' && e.format && FORMAT_KEYS[e.format] ? FORMAT_KEYS[e.format] : e.code ? e.code : undefined;
  if (!key) return e.detail;
  const known = i18n.exists(`common:validation.${key}`) || i18n.exists(`common:validation.${key}_other`);
  return known ? i18n.t(`common:validation.${key}`, { count: e.limit ?? 0, limit: e.limit }) : e.detail;
}

/** A server reason (`defineReason` in src/platform/http/problems.ts) in the page's language, if known. */
export function reasonMessage(code: string, params?: Record<string, string | number>): string | undefined {
  const key = `common:reasons.${code}`;
  return i18n.exists(key) || i18n.exists(`${key}_other`) ? i18n.t(key, { ...params }) : undefined;
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
 * path takes it instead of asking again. Each is used once, and only for a few seconds. An answer
 * that has fully arrived can also be read synchronously (`earlyData`), so that the first render
 * shows the page's data instead of a loading line (app/firstView.ts waits for them).
 */
interface Answer {
  status: number;
  ok: boolean;
  statusText: string;
  text: string;
}
interface Early {
  answer: Promise<Answer>;
  at: number;
  /** The answer, once it has arrived and was a successful JSON body. */
  data?: { value: unknown };
  /** Read by `earlyData`: a later `api()` asks again (the page may be reloading it on purpose). */
  peeked?: boolean;
}
const early = new Map<string, Early>();
const EARLY_MS = 10_000;

async function read(res: Response): Promise<Answer> {
  return {
    status: res.status,
    ok: res.ok,
    statusText: res.statusText,
    text: res.status === 204 ? '' : await res.text(),
  };
}

/**
 * Starts a GET now (while the code of the first view is still arriving); `api()` picks it up.
 * Resolves when the answer has arrived (never rejects: a failed one is simply asked again later).
 */
export function prefetch(path: string): Promise<void> {
  const known = early.get(path);
  if (known)
    return known.answer.then(
      () => undefined,
      () => undefined,
    );
  const answer = fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' }).then(read);
  const entry: Early = { answer, at: performance.now() };
  early.set(path, entry);
  return answer.then(
    (a) => {
      if (a.ok && a.text) {
        const value = safeJson(a.text, undefined);
        if (value !== undefined) entry.data = { value };
      }
    },
    // An unused or failed early answer is simply asked again later.
    () => void (early.get(path) === entry && early.delete(path)),
  );
}

/**
 * The early answer to a GET if it has already arrived (successful, parsed), for a first render
 * that shows data at once (`useLoad`'s `initial`). It stays readable until the first render is
 * over (`endFirstRender`: a component rendered twice gets it both times); the next `api()` of the
 * path asks the server again.
 */
export function earlyData<T>(path: string): T | undefined {
  const e = early.get(path);
  if (firstRenderOver || !e?.data || performance.now() - e.at >= EARLY_MS) return undefined;
  e.peeked = true;
  return e.data.value as T;
}

/**
 * The first render is over: `earlyData` answers nothing from now on, and the answers it gave are
 * not taken by `api()` either (a page opened later, or the same page again, asks the server; one
 * that was not in the first render still takes its unread early answer through `api()`). Called
 * once, by App's effect.
 */
let firstRenderOver = false;
export function endFirstRender() {
  firstRenderOver = true;
  for (const [path, e] of early) if (e.peeked) early.delete(path);
}

function takeEarly(path: string): Promise<Answer> | undefined {
  const e = early.get(path);
  if (!e) return undefined;
  early.delete(path);
  return !e.peeked && performance.now() - e.at < EARLY_MS ? e.answer : undefined;
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
  let res: Answer;
  try {
    const pre = method === 'GET' && !init.headers ? takeEarly(path) : undefined;
    res = await (pre ??
      fetch(path, { method, headers, body, credentials: 'same-origin', signal: init.signal }).then(read));
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
  const data = res.text ? safeJson(res.text, { detail: res.text }) : undefined;
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

function safeJson(text: string, otherwise: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return otherwise;
  }
}
