import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorNotice, Loading, Notice, Page } from '../../components/ui';
import { TOPIC_LABELS } from '../../../../src/modules/notifications/contract';

/** The verification link of an e-mail address: opening it confirms the address (no login needed). */
export function VerifyPage() {
  const { t } = useTranslation('notifications');
  const { token } = useParams();
  const [email, setEmail] = useState<string>();
  const [error, setError] = useState<unknown>();
  const started = useRef(false);
  useEffect(() => {
    // Once per page load: React's development double-mount must not use the link twice.
    if (started.current) return;
    started.current = true;
    api<{ email: string }>('/api/v1/notifications/verify', { method: 'POST', body: { token } }).then(
      (r) => setEmail(r.email),
      setError,
    );
  }, [token]);
  return (
    <Page title={t('verify.title')}>
      {!email && !error ? <Loading /> : null}
      {email ? <Notice kind="success">{t('verify.done', { email })}</Notice> : null}
      {error ? <ErrorNotice error={error} /> : null}
      <p>
        <Link to="/teavitused/seaded">{t('verify.toSettings')}</Link>
      </p>
    </Page>
  );
}

/**
 * The page behind an e-mail's unsubscribe link (List-Unsubscribe). Opening it changes nothing
 * (link scanners open links); the button confirms. Mail clients' one-click POST goes to the same
 * address and needs no page.
 */
export function UnsubscribePage() {
  const { t, i18n } = useTranslation('notifications');
  const { token = '' } = useParams();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>();
  const parts = token.split('.');
  const topicKey = parts.slice(2, -1).join('.');
  const lang = i18n.language === 'ru' || i18n.language === 'en' ? i18n.language : 'et';
  const topic = TOPIC_LABELS[topicKey]?.[lang] ?? t('unsubscribe.unknown');
  const confirm = async () => {
    setError(undefined);
    try {
      await api('/api/v1/notifications/unsubscribe', { method: 'POST', body: { token } });
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('unsubscribe.title')}>
      {done ? (
        <Notice kind="success">{t('unsubscribe.done', { topic })}</Notice>
      ) : (
        <>
          <p>{t('unsubscribe.lead', { topic })}</p>
          {error ? <ErrorNotice error={error} /> : null}
          <button type="button" onClick={() => void confirm()}>
            {t('unsubscribe.confirm')}
          </button>
        </>
      )}
      <p>
        <Link to="/teavitused/seaded">{t('centre.settings')}</Link>
      </p>
    </Page>
  );
}
