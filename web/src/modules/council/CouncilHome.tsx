import { Link, Navigate, useParams } from 'react-router';
import { api } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, Page, TableWrap, formatDate, useLoad } from '../../components/ui';
import { councilApi, type Council, type SittingSummary } from './api';
import { MunicipalityPicker, StatusBadge, sittingPath, useCouncilT } from './shared';

/** /volikogu: choose a municipality (or go to the one chosen before). */
export function CouncilIndex() {
  const { t } = useCouncilT();
  const m = useMunicipality();
  if (m.selected) return <Navigate to={`/volikogu/${m.selected}`} replace />;
  return (
    <Page title={t('home.title')} lead={t('home.lead')}>
      <MunicipalityPicker code="" to={(c) => `/volikogu/${c}`} />
    </Page>
  );
}

/** A municipality's council: composition, sittings, links to the archive and open data. */
export function CouncilHome() {
  const { t, i18n } = useCouncilT();
  const { code = '' } = useParams();
  const m = useMunicipality();
  const session = useSession();
  const council = useLoad((signal) => api<Council>(councilApi(code), { signal }), [code]);
  const sittings = useLoad(
    (signal) => api<SittingSummary[]>(`${councilApi(code)}/sittings`, { signal }),
    [code, session.me?.authenticated],
  );
  const manager = session.municipalitiesWith(['admin', 'editor']).some((x) => x === code || x === '*');
  const name = m.nameOf(code);
  const upcoming = (sittings.data ?? []).filter((s) => ['published', 'open', 'draft'].includes(s.status)).reverse();
  const past = (sittings.data ?? []).filter((s) => ['closed', 'cancelled'].includes(s.status));
  const members = council.data?.members ?? [];
  const acting = members.filter((x) => x.status === 'active');
  const others = members.filter((x) => x.status !== 'active' && x.status !== 'ended');
  const nameOf = (id: string | null) => members.find((x) => x.id === id)?.name ?? '';

  const sittingList = (list: SittingSummary[]) => (
    <ul className="council-sittings">
      {list.map((s) => (
        <li key={s.id}>
          <Link to={sittingPath(code, s.id)}>{t('sitting.heading', { number: s.number, title: s.title })}</Link> —{' '}
          {formatDate(s.startsAt, i18n.language, true)} <StatusBadge status={s.status} />
        </li>
      ))}
    </ul>
  );

  return (
    <Page title={council.data?.name ?? t('home.titleOf', { name })} lead={t('home.lead')}>
      <MunicipalityPicker code={code} to={(c) => `/volikogu/${c}`} />
      {council.loading ? <Loading /> : null}
      {council.error ? <Notice kind="info">{t('home.noCouncil', { name })}</Notice> : null}
      <p className="council-links">
        <Link to={`/volikogu/${code}/arhiiv`}>{t('home.archive')}</Link>
        {manager ? <Link to={`/volikogu/${code}/haldus`}>{t('home.manage')}</Link> : null}
      </p>
      <h2>{t('home.upcoming')}</h2>
      {sittings.error ? <ErrorNotice error={sittings.error} onRetry={sittings.reload} /> : null}
      {sittings.data && upcoming.length === 0 ? <p>{t('home.noUpcoming')}</p> : sittingList(upcoming)}
      {past.length ? (
        <>
          <h2>{t('home.past')}</h2>
          {sittingList(past)}
        </>
      ) : null}
      {council.data ? (
        <>
          <h2>{t('home.composition')}</h2>
          <p>
            {t('home.compositionFacts', {
              seats: council.data.seats,
              acting: council.data.acting,
              needed: council.data.quorum.needed,
              termStart: formatDate(council.data.termStart, i18n.language),
            })}
          </p>
          <TableWrap label={t('home.composition')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('member.name')}</th>
                  <th scope="col">{t('member.faction')}</th>
                  <th scope="col">{t('member.role')}</th>
                </tr>
              </thead>
              <tbody>
                {acting.map((x) => (
                  <tr key={x.id}>
                    <td>
                      <Link to={`/volikogu/${code}/liige/${x.id}`}>{x.name}</Link>
                    </td>
                    <td>{x.faction ?? '—'}</td>
                    <td>
                      {x.office ? t(`office.${x.office}`) : t('member.member')}
                      {x.replacesMemberId
                        ? ` (${t('member.substituteFor', { name: nameOf(x.replacesMemberId) })})`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {others.length ? (
            <>
              <h3>{t('home.substitutes')}</h3>
              <ul>
                {others.map((x) => (
                  <li key={x.id}>
                    {x.name} — {x.faction ?? '—'}, {t(`mandate.${x.status}`)}
                    {x.listPosition ? `, ${t('member.listPosition', { n: x.listPosition })}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
