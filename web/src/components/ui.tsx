import {
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n';
import { ApiError, fieldMessage, reasonMessage, type FieldError } from '../app/api';

/**
 * Small accessible building blocks shared by every page: the page heading (which takes focus
 * after navigation so screen readers announce the new page), form fields with labels, help and
 * errors wired by aria-describedby, and status messages.
 */
export function Page({
  title,
  children,
  lead,
  titleLang,
}: {
  title: string;
  lead?: ReactNode;
  children?: ReactNode;
  /** The title's language where it differs from the page's (officials' text only in Estonian). */
  titleLang?: string | undefined;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('brand')}`;
    ref.current?.focus();
  }, [title, t]);
  return (
    <>
      <h1 ref={ref} tabIndex={-1} lang={titleLang}>
        {title}
      </h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </>
  );
}

type FieldBase = { label: string; help?: ReactNode; error?: string | undefined };

function useFieldIds(error?: string, help?: ReactNode, given?: string) {
  const generated = useId();
  const id = given ?? generated;
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { id, helpId, errorId, describedBy: [helpId, errorId].filter(Boolean).join(' ') || undefined };
}

export function TextField({ label, help, error, id, ...input }: FieldBase & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(error, help, id);
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      {help ? (
        <p id={ids.helpId} className="help">
          {help}
        </p>
      ) : null}
      <input id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
      {error ? (
        <p id={ids.errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextArea({
  label,
  help,
  error,
  id,
  ...input
}: FieldBase & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const ids = useFieldIds(error, help, id);
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      {help ? (
        <p id={ids.helpId} className="help">
          {help}
        </p>
      ) : null}
      <textarea id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
      {error ? (
        <p id={ids.errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField({
  label,
  help,
  error,
  children,
  id,
  ...select
}: FieldBase & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const ids = useFieldIds(error, help, id);
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      {help ? (
        <p id={ids.helpId} className="help">
          {help}
        </p>
      ) : null}
      <select id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
      {error ? (
        <p id={ids.errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'success' | 'error' | 'warning';
  children: ReactNode;
}) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/**
 * A refusal in the reader's language. A domain rule's reason (`code`, `params`) is worded from
 * `common:reasons.<code>`; otherwise the problem's type names a text of its own
 * (`<ns>:problem.<slug>` of the page's module, else `common:problem.<slug>`); without one, the
 * kind of refusal in general words. The server's `detail` is English and written for API
 * clients: it is shown on English pages only.
 */
export function problemMessage(error: unknown, ns?: string): string {
  if (!(error instanceof ApiError)) return i18n.t('common:error.generic');
  if (error.type === 'network') return i18n.t('common:error.network');
  const { code, params } = error.body;
  const reason = typeof code === 'string' ? reasonMessage(code, params as Record<string, string | number>) : undefined;
  if (reason) return reason;
  const slug = error.type.replace(/^\/problems\//, '');
  for (const key of [ns ? `${ns}:problem.${slug}` : undefined, `common:problem.${slug}`])
    if (key && i18n.exists(key)) return i18n.t(key);
  if (error.status === 401) return i18n.t('common:error.loginRequired');
  const english = i18n.language === 'en' && error.detail ? ` ${error.detail}` : '';
  if (error.status === 403) return `${i18n.t('common:error.forbidden')}${english}`;
  if (error.status === 404) return i18n.t('common:error.gone');
  if (english) return english.trim();
  if (error.status === 409) return i18n.t('common:error.conflict');
  if (error.status === 400 || error.status === 422) return i18n.t('common:error.rejected');
  return i18n.t('common:error.generic');
}

/** The id a form gives the field a problem's pointer names: `/body/description` → `field-body-description`. */
export function fieldId(pointer: string): string {
  return `field${pointer.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** Field errors found by the page itself, worded like the server's (`common:validation.<code>`). */
export function formErrors(errors: (Omit<FieldError, 'detail'> & { detail?: string })[]): ApiError | undefined {
  return errors.length
    ? new ApiError(
        400,
        'form',
        '',
        '',
        errors.map((e) => ({ detail: '', ...e })),
      )
    : undefined;
}

/**
 * The one error summary at the top of a form (or wizard step): a heading, then a link per wrong
 * field ("Kirjeldus: See väli on kohustuslik.") that moves focus to the field, or, for a refusal
 * that is not about a field, what happened in the reader's words. It takes focus when it appears
 * (and is an alert), so keyboard and screen reader users start from it. `labels` names the fields
 * by their problem pointers; each field's id is `fieldId(pointer)`.
 */
export function ErrorSummary({
  error,
  labels,
  ns,
}: {
  error: unknown;
  labels: Record<string, string>;
  /** The page's module: its `problem.<slug>` texts word its domain refusals. */
  ns?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const fields =
    error instanceof ApiError
      ? [...new Map(error.errors.map((e) => [e.pointer, e] as const)).values()].map((e) => ({
          pointer: e.pointer,
          label: labels[e.pointer] ?? labels[e.pointer.replace(/\/\d+(\/|$)/g, '$1')],
          text: fieldMessage(e),
        }))
      : [];
  return (
    <div ref={ref} className="error-summary" role="alert" tabIndex={-1} aria-labelledby={headingId}>
      <h2 id={headingId}>{t(fields.length ? 'validation.summaryTitle' : 'error.title')}</h2>
      {fields.length ? (
        <ul>
          {fields.map((f) => (
            <li key={f.pointer}>
              <a
                href={`#${fieldId(f.pointer)}`}
                onClick={(e) => {
                  const target = document.getElementById(fieldId(f.pointer));
                  if (!target) return;
                  e.preventDefault();
                  target.scrollIntoView({ block: 'center' });
                  target.focus();
                }}
              >
                {f.label ? `${f.label}: ` : ''}
                {f.text}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{problemMessage(error, ns)}</p>
      )}
    </div>
  );
}

/** An API error in the user's language: known problem types get our text, others general words. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  let text = t('error.generic');
  if (error instanceof ApiError) {
    // The fields say what is wrong with each, in the page's language; the server's detail is English.
    if (error.errors.length && error.status !== 403 && error.status !== 401)
      text = [t('validation.summary'), ...new Set(error.errors.map(fieldMessage))].join(' ');
    else text = problemMessage(error);
  }
  return (
    <Notice kind="error">
      {text}
      {onRetry ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onRetry}>
            {t('error.retry')}
          </button>
        </>
      ) : null}
    </Notice>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('loading')}
    </p>
  );
}

/**
 * Loads data for a page; `reload()` fetches again. `initial` gives the data for the first render
 * when it is already at hand — the first view's early answer, `() => earlyData(path)` (app/api.ts)
 * — so the page paints with its content at once instead of a loading line and a second render;
 * nothing is then asked until the deps change or `reload()`.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  initial?: () => T | undefined,
): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>(() => {
    const data = initial?.();
    return { data, error: undefined, loading: data === undefined };
  });
  const [tick, setTick] = useState(0);
  const lastDeps = useRef<unknown[] | undefined>(undefined);
  const given = useRef(!state.loading);
  useEffect(() => {
    const ctl = new AbortController();
    // A reload (same deps) refreshes in place: the page keeps what it shows, so a form's
    // success message or focus is not lost to a loading placeholder. New deps load afresh.
    const prev = lastDeps.current;
    const sameDeps = prev !== undefined && prev.length === deps.length && prev.every((d, i) => Object.is(d, deps[i]));
    lastDeps.current = deps;
    if (given.current) {
      // The first render already had the data.
      given.current = false;
      return;
    }
    setState((s) =>
      sameDeps && s.data !== undefined ? { ...s, error: undefined } : { ...s, loading: true, error: undefined },
    );
    load(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, error: undefined, loading: false }),
      (error) =>
        !ctl.signal.aborted &&
        (error as Error)?.name !== 'AbortError' &&
        setState({ data: undefined, error, loading: false }),
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

/**
 * One formatter per language and style, made once (`toLocaleString(locale, options)` builds a new
 * `Intl.DateTimeFormat` on every call). The first one a page makes also loads the locale's and the
 * time zone's data, a quarter of a second on a slow phone: the first-view script does that while
 * the entry downloads (web/vite-first-view.ts).
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(iso: string, lang: string, withTime = false): string {
  const locale = lang === 'et' ? 'et-EE' : lang === 'ru' ? 'ru-RU' : 'en-GB';
  const key = `${locale}${withTime ? ' time' : ''}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      locale,
      withTime
        ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Tallinn' }
        : { dateStyle: 'medium', timeZone: 'Europe/Tallinn' },
    );
    dateFormats.set(key, format);
  }
  const d = new Date(iso);
  // As toLocaleString says it (format() would throw).
  return Number.isNaN(d.getTime()) ? 'Invalid Date' : format.format(d);
}

/** A wide table that scrolls sideways on small screens, reachable and scrollable by keyboard. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/**
 * Asks before an irreversible action, saying what will happen (`children`: the consequence in
 * words, e.g. who has not voted). A modal `<dialog>`: focus stays inside it and Escape cancels
 * (the browser's own modal behaviour), labelled by its title, focus on "Cancel" first so Enter
 * does not confirm by accident; focus returns to what opened it.
 */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      const opener = document.activeElement as HTMLElement | null;
      d.showModal();
      cancelRef.current?.focus();
      return () => opener?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`}>{children}</div>
      <div className="confirm-actions">
        <button ref={cancelRef} type="button" className="button-secondary" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
        <button type="button" className="button danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
