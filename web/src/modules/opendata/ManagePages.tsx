import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import {
  ConfirmDialog,
  ErrorNotice,
  Loading,
  Notice,
  Page,
  SelectField,
  TableWrap,
  TextArea,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { AdminMunicipalitySelect, useAdminMunicipalities } from '../../pages/admin/AdminMunicipality';
import { fieldProblems, formatBytes, usePick, useProblemText, useVocabularies, type Distribution } from './shared';

const READERS = ['admin', 'editor', 'analyst'];

interface Summary {
  id: string;
  name: string;
  origin: string;
  state: string;
  titleEt: string;
  titleEn: string;
  currentVersion: number | null;
  updatedAt: string;
  distributions: number;
}

interface DatasetView {
  id: string;
  municipalityCode: string;
  name: string;
  origin: string;
  state: string;
  titleEt: string;
  titleEn: string;
  descriptionEt: string;
  descriptionEn: string;
  keywordsEt: string[];
  keywordsEn: string[];
  themes: string[];
  temporalStart: string | null;
  temporalEnd: string | null;
  frequency: string;
  licenseId: string;
  contactName: string | null;
  contactEmail: string | null;
  qualityNote: string | null;
  infoSystemId: string | null;
  agreedOn: string | null;
  changeNote: string | null;
  currentVersion: number | null;
  distributions: Distribution[];
  versions: { version: number; publishedAt: string; publishedBy: string | null; changeNote: string | null }[];
  missing: { pointer: string; detail: string; code: string }[];
}

export function Manage() {
  return (
    <RequireLogin>
      <ManageList />
    </RequireLogin>
  );
}

function ManageList() {
  const { t, i18n } = useTranslation('opendata');
  const m = useAdminMunicipalities(READERS);
  const code = m.current;
  const navigate = useNavigate();
  const list = useLoad(
    (signal) =>
      code ? api<Summary[]>(`/api/v1/municipalities/${code}/opendata/datasets`, { signal }) : Promise.resolve([]),
    [code],
  );
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (!code) {
    return (
      <Page title={t('manage.title')}>
        <Notice kind="warning">{t('manage.notOfficial')}</Notice>
      </Page>
    );
  }
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const d = await api<{ id: string }>(`/api/v1/municipalities/${code}/opendata/datasets`, {
        method: 'POST',
        body: { titleEt: title.trim() },
      });
      navigate(`/avaandmed-haldus/${code}/${d.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const titleError = error instanceof ApiError ? error.fieldError('/body/titleEt') : undefined;
  return (
    <Page title={t('manage.title')} lead={t('manage.lead')}>
      <AdminMunicipalitySelect roles={READERS} />
      <p>
        <Link to="/avaandmed">{t('manage.catalogue')}</Link> ·{' '}
        <Link to="/avaandmed-andmehaldus">{t('nav.governance')}</Link>
      </p>
      <h2>{t('manage.newTitle')}</h2>
      <form className="form" onSubmit={create} noValidate>
        {error && !titleError ? <ErrorNotice error={error} /> : null}
        <TextField
          label={t('manage.newName')}
          help={t('manage.newHelp')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={200}
          error={titleError}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('manage.create')}
        </button>
      </form>
      <h2>{t('manage.list')}</h2>
      {list.loading ? <Loading /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? <p>{t('manage.empty')}</p> : null}
      {list.data && list.data.length ? (
        <TableWrap label={t('manage.list')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('manage.name')}</th>
                <th scope="col">{t('manage.state')}</th>
                <th scope="col">{t('manage.version')}</th>
                <th scope="col">{t('manage.files')}</th>
                <th scope="col">{t('manage.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/avaandmed-haldus/${code}/${d.id}`}>{d.titleEt || d.name}</Link>
                    <span className="muted"> · {t(`manage.origin.${d.origin}`)}</span>
                  </td>
                  <td>{t(`manage.states.${d.state}`)}</td>
                  <td>{d.currentVersion ?? '—'}</td>
                  <td>{d.distributions}</td>
                  <td>{formatDate(d.updatedAt, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </Page>
  );
}

export function Editor() {
  return (
    <RequireLogin>
      <EditorPage />
    </RequireLogin>
  );
}

const csvList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function EditorPage() {
  const { code = '', id = '' } = useParams();
  const { t, i18n } = useTranslation('opendata');
  const vocab = useVocabularies();
  const pick = usePick();
  const problemText = useProblemText();
  const base = `/api/v1/municipalities/${code}/opendata/datasets/${id}`;
  const data = useLoad((signal) => api<DatasetView>(base, { signal }), [base]);
  const systems = useLoad(
    (signal) => api<{ id: string; name: string }[]>(`/api/v1/municipalities/${code}/opendata/systems`, { signal }),
    [code],
  );
  const [form, setForm] = useState<Record<string, string>>({});
  const [themes, setThemes] = useState<string[]>([]);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [uploadError, setUploadError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // Publishing cannot be undone (a version, once public, stays in the catalogue's history).
  const [confirmPublish, setConfirmPublish] = useState(false);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileTitles, setFileTitles] = useState({ et: '', en: '' });
  const [link, setLink] = useState({ url: '', format: 'API', titleEt: '', titleEn: '' });
  const d = data.data;

  useEffect(() => {
    if (!d) return;
    setForm({
      titleEt: d.titleEt,
      titleEn: d.titleEn,
      descriptionEt: d.descriptionEt,
      descriptionEn: d.descriptionEn,
      keywordsEt: d.keywordsEt.join(', '),
      keywordsEn: d.keywordsEn.join(', '),
      frequency: d.frequency,
      licenseId: d.licenseId,
      temporalStart: d.temporalStart ?? '',
      temporalEnd: d.temporalEnd ?? '',
      contactName: d.contactName ?? '',
      contactEmail: d.contactEmail ?? '',
      qualityNote: d.qualityNote ?? '',
      infoSystemId: d.infoSystemId ?? '',
      agreedOn: d.agreedOn ?? '',
      changeNote: d.changeNote ?? '',
    });
    setThemes(d.themes);
  }, [d]);

  if (data.loading && !d) return <Loading />;
  if (!d) {
    return (
      <Page title={t('editor.notFound')}>
        <ErrorNotice error={data.error} />
      </Page>
    );
  }
  const auto = d.origin === 'auto';
  const f = (k: string) => form[k] ?? '';
  const set = (k: string) => (e: { target: { value: string } }) => setForm((s) => ({ ...s, [k]: e.target.value }));
  const problems = fieldProblems(error);
  const errorOf = (pointer: string) => {
    const p = problems.find((x) => x.pointer === pointer);
    return p ? problemText(p) : undefined;
  };

  const run = async <T,>(action: () => Promise<T>, done: string | ((r: T) => string)) => {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      const r = await action();
      setMessage(typeof done === 'string' ? done : done(r));
      data.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const nullable = (v: string) => (v.trim() ? v.trim() : null);
  const save = (e: FormEvent) => {
    e.preventDefault();
    const governance = {
      contactName: nullable(f('contactName')),
      contactEmail: nullable(f('contactEmail')),
      qualityNote: nullable(f('qualityNote')),
      infoSystemId: nullable(f('infoSystemId')),
      agreedOn: nullable(f('agreedOn')),
    };
    const body = auto
      ? governance
      : {
          ...governance,
          titleEt: f('titleEt'),
          titleEn: f('titleEn'),
          descriptionEt: f('descriptionEt'),
          descriptionEn: f('descriptionEn'),
          keywordsEt: csvList(f('keywordsEt')),
          keywordsEn: csvList(f('keywordsEn')),
          themes,
          frequency: f('frequency'),
          licenseId: f('licenseId'),
          temporalStart: nullable(f('temporalStart')),
          temporalEnd: nullable(f('temporalEnd')),
          changeNote: nullable(f('changeNote')),
        };
    void run(() => api(base, { method: 'PATCH', body }), t('editor.saved'));
  };
  const upload = async (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return;
    const fd = new FormData();
    if (fileTitles.et.trim()) fd.append('titleEt', fileTitles.et.trim());
    if (fileTitles.en.trim()) fd.append('titleEn', fileTitles.en.trim());
    fd.append('file', file);
    setUploadError(undefined);
    setBusy(true);
    setMessage(undefined);
    try {
      await api(`${base}/files`, { method: 'POST', raw: fd });
      setMessage(t('editor.uploaded'));
      if (fileRef.current) fileRef.current.value = '';
      setFileTitles({ et: '', en: '' });
      data.reload();
    } catch (err) {
      setUploadError(err);
    } finally {
      setBusy(false);
    }
  };
  const report =
    uploadError instanceof ApiError
      ? ((uploadError.body.report as
          { code: string; detail: string; line?: number; expected?: number; actual?: number }[] | undefined) ?? null)
      : null;
  const mb = Math.round((vocab?.maxFileBytes ?? 20 * 1024 * 1024) / 1024 / 1024);
  const uploadMessage =
    uploadError instanceof ApiError && !report
      ? uploadError.status === 413
        ? t('errors.tooLarge', { mb })
        : fieldProblems(uploadError).length
          ? fieldProblems(uploadError).map(problemText).join(' ')
          : uploadError.type === '/problems/opendata-file-invalid'
            ? t('errors.json')
            : undefined
      : undefined;

  return (
    <Page title={d.titleEt || d.name}>
      <p>
        <Link to="/avaandmed-haldus">{t('editor.back')}</Link>
        {d.currentVersion ? (
          <>
            {' · '}
            <Link to={`/avaandmed/${d.name}`}>{t('editor.viewPublic')}</Link>
          </>
        ) : null}
      </p>
      <p>
        <strong>{t('editor.stateIs', { state: t(`manage.states.${d.state}`) })}</strong>
        {d.currentVersion ? (
          <span className="muted"> · {t('dataset.versionN', { version: d.currentVersion })}</span>
        ) : null}
      </p>
      {auto ? <Notice kind="info">{t('editor.auto')}</Notice> : null}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error && problems.length === 0 ? <ErrorNotice error={error} /> : null}
      {error && problems.length ? (
        <Notice kind="error">
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{problemText(p)}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {!auto ? (
        d.missing.length ? (
          <div className="od-missing" role="region" aria-labelledby="od-missing-title">
            <h2 id="od-missing-title">{t('editor.missingTitle')}</h2>
            <ul>
              {d.missing.map((m) => (
                <li key={m.code}>{problemText(m)}</li>
              ))}
            </ul>
          </div>
        ) : (
          <Notice kind="success">{t('editor.complete')}</Notice>
        )
      ) : null}

      <h2>{t('editor.basics')}</h2>
      <form className="form od-form" onSubmit={save} noValidate>
        {!auto ? (
          <>
            <TextField
              label={t('editor.titleEt')}
              value={f('titleEt')}
              onChange={set('titleEt')}
              maxLength={200}
              error={errorOf('/body/titleEt')}
            />
            <TextField
              label={t('editor.titleEn')}
              value={f('titleEn')}
              onChange={set('titleEn')}
              maxLength={200}
              error={errorOf('/body/titleEn')}
            />
            <TextArea
              label={t('editor.descriptionEt')}
              help={t('editor.descriptionHelp')}
              value={f('descriptionEt')}
              onChange={set('descriptionEt')}
              maxLength={10000}
              error={errorOf('/body/descriptionEt')}
            />
            <TextArea
              label={t('editor.descriptionEn')}
              value={f('descriptionEn')}
              onChange={set('descriptionEn')}
              maxLength={10000}
              error={errorOf('/body/descriptionEn')}
            />
            <TextField
              label={t('editor.keywordsEt')}
              help={t('editor.keywordsHelp')}
              value={f('keywordsEt')}
              onChange={set('keywordsEt')}
            />
            <TextField label={t('editor.keywordsEn')} value={f('keywordsEn')} onChange={set('keywordsEn')} />
            <fieldset className="od-themes" aria-describedby="od-themes-help">
              <legend>{t('editor.themes')}</legend>
              <p id="od-themes-help" className="help">
                {t('editor.themesHelp')}
              </p>
              {errorOf('/body/themes') ? <p className="field-error">{errorOf('/body/themes')}</p> : null}
              {Object.entries(vocab?.themes ?? {}).map(([c, label]) => (
                <label key={c} className="od-check">
                  <input
                    type="checkbox"
                    checked={themes.includes(c)}
                    onChange={(e) => setThemes((s) => (e.target.checked ? [...s, c] : s.filter((x) => x !== c)))}
                  />{' '}
                  {pick(label)}
                </label>
              ))}
            </fieldset>
            <SelectField
              label={t('editor.frequency')}
              value={f('frequency')}
              onChange={set('frequency')}
              error={errorOf('/body/frequency')}
            >
              {Object.entries(vocab?.frequencies ?? {}).map(([c, label]) => (
                <option key={c} value={c}>
                  {pick(label)}
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t('editor.licence')}
              help={t('editor.licenceHelp')}
              value={f('licenseId')}
              onChange={set('licenseId')}
              error={errorOf('/body/licenseId')}
            >
              {(vocab?.licences ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.title}
                </option>
              ))}
            </SelectField>
            <fieldset className="od-period">
              <legend>{t('editor.period')}</legend>
              <TextField
                label={t('editor.start')}
                type="date"
                value={f('temporalStart')}
                onChange={set('temporalStart')}
              />
              <TextField
                label={t('editor.end')}
                type="date"
                value={f('temporalEnd')}
                onChange={set('temporalEnd')}
                error={errorOf('/body/temporalEnd')}
              />
            </fieldset>
          </>
        ) : null}
        <TextField label={t('editor.contactName')} value={f('contactName')} onChange={set('contactName')} />
        <TextField
          label={t('editor.contactEmail')}
          help={t('editor.contactHelp')}
          type="email"
          value={f('contactEmail')}
          onChange={set('contactEmail')}
          error={errorOf('/body/contactEmail')}
        />
        <TextArea
          label={t('editor.quality')}
          help={t('editor.qualityHelp')}
          value={f('qualityNote')}
          onChange={set('qualityNote')}
          maxLength={4000}
        />
        <SelectField label={t('editor.system')} value={f('infoSystemId')} onChange={set('infoSystemId')}>
          <option value="">{t('editor.noSystem')}</option>
          {(systems.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextField label={t('editor.agreedOn')} type="date" value={f('agreedOn')} onChange={set('agreedOn')} />
        {!auto && d.currentVersion ? (
          <TextField
            label={t('editor.changeNote')}
            value={f('changeNote')}
            onChange={set('changeNote')}
            maxLength={1000}
          />
        ) : null}
        <button type="submit" className="button" disabled={busy}>
          {t('editor.save')}
        </button>
      </form>

      <h2>{t('editor.filesTitle')}</h2>
      {d.distributions.length === 0 ? <p>{t('editor.noFiles')}</p> : null}
      <ul className="od-files">
        {d.distributions.map((x) => (
          <li key={x.id}>
            <span>
              {pick(x.title)}{' '}
              <span className="muted">
                ({x.format}
                {x.byteSize !== null ? `, ${formatBytes(x.byteSize)}` : ''}
                {x.csv ? `, ${t('editor.rows', { count: x.csv.rowCount })}` : ''})
              </span>
            </span>{' '}
            {!auto ? (
              <button
                type="button"
                className="button-secondary small"
                disabled={busy}
                aria-label={t('editor.removeLabel', { name: pick(x.title) })}
                onClick={() =>
                  void run(() => api(`${base}/distributions/${x.id}`, { method: 'DELETE' }), t('editor.saved'))
                }
              >
                {t('editor.remove')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {!auto ? (
        <>
          <form className="form od-form" onSubmit={upload} noValidate>
            {report ? (
              <div className="notice notice-error" role="alert">
                <p>
                  <strong>{t('editor.csvReportTitle')}</strong>
                </p>
                <ul>
                  {report.map((p, i) => (
                    <li key={i}>{problemText(p)}</li>
                  ))}
                </ul>
                <p>{t('editor.csvReportFix')}</p>
              </div>
            ) : null}
            {uploadError && !report ? (
              uploadMessage ? (
                <Notice kind="error">{uploadMessage}</Notice>
              ) : (
                <ErrorNotice error={uploadError} />
              )
            ) : null}
            <div className="field">
              <label htmlFor="od-file">{t('editor.file')}</label>
              <p id="od-file-help" className="help">
                {t('editor.fileHelp', { mb })}
              </p>
              <input id="od-file" ref={fileRef} type="file" aria-describedby="od-file-help" />
            </div>
            <TextField
              label={t('editor.fileTitleEt')}
              value={fileTitles.et}
              onChange={(e) => setFileTitles((s) => ({ ...s, et: e.target.value }))}
            />
            <TextField
              label={t('editor.fileTitleEn')}
              value={fileTitles.en}
              onChange={(e) => setFileTitles((s) => ({ ...s, en: e.target.value }))}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('editor.upload')}
            </button>
          </form>
          <h3>{t('editor.link')}</h3>
          <form
            className="form od-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void run(
                () =>
                  api(`${base}/links`, {
                    method: 'POST',
                    body: {
                      url: link.url.trim(),
                      format: link.format,
                      titleEt: link.titleEt.trim() || link.url.trim(),
                      titleEn: link.titleEn.trim() || link.url.trim(),
                    },
                  }),
                t('editor.saved'),
              );
            }}
          >
            <TextField
              label={t('editor.linkUrl')}
              type="url"
              value={link.url}
              onChange={(e) => setLink((s) => ({ ...s, url: e.target.value }))}
              error={errorOf('/body/url')}
            />
            <SelectField
              label={t('editor.linkFormat')}
              value={link.format}
              onChange={(e) => setLink((s) => ({ ...s, format: e.target.value }))}
            >
              {(vocab?.formats ?? []).map((x) => (
                <option key={x.format} value={x.format}>
                  {x.format}
                </option>
              ))}
            </SelectField>
            <TextField
              label={t('editor.linkTitleEt')}
              value={link.titleEt}
              onChange={(e) => setLink((s) => ({ ...s, titleEt: e.target.value }))}
            />
            <TextField
              label={t('editor.linkTitleEn')}
              value={link.titleEn}
              onChange={(e) => setLink((s) => ({ ...s, titleEn: e.target.value }))}
            />
            <button type="submit" className="button-secondary" disabled={busy || !link.url.trim()}>
              {t('editor.addLink')}
            </button>
          </form>

          <h2>{t('editor.workflow')}</h2>
          <div className="od-actions">
            {d.state === 'draft' ? (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void run(() => api(`${base}/submit`, { method: 'POST' }), t('editor.submitted'))}
              >
                {t('editor.submit')}
              </button>
            ) : null}
            {d.state === 'review' ? (
              <>
                <button type="button" className="button" disabled={busy} onClick={() => setConfirmPublish(true)}>
                  {t('editor.publish')}
                </button>
                <ConfirmDialog
                  open={confirmPublish}
                  title={t('editor.publishConfirmTitle', { title: d.titleEt })}
                  confirmLabel={t('editor.publish')}
                  busy={busy}
                  onCancel={() => setConfirmPublish(false)}
                  onConfirm={() => {
                    setConfirmPublish(false);
                    void run(
                      () => api<DatasetView>(`${base}/publish`, { method: 'POST' }),
                      (r) => t('editor.published', { version: r.currentVersion }),
                    );
                  }}
                >
                  <p>
                    {t('editor.publishConsequence', {
                      version: (d.currentVersion ?? 0) + 1,
                      count: d.distributions.length,
                    })}
                  </p>
                </ConfirmDialog>
                <button
                  type="button"
                  className="button-secondary"
                  disabled={busy}
                  onClick={() =>
                    void run(() => api(`${base}/return`, { method: 'POST', body: {} }), t('editor.returned'))
                  }
                >
                  {t('editor.returnDraft')}
                </button>
              </>
            ) : null}
            {d.currentVersion && d.state !== 'withdrawn' ? (
              <>
                <button
                  type="button"
                  className="button-secondary"
                  disabled={busy}
                  onClick={() => setConfirmWithdraw(true)}
                >
                  {t('editor.withdraw')}
                </button>
                <ConfirmDialog
                  open={confirmWithdraw}
                  title={t('editor.withdrawConfirmTitle', { title: d.titleEt })}
                  confirmLabel={t('editor.withdraw')}
                  busy={busy}
                  onCancel={() => setConfirmWithdraw(false)}
                  onConfirm={() => {
                    setConfirmWithdraw(false);
                    void run(() => api(`${base}/withdraw`, { method: 'POST' }), t('editor.withdrawn'));
                  }}
                >
                  <p>{t('editor.withdrawConsequence')}</p>
                </ConfirmDialog>
              </>
            ) : null}
          </div>
        </>
      ) : null}
      {d.versions.length ? (
        <>
          <h2>{t('editor.versions')}</h2>
          <ul>
            {d.versions.map((v) => (
              <li key={v.version}>
                {t('dataset.versionN', { version: v.version })} — {formatDate(v.publishedAt, i18n.language, true)}
                {v.publishedBy ? ` (${v.publishedBy})` : ''}
                {v.changeNote ? `: ${v.changeNote}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}
