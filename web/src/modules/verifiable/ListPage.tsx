import { Link, Navigate, useParams } from 'react-router';
import { api } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Page, TableWrap, formatDate, useLoad } from '../../components/ui';
import { vvApi, vvPath, type Listed } from './api';
import { MunicipalityPicker, PhaseBadge, useVT } from './shared';

/** /kontrollitav: choose a municipality (or go to the one chosen before). */
export function VerifiableIndex() {
  const { t } = useVT();
  const m = useMunicipality();
  if (m.selected) return <Navigate to={vvPath(m.selected)} replace />;
  return (
    <Page title={t('list.title')} lead={t('list.lead')}>
      <MunicipalityPicker code="" to={(c) => vvPath(c)} />
      <TrusteeTasks />
    </Page>
  );
}

/** The verifiable votes of a municipality, and the logged-in person's tasks as a trustee. */
export function VerifiableList() {
  const { t, i18n } = useVT();
  const { code = '' } = useParams();
  const m = useMunicipality();
  const session = useSession();
  const list = useLoad((signal) => api<Listed[]>(vvApi(code), { signal }), [code, session.me?.authenticated]);
  const manager = session.municipalitiesWith(['admin', 'editor']).some((x) => x === code || x === '*');
  return (
    <Page title={t('list.titleOf', { name: m.nameOf(code) })} lead={t('list.lead')}>
      <MunicipalityPicker code={code} to={(c) => vvPath(c)} />
      {manager ? (
        <p>
          <Link className="button" to={vvPath(code, undefined, 'uus')}>
            {t('list.new')}
          </Link>
        </p>
      ) : null}
      <TrusteeTasks />
      <h2>{t('list.votes')}</h2>
      {list.loading ? <Loading /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? <p>{t('list.none')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <TableWrap label={t('list.votes')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('list.colTitle')}</th>
                <th scope="col">{t('list.colPhase')}</th>
                <th scope="col">{t('list.colCloses')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((v) => (
                <tr key={v.id}>
                  <td>
                    <Link to={vvPath(code, v.id)}>{v.title}</Link>
                  </td>
                  <td>
                    <PhaseBadge phase={v.phase} />
                  </td>
                  <td>{formatDate(v.closesAt, i18n.language, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </Page>
  );
}

function TrusteeTasks() {
  const { t } = useVT();
  const session = useSession();
  const tasks = useLoad(
    (signal) =>
      session.me?.authenticated
        ? api<{ municipalityCode: string; id: string; title: string; status: string; index: number }[]>(
            '/api/v1/verifiable-trustee-tasks',
            { signal },
          )
        : Promise.resolve([]),
    [session.me?.authenticated],
  );
  if (!tasks.data?.length) return null;
  return (
    <section aria-labelledby="vv-tasks">
      <h2 id="vv-tasks">{t('list.trusteeTasks')}</h2>
      <ul>
        {tasks.data.map((x) => (
          <li key={x.id}>
            <Link to={vvPath(x.municipalityCode, x.id, 'usaldusisik')}>
              {t('list.trusteeTask', { title: x.title, index: x.index })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
