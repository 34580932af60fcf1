import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../app/session';
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
import { STATUSES, catName, type Category, type Summary } from './api';
import { StatusBadge } from './ReportsHome';
import { OfficialMunicipalitySelect, useOfficialMunicipality } from './officialMunicipality';

/** The officials' work list: all reports of the municipality, filtered, newest first. */
export function ManageReports() {
  return (
    <RequireLogin>
      <ManagePage />
    </RequireLogin>
  );
}

function ManagePage() {
  const { t, i18n } = useTranslation('reports');
  const m = useOfficialMunicipality(['admin', 'editor', 'analyst']);
  const code = m.current;
  const [state, setState] = useState('open');
  const [status, setStatus] = useState('');
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  // The work queue links here with ?assignee=me (the reports the official holds) or ?overdue=true.
  const [search] = useSearchParams();
  const session = useSession();
  const mine = search.get('assignee') === 'me' ? session.me?.person?.id : undefined;
  const [overdue, setOverdue] = useState(search.get('overdue') === 'true');
  const [query, setQuery] = useState(
    () => `${mine ? `&state=open&assignee=${mine}` : ''}${search.get('overdue') === 'true' ? '&overdue=true' : ''}`,
  );
  const categories = useLoad(
    (signal) =>
      code ? api<Category[]>(`/api/v1/municipalities/${code}/report-categories`, { signal }) : Promise.resolve([]),
    [code],
  );
  const list = useLoad(
    (signal) =>
      code
        ? api<Summary[]>(`/api/v1/municipalities/${code}/reports/manage?limit=200${query}`, { signal })
        : Promise.resolve([]),
    [code, query],
  );
  if (!code) {
    return (
      <Page title={t('manage.title')}>
        <Notice kind="warning">{t('manage.notOfficial')}</Notice>
      </Page>
    );
  }
  const apply = () => {
    const q = new URLSearchParams();
    if (state) q.set('state', state);
    if (status) q.set('status', status);
    if (category) q.set('category', category);
    if (text.trim()) q.set('text', text.trim());
    if (overdue) q.set('overdue', 'true');
    if (mine) q.set('assignee', mine);
    setQuery(`&${q.toString()}`);
  };
  return (
    <Page title={t('manage.title')} lead={t('manage.lead')}>
      <OfficialMunicipalitySelect m={m} />
      <p>
        <Link to="/teated/analuutika">{t('nav.analytics')}</Link> · <Link to="/teated/seaded">{t('nav.settings')}</Link>
      </p>
      <form
        className="report-filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <SelectField label={t('home.state')} value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">{t('home.stateAll')}</option>
          <option value="open">{t('home.stateOpen')}</option>
          <option value="closed">{t('home.stateClosed')}</option>
        </SelectField>
        <SelectField label={t('field.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('manage.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('field.category')} value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">{t('manage.anyCategory')}</option>
          {(categories.data ?? []).map((c) => (
            <option key={c.code} value={c.code}>
              {catName(c, i18n.language)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('manage.search')} value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        <div className="field checkbox">
          <input id="manage-overdue" type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} />
          <label htmlFor="manage-overdue">{t('manage.overdue')}</label>
        </div>
        <button type="submit" className="button">
          {t('manage.apply')}
        </button>
      </form>
      {list.loading ? <Loading /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? <p>{t('manage.empty')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <TableWrap label={t('manage.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('field.report')}</th>
                <th scope="col">{t('field.category')}</th>
                <th scope="col">{t('field.status')}</th>
                <th scope="col">{t('field.place')}</th>
                <th scope="col">{t('field.created')}</th>
                <th scope="col">{t('field.slaDue')}</th>
                <th scope="col">{t('handle.department')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/teated/${r.id}`}>#{r.id}</Link> <span className="report-desc">{r.description}</span>
                    {r.hidden ? <span className="muted"> ({t('report.hidden')})</span> : null}
                  </td>
                  <td>
                    {catName(
                      categories.data?.find((c) => c.code === r.categoryCode),
                      i18n.language,
                      r.categoryCode,
                    )}
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{[r.settlementName, r.address].filter(Boolean).join(', ')}</td>
                  <td>{formatDate(r.createdAt, i18n.language)}</td>
                  <td>{r.slaDueAt ? formatDate(r.slaDueAt, i18n.language) : '—'}</td>
                  <td>{r.department ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </Page>
  );
}
