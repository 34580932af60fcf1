import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Notice, Page, TableWrap } from '../../components/ui';
import { formatDate } from '../../components/ui';
import { RequireLogin } from '../RequireLogin';
import { AdminMunicipalitySelect, useAdminMunicipalities } from './AdminMunicipality';

interface Entry {
  seq: number;
  at: string;
  actorName: string | null;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

export function Audit() {
  return (
    <RequireLogin>
      <AuditPage />
    </RequireLogin>
  );
}

function AuditPage() {
  const { t, i18n } = useTranslation();
  const m = useAdminMunicipalities();
  const code = m.current;
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [done, setDone] = useState(false);

  const load = async (before?: number) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api<Entry[]>(
        `/api/v1/municipalities/${code}/audit?limit=50${before ? `&beforeSeq=${before}` : ''}`,
      );
      setEntries((prev) => (before ? [...prev, ...page] : page));
      setDone(page.length < 50);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (code) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code]);

  if (!code)
    return (
      <Page title={t('audit.title')}>
        <Notice kind="warning">{t('roles.notAdmin')}</Notice>
      </Page>
    );
  return (
    <Page title={t('audit.title')} lead={t('audit.intro')}>
      <AdminMunicipalitySelect />
      <p>
        <Link to="/admin/roles">{t('nav.roles')}</Link>
      </p>
      {error ? <ErrorNotice error={error} onRetry={() => void load()} /> : null}
      {entries.length === 0 && !loading ? <p>{t('audit.empty')}</p> : null}
      {entries.length > 0 ? (
        <TableWrap label={t('audit.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.subject')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{formatDate(e.at, i18n.language, true)}</td>
                  <td>{e.actorName ?? t('audit.system')}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.subject}</td>
                  <td>
                    <code className="wrap">{JSON.stringify(e.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {loading ? <Loading /> : null}
      {!done && entries.length > 0 ? (
        <button type="button" className="button-secondary" onClick={() => void load(entries.at(-1)!.seq)}>
          {t('audit.more')}
        </button>
      ) : null}
    </Page>
  );
}
