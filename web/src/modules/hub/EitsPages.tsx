import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, Page, SelectField, TableWrap, TextField, useLoad } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { useAdminMunicipalities } from '../../pages/admin/AdminMunicipality';

interface Progress {
  total: number;
  notApplicable: number;
  notStarted: number;
  inProgress: number;
  implemented: number;
  percent: number;
}
interface Measure {
  code: string;
  title: string;
  body: string;
  group: string;
  inScope: boolean;
  status: string;
  reason: string;
  responsibleRole: string;
  responsiblePerson: string;
  dueDate: string | null;
  overdue: boolean;
  evidence: { title: string; url: string }[];
  notes: string;
  changedSinceUpdate: boolean;
}
interface Tracker {
  catalogueVersion: string;
  targetLevel: string;
  readOnly: boolean;
  progress: Progress;
  byLayer: Record<string, Progress>;
  modules: {
    code: string;
    layer: string;
    title: string;
    applies: boolean;
    note: string;
    progress: Progress;
    measures: Measure[];
  }[];
  audits: {
    id: string;
    auditDate: string;
    kind: string;
    auditor: string;
    findings: { id: string; severity: string; description: string; status: string }[];
  }[];
}

const STATUSES = ['not_started', 'in_progress', 'implemented', 'not_applicable'];

export function TrackerPage() {
  return (
    <RequireLogin>
      <TrackerView />
    </RequireLogin>
  );
}

