import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorNotice, Loading, Notice, Page, formatDate, useLoad } from '../../components/ui';
import { councilApi, type MinutesStatus, type MyPlace, type SittingDetail } from './api';
import { useCouncilT } from './shared';

/** The minutes of a sitting: HTML and PDF, generated and signed off by the chair and the secretary. */
export function MinutesPage() {
  const { t, i18n } = useCouncilT();
  const { code = '', id = '' } = useParams();
  const session = useSession();
  const base = `${councilApi(code)}/sittings/${id}`;
  const detail = useLoad((signal) => api<SittingDetail>(base, { signal }), [code, id, session.me?.authenticated]);
  const [tick, setTick] = useState(0);
  const status = useLoad(
    (signal) => api<MinutesStatus>(`${base}/minutes`, { signal }).catch(() => null),
    [code, id, session.me?.authenticated, tick],
  );
  const me = useLoad(
    (signal) => (session.me?.authenticated ? api<MyPlace>(`${base}/me`, { signal }) : Promise.resolve(undefined)),
    [code, id, session.me?.authenticated],
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const d = detail.data;
  if (detail.loading && !d) return <Loading />;
  if (detail.error) return <ErrorNotice error={detail.error} />;
  if (!d) return null;
  const st = status.data;
  const operator = me.data?.operator ?? null;
  const isSecretary = Boolean(session.me?.person && d.secretary?.personId === session.me.person.id);
  const run = async (fn: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await fn();
      setDone(message);
      setTick((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('minutes.title', { number: d.number })} lead={d.title}>
      <p>
        <Link to={`/volikogu/${code}/istung/${id}`}>{t('minutes.back')}</Link>
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {done ? <Notice kind="success">{done}</Notice> : null}
      {d.status !== 'closed' ? <Notice kind="info">{t('minutes.notClosed')}</Notice> : null}
      {status.loading && !st ? <Loading /> : null}
      {!st && d.status === 'closed' ? <p>{t('minutes.none')}</p> : null}
      {st ? (
        <>
          <dl className="facts">
            <dt>{t('minutes.version')}</dt>
            <dd>
              {st.version} ({formatDate(st.generatedAt, i18n.language, true)})
            </dd>
            <dt>{t('minutes.chairSign')}</dt>
            <dd>
              {st.chair
                ? t('minutes.signedBy', { name: st.chair.name, at: formatDate(st.chair.at, i18n.language, true) })
                : t('minutes.unsigned')}
            </dd>
            <dt>{t('minutes.secretarySign')}</dt>
            <dd>
              {st.secretary
                ? t('minutes.signedBy', {
                    name: st.secretary.name,
                    at: formatDate(st.secretary.at, i18n.language, true),
                  })
                : t('minutes.unsigned')}
            </dd>
            <dt>{t('minutes.state')}</dt>
            <dd>{st.approved ? t('minutes.approved') : t('minutes.draft')}</dd>
            <dt>SHA-256</dt>
            <dd className="council-hash">{st.sha256}</dd>
          </dl>
          <p className="council-links">
            <a href={`${base}/minutes.pdf`}>{t('minutes.pdf')}</a>
            <a href={`${base}/minutes.html`}>{t('minutes.html')}</a>
          </p>
        </>
      ) : null}
      {operator && d.status === 'closed' ? (
        <div className="council-inline">
          {!st?.chair && !st?.secretary ? (
            <button
              type="button"
              className="button-secondary"
              disabled={busy}
              onClick={() =>
                void run(() => api(`${base}/minutes`, { method: 'POST', body: {} }), t('minutes.generated'))
              }
            >
              {st ? t('minutes.regenerate') : t('minutes.generate')}
            </button>
          ) : null}
          {st && operator === 'chair' && !st.chair ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(
                  () => api(`${base}/minutes/sign`, { method: 'POST', body: { as: 'chair', sha256: st.sha256 } }),
                  t('minutes.signed'),
                )
              }
            >
              {t('minutes.signAsChair')}
            </button>
          ) : null}
          {st && isSecretary && !st.secretary ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(
                  () => api(`${base}/minutes/sign`, { method: 'POST', body: { as: 'secretary', sha256: st.sha256 } }),
                  t('minutes.signed'),
                )
              }
            >
              {t('minutes.signAsSecretary')}
            </button>
          ) : null}
        </div>
      ) : null}
      <p className="muted">{t('minutes.signNote')}</p>
    </Page>
  );
}
