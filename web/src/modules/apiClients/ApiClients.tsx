import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import {
  ConfirmDialog,
  ErrorNotice,
  Loading,
  Notice,
  Page,
  TableWrap,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { AdminMunicipalitySelect, useAdminMunicipalities } from '../../pages/admin/AdminMunicipality';

interface Client {
  id: string;
  name: string;
  scopes: string[];
  contact: string | null;
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
interface Scope {
  name: string;
  description: string;
}

/** Admins issue and revoke the API keys of their municipality's IT systems (src/platform/auth/apiKeys.ts). */
export function ApiClients() {
  return (
    <RequireLogin>
      <ApiClientsPage />
    </RequireLogin>
  );
}

function ApiClientsPage() {
  const { t, i18n } = useTranslation('apiClients');
  const m = useAdminMunicipalities();
  const code = m.current;
  const clients = useLoad(
    (signal) => (code ? api<Client[]>(`/api/v1/municipalities/${code}/api-clients`, { signal }) : Promise.resolve([])),
    [code],
  );
  const scopes = useLoad((signal) => api<Scope[]>('/api/v1/api-scopes', { signal }), []);
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [issuedKey, setIssuedKey] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  // The client whose key is about to be revoked (asked first: a revoked key cannot be restored).
  const [revoking, setRevoking] = useState<Client>();
  const [busy, setBusy] = useState(false);
  if (!code) {
    return (
      <Page title={t('title')}>
        <Notice kind="warning">{t('notAdmin')}</Notice>
      </Page>
    );
  }
  const issue = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setMessage(undefined);
    try {
      const res = await api<{ key: string }>(`/api/v1/municipalities/${code}/api-clients`, {
        method: 'POST',
        body: { name, scopes: chosen, ...(contact.trim() ? { contact: contact.trim() } : {}) },
      });
      setIssuedKey(res.key);
      setName('');
      setContact('');
      setChosen([]);
      clients.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (c: Client) => {
    setError(undefined);
    setBusy(true);
    try {
      await api(`/api/v1/municipalities/${code}/api-clients/${c.id}`, { method: 'DELETE' });
      setMessage(t('revokedDone'));
      clients.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setRevoking(undefined);
    }
  };
  const fe = (p: string) => (error instanceof ApiError ? error.fieldError(p) : undefined);
  return (
    <Page title={t('title')} lead={t('lead')}>
      <AdminMunicipalitySelect />
      {issuedKey ? (
        <Notice kind="success">
          {t('issued')} <code className="wrap">{issuedKey}</code>
        </Notice>
      ) : null}
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error && !fe('/body/name') && !fe('/body/scopes') ? <ErrorNotice error={error} /> : null}
      <h2>{t('list')}</h2>
      {clients.loading ? <Loading /> : null}
      {clients.error ? <ErrorNotice error={clients.error} /> : null}
      {clients.data && !clients.data.length ? <p>{t('empty')}</p> : null}
      {clients.data && clients.data.length ? (
        <TableWrap label={t('list')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('scopes')}</th>
                <th scope="col">{t('prefix')}</th>
                <th scope="col">{t('created')}</th>
                <th scope="col">{t('lastUsed')}</th>
                <th scope="col">{t('state')}</th>
              </tr>
            </thead>
            <tbody>
              {clients.data.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    {c.name}
                    {c.contact ? <span className="muted"> ({c.contact})</span> : null}
                  </th>
                  <td>{c.scopes.join(', ')}</td>
                  <td>
                    <code>kov_{c.keyPrefix}_…</code>
                  </td>
                  <td>{formatDate(c.createdAt, i18n.language)}</td>
                  <td>{c.lastUsedAt ? formatDate(c.lastUsedAt, i18n.language, true) : t('never')}</td>
                  <td>
                    {c.revokedAt ? (
                      t('revoked')
                    ) : (
                      <>
                        {t('active')}{' '}
                        <button
                          type="button"
                          className="button-secondary small"
                          aria-label={t('revokeLabel', { name: c.name })}
                          onClick={() => setRevoking(c)}
                        >
                          {t('revoke')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <ConfirmDialog
        open={Boolean(revoking)}
        title={t('revokeConfirmTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('revoke')}
        busy={busy}
        onCancel={() => setRevoking(undefined)}
        onConfirm={() => revoking && void revoke(revoking)}
      >
        <p>{t('revokeConsequence', { name: revoking?.name ?? '' })}</p>
      </ConfirmDialog>
      <form className="form" onSubmit={(e) => void issue(e)}>
        <h2>{t('issueTitle')}</h2>
        <TextField
          label={t('systemName')}
          value={name}
          required
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          error={fe('/body/name')}
        />
        <TextField label={t('contact')} value={contact} maxLength={200} onChange={(e) => setContact(e.target.value)} />
        <fieldset className={fe('/body/scopes') ? 'has-error' : undefined}>
          <legend>{t('chooseScopes')}</legend>
          {(scopes.data ?? []).map((s) => (
            <div className="field checkbox" key={s.name}>
              <input
                id={`scope-${s.name}`}
                type="checkbox"
                checked={chosen.includes(s.name)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, s.name] : chosen.filter((x) => x !== s.name))}
              />
              <label htmlFor={`scope-${s.name}`}>
                <code>{s.name}</code> – {t(`scopeText.${s.name.replace(/[^a-z0-9]+/g, '_')}`)}
              </label>
            </div>
          ))}
          {fe('/body/scopes') ? <p className="field-error">{fe('/body/scopes')}</p> : null}
        </fieldset>
        <button type="submit" className="button">
          {t('issue')}
        </button>
      </form>
    </Page>
  );
}
