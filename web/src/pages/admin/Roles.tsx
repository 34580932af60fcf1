import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import {
  ConfirmDialog,
  ErrorNotice,
  Loading,
  Notice,
  Page,
  TableWrap,
  SelectField,
  TextField,
  formatDate,
  useLoad,
} from '../../components/ui';
import { RequireLogin } from '../RequireLogin';
import { AdminMunicipalitySelect, useAdminMunicipalities } from './AdminMunicipality';

interface Grant {
  municipalityCode: string;
  personId: string;
  givenName: string | null;
  familyName: string | null;
  idCodeMasked: string;
  role: string;
  grantedAt: string;
}

const ROLES = ['admin', 'editor', 'analyst', 'council_member'] as const;

export function Roles() {
  return (
    <RequireLogin>
      <RolesPage />
    </RequireLogin>
  );
}

function RolesPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const m = useAdminMunicipalities();
  const code = m.current;
  const grants = useLoad(
    (signal) => (code ? api<Grant[]>(`/api/v1/municipalities/${code}/roles`, { signal }) : Promise.resolve([])),
    [code],
  );
  const [idCode, setIdCode] = useState('');
  const [role, setRole] = useState<string>('editor');
  const [formError, setFormError] = useState<ApiError | unknown>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The grant about to be revoked (asked first, naming what the person loses).
  const [revoking, setRevoking] = useState<Grant>();

  if (!code) {
    return (
      <Page title={t('roles.title')}>
        <Notice kind="warning">{t('roles.notAdmin')}</Notice>
      </Page>
    );
  }

  const name = (g: Grant) => [g.givenName, g.familyName].filter(Boolean).join(' ') || g.idCodeMasked;

  const grant = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFormError(undefined);
    setMessage(undefined);
    try {
      const res = await api<{ created: boolean }>(`/api/v1/municipalities/${code}/roles`, {
        method: 'POST',
        body: { idCode: idCode.trim(), role },
      });
      setMessage(res.created ? t('roles.granted') : t('roles.alreadyHad'));
      setIdCode('');
      grants.reload();
      await session.refresh();
    } catch (err) {
      setFormError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (g: Grant) => {
    setMessage(undefined);
    setBusy(true);
    try {
      await api(`/api/v1/municipalities/${code}/roles/${g.personId}/${g.role}`, { method: 'DELETE' });
      setMessage(t('roles.revoked'));
      grants.reload();
    } catch (err) {
      setFormError(err);
    } finally {
      setBusy(false);
      setRevoking(undefined);
    }
  };
  const revokingWords = revoking
    ? { name: name(revoking), role: t(`roles.names.${revoking.role}`) }
    : { name: '', role: '' };

  const idCodeError = formError instanceof ApiError ? formError.fieldError('/body/idCode') : undefined;

  return (
    <Page title={t('roles.title')} lead={t('roles.intro')}>
      <AdminMunicipalitySelect />
      <p>
        <Link to="/admin/audit">{t('nav.audit')}</Link>
      </p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {formError && !idCodeError ? <ErrorNotice error={formError} /> : null}
      <h2>{t('roles.listTitle', { name: m.nameOf(code) })}</h2>
      {grants.loading ? <Loading /> : null}
      {grants.error ? <ErrorNotice error={grants.error} onRetry={grants.reload} /> : null}
      {grants.data && grants.data.length === 0 ? <p>{t('roles.empty')}</p> : null}
      {grants.data && grants.data.length > 0 ? (
        <TableWrap label={t('roles.listTitle', { name: m.nameOf(code) })}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('roles.person')}</th>
                <th scope="col">{t('roles.role')}</th>
                <th scope="col">{t('roles.grantedAt')}</th>
                <th scope="col">{t('roles.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {grants.data.map((g) => (
                <tr key={`${g.personId}-${g.role}`}>
                  <td>
                    {name(g)} <span className="muted">({g.idCodeMasked})</span>
                  </td>
                  <td>{t(`roles.names.${g.role}`)}</td>
                  <td>{formatDate(g.grantedAt, i18n.language)}</td>
                  <td>
                    <button
                      type="button"
                      className="button-secondary small"
                      aria-label={t('roles.revokeLabel', { name: name(g), role: t(`roles.names.${g.role}`) })}
                      onClick={() => setRevoking(g)}
                    >
                      {t('roles.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <ConfirmDialog
        open={Boolean(revoking)}
        title={t('roles.revokeConfirmTitle', revokingWords)}
        confirmLabel={t('roles.revoke')}
        busy={busy}
        onCancel={() => setRevoking(undefined)}
        onConfirm={() => revoking && void revoke(revoking)}
      >
        <p>{t('roles.revokeConsequence', revokingWords)}</p>
      </ConfirmDialog>
      <h2>{t('roles.grantTitle')}</h2>
      <form className="form" onSubmit={grant} noValidate>
        <TextField
          label={t('roles.idCode')}
          help={t('roles.idCodeHelp')}
          error={idCodeError}
          value={idCode}
          onChange={(e) => setIdCode(e.target.value)}
          inputMode="numeric"
          autoComplete="off"
          required
          maxLength={11}
        />
        <SelectField label={t('roles.role')} value={role} onChange={(e) => setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.names.${r}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button" disabled={busy}>
          {t('roles.grant')}
        </button>
      </form>
    </Page>
  );
}
