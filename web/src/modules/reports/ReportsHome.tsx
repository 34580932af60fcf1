import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Page, SelectField, TableWrap, formatDate, useLoad } from '../../components/ui';
import { MapView, type MapMarker } from '../../components/MapView';
import { CLOSED, catName, hoursText, type Category, type Summary } from './api';

interface PublicStats {
  created: number;
  closed: number;
  timeToAcknowledge: { medianHours: number | null };
  timeToClose: { medianHours: number | null; p90Hours: number | null };
  slaPercent: number | null;
  satisfaction: { answers: number; averageRating: number | null };
  backlog: { open: number; olderThan30Days: number };
}

const WINDOWS = [7, 20, 90];

/** The public map and list of recent reports of a municipality, with its public statistics. */
export function ReportsHome() {
  const { t, i18n } = useTranslation('reports');
  const municipality = useMunicipality();
  const session = useSession();
  const navigate = useNavigate();
  const code = municipality.selected || '0784';
  const [windowDays, setWindowDays] = useState(20);
  const [state, setState] = useState<'all' | 'open' | 'closed'>('all');
  const reports = useLoad(
    (signal) =>
      api<Summary[]>(`/api/v1/municipalities/${code}/reports?windowDays=${windowDays}&state=${state}&limit=300`, {
        signal,
      }),
    [code, windowDays, state],
  );
  const categories = useLoad(
    (signal) => api<Category[]>(`/api/v1/municipalities/${code}/report-categories`, { signal }),
    [code],
  );
  const stats = useLoad(
    (signal) => api<PublicStats>(`/api/v1/municipalities/${code}/reports/statistics`, { signal }),
    [code],
  );
  const cat = (c: string) =>
    catName(
      categories.data?.find((x) => x.code === c),
      i18n.language,
      c,
    );
  const markers = useMemo<MapMarker[]>(
    () =>
      (reports.data ?? []).map((r) => ({
        id: String(r.id),
        lat: r.lat,
        lon: r.lon,
        label: `#${r.id} ${cat(r.categoryCode)} – ${t(`status.${r.status}`)}`,
        color: CLOSED.has(r.status) ? '#2e7d32' : '#b3261e',
        onSelect: () => navigate(`/teated/${r.id}`),
      })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [reports.data, categories.data, i18n.language],
  );
  const official = session.municipalitiesWith(['admin', 'editor', 'analyst']).length > 0;

  return (
    <Page title={t('home.title', { name: municipality.nameOf(code) })} lead={t('home.lead')}>
      <p className="report-actions">
        <Link className="button" to="/teated/uus">
          {t('home.report')}
        </Link>
        {official ? (
          <>
            {' '}
            <Link className="button-secondary" to="/teated/haldus">
              {t('nav.manage')}
            </Link>{' '}
            <Link className="button-secondary" to="/teated/analuutika">
              {t('nav.analytics')}
            </Link>
          </>
        ) : null}
      </p>
      {!municipality.selected ? <p className="help">{t('home.chooseMunicipality')}</p> : null}

      <h2>{t('home.statsTitle')}</h2>
      {stats.error ? <ErrorNotice error={stats.error} /> : null}
      {stats.data ? (
        <dl className="facts report-kpis">
          <dt>{t('home.statsCreated')}</dt>
          <dd>{stats.data.created}</dd>
          <dt>{t('home.statsClosed')}</dt>
          <dd>{stats.data.closed}</dd>
          <dt>{t('home.statsAck')}</dt>
          <dd>{hoursText(stats.data.timeToAcknowledge.medianHours, t)}</dd>
          <dt>{t('home.statsClose')}</dt>
          <dd>{hoursText(stats.data.timeToClose.medianHours, t)}</dd>
          <dt>{t('home.statsSla')}</dt>
          <dd>{stats.data.slaPercent === null ? '—' : `${stats.data.slaPercent} %`}</dd>
          <dt>{t('home.statsSatisfaction')}</dt>
          <dd>
            {stats.data.satisfaction.averageRating === null
              ? '—'
              : t('home.ratingOf', {
                  n: stats.data.satisfaction.averageRating,
                  answers: stats.data.satisfaction.answers,
                })}
          </dd>
          <dt>{t('home.statsBacklog')}</dt>
          <dd>{t('home.backlogText', { open: stats.data.backlog.open, old: stats.data.backlog.olderThan30Days })}</dd>
        </dl>
      ) : null}

      <h2>{t('home.recentTitle')}</h2>
      <div className="report-filters">
        <SelectField
          label={t('home.window')}
          value={String(windowDays)}
          onChange={(e) => setWindowDays(Number(e.target.value))}
        >
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              {t('home.windowDays', { n: w })}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('home.state')}
          value={state}
          onChange={(e) => setState(e.target.value as 'all' | 'open' | 'closed')}
        >
          <option value="all">{t('home.stateAll')}</option>
          <option value="open">{t('home.stateOpen')}</option>
          <option value="closed">{t('home.stateClosed')}</option>
        </SelectField>
      </div>
      <MapView label={t('home.mapLabel')} hint={t('home.mapHint')} municipalityCode={code} markers={markers} />
      {reports.loading ? <Loading /> : null}
      {reports.error ? <ErrorNotice error={reports.error} onRetry={reports.reload} /> : null}
      {reports.data && reports.data.length === 0 ? <p>{t('home.none')}</p> : null}
      {reports.data && reports.data.length > 0 ? (
        <TableWrap label={t('home.recentTitle')}>
          <table>
            <caption className="visually-hidden">{t('home.tableCaption', { n: reports.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.report')}</th>
                <th scope="col">{t('field.category')}</th>
                <th scope="col">{t('field.status')}</th>
                <th scope="col">{t('field.place')}</th>
                <th scope="col">{t('field.created')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/teated/${r.id}`}>#{r.id}</Link> <span className="report-desc">{r.description}</span>
                  </td>
                  <td>{cat(r.categoryCode)}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{[r.settlementName, r.address].filter(Boolean).join(', ')}</td>
                  <td>{formatDate(r.createdAt, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </Page>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('reports');
  return (
    <span className={`status-badge status-${CLOSED.has(status) ? 'closed' : 'open'}`}>{t(`status.${status}`)}</span>
  );
}
