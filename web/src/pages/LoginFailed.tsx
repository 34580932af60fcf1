import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Notice, Page } from '../components/ui';
import { useSession } from '../app/session';

export function LoginFailed() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const session = useSession();
  const reason = params.get('reason') ?? 'token';
  return (
    <Page title={t('loginFailed.title')}>
      <Notice kind="error">
        {t('loginFailed.text')} {t(`loginFailed.reasons.${reason}`, { defaultValue: '' })}
      </Notice>
      <p>
        <a className="button" href={session.loginUrl('/')}>
          {t('loginFailed.tryAgain')}
        </a>
      </p>
    </Page>
  );
}
