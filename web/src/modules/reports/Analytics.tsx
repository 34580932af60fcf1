import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Notice, Page, SelectField, TableWrap, TextField, useLoad } from '../../components/ui';
import { MapView, type HeatCell } from '../../components/MapView';
import { RequireLogin } from '../../pages/RequireLogin';
import { STATUSES, catName, hoursText, type Category, type Overview } from './api';
import { BarChart, ColumnChart } from './charts';
import { OfficialMunicipalitySelect, useOfficialMunicipality } from './officialMunicipality';

interface Heat {
  cellLat: number;
  cellLon: number;
  cells: { lat: number; lon: number; n: number }[];
}
interface Place {
  code: string;
  name: string;
}

const month = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;

/** The analytics module for officials and (national, '0000') ELVL. Formulas: docs/reports.md. */
export function ReportAnalytics() {
  return (
    <RequireLogin>
      <AnalyticsPage />
    </RequireLogin>
  );
}

function AnalyticsPage() {
  const { t, i18n } = useTranslation('reports');
  const m = useOfficialMunicipality(['admin', 'editor', 'analyst'], { national: true });
  const code = m.current;
  const now = new Date();
  const [from, setFrom] = useState(month(new Date(now.getFullYear(), now.getMonth() - 11, 1)));
  const [to, setTo] = useState(month(now));
  const [category, setCategory] = useState('');
  const [area, setArea] = useState('');
  const [status, setStatus] = useState('');
  const [query, setQuery] = useState('');
  const national = code === '0000';
  const params = `from=${from}&to=${to}${query}`;
  const overview = useLoad(
    (signal) =>
      code
        ? api<Overview>(`/api/v1/municipalities/${code}/reports/analytics?${params}`, { signal })
        : Promise.resolve(undefined),
    [code, params],
  );
  const heat = useLoad(
    (signal) =>
      code
        ? api<Heat>(`/api/v1/municipalities/${code}/reports/analytics/heat?${params}`, { signal })
        : Promise.resolve(undefined),
    [code, params],
  );
  const categories = useLoad(
    (signal) =>
      code && !national
        ? api<Category[]>(`/api/v1/municipalities/${code}/report-categories`, { signal })
        : Promise.resolve([]),
    [code],
  );
  const places = useLoad(
    (signal) =>
      code && !national ? api<Place[]>(`/api/v1/map/municipalities/${code}/places`, { signal }) : Promise.resolve([]),
    [code],
  );
  const cat = (c: string) =>
    catName(
      categories.data?.find((x) => x.code === c),
      i18n.language,
      c,
    );
  const cells = useMemo<HeatCell[]>(() => {
    if (!heat.data) return [];
    const max = Math.max(1, ...heat.data.cells.map((c) => c.n));
    return heat.data.cells.map((c) => ({
      lat: c.lat,
      lon: c.lon,
      latSize: heat.data!.cellLat,
      lonSize: heat.data!.cellLon,
      weight: c.n / max,
      label: t('analytics.cellLabel', { n: c.n }),
    }));
  }, [heat.data, t]);

  if (!code) {
    return (
      <Page title={t('analytics.title')}>
        <Notice kind="warning">{t('manage.notOfficial')}</Notice>
      </Page>
    );
  }
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (category) q.set('category', category);
    if (area) q.set('area', area);
    if (status) q.set('status', status);
    setQuery(q.toString() ? `&${q}` : '');
  };
  const o = overview.data;
  const csv = (table: string) => `/api/v1/municipalities/${code}/reports/analytics.csv?${params}&table=${table}`;

  return (
    <Page title={t('analytics.title')} lead={t('analytics.lead')}>
      <OfficialMunicipalitySelect m={m} />
      <form className="report-filters" onSubmit={apply}>
        <TextField label={t('analytics.from')} type="month" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t('analytics.to')} type="month" value={to} onChange={(e) => setTo(e.target.value)} />
        {!national ? (
          <SelectField label={t('field.category')} value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t('manage.anyCategory')}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {catName(c, i18n.language)}
              </option>
            ))}
          </SelectField>
        ) : null}
        {!national ? (
          <SelectField label={t('analytics.area')} value={area} onChange={(e) => setArea(e.target.value)}>
            <option value="">{t('analytics.wholeMunicipality')}</option>
            {(places.data ?? []).map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <SelectField label={t('field.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('manage.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button">
          {t('manage.apply')}
        </button>
      </form>
      {overview.loading ? <Loading /> : null}
      {overview.error ? <ErrorNotice error={overview.error} onRetry={overview.reload} /> : null}
      {o ? (
        <>
          <h2>{t('analytics.summary')}</h2>
          <dl className="facts report-kpis">
            <dt>{t('analytics.created')}</dt>
            <dd>{o.totals.created}</dd>
            <dt>{t('analytics.closed')}</dt>
            <dd>{o.totals.closed}</dd>
            <dt>{t('analytics.ack')}</dt>
            <dd>
              {t('analytics.medianP90', {
                median: hoursText(o.timeToAcknowledge.medianHours, t),
                p90: hoursText(o.timeToAcknowledge.p90Hours, t),
              })}
            </dd>
            <dt>{t('analytics.close')}</dt>
            <dd>
              {t('analytics.medianP90', {
                median: hoursText(o.timeToClose.medianHours, t),
                p90: hoursText(o.timeToClose.p90Hours, t),
              })}
            </dd>
            <dt>{t('analytics.sla')}</dt>
            <dd>
              {o.sla.percent === null ? '—' : `${o.sla.percent} %`}{' '}
              <span className="muted">
                (
                {t('analytics.slaParts', {
                  inSla: o.sla.closedInSla,
                  late: o.sla.closedLate,
                  overdue: o.sla.openOverdue,
                })}
                )
              </span>
            </dd>
            <dt>{t('analytics.reopen')}</dt>
            <dd>{o.reopen.percent === null ? '—' : `${o.reopen.percent} %`}</dd>
            <dt>{t('analytics.satisfaction')}</dt>
            <dd>
              {o.satisfaction.averageRating === null
                ? '—'
                : t('home.ratingOf', { n: o.satisfaction.averageRating, answers: o.satisfaction.answers })}{' '}
              <span className="muted">
                (
                {t('analytics.fixedParts', {
                  yes: o.satisfaction.fixedYes,
                  no: o.satisfaction.fixedNo,
                  dk: o.satisfaction.fixedDontKnow,
                })}
                )
              </span>
            </dd>
            <dt>{t('analytics.backlog')}</dt>
            <dd>{t('home.backlogText', { open: o.backlog.open, old: o.backlog.olderThan30Days })}</dd>
          </dl>
          <p className="help">{t('analytics.formulaNote')}</p>
          <p className="csv-links">
            {t('analytics.csv')}:{' '}
            {(['summary', 'months', 'categories', 'areas', 'channels'] as const).map((table) => (
              <a key={table} href={csv(table)} download>
                {t(`analytics.csvTable.${table}`)}
              </a>
            ))}
          </p>

          <h2>{t('analytics.volume')}</h2>
          <ColumnChart
            title={t('analytics.volume')}
            description={t('analytics.volumeDesc')}
            data={o.volumeByMonth.map((v) => ({ label: v.month.slice(2), a: v.created, b: v.closed }))}
          />
          <TableWrap label={t('analytics.volume')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('analytics.month')}</th>
                  <th scope="col">{t('analytics.created')}</th>
                  <th scope="col">{t('analytics.closed')}</th>
                </tr>
              </thead>
              <tbody>
                {o.volumeByMonth.map((v) => (
                  <tr key={v.month}>
                    <th scope="row">{v.month}</th>
                    <td>{v.created}</td>
                    <td>{v.closed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>

          <h2>{t('analytics.byCategory')}</h2>
          <BarChart
            title={t('analytics.byCategory')}
            description={t('analytics.byCategoryDesc')}
            data={o.byCategory.map((c) => ({ label: cat(c.code), value: c.created }))}
          />
          <TableWrap label={t('analytics.byCategory')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('field.category')}</th>
                  <th scope="col">{t('analytics.domain')}</th>
                  <th scope="col">{t('analytics.created')}</th>
                  <th scope="col">{t('analytics.closed')}</th>
                  <th scope="col">{t('analytics.ack')}</th>
                  <th scope="col">{t('analytics.close')}</th>
                  <th scope="col">{t('analytics.sla')}</th>
                </tr>
              </thead>
              <tbody>
                {o.byCategory.map((c) => (
                  <tr key={c.code}>
                    <th scope="row">{cat(c.code)}</th>
                    <td>{c.domain}</td>
                    <td>{c.created}</td>
                    <td>{c.closed}</td>
                    <td>
                      {t('analytics.medianP90', {
                        median: hoursText(c.acknowledge.medianHours, t),
                        p90: hoursText(c.acknowledge.p90Hours, t),
                      })}
                    </td>
                    <td>
                      {t('analytics.medianP90', {
                        median: hoursText(c.close.medianHours, t),
                        p90: hoursText(c.close.p90Hours, t),
                      })}
                    </td>
                    <td>{c.slaPercent === null ? '—' : `${c.slaPercent} %`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>

          <h2>{t('analytics.byDomainChannel')}</h2>
          <BarChart
            title={t('analytics.byDomain')}
            description={t('analytics.byDomainDesc')}
            data={o.byDomain.map((d) => ({ label: d.domain, value: d.created }))}
          />
          <BarChart
            title={t('analytics.byChannel')}
            description={t('analytics.byChannelDesc')}
            data={o.byChannel.map((c) => ({ label: t(`channel.${c.channel}`), value: c.created }))}
          />
          <ul className="inline-list">
            {o.byChannel.map((c) => (
              <li key={c.channel}>
                {t(`channel.${c.channel}`)}: {c.created}
              </li>
            ))}
          </ul>

          <h2>{t('analytics.backlogAge')}</h2>
          <BarChart
            title={t('analytics.backlogAge')}
            description={t('analytics.backlogDesc')}
            data={o.backlog.byAge.map((b) => ({ label: t(`analytics.age.${b.label}`), value: b.n }))}
          />

          <h2>{national ? t('analytics.byMunicipality') : t('analytics.byArea')}</h2>
          <TableWrap label={national ? t('analytics.byMunicipality') : t('analytics.byArea')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('analytics.area')}</th>
                  <th scope="col">{t('analytics.created')}</th>
                  <th scope="col">{t('analytics.closed')}</th>
                </tr>
              </thead>
              <tbody>
                {o.byArea.slice(0, 30).map((a) => (
                  <tr key={a.code}>
                    <th scope="row">{a.name}</th>
                    <td>{a.created}</td>
                    <td>{a.closed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>

          <h2>{t('analytics.heat')}</h2>
          <MapView
            label={t('analytics.heat')}
            hint={t('analytics.heatHint')}
            municipalityCode={national ? undefined : code}
            heat={cells}
            heatLegend={{
              title: t('analytics.heatLegend'),
              min: '1',
              max: String(Math.max(1, ...(heat.data?.cells.map((c) => c.n) ?? [1]))),
            }}
          />
        </>
      ) : null}
    </Page>
  );
}
