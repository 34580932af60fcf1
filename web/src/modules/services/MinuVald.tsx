import { useTranslation } from 'react-i18next';
import { useMunicipality } from '../../app/municipality';
import { Page } from '../../components/ui';
import { RequireLogin } from '../../pages/RequireLogin';
import { MunicipalityPicker } from './shared';
import { OpenNow } from './OpenNow';
import { ServiceFinder } from './PublicPages';

export function MinuVald() {
  return (
    <RequireLogin>
      <MinuValdPage />
    </RequireLogin>
  );
}

/** The resident's single entry point: their items from every module, and their municipality's services. */
function MinuValdPage() {
  const { t } = useTranslation('services');
  const m = useMunicipality();
  return (
    <Page title={t('minu.title')} lead={t('minu.lead')}>
      <OpenNow />
      <h2>{t('minu.services')}</h2>
      <MunicipalityPicker />
      {m.selected ? <ServiceFinder code={m.selected} /> : null}
    </Page>
  );
}
