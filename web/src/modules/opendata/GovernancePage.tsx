import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import {
  ErrorNotice,
  Loading,
  Notice,
  Page,
  TableWrap,
  TextField,
  SelectField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { AdminMunicipalitySelect, useAdminMunicipalities } from '../../pages/admin/AdminMunicipality';

const READERS = ['admin', 'editor', 'analyst'];

interface Dashboard {
  systems: {
    total: number;
    notRegistered: { id: string; name: string }[];
    withoutOwner: { id: string; name: string }[];
  };
  datasets: {
    total: number;
    agreed: number;
    published: number;
    agreedPublished: number;
    agreedNotPublished: { id: string; name: string; titleEt: string; state: string }[];
    withoutQualityNote: { id: string; titleEt: string }[];
    waitingForReview: number;
  };
  roles: { headOfDataGovernance: boolean };
  automaticFailures: { runId: string; providerKey: string; at: string; error: string }[];
}
interface System {
  id: string;
  name: string;
  shortName: string;
  ownerName: string;
  systemStatus: string;
  rihaRegistered: boolean;
  xRoadStatus: string;
  datasets: { id: string }[];
}
interface RoleRow {
  id: string;
  name: string | null;
  idCodeMasked: string;
  role: string;
  infoSystem: { id: string; name: string } | null;
}
interface Run {
  id: string;
  providerKey: string;
  trigger: string;
  startedAt: string;
  status: string;
  changes: { key: string; name?: string; change: string; version?: number; error?: string }[];
  error: string | null;
}

export function Governance() {
  return (
    <RequireLogin>
      <GovernanceInner />
    </RequireLogin>
  );
}

function GovernanceInner() {
  const { t, i18n } = useTranslation('opendata');
  const m = useAdminMunicipalities(READERS);
  const code = m.current;
  const base = `/api/v1/municipalities/${code}/opendata`;
  const dash = useLoad(
    (signal) => (code ? api<Dashboard>(`${base}/dashboard`, { signal }) : Promise.resolve(undefined)),
    [code],
  );
  const systems = useLoad(
    (signal) => (code ? api<System[]>(`${base}/systems`, { signal }) : Promise.resolve([])),
    [code],
  );
  const roles = useLoad((signal) => (code ? api<RoleRow[]>(`${base}/roles`, { signal }) : Promise.resolve([])), [code]);
  const runs = useLoad((signal) => (code ? api<Run[]>(`${base}/runs`, { signal }) : Promise.resolve([])), [code]);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [sys, setSys] = useState({
    name: '',
    shortName: '',
    ownerCode: '',
    ownerName: '',
    purpose: '',
    dataObjects: '',
    vendor: '',
    rihaRegistered: false,
    xRoad: false,
  });
  const [role, setRole] = useState({ idCode: '', role: 'data_owner', infoSystemId: '' });

  if (!code) {
    return (
      <Page title={t('governance.title')}>
        <Notice kind="warning">{t('manage.notOfficial')}</Notice>
      </Page>
    );
  }
  const act = async (fn: () => Promise<unknown>, done: string, reload: (() => void)[]) => {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      await fn();
      setMessage(done);
      reload.forEach((r) => r());
      dash.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  const addSystem = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        api(`${base}/systems`, {
          method: 'POST',
          body: {
            name: sys.name.trim(),
            shortName: sys.shortName.trim(),
            ownerCode: sys.ownerCode.trim(),
            ownerName: sys.ownerName.trim(),
            purpose: sys.purpose.trim(),
            dataObjects: sys.dataObjects
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
            vendor: sys.vendor.trim() || null,
            rihaRegistered: sys.rihaRegistered,
            xRoadStatus: sys.xRoad ? 'JOINED' : 'NOT_JOINED',
          },
        }),
      t('governance.added'),
      [systems.reload],
    );
  };
  const assign = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        api(`${base}/roles`, {
          method: 'POST',
          body: { idCode: role.idCode.trim(), role: role.role, infoSystemId: role.infoSystemId || null },
        }),
      t('governance.assigned'),
      [roles.reload],
    );
  };
  const d = dash.data;
  return (
    <Page title={t('governance.title')} lead={t('governance.lead')}>
      <AdminMunicipalitySelect roles={READERS} />
      <p>
        <Link to="/avaandmed-haldus">{t('nav.manage')}</Link>
      </p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}

      <h2>{t('governance.dashboard')}</h2>
      {dash.loading ? <Loading /> : null}
      {d ? (
        <>
          {!d.roles.headOfDataGovernance ? <Notice kind="warning">{t('governance.noHead')}</Notice> : null}
          <dl className="facts od-dashboard">
            <dt>{t('governance.systemsTotal')}</dt>
            <dd>{d.systems.total}</dd>
            <dt>{t('governance.notRegistered')}</dt>
            <dd>
              {d.systems.notRegistered.length
                ? `${d.systems.notRegistered.length}: ${d.systems.notRegistered.map((s) => s.name).join(', ')}`
                : '0'}
            </dd>
            <dt>{t('governance.withoutOwner')}</dt>
            <dd>{d.systems.withoutOwner.length}</dd>
            <dt>{t('governance.agreed')}</dt>
            <dd>{d.datasets.agreed}</dd>
            <dt>{t('governance.publishedCount')}</dt>
            <dd>{d.datasets.published}</dd>
            <dt>{t('governance.agreedPublished')}</dt>
            <dd>
              {d.datasets.agreedPublished} / {d.datasets.agreed}
            </dd>
            <dt>{t('governance.agreedNotPublished')}</dt>
            <dd>
              {d.datasets.agreedNotPublished.length
                ? d.datasets.agreedNotPublished.map((x) => x.titleEt || x.name).join(', ')
                : '0'}
            </dd>
            <dt>{t('governance.withoutQuality')}</dt>
            <dd>{d.datasets.withoutQualityNote.length}</dd>
            <dt>{t('governance.waiting')}</dt>
            <dd>{d.datasets.waitingForReview}</dd>
          </dl>
          {d.automaticFailures.length ? (
            <Notice kind="warning">
              {t('governance.failures')}: {d.automaticFailures.map((f) => `${f.providerKey}: ${f.error}`).join('; ')}
            </Notice>
          ) : null}
        </>
      ) : null}

      <h2>{t('governance.systems')}</h2>
      {systems.data && systems.data.length === 0 ? <p>{t('governance.noSystems')}</p> : null}
      {systems.data && systems.data.length ? (
        <TableWrap label={t('governance.systems')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('governance.system')}</th>
                <th scope="col">{t('governance.owner')}</th>
                <th scope="col">{t('governance.status')}</th>
                <th scope="col">{t('governance.riha')}</th>
                <th scope="col">{t('governance.rihaJson')}</th>
              </tr>
            </thead>
            <tbody>
              {systems.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.name} <span className="muted">({s.shortName})</span>
                  </td>
                  <td>{s.ownerName}</td>
                  <td>{s.systemStatus}</td>
                  <td>{s.rihaRegistered ? t('governance.yes') : t('governance.no')}</td>
                  <td>
                    <a
                      href={`${base}/systems/${s.id}/riha.json`}
                      aria-label={t('governance.rihaJsonLabel', { name: s.name })}
                    >
                      {t('governance.rihaJson')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <h3>{t('governance.addSystem')}</h3>
      <form className="form" onSubmit={addSystem} noValidate>
        <TextField
          label={t('governance.systemName')}
          value={sys.name}
          onChange={(e) => setSys((s) => ({ ...s, name: e.target.value }))}
          error={fieldError('/body/name')}
        />
        <TextField
          label={t('governance.shortName')}
          help={t('governance.shortNameHelp')}
          value={sys.shortName}
          onChange={(e) => setSys((s) => ({ ...s, shortName: e.target.value }))}
          error={fieldError('/body/shortName')}
        />
        <TextField
          label={t('governance.ownerCode')}
          inputMode="numeric"
          value={sys.ownerCode}
          onChange={(e) => setSys((s) => ({ ...s, ownerCode: e.target.value }))}
          error={fieldError('/body/ownerCode')}
        />
        <TextField
          label={t('governance.ownerName')}
          value={sys.ownerName}
          onChange={(e) => setSys((s) => ({ ...s, ownerName: e.target.value }))}
          error={fieldError('/body/ownerName')}
        />
        <TextField
          label={t('governance.purpose')}
          value={sys.purpose}
          onChange={(e) => setSys((s) => ({ ...s, purpose: e.target.value }))}
        />
        <TextField
          label={t('governance.dataObjects')}
          help={t('governance.dataObjectsHelp')}
          value={sys.dataObjects}
          onChange={(e) => setSys((s) => ({ ...s, dataObjects: e.target.value }))}
        />
        <TextField
          label={t('governance.vendor')}
          value={sys.vendor}
          onChange={(e) => setSys((s) => ({ ...s, vendor: e.target.value }))}
        />
        <label className="od-check">
          <input
            type="checkbox"
            checked={sys.rihaRegistered}
            onChange={(e) => setSys((s) => ({ ...s, rihaRegistered: e.target.checked }))}
          />{' '}
          {t('governance.registered')}
        </label>
        <label className="od-check">
          <input
            type="checkbox"
            checked={sys.xRoad}
            onChange={(e) => setSys((s) => ({ ...s, xRoad: e.target.checked }))}
          />{' '}
          {t('governance.xroad')}
        </label>
        <button type="submit" className="button" disabled={busy}>
          {t('governance.add')}
        </button>
      </form>

      <h2>{t('governance.roles')}</h2>
      {roles.data && roles.data.length === 0 ? <p>{t('governance.noRoles')}</p> : null}
      {roles.data && roles.data.length ? (
        <TableWrap label={t('governance.roles')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('governance.person')}</th>
                <th scope="col">{t('governance.role')}</th>
                <th scope="col">{t('governance.scope')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('governance.removeRole')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roles.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.name ?? r.idCodeMasked} <span className="muted">({r.idCodeMasked})</span>
                  </td>
                  <td>{t(`governance.roleNames.${r.role}`)}</td>
                  <td>{r.infoSystem?.name ?? t('governance.wholeMunicipality')}</td>
                  <td>
                    <button
                      type="button"
                      className="button-secondary small"
                      disabled={busy}
                      aria-label={t('governance.removeRoleLabel', {
                        name: r.name ?? r.idCodeMasked,
                        role: t(`governance.roleNames.${r.role}`),
                      })}
                      onClick={() =>
                        void act(() => api(`${base}/roles/${r.id}`, { method: 'DELETE' }), t('governance.assigned'), [
                          roles.reload,
                        ])
                      }
                    >
                      {t('governance.removeRole')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <form className="form" onSubmit={assign} noValidate>
        <TextField
          label={t('governance.idCode')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={11}
          value={role.idCode}
          onChange={(e) => setRole((s) => ({ ...s, idCode: e.target.value }))}
          error={fieldError('/body/idCode')}
        />
        <SelectField
          label={t('governance.role')}
          value={role.role}
          onChange={(e) => setRole((s) => ({ ...s, role: e.target.value }))}
        >
          {['head_of_data_governance', 'data_owner', 'data_steward'].map((r) => (
            <option key={r} value={r}>
              {t(`governance.roleNames.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('governance.scope')}
          value={role.infoSystemId}
          onChange={(e) => setRole((s) => ({ ...s, infoSystemId: e.target.value }))}
        >
          <option value="">{t('governance.wholeMunicipality')}</option>
          {(systems.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button" disabled={busy}>
          {t('governance.assign')}
        </button>
      </form>

      <h2>{t('governance.log')}</h2>
      <p>
        <button
          type="button"
          className="button-secondary"
          disabled={busy}
          onClick={() => void act(() => api(`${base}/runs`, { method: 'POST' }), t('governance.ran'), [runs.reload])}
        >
          {t('governance.runNow')}
        </button>
      </p>
      {runs.data && runs.data.length === 0 ? <p>{t('governance.noRuns')}</p> : null}
      {runs.data && runs.data.length ? (
        <TableWrap label={t('governance.log')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('governance.started')}</th>
                <th scope="col">{t('governance.provider')}</th>
                <th scope="col">{t('governance.trigger')}</th>
                <th scope="col">{t('governance.result')}</th>
                <th scope="col">{t('governance.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(r.startedAt, i18n.language, true)}</td>
                  <td>{r.providerKey}</td>
                  <td>{r.trigger}</td>
                  <td>{t(`governance.runStatus.${r.status}`)}</td>
                  <td>
                    {r.error ? <span>{r.error}</span> : null}
                    <ul className="od-plain">
                      {r.changes.map((c, i) => (
                        <li key={i}>
                          {c.name ? <Link to={`/avaandmed/${c.name}`}>{c.name}</Link> : c.key}:{' '}
                          {t(`governance.change.${c.change}`)}
                          {c.version ? ` (v${c.version})` : ''}
                          {c.error ? ` — ${c.error}` : ''}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </Page>
  );
}
