import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Notice, Page, SelectField, formatDate, useLoad } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { useWorkMunicipality, workQueueUrl, type WorkItem, type WorkQueue } from './useWorkMunicipality';
import './work.css';

const GROUPS: WorkItem['group'][] = ['handle', 'review', 'prepare', 'publish'];
const DAY = 86_400_000;

/** The official's start page: what waits for them and their municipality, grouped by task, overdue first. */
export function WorkQueuePage() {
  return (
    <RequireLogin>
      <Queue />
    </RequireLogin>
  );
}

function Queue() {
  const { t } = useTranslation('work');
  const m = useWorkMunicipality();
  const q = useLoad(
    (signal) => (m.current ? api<WorkQueue>(workQueueUrl(m.current), { signal }) : Promise.resolve(undefined)),
    [m.current],
  );
  if (!m.current)
    return (
      <Page title={t('title')}>
        <Notice kind="warning">{t('notOfficial')}</Notice>
      </Page>
    );
  return (
    <Page title={t('title')} lead={t('lead')}>
      {m.options.length > 1 ? (
        <SelectField label={t('municipality')} value={m.current} onChange={(e) => m.select(e.target.value)}>
          {m.options.map((c) => (
            <option key={c} value={c}>
              {m.nameOf(c)}
            </option>
          ))}
        </SelectField>
      ) : null}
      {q.error ? <ErrorNotice error={q.error} onRetry={q.reload} /> : null}
      {q.loading && !q.data ? <Loading /> : null}
      {q.data ? <Groups queue={q.data} /> : null}
    </Page>
  );
}

function Groups({ queue }: { queue: WorkQueue }) {
  const { t } = useTranslation('work');
  if (!queue.items.length) return <Notice kind="success">{t('empty')}</Notice>;
  return (
    <>
      <p className="work-summary">
        {t('summary', { count: queue.totals.all })}
        {queue.totals.overdue ? <strong> {t('summaryOverdue', { count: queue.totals.overdue })}</strong> : null}
      </p>
      {GROUPS.filter((g) => queue.items.some((i) => i.group === g)).map((g) => (
        <section key={g} className="work-group" aria-labelledby={`work-${g}`}>
          <h2 id={`work-${g}`}>
            {t(`group.${g}`)} <span className="work-group-count">({queue.totals.byGroup[g]})</span>
          </h2>
          <ul className="work-list">
            {queue.items
              .filter((i) => i.group === g)
              .map((i) => (
                <Item key={`${i.key}:${i.link}`} item={i} />
              ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function Item({ item }: { item: WorkItem }) {
  const { t, i18n } = useTranslation('work');
  const lang = i18n.language;
  const relative = new Intl.RelativeTimeFormat(lang === 'et' ? 'et-EE' : lang === 'ru' ? 'ru-RU' : 'en-GB', {
    numeric: 'auto',
  });
  const days = item.since ? Math.max(0, Math.floor((Date.now() - Date.parse(item.since)) / DAY)) : null;
  const late = item.overdue > 0;
  return (
    <li className={`work-item${late ? ' late' : ''}`}>
      <Link to={item.link} className="work-title">
        {t(`item.${item.key}`, { count: item.count, defaultValue: t('item.other', { count: item.count }) })}
      </Link>
      {item.subject ? <span className="work-subject">{item.subject}</span> : null}
      <span className="work-meta">
        {item.since && days !== null ? (
          <span>{t('since', { date: formatDate(item.since, lang), relative: relative.format(-days, 'day') })}</span>
        ) : null}
        {item.due ? (
          <span className={late ? 'work-late' : undefined}>
            {t(late ? 'duePassed' : 'due', { date: formatDate(item.due, lang) })}
          </span>
        ) : null}
        {late && item.count > 1 ? <span className="work-late">{t('overdue', { count: item.overdue })}</span> : null}
      </span>
    </li>
  );
}