function TrackerView() {
  const { t } = useTranslation('hub');
  const m = useAdminMunicipalities(['admin', 'editor', 'analyst']);
  const options = m.options.filter((c) => c !== '0000');
  const code = options.includes(m.current) ? m.current : (options[0] ?? '');
  const tracker = useLoad(
    (signal) => (code ? api<Tracker>(`/api/v1/municipalities/${code}/eits`, { signal }) : Promise.resolve(undefined)),
    [code],
  );
  const [message, setMessage] = useState<string>();
  if (!code) {
    return (
      <Page title={t('eits.title')}>
        <Notice kind="warning">{t('eits.notOfficial')}</Notice>
      </Page>
    );
  }
  const tr = tracker.data;
  const setLevel = async (level: string) => {
    await api(`/api/v1/municipalities/${code}/eits/level`, { method: 'PUT', body: { targetLevel: level } });
    tracker.reload();
  };
  return (
    <Page title={t('eits.title')} lead={t('eits.lead')}>
      {options.length > 1 ? (
        <SelectField label={t('eits.municipality')} value={code} onChange={(e) => m.select(e.target.value)}>
          {options.map((c) => (
            <option key={c} value={c}>
              {m.nameOf(c)}
            </option>
          ))}
        </SelectField>
      ) : null}
      <p>
        <Link to="/e-its/ulevaade">{t('eits.overview')}</Link> · <Link to="/mentorlus">{t('mentors.nav')}</Link> ·{' '}
        <a href={`/api/v1/municipalities/${code}/eits/export.csv`}>{t('eits.export')}</a>
      </p>
      {tracker.loading ? <Loading /> : null}
      {tracker.error ? (
        tracker.error instanceof ApiError && tracker.error.status === 404 ? (
          <Notice kind="warning">{t('eits.noCatalogue')}</Notice>
        ) : (
          <ErrorNotice error={tracker.error} onRetry={tracker.reload} />
        )
      ) : null}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {tr ? (
        <>
          {tr.readOnly ? <Notice>{t('eits.readOnly')}</Notice> : null}
          <p className="muted">{t('eits.version', { version: tr.catalogueVersion })}</p>
          <SelectField
            label={t('eits.level')}
            value={tr.targetLevel}
            disabled={tr.readOnly}
            onChange={(e) => void setLevel(e.target.value)}
          >
            {['basic', 'standard', 'high'].map((l) => (
              <option key={l} value={l}>
                {t(`eits.levels.${l}`)}
              </option>
            ))}
          </SelectField>
          <h2>{t('eits.progress')}</h2>
          <p className="eits-overall">
            <progress max={100} value={tr.progress.percent} aria-label={t('eits.progress')} />{' '}
            {t('eits.overall', {
              percent: tr.progress.percent,
              implemented: tr.progress.implemented,
              applicable: tr.progress.total - tr.progress.notApplicable,
            })}
          </p>
          <h3>{t('eits.byLayer')}</h3>
          <TableWrap label={t('eits.byLayer')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('eits.layer')}</th>
                  <th scope="col">{t('eits.total')}</th>
                  <th scope="col">{t('eits.implemented')}</th>
                  <th scope="col">{t('eits.inProgress')}</th>
                  <th scope="col">{t('eits.notStarted')}</th>
                  <th scope="col">{t('eits.notApplicable')}</th>
                  <th scope="col">{t('eits.percent')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(tr.byLayer).map(([layer, p]) => (
                  <tr key={layer}>
                    <th scope="row">{layer}</th>
                    <td>{p.total}</td>
                    <td>{p.implemented}</td>
                    <td>{p.inProgress}</td>
                    <td>{p.notStarted}</td>
                    <td>{p.notApplicable}</td>
                    <td>{p.percent}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <h2>{t('eits.modules')}</h2>
          {tr.modules.map((mod) => (
            <details key={mod.code} className="eits-module">
              <summary>
                {mod.code} {mod.title} — {mod.applies ? `${mod.progress.percent} %` : t('eits.notApplicable')}
              </summary>
              {!mod.applies ? <p>{t('eits.moduleNotApplies', { note: mod.note })}</p> : null}
              {mod.measures.map((x) => (
                <MeasureEditor
                  key={x.code}
                  code={code}
                  measure={x}
                  readOnly={tr.readOnly}
                  onSaved={(c) => {
                    setMessage(t('eits.saved', { code: c }));
                    tracker.reload();
                  }}
                />
              ))}
            </details>
          ))}
          <h2>{t('eits.audits')}</h2>
          {tr.audits.length === 0 ? <p>{t('eits.noAudits')}</p> : null}
          <ul>
            {tr.audits.map((a) => (
              <li key={a.id}>
                {a.auditDate} · {a.auditor} ·{' '}
                {a.findings.map((f) => `${f.severity}: ${f.description} (${f.status})`).join('; ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <CatalogueImport onImported={tracker.reload} />
    </Page>
  );
}

function MeasureEditor({
  code,
  measure,
  readOnly,
  onSaved,
}: {
  code: string;
  measure: Measure;
  readOnly: boolean;
  onSaved: (code: string) => void;
}) {
  const { t } = useTranslation('hub');
  const [f, setF] = useState({
    status: measure.status,
    reason: measure.reason,
    responsibleRole: measure.responsibleRole,
    responsiblePerson: measure.responsiblePerson,
    dueDate: measure.dueDate ?? '',
    evidenceTitle: measure.evidence[0]?.title ?? '',
    evidenceUrl: measure.evidence[0]?.url ?? '',
  });
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof f, v: string) => setF({ ...f, [k]: v });
  const fe = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api(`/api/v1/municipalities/${code}/eits/measures/${measure.code}`, {
        method: 'PUT',
        body: {
          status: f.status,
          reason: f.reason,
          responsibleRole: f.responsibleRole,
          responsiblePerson: f.responsiblePerson,
          dueDate: f.dueDate || null,
          evidence: f.evidenceUrl ? [{ title: f.evidenceTitle || f.evidenceUrl, url: f.evidenceUrl }] : [],
        },
      });
      onSaved(measure.code);
    } catch (err) {
      setError(err);
    }
  };
  const label = `${measure.code} ${measure.title}`;
  return (
    <form className="eits-measure" onSubmit={save} noValidate>
      <fieldset disabled={readOnly}>
        <legend>{label}</legend>
        <p className="muted">
          {t(`eits.groups.${measure.group}`)}
          {measure.inScope ? '' : ` · ${t('eits.outOfScope')}`}
          {measure.overdue ? <strong className="eits-flag"> · {t('eits.overdue')}</strong> : null}
          {measure.changedSinceUpdate ? <strong className="eits-flag"> · {t('eits.changed')}</strong> : null}
        </p>
        <p>{measure.body}</p>
        {error && !fe('/body/reason') ? <ErrorNotice error={error} /> : null}
        <div className="eits-fields">
          <SelectField label={t('eits.status')} value={f.status} onChange={(e) => set('status', e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`eits.statuses.${s}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('eits.reason')}
            value={f.reason}
            onChange={(e) => set('reason', e.target.value)}
            error={fe('/body/reason')}
          />
          <TextField
            label={t('eits.role')}
            value={f.responsibleRole}
            onChange={(e) => set('responsibleRole', e.target.value)}
          />
          <TextField
            label={t('eits.person')}
            value={f.responsiblePerson}
            onChange={(e) => set('responsiblePerson', e.target.value)}
          />
          <TextField
            label={t('eits.due')}
            type="date"
            value={f.dueDate}
            onChange={(e) => set('dueDate', e.target.value)}
          />
          <TextField
            label={t('eits.evidenceTitle')}
            value={f.evidenceTitle}
            onChange={(e) => set('evidenceTitle', e.target.value)}
          />
          <TextField
            label={t('eits.evidence')}
            type="url"
            value={f.evidenceUrl}
            onChange={(e) => set('evidenceUrl', e.target.value)}
            error={fe('/body/evidence/0/url')}
          />
        </div>
        {!readOnly ? (
          <button type="submit" className="button small">
            {t('eits.save')}
          </button>
        ) : null}
      </fieldset>
    </form>
  );
}

export function OverviewPage() {
  return (
    <RequireLogin>
      <OverviewView />
    </RequireLogin>
  );
}

function OverviewView() {
  const { t } = useTranslation('hub');
  const session = useSession();
  const elvl = session.me?.platformAdmin || session.me?.roles.some((r) => r.municipalityCode === '0000');
  const [named, setNamed] = useState(false);
  const data = useLoad(
    (signal) =>
      api<{ municipalities: { name: string; progress: Progress; overdue: number }[]; median: number | null }>(
        `/api/v1/eits/overview?anonymise=${!named}`,
        { signal },
      ),
    [named],
  );
  return (
    <Page title={t('overview.title')} lead={t('overview.lead')}>
      {elvl ? (
        <p>
          <label>
            <input type="checkbox" checked={named} onChange={(e) => setNamed(e.target.checked)} /> {t('overview.named')}
          </label>
        </p>
      ) : null}
      {data.loading ? <Loading /> : null}
      {data.error ? <ErrorNotice error={data.error} onRetry={data.reload} /> : null}
      {data.data ? (
        <>
          {data.data.median !== null ? <p>{t('overview.median', { median: data.data.median })}</p> : null}
          <TableWrap label={t('overview.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('overview.name')}</th>
                  <th scope="col">{t('overview.percent')}</th>
                  <th scope="col">{t('overview.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.data.municipalities.map((m) => (
                  <tr key={m.name}>
                    <th scope="row">{m.name}</th>
                    <td>{m.progress.percent}</td>
                    <td>{m.overdue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
    </Page>
  );
}

interface ImportResult {
  version: string;
  previousVersion: string | null;
  measures: number;
  diff: { added: { code: string }[]; removed: { code: string }[]; changed: { code: string; fields: string[] }[] };
}

/** ELVL admins import a newer catalogue from RIA's file; the answer lists what changed, or every error. */
function CatalogueImport({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation('hub');
  const session = useSession();
  const [version, setVersion] = useState('');
  const [file, setFile] = useState<File>();
  const [result, setResult] = useState<ImportResult>();
  const [error, setError] = useState<unknown>();
  const admin =
    session.me?.platformAdmin || session.me?.roles.some((r) => r.municipalityCode === '0000' && r.role === 'admin');
  if (!admin) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    if (!file) return;
    let doc: unknown;
    try {
      doc = JSON.parse(await file.text());
    } catch {
      setError(new ApiError(400, 'local', t('import.notJson'), t('import.notJson')));
      return;
    }
    try {
      setResult(
        await api<ImportResult>(
          `/api/v1/eits/catalogue/${encodeURIComponent(version)}?source=${encodeURIComponent(file.name)}`,
          { method: 'POST', body: doc },
        ),
      );
      onImported();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>{t('import.title')}</h2>
      <p className="help">{t('import.help')}</p>
      <form className="form" onSubmit={submit}>
        <TextField
          label={t('import.version')}
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          required
          pattern="[A-Za-z0-9._-]{1,40}"
        />
        <div className="field">
          <label htmlFor="eits-file">{t('import.file')}</label>
          <input
            id="eits-file"
            type="file"
            accept="application/json,.json"
            onChange={(e) => setFile(e.target.files?.[0])}
            required
          />
        </div>
        <button type="submit" className="button" disabled={!file || !version}>
          {t('import.submit')}
        </button>
      </form>
      {error ? (
        <div role="alert" className="notice notice-error">
          <p>{error instanceof ApiError ? error.title : t('import.failed')}</p>
          {error instanceof ApiError && error.errors.length ? (
            <ul>
              {error.errors.map((x, i) => (
                <li key={i}>
                  <code>{x.pointer}</code>: {x.detail}
                </li>
              ))}
            </ul>
          ) : error instanceof ApiError ? (
            <p>{error.detail}</p>
          ) : null}
        </div>
      ) : null}
      {result ? (
        <Notice kind="success">
          {t('import.done', { version: result.version, measures: result.measures })}{' '}
          {result.previousVersion
            ? t('import.diff', {
                from: result.previousVersion,
                added: result.diff.added.length,
                removed: result.diff.removed.length,
                changed: result.diff.changed.length,
              })
            : null}
          {result.diff.changed.length
            ? ` ${result.diff.changed.map((c) => `${c.code} (${c.fields.join(', ')})`).join('; ')}`
            : null}
        </Notice>
      ) : null}
    </section>
  );
}
