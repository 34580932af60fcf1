import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useMunicipality } from '../../app/municipality';
import { ErrorNotice, Loading, Notice, Page, formatDate, useLoad } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { MunicipalityPicker, useLang } from './shared';
import { ServiceFinder } from './PublicPages';

interface Item {
  kind: string;
  id: string;
  municipalityCode: string;
  title: string;
  status: string;
  url: string;
  at: string | null;
  due: string | null;
}
type Kinds = Record<string, { items: Item[]; error?: string }>;

export function MinuVald() {
  return (
    <RequireLogin>
      <MinuValdPage />
    </RequireLogin>
  );
}

/** The resident's single entry point: their items from every module, and their municipality's services. */
function MinuValdPage() {
  const { t, i18n } = useTranslation('services');
  const lang = useLang();
  const m = useMunicipality();
  const items = useLoad((signal) => api<{ kinds: Kinds }>(`/api/v1/me/minu-vald?lang=${lang}`, { signal }), [lang]);
  const section = (kind: string, title: string, empty: string) => {
    const k = items.data?.kinds[kind];
    return (
      <section>
        <h2>{title}</h2>
        {!k ? (
          <p className="muted">{t('minu.notYet')}</p>
        ) : k.error ? (
          <Notice kind="warning">{t('minu.unavailable')}</Notice>
        ) : k.items.length === 0 ? (
          <p>{empty}</p>
        ) : (
          <ul className="svc-list">
            {k.items.map((i) => (
              <li key={i.id}>
                <a href={i.url}>{i.title}</a> <span className="muted">· {m.nameOf(i.municipalityCode)}</span>
                {kind !== 'survey' && i.status ? (
                  <>
                    {' '}
                    <span className={`svc-state${i.status === 'voted' ? ' svc-state-done' : ''}`}>
                      {t(`minu.state.${i.status}`, { defaultValue: i.status })}
                    </span>
                  </>
                ) : null}
                {i.due ? (
                  <div className="muted">{t('minu.answerBy', { date: formatDate(i.due, i18n.language) })}</div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  };
  return (
    <Page title={t('minu.title')} lead={t('minu.lead')}>
      {items.loading ? <Loading /> : items.error ? <ErrorNotice error={items.error} onRetry={items.reload} /> : null}
      <div className="svc-two">
        {section('survey', t('minu.surveys'), t('minu.noSurveys'))}
        {section('vote', t('minu.votes'), t('minu.noItems'))}
        {section('report', t('minu.reports'), t('minu.noItems'))}
      </div>
      <h2>{t('minu.services')}</h2>
      <MunicipalityPicker />
      {m.selected ? <ServiceFinder code={m.selected} /> : null}
    </Page>
  );
}
