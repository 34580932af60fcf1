import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, Page, formatDate } from '../components/ui';
import { useSession } from '../app/session';
import { useMunicipality } from '../app/municipality';
import { webModules } from '../modules';
import { RequireLogin } from './RequireLogin';

export function Profile() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const municipality = useMunicipality();
  const person = session.me?.person;
  return (
    <RequireLogin>
      <Page title={t('profile.title')}>
        {person ? (
          <dl className="facts">
            <dt>{t('profile.name')}</dt>
            <dd>
              {person.givenName} {person.familyName}
            </dd>
            <dt>{t('profile.idCode')}</dt>
            <dd>
              <span aria-describedby="id-code-hint">{person.idCodeMasked}</span>
              <span id="id-code-hint" className="help">
                {' '}
                {t('profile.idCodeHint')}
              </span>
            </dd>
            <dt>{t('profile.birthDate')}</dt>
            <dd>{formatDate(person.birthDate, i18n.language)}</dd>
          </dl>
        ) : null}
        <h2>{t('profile.roles')}</h2>
        {session.me?.roles.length ? (
          <ul>
            {session.me.roles.map((r) => (
              <li key={`${r.municipalityCode}-${r.role}`}>
                {municipality.nameOf(r.municipalityCode)}: {t(`roles.names.${r.role}`)}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('profile.noRoles')}</p>
        )}
        {webModules
          .flatMap((m) => m.profileSections ?? [])
          .map((Section, i) => (
            <Suspense key={i} fallback={<Loading />}>
              <Section />
            </Suspense>
          ))}
      </Page>
    </RequireLogin>
  );
}
