import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import {
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
import { catName, type Category } from './api';
import { OfficialMunicipalitySelect, useOfficialMunicipality } from './officialMunicipality';

interface Endpoint {
  id: string;
  name: string;
  kind: 'webhook' | 'open311';
  url: string;
  jurisdictionId: string | null;
  active: boolean;
  secretHint: string;
}
interface Delivery {
  id: number;
  reportId: number;
  endpointName: string;
  topic: string;
  idempotencyKey: string;
  status: string;
  attempts: { n: number; at: string; httpStatus: number | null; error: string | null }[];
  lastError: string | null;
  createdAt: string;
}

/** Admins: categories (SLA, department, delivery, on/off), delivery endpoints, the delivery log. */
export function ReportSettings() {
  return (
    <RequireLogin>
      <SettingsPage />
    </RequireLogin>
  );
}

function SettingsPage() {
  const { t, i18n } = useTranslation('reports');
  const m = useOfficialMunicipality(['admin']);
  const code = m.current;
  const cats = useLoad(
    (signal) =>
      code ? api<Category[]>(`/api/v1/municipalities/${code}/report-categories/all`, { signal }) : Promise.resolve([]),
    [code],
  );
  const endpoints = useLoad(
    (signal) =>
      code ? api<Endpoint[]>(`/api/v1/municipalities/${code}/report-endpoints`, { signal }) : Promise.resolve([]),
    [code],
  );
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [ep, setEp] = useState({
    name: '',
    kind: 'webhook' as 'webhook' | 'open311',
    url: '',
    secret: '',
    jurisdictionId: '',
  });
  if (!code) {
    return (
      <Page title={t('settings.title')}>
        <Notice kind="warning">{t('settings.notAdmin')}</Notice>
      </Page>
    );
  }
  const save = async (c: Category, patch: Partial<Category>) => {
    setError(undefined);
    setMessage(undefined);
    try {
      await api(`/api/v1/municipalities/${code}/report-categories/${c.code}`, { method: 'PATCH', body: patch });
      setMessage(t('settings.saved'));
      cats.reload();
    } catch (err) {
      setError(err);
    }
  };
  const addEndpoint = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api(`/api/v1/municipalities/${code}/report-endpoints`, {
        method: 'POST',
        body: {
          name: ep.name,
          kind: ep.kind,
          url: ep.url,
          secret: ep.secret,
          ...(ep.jurisdictionId ? { jurisdictionId: ep.jurisdictionId } : {}),
        },
      });
      setEp({ name: '', kind: 'webhook', url: '', secret: '', jurisdictionId: '' });
      setMessage(t('settings.saved'));
      endpoints.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('settings.title')} lead={t('settings.lead')}>
      <OfficialMunicipalitySelect m={m} />
      <p>
        <Link to="/teated/haldus">{t('nav.manage')}</Link> ·{' '}
        <Link to="/admin/api-clients">{t('settings.apiKeys')}</Link>
      </p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      <h2>{t('settings.categories')}</h2>
      {cats.loading ? <Loading /> : null}
      {cats.data ? (
        <TableWrap label={t('settings.categories')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('field.category')}</th>
                <th scope="col">{t('settings.sla')}</th>
                <th scope="col">{t('handle.department')}</th>
                <th scope="col">{t('settings.delivery')}</th>
                <th scope="col">{t('settings.active')}</th>
              </tr>
            </thead>
            <tbody>
              {cats.data.map((c) => (
                <CategoryRow
                  key={c.code}
                  c={c}
                  name={catName(c, i18n.language)}
                  endpoints={endpoints.data ?? []}
                  onSave={(patch) => void save(c, patch)}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <h2>{t('settings.endpoints')}</h2>
      {endpoints.data && endpoints.data.length ? (
        <ul>
          {endpoints.data.map((e) => (
            <li key={e.id}>
              <strong>{e.name}</strong> ({e.kind}) {e.url} <span className="muted">{e.secretHint}</span>{' '}
              {e.active ? '' : `(${t('settings.inactive')})`}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('settings.noEndpoints')}</p>
      )}
      <form className="form" onSubmit={(e) => void addEndpoint(e)}>
        <h3>{t('settings.addEndpoint')}</h3>
        <TextField
          label={t('settings.endpointName')}
          value={ep.name}
          required
          maxLength={200}
          onChange={(e) => setEp({ ...ep, name: e.target.value })}
        />
        <SelectField
          label={t('settings.kind')}
          value={ep.kind}
          onChange={(e) => setEp({ ...ep, kind: e.target.value as 'webhook' | 'open311' })}
        >
          <option value="webhook">{t('settings.webhook')}</option>
          <option value="open311">{t('settings.open311')}</option>
        </SelectField>
        <TextField
          label={t('settings.url')}
          type="url"
          value={ep.url}
          required
          onChange={(e) => setEp({ ...ep, url: e.target.value })}
        />
        <TextField
          label={t('settings.secret')}
          help={t('settings.secretHelp')}
          value={ep.secret}
          required
          minLength={16}
          autoComplete="off"
          onChange={(e) => setEp({ ...ep, secret: e.target.value })}
        />
        {ep.kind === 'open311' ? (
          <TextField
            label={t('settings.jurisdiction')}
            value={ep.jurisdictionId}
            onChange={(e) => setEp({ ...ep, jurisdictionId: e.target.value })}
          />
        ) : null}
        <button type="submit" className="button">
          {t('settings.add')}
        </button>
      </form>
      <h2>{t('handle.deliveries')}</h2>
      <DeliveryLog municipalityCode={code} />
    </Page>
  );
}

function CategoryRow({
  c,
  name,
  endpoints,
  onSave,
}: {
  c: Category;
  name: string;
  endpoints: Endpoint[];
  onSave: (patch: Partial<Category>) => void;
}) {
  const { t } = useTranslation('reports');
  const [sla, setSla] = useState(c.slaDays ? String(c.slaDays) : '');
  const [department, setDepartment] = useState(c.department ?? '');
  return (
    <tr>
      <th scope="row">
        {name}
        {c.bodyCode ? <span className="muted"> → {c.bodyCode}</span> : null}
      </th>
      <td>
        <input
          aria-label={t('settings.slaFor', { name })}
          className="narrow"
          inputMode="numeric"
          value={sla}
          onChange={(e) => setSla(e.target.value)}
          onBlur={() => sla !== (c.slaDays ? String(c.slaDays) : '') && onSave({ slaDays: sla ? Number(sla) : null })}
        />
      </td>
      <td>
        <input
          aria-label={t('settings.departmentFor', { name })}
          value={department}
          onChange={(e) => setDepartment(e.target.value)}
          onBlur={() => department !== (c.department ?? '') && onSave({ department: department || null })}
        />
      </td>
      <td>
        <select
          aria-label={t('settings.deliveryFor', { name })}
          value={c.endpointId ?? ''}
          onChange={(e) => onSave({ endpointId: e.target.value || null })}
        >
          <option value="">{t('settings.noDelivery')}</option>
          {endpoints.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={t('settings.activeFor', { name })}
          checked={c.active}
          onChange={(e) => onSave({ active: e.target.checked })}
        />
      </td>
    </tr>
  );
}

/** The delivery log (of a report, or the municipality's latest), with re-send. */
export function DeliveryLog({ municipalityCode, reportId }: { municipalityCode: string; reportId?: number }) {
  const { t, i18n } = useTranslation('reports');
  const log = useLoad(
    (signal) =>
      api<Delivery[]>(
        reportId
          ? `/api/v1/municipalities/${municipalityCode}/reports/${reportId}/deliveries`
          : `/api/v1/municipalities/${municipalityCode}/report-deliveries?limit=50`,
        { signal },
      ),
    [municipalityCode, reportId],
  );
  const [error, setError] = useState<unknown>();
  if (log.error) return <ErrorNotice error={log.error} />;
  if (!log.data) return <Loading />;
  if (!log.data.length) return <p>{t('settings.noDeliveries')}</p>;
  return (
    <>
      {error ? <ErrorNotice error={error} /> : null}
      <TableWrap label={t('handle.deliveries')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('field.report')}</th>
              <th scope="col">{t('settings.endpoint')}</th>
              <th scope="col">{t('field.status')}</th>
              <th scope="col">{t('settings.attempts')}</th>
              <th scope="col">{t('settings.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/teated/${d.reportId}`}>#{d.reportId}</Link> <span className="muted">{d.topic}</span>
                </td>
                <td>{d.endpointName}</td>
                <td>{t(`delivery.${d.status}`)}</td>
                <td>
                  <ol className="attempts">
                    {d.attempts.map((a) => (
                      <li key={a.n}>
                        {formatDate(a.at, i18n.language, true)}: {a.httpStatus ?? '—'}{' '}
                        {a.error ? <span className="muted">{a.error}</span> : null}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>
                  <button
                    type="button"
                    className="button-secondary small"
                    onClick={() =>
                      void api(`/api/v1/municipalities/${municipalityCode}/report-deliveries/${d.id}/resend`, {
                        method: 'POST',
                      }).then(
                        () => log.reload(),
                        (err) => setError(err),
                      )
                    }
                  >
                    {t('settings.resend')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
