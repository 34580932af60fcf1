import { Link, useParams } from 'react-router';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Page, TableWrap, formatDate, useLoad } from '../../components/ui';
import { councilApi, type Council, type Decisions, type VotingRecords } from './api';
import { sittingPath, useCouncilT } from './shared';

/** The public archive of decisions, with the open data downloads and links to members' records. */
export function ArchivePage() {
  const { t, i18n } = useCouncilT();
  const { code = '' } = useParams();
  const data = useLoad((signal) => api<Decisions>(`${councilApi(code)}/decisions`, { signal }), [code]);
  const council = useLoad((signal) => api<Council>(councilApi(code), { signal }), [code]);
  const outcome = (d: { outcome: string; elected?: string | null }) =>
    d.outcome === 'elected' ? t('result.elected', { name: d.elected ?? '' }) : t(`result.${d.outcome}`);
  return (
    <Page title={t('archive.title')} lead={t('archive.lead')}>
      <p>
        <Link to={`/volikogu/${code}`}>{t('archive.back')}</Link>
      </p>
      <h2>{t('archive.openData')}</h2>
      <ul className="council-links-list">
        <li>
          <a href={`${councilApi(code)}/open-data/decisions.csv`}>{t('archive.decisionsCsv')}</a> ·{' '}
          <a href={`${councilApi(code)}/open-data/decisions.json`}>JSON</a>
        </li>
        <li>
          <a href={`${councilApi(code)}/open-data/voting-records.csv`}>{t('archive.recordsCsv')}</a> ·{' '}
          <a href={`${councilApi(code)}/open-data/voting-records.json`}>JSON</a>
        </li>
      </ul>
      <h2>{t('archive.decisions')}</h2>
      {data.loading ? <Loading /> : null}
      {data.error ? <ErrorNotice error={data.error} onRetry={data.reload} /> : null}
      {data.data && data.data.decisions.length === 0 ? <p>{t('archive.empty')}</p> : null}
      {data.data && data.data.decisions.length ? (
        <TableWrap label={t('archive.decisions')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('archive.sitting')}</th>
                <th scope="col">{t('archive.item')}</th>
                <th scope="col">{t('archive.rule')}</th>
                <th scope="col">{t('archive.counts')}</th>
                <th scope="col">{t('archive.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data.decisions.map((d) => (
                <tr key={d.voteId}>
                  <td>
                    <Link to={sittingPath(code, d.sittingId)}>
                      {t('archive.sittingNo', { number: d.sittingNumber })}
                    </Link>
                    , {formatDate(d.sittingDate, i18n.language)}
                  </td>
                  <td>
                    {d.itemTitle}{' '}
                    <span className="muted">
                      ({t('archive.voteNo', { number: d.voteNumber })},{' '}
                      {d.kind === 'secret' ? t('live.secret') : t('live.open')})
                    </span>
                  </td>
                  <td>{d.ruleText}</td>
                  <td>{t('archive.countsValue', { for: d.for, against: d.against, abstain: d.abstain })}</td>
                  <td>{outcome(d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {council.data ? (
        <>
          <h2>{t('archive.records')}</h2>
          <ul className="council-member-links">
            {council.data.members
              .filter((m) => m.status !== 'waiting')
              .map((m) => (
                <li key={m.id}>
                  <Link to={`/volikogu/${code}/liige/${m.id}`}>{m.name}</Link>
                </li>
              ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

/** One member's voting record (open votes with the vote; secret votes only as "took part"). */
export function MemberRecordPage() {
  const { t, i18n } = useCouncilT();
  const { code = '', memberId = '' } = useParams();
  const data = useLoad(
    (signal) => api<VotingRecords>(`${councilApi(code)}/voting-records?memberId=${memberId}`, { signal }),
    [code, memberId],
  );
  if (data.loading) return <Loading />;
  if (data.error || !data.data?.member) return <ErrorNotice error={data.error} />;
  const m = data.data.member;
  return (
    <Page title={m.name} lead={t('record.lead', { faction: m.faction ?? '—' })}>
      <p>
        <Link to={`/volikogu/${code}/arhiiv`}>{t('archive.title')}</Link>
      </p>
      {data.data.records.length === 0 ? <p>{t('record.empty')}</p> : null}
      {data.data.records.length ? (
        <TableWrap label={t('record.title', { name: m.name })}>
          <table>
            <caption className="visually-hidden">{t('record.title', { name: m.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('archive.sitting')}</th>
                <th scope="col">{t('archive.item')}</th>
                <th scope="col">{t('result.vote')}</th>
                <th scope="col">{t('archive.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data.records.map((r) => (
                <tr key={r.voteId}>
                  <td>
                    <Link to={sittingPath(code, r.sittingId)}>
                      {t('archive.sittingNo', { number: r.sittingNumber })}
                    </Link>
                    , {formatDate(r.sittingDate, i18n.language)}
                  </td>
                  <td>
                    {r.itemTitle} <span className="muted">({t('archive.voteNo', { number: r.voteNumber })})</span>
                  </td>
                  <td>{t(`record.${r.record}`)}</td>
                  <td>{t(`outcome.${r.outcome}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </Page>
  );
}
