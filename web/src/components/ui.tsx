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
import { ApiError, fieldMessage } from '../app/api';

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

function useFieldIds(error?: string, help?: ReactNode) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { id, helpId, errorId, describedBy: [helpId, errorId].filter(Boolean).join(' ') || undefined };
}

export function TextField({ label, help, error, ...input }: FieldBase & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(error, help);
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

export function TextArea({ label, help, error, ...input }: FieldBase & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const ids = useFieldIds(error, help);
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
  ...select
}: FieldBase & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const ids = useFieldIds(error, help);
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

/** An API error in the user's language: known problem types get our text, others the server's detail. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  let text = t('error.generic');
  if (error instanceof ApiError) {
    if (error.type === 'network') text = t('error.network');
    else if (error.status === 403) text = `${t('error.forbidden')} ${error.detail}`;
    else if (error.status === 401) text = t('error.loginRequired');
    // The fields say what is wrong with each, in the page's language; the server's detail is English.
    else if (error.errors.length)
      text = [t('validation.summary'), ...new Set(error.errors.map(fieldMessage))].join(' ');
    else text = error.detail || error.title;
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

/** Loads data for a page; `reload()` fetches again. */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const lastDeps = useRef<unknown[] | undefined>(undefined);
  useEffect(() => {
    const ctl = new AbortController();
    // A reload (same deps) refreshes in place: the page keeps what it shows, so a form's
    // success message or focus is not lost to a loading placeholder. New deps load afresh.
    const prev = lastDeps.current;
    const sameDeps = prev !== undefined && prev.length === deps.length && prev.every((d, i) => Object.is(d, deps[i]));
    lastDeps.current = deps;
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

export function formatDate(iso: string, lang: string, withTime = false): string {
  const d = new Date(iso);
  const locale = lang === 'et' ? 'et-EE' : lang === 'ru' ? 'ru-RU' : 'en-GB';
  return withTime
    ? d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Tallinn' })
    : d.toLocaleDateString(locale, { dateStyle: 'medium', timeZone: 'Europe/Tallinn' });
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
