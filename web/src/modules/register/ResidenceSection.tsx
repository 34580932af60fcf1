import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, formatDate, useLoad } from '../../components/ui';

interface ResidenceView {
  municipalityCode: string;
  municipalityName: string | null;
  settlementCode: string | null;
  settlementName: string | null;
  address: string;
  validFrom: string;
  validUntil: string | null;
  current: boolean;
}

interface MyResidence {
  source: 'extract' | 'xroad';
  asOf: string;
  current: ResidenceView | null;
  residences: ResidenceView[];
}

/** "My details": the registered residence (current and earlier) from the population register. */
export function ResidenceSection() {
  const { t, i18n } = useTranslation('register');
  const session = useSession();
  const data = useLoad(
    (signal) =>
      session.me?.authenticated
        ? api<MyResidence>('/api/v1/register/me/residence', { signal })
        : Promise.resolve(undefined),
    [session.me?.authenticated],
  );
  if (!session.me?.authenticated) return null;
  const d = (s: string) => formatDate(s, i18n.language);
  const earlier = data.data?.residences.filter((r) => !r.current) ?? [];
  return (
    <section aria-labelledby="register-residence-h">
      <h2 id="register-residence-h">{t('residence.title')}</h2>
      <p className="muted">{t('residence.lead')}</p>
      {data.loading ? <Loading /> : null}
      {data.error ? <ErrorNotice error={data.error} onRetry={data.reload} /> : null}
      {data.data && !data.data.current ? <p>{t('residence.none')}</p> : null}
      {data.data?.current ? (
        <dl className="facts register-residence">
          <dt>{t('residence.address')}</dt>
          <dd>{data.data.current.address}</dd>
          <dt>{t('residence.settlement')}</dt>
          <dd>{data.data.current.settlementName ?? '—'}</dd>
          <dt>{t('residence.municipality')}</dt>
          <dd>{data.data.current.municipalityName ?? data.data.current.municipalityCode}</dd>
          <dt>{t('residence.since')}</dt>
          <dd>{d(data.data.current.validFrom)}</dd>
        </dl>
      ) : null}
      {earlier.length ? (
        <>
          <h3>{t('residence.history')}</h3>
          <ul>
            {earlier.map((r) => (
              <li key={`${r.validFrom}-${r.municipalityCode}`}>
                {r.address} ({[r.settlementName, r.municipalityName].filter(Boolean).join(', ')}),{' '}
                {t('residence.period', { from: d(r.validFrom), until: r.validUntil ? d(r.validUntil) : '…' })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data.data ? (
        <p className="help">
          {data.data.source === 'xroad'
            ? t('residence.sourceXroad', { date: d(data.data.asOf) })
            : t('residence.sourceExtract')}
        </p>
      ) : null}
    </section>
  );
}
