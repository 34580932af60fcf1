import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/ui';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('error.notFound')}>
      <p>{t('error.notFoundText')}</p>
      <p>
        <Link to="/">{t('nav.home')}</Link>
      </p>
    </Page>
  );
}
