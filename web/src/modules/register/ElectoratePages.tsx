import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import {
  ConfirmDialog,
  ErrorNotice,
  Loading,
  Notice,
  Page,
  SelectField,
  TableWrap,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { AdminMunicipalitySelect, useAdminMunicipalities } from '../../pages/admin/AdminMunicipality';

const OFFICIALS = ['admin', 'editor', 'analyst'];

type Scope = 'municipality' | 'settlements' | 'list';
type Mode = 'live' | 'frozen';
type ResidenceAt = 'reference-date' | 'voting-time';
interface ListInfo {
  filename: string;
  entries: number;
  sha256: string;
  uploadedAt: string;
}
export interface Electorate {
  id: string;
  municipalityCode: string;
  name: string;
  scope: Scope;
  settlementCodes: string[];
  minAge: number | null;
  maxAge: number | null;
  referenceDate: string;
  residenceAt: ResidenceAt;
  mode: Mode;
  state: 'draft' | 'frozen' | 'locked';
  frozen: { at: string; size: number; sha256: string } | null;
  lockedAt: string | null;
  lockedReason: string | null;
  lists: { include: ListInfo | null; exclude: ListInfo | null };
}
interface Preview {
  total: number;
  byBasis: { residence: number; includeList: number };
  excluded: number;
  bySettlement: { code: string | null; name: string | null; count: number }[];
  referenceDate: string;
  dataAsOf: string | null;
}
interface Place {
  code: string;
  name: string;
  kind: string;
}

const useR = () => useTranslation('register');
const base = (code: string) => `/api/v1/municipalities/${code}`;

function PreviewTable({ preview }: { preview: Preview }) {
  const { t, i18n } = useR();
  return (
    <section aria-labelledby="register-preview-h" className="register-preview">
      <h2 id="register-preview-h">{t('preview.title')}</h2>
      <p>
        <strong>{t('preview.total', { count: preview.total })}</strong>
      </p>
      <p>
        {t('preview.byBasis', {
          residence: preview.byBasis.residence,
          includeList: preview.byBasis.includeList,
          excluded: preview.excluded,
        })}
      </p>
      {preview.bySettlement.length ? (
        <TableWrap label={t('preview.tableLabel')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('preview.settlement')}</th>
                <th scope="col" className="num">
                  {t('preview.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.bySettlement.map((s) => (
                <tr key={s.code ?? 'none'}>
                  <th scope="row">{s.name ?? t('preview.noSettlement')}</th>
                  <td className="num">{s.count.toLocaleString(i18n.language === 'en' ? 'en-GB' : i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {preview.dataAsOf ? (
        <p className="help">{t('preview.asOf', { date: formatDate(preview.dataAsOf, i18n.language) })}</p>
      ) : null}
    </section>
  );
}

/** Settlement units as a filterable group of checkboxes. */
function SettlementPicker({
  places,
  value,
  onChange,
  error,
}: {
  places: Place[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string | undefined;
}) {
  const { t } = useR();
  const [filter, setFilter] = useState('');
  const id = useId();
  const shown = places.filter((p) => !filter || p.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <fieldset
      className={`register-settlements${error ? ' has-error' : ''}`}
      aria-describedby={`${id}-help${error ? ` ${id}-err` : ''}`}
    >
      <legend>{t('electorates.settlements')}</legend>
      <p id={`${id}-help`} className="help">
        {t('electorates.settlementsHelp')} {t('electorates.chosen', { count: value.length })}
      </p>
      {places.length > 12 ? (
        <TextField
          label={t('electorates.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          type="search"
        />
      ) : null}
      <ul className="register-checks">
        {shown.map((p) => (
          <li key={p.code}>
            <label>
              <input
                type="checkbox"
                checked={value.includes(p.code)}
                onChange={(e) => onChange(e.target.checked ? [...value, p.code] : value.filter((c) => c !== p.code))}
              />{' '}
              {p.name}
            </label>
          </li>
        ))}
      </ul>
      {error ? (
        <p id={`${id}-err`} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function ElectoratesPage() {
  return (
    <RequireLogin>
      <Electorates />
    </RequireLogin>
  );
}

function Electorates() {
  const { t, i18n } = useR();
  const navigate = useNavigate();
  const m = useAdminMunicipalities(OFFICIALS);
  const session = useSession();
  const code = m.current;
  const list = useLoad(
    (signal) =>
      code && code !== '0000' ? api<Electorate[]>(`${base(code)}/electorates`, { signal }) : Promise.resolve([]),
    [code],
  );
  const places = useLoad(
    (signal) => (code && code !== '0000' ? api<Place[]>(`${base(code)}/settlements`, { signal }) : Promise.resolve([])),
    [code],
  );
  const [form, setForm] = useState({
    name: '',
    scope: 'municipality' as Scope,
    settlementCodes: [] as string[],
    minAge: '',
    maxAge: '',
    referenceDate: new Date().toISOString().slice(0, 10),
    residenceAt: 'reference-date' as ResidenceAt,
    mode: 'live' as Mode,
  });
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const canDefine = code ? session.municipalitiesWith(['admin', 'editor']).some((c) => c === code || c === '*') : false;

  if (!code || code === '0000') {
    return (
      <Page title={t('electorates.title')}>
        <AdminMunicipalitySelect roles={OFFICIALS} />
        <Notice kind="warning">{t('electorates.notOfficial')}</Notice>
      </Page>
    );
  }
  const body = () => ({
    name: form.name.trim() || '—',
    scope: form.scope,
    settlementCodes: form.scope === 'settlements' ? form.settlementCodes : [],
    minAge: form.minAge === '' ? null : Number(form.minAge),
    maxAge: form.maxAge === '' ? null : Number(form.maxAge),
    referenceDate: form.referenceDate,
    residenceAt: form.mode === 'frozen' ? 'reference-date' : form.residenceAt,
    mode: form.mode,
  });
  const run = async (what: 'preview' | 'create', e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (what === 'preview')
        setPreview(await api<Preview>(`${base(code)}/electorates/preview`, { method: 'POST', body: body() }));
      else {
        const created = await api<Electorate>(`${base(code)}/electorates`, {
          method: 'POST',
          body: { ...body(), name: form.name },
        });
        navigate(`/valijaskonnad/${code}/${created.id}`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = (f: string) => (error instanceof ApiError ? error.fieldError(`/body/${f}`) : undefined);
  const anyFieldError = ['name', 'settlementCodes', 'minAge', 'maxAge', 'referenceDate', 'residenceAt'].some((f) =>
    fe(f),
  );
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm((f) => ({ ...f, [k]: v }));

  return (
    <Page title={t('electorates.title')} lead={t('electorates.lead')}>
      <AdminMunicipalitySelect roles={OFFICIALS} />
      {session.municipalitiesWith(['admin']).some((c) => c === code || c === '*') ? (
        <p>
          <Link to={`/registri-paringud`}>{t('electorates.logLink')}</Link>
        </p>
      ) : null}
      <h2>{t('electorates.listTitle', { name: m.nameOf(code) })}</h2>
      {list.loading ? <Loading /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? <p>{t('electorates.empty')}</p> : null}
      {list.data?.length ? (
        <TableWrap label={t('electorates.listTitle', { name: m.nameOf(code) })}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('electorates.name')}</th>
                <th scope="col">{t('electorates.mode')}</th>
                <th scope="col">{t('electorates.state')}</th>
                <th scope="col">{t('electorates.referenceDate')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/valijaskonnad/${code}/${e.id}`}>{e.name}</Link>
                  </td>
                  <td>{t(`mode.${e.mode}`)}</td>
                  <td>
                    {t(`state.${e.state}`)}
                    {e.frozen ? ` (${e.frozen.size})` : ''}
                  </td>
                  <td>{formatDate(e.referenceDate, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}

      <h2>{t('electorates.newTitle')}</h2>
      {error && !anyFieldError ? <ErrorNotice error={error} /> : null}
      <form className="form register-form" onSubmit={(e) => run(canDefine ? 'create' : 'preview', e)} noValidate>
        <TextField
          label={t('electorates.name')}
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          error={fe('name')}
          maxLength={200}
          required={canDefine}
        />
        <SelectField
          label={t('electorates.scope')}
          value={form.scope}
          onChange={(e) => set('scope', e.target.value as Scope)}
        >
          {(['municipality', 'settlements', 'list'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`scope.${s}`)}
            </option>
          ))}
        </SelectField>
        {form.scope === 'settlements' ? (
          <SettlementPicker
            places={places.data ?? []}
            value={form.settlementCodes}
            onChange={(v) => set('settlementCodes', v)}
            error={fe('settlementCodes')}
          />
        ) : null}
        <div className="register-ages">
          <TextField
            label={t('electorates.minAge')}
            help={t('electorates.ageHelp')}
            type="number"
            inputMode="numeric"
            min={0}
            max={130}
            value={form.minAge}
            onChange={(e) => set('minAge', e.target.value)}
            error={fe('minAge')}
          />
          <TextField
            label={t('electorates.maxAge')}
            type="number"
            inputMode="numeric"
            min={0}
            max={130}
            value={form.maxAge}
            onChange={(e) => set('maxAge', e.target.value)}
            error={fe('maxAge')}
          />
        </div>
        <TextField
          label={t('electorates.referenceDate')}
          help={t('electorates.referenceDateHelp')}
          type="date"
          value={form.referenceDate}
          onChange={(e) => set('referenceDate', e.target.value)}
          error={fe('referenceDate')}
          required
        />
        <SelectField
          label={t('electorates.modeLabel')}
          help={t('electorates.modeHelp')}
          value={form.mode}
          onChange={(e) => set('mode', e.target.value as Mode)}
        >
          {(['live', 'frozen'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`mode.${s}`)}
            </option>
          ))}
        </SelectField>
        {form.mode === 'live' ? (
          <SelectField
            label={t('electorates.residenceAt')}
            value={form.residenceAt}
            onChange={(e) => set('residenceAt', e.target.value as ResidenceAt)}
            error={fe('residenceAt')}
          >
            {(['reference-date', 'voting-time'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`residenceAt.${s}`)}
              </option>
            ))}
          </SelectField>
        ) : null}
        <div className="register-buttons">
          <button type="button" className="button-secondary" disabled={busy} onClick={() => void run('preview')}>
            {t('electorates.preview')}
          </button>
          {canDefine ? (
            <button type="submit" className="button" disabled={busy}>
              {t('electorates.create')}
            </button>
          ) : null}
        </div>
      </form>
      {preview ? <PreviewTable preview={preview} /> : null}
    </Page>
  );
}

export function ElectoratePage() {
  return (
    <RequireLogin>
      <ElectorateDetail />
    </RequireLogin>
  );
}

function ListUpload({
  code,
  e,
  list,
  onDone,
}: {
  code: string;
  e: Electorate;
  list: 'include' | 'exclude';
  onDone: (message: string) => void;
}) {
  const { t } = useR();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const info = e.lists[list];
  const id = useId();
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    const data = new FormData();
    data.append('file', file);
    try {
      await api(`${base(code)}/electorates/${e.id}/lists/${list}`, { method: 'PUT', raw: data });
      onDone(t('electorate.uploaded'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await api(`${base(code)}/electorates/${e.id}/lists/${list}`, { method: 'DELETE' });
      onDone(t('electorate.remove'));
    } catch (err) {
      setError(err);
    }
  };
  const lineErrors = error instanceof ApiError ? error.errors.filter((x) => x.pointer.startsWith('/file/line/')) : [];
  return (
    <form className="form register-list" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t(`electorate.${list}`)}</h3>
      <p>{info ? t('electorate.entries', { filename: info.filename, count: info.entries }) : t('electorate.noList')}</p>
      {e.state === 'draft' ? (
        <>
          <div className={`field${lineErrors.length ? ' has-error' : ''}`}>
            <label htmlFor={`${id}-file`}>{t('electorate.file')}</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              onChange={(ev) => setFile(ev.target.files?.[0] ?? null)}
              aria-describedby={lineErrors.length ? `${id}-errs` : undefined}
            />
          </div>
          {error && !lineErrors.length ? <ErrorNotice error={error} /> : null}
          {lineErrors.length ? (
            <div id={`${id}-errs`} role="alert" className="notice notice-error">
              <p>{(error as ApiError).detail.split('. ')[0]}.</p>
              <ul>
                {lineErrors.slice(0, 50).map((x) => (
                  <li key={x.pointer}>
                    {x.pointer.replace('/file/line/', '#')}: {x.detail}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="register-buttons">
            <button type="submit" className="button" disabled={busy || !file}>
              {t('electorate.upload')}
            </button>
            {info ? (
              <button type="button" className="button-secondary" onClick={() => void remove()}>
                {t('electorate.remove')}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </form>
  );
}

function Voters({ code, e }: { code: string; e: Electorate }) {
  const { t } = useR();
  const [offset, setOffset] = useState(0);
  const limit = 50;
  const voters = useLoad(
    (signal) =>
      api<{
        total: number;
        voters: {
          personId: string;
          idCodeMasked: string;
          givenName: string | null;
          familyName: string | null;
          settlementCode: string | null;
          basis: string;
        }[];
      }>(`${base(code)}/electorates/${e.id}/voters?offset=${offset}&limit=${limit}`, { signal }),
    [code, e.id, offset],
  );
  return (
    <section aria-labelledby="register-voters-h">
      <h2 id="register-voters-h">{t('electorate.voters')}</h2>
      {voters.loading ? <Loading /> : null}
      {voters.error ? <ErrorNotice error={voters.error} onRetry={voters.reload} /> : null}
      {voters.data ? (
        <>
          <TableWrap label={t('electorate.votersLabel')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('electorate.person')}</th>
                  <th scope="col">{t('electorate.idCode')}</th>
                  <th scope="col">{t('preview.settlement')}</th>
                  <th scope="col">{t('electorate.basis')}</th>
                </tr>
              </thead>
              <tbody>
                {voters.data.voters.map((v) => (
                  <tr key={v.personId}>
                    <td>{[v.givenName, v.familyName].filter(Boolean).join(' ') || '—'}</td>
                    <td>{v.idCodeMasked}</td>
                    <td>{v.settlementCode ?? '—'}</td>
                    <td>{v.basis === 'residence' ? t('electorate.basisResidence') : t('electorate.basisInclude')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <p className="register-buttons">
            <button
              type="button"
              className="button-secondary small"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - limit))}
            >
              {t('electorate.prev')}
            </button>
            <span>
              {t('electorate.pageOf', {
                from: voters.data.total ? offset + 1 : 0,
                to: Math.min(offset + limit, voters.data.total),
                total: voters.data.total,
              })}
            </span>
            <button
              type="button"
              className="button-secondary small"
              disabled={offset + limit >= voters.data.total}
              onClick={() => setOffset(offset + limit)}
            >
              {t('electorate.next')}
            </button>
          </p>
        </>
      ) : null}
    </section>
  );
}

function ElectorateDetail() {
  const { t, i18n } = useR();
  const { code = '', id = '' } = useParams();
  const navigate = useNavigate();
  const session = useSession();
  const e = useLoad((signal) => api<Electorate>(`${base(code)}/electorates/${id}`, { signal }), [code, id]);
  const preview = useLoad(
    (signal) => api<Preview>(`${base(code)}/electorates/${id}/preview`, { signal }),
    [code, id, e.data?.state, e.data?.lists.include?.sha256, e.data?.lists.exclude?.sha256],
  );
  const places = useLoad((signal) => api<Place[]>(`${base(code)}/settlements`, { signal }), [code]);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const names = useMemo(() => new Map((places.data ?? []).map((p) => [p.code, p.name])), [places.data]);
  const canDefine = session.municipalitiesWith(['admin', 'editor']).some((c) => c === code || c === '*');
  const title = e.data?.name ?? t('electorates.title');
  // Freezing and deleting cannot be undone: each asks first, saying what will happen.
  const [asking, setAsking] = useState<'freeze' | 'delete'>();
  const act = async (what: 'freeze' | 'delete') => {
    setAsking(undefined);
    if (!e.data) return;
    setBusy(true);
    setError(undefined);
    try {
      if (what === 'freeze') {
        await api(`${base(code)}/electorates/${id}/freeze`, { method: 'POST' });
        e.reload();
      } else {
        await api(`${base(code)}/electorates/${id}`, { method: 'DELETE' });
        navigate('/valijaskonnad');
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const x = e.data;
  return (
    <Page title={title}>
      <p>
        <Link to="/valijaskonnad">{t('electorate.back')}</Link>
      </p>
      {e.loading ? <Loading /> : null}
      {e.error ? <ErrorNotice error={e.error} onRetry={e.reload} /> : null}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {x ? (
        <>
          <h2>{t('electorate.definition')}</h2>
          <dl className="facts">
            <dt>{t('electorates.scope')}</dt>
            <dd>
              {t(`scope.${x.scope}`)}
              {x.scope === 'settlements' ? `: ${x.settlementCodes.map((c) => names.get(c) ?? c).join(', ')}` : ''}
            </dd>
            <dt>{t('electorate.ages')}</dt>
            <dd>
              {x.minAge === null && x.maxAge === null
                ? t('electorate.any')
                : t('electorate.ageRange', { min: x.minAge ?? 0, max: x.maxAge ?? '…' })}
            </dd>
            <dt>{t('electorates.referenceDate')}</dt>
            <dd>{formatDate(x.referenceDate, i18n.language)}</dd>
            <dt>{t('electorates.residenceAt')}</dt>
            <dd>{t(`residenceAt.${x.residenceAt}`)}</dd>
            <dt>{t('electorates.modeLabel')}</dt>
            <dd>{t(`mode.${x.mode}`)}</dd>
            <dt>{t('electorates.state')}</dt>
            <dd>{t(`state.${x.state}`)}</dd>
          </dl>
          {x.frozen ? (
            <>
              <Notice kind="info">
                {t('electorate.frozen', { date: formatDate(x.frozen.at, i18n.language, true), size: x.frozen.size })}
              </Notice>
              <p>
                {t('electorate.sha')}: <code className="register-hash">{x.frozen.sha256}</code>
              </p>
              {canDefine ? (
                <p>
                  <a href={`${base(code)}/electorates/${id}/voters.csv`} download>
                    {t('electorate.export')}
                  </a>
                </p>
              ) : null}
            </>
          ) : null}
          {x.state === 'locked' ? (
            <Notice kind="info">{t('electorate.locked', { reason: x.lockedReason ?? '' })}</Notice>
          ) : null}
          {preview.data ? <PreviewTable preview={preview.data} /> : null}
          {preview.error ? <ErrorNotice error={preview.error} onRetry={preview.reload} /> : null}
          <h2>{t('electorate.lists')}</h2>
          <p className="help">{t('electorate.listsHelp')}</p>
          {(['include', 'exclude'] as const).map((l) => (
            <ListUpload
              key={l}
              code={code}
              e={x}
              list={l}
              onDone={(msg) => {
                setMessage(msg);
                e.reload();
              }}
            />
          ))}
          {canDefine && x.state === 'draft' ? (
            <p className="register-buttons">
              {x.mode === 'frozen' ? (
                <button type="button" className="button" disabled={busy} onClick={() => setAsking('freeze')}>
                  {t('electorate.freeze')}
                </button>
              ) : null}
              <button type="button" className="button-secondary" disabled={busy} onClick={() => setAsking('delete')}>
                {t('electorate.delete')}
              </button>
            </p>
          ) : null}
          <ConfirmDialog
            open={asking === 'freeze'}
            title={t('electorate.freezeConfirmTitle')}
            confirmLabel={t('electorate.freeze')}
            busy={busy}
            onCancel={() => setAsking(undefined)}
            onConfirm={() => void act('freeze')}
          >
            <p>{t('electorate.freezeConsequence', { count: preview.data?.total ?? 0 })}</p>
          </ConfirmDialog>
          <ConfirmDialog
            open={asking === 'delete'}
            title={t('electorate.deleteConfirm', { name: x.name })}
            confirmLabel={t('electorate.delete')}
            busy={busy}
            onCancel={() => setAsking(undefined)}
            onConfirm={() => void act('delete')}
          >
            <p>{t('electorate.deleteConsequence')}</p>
          </ConfirmDialog>
          {x.frozen && canDefine ? <Voters code={code} e={x} /> : null}
        </>
      ) : null}
    </Page>
  );
}

interface LogEntry {
  id: number;
  at: string;
  askedBy: { personId: string; name: string | null; idCode: string } | null;
  subject: { personId: string; name: string | null; idCode: string };
  purpose: string;
  reference: string | null;
  source: 'xroad' | 'extract';
  outcome: string;
  durationMs: number;
}

export function QueryLogPage() {
  return (
    <RequireLogin>
      <QueryLog />
    </RequireLogin>
  );
}

function QueryLog() {
  const { t, i18n } = useR();
  const m = useAdminMunicipalities(['admin']);
  const code = m.current;
  const [older, setOlder] = useState<LogEntry[]>([]);
  const [error, setError] = useState<unknown>();
  const first = useLoad(
    (signal) =>
      code && code !== '0000'
        ? api<LogEntry[]>(`${base(code)}/register/queries?limit=50`, { signal })
        : Promise.resolve([]),
    [code],
  );
  if (!code || code === '0000') {
    return (
      <Page title={t('log.title')}>
        <AdminMunicipalitySelect />
        <Notice kind="warning">{t('log.notAdmin')}</Notice>
      </Page>
    );
  }
  const rows = [...(first.data ?? []), ...older];
  const more = async () => {
    const last = rows.at(-1);
    if (!last) return;
    try {
      setOlder([...older, ...(await api<LogEntry[]>(`${base(code)}/register/queries?limit=50&beforeId=${last.id}`))]);
    } catch (err) {
      setError(err);
    }
  };
  const who = (p: { name: string | null; idCode: string }) => `${p.name ?? ''} (${p.idCode})`.trim();
  return (
    <Page title={t('log.title')} lead={t('log.lead')}>
      <AdminMunicipalitySelect />
      {first.loading ? <Loading /> : null}
      {first.error ? <ErrorNotice error={first.error} onRetry={first.reload} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {first.data && rows.length === 0 ? <p>{t('log.none')}</p> : null}
      {rows.length ? (
        <TableWrap label={t('log.tableLabel')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('log.at')}</th>
                <th scope="col">{t('log.subject')}</th>
                <th scope="col">{t('log.asker')}</th>
                <th scope="col">{t('log.purpose')}</th>
                <th scope="col">{t('log.outcome')}</th>
                <th scope="col">{t('log.source')}</th>
                <th scope="col" className="num">
                  {t('log.duration')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(r.at, i18n.language, true)}</td>
                  <td>{who(r.subject)}</td>
                  <td>{r.askedBy ? who(r.askedBy) : t('log.platform')}</td>
                  <td>
                    {r.purpose}
                    {r.reference ? <span className="muted"> {r.reference}</span> : null}
                  </td>
                  <td>{t(`log.outcomes.${r.outcome}`)}</td>
                  <td>{t(`log.sources.${r.source}`)}</td>
                  <td className="num">{t('log.ms', { count: r.durationMs })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {rows.length >= 50 ? (
        <p>
          <button type="button" className="button-secondary" onClick={() => void more()}>
            {t('log.more')}
          </button>
        </p>
      ) : null}
    </Page>
  );
}
