import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { useMunicipality } from '../../app/municipality';
import { SelectField } from '../../components/ui';

/** The municipalities the person administers; platform admins may pick any (and ELVL). */
export function useAdminMunicipalities(roles: string[] = ['admin']) {
  const session = useSession();
  const municipality = useMunicipality();
  const allowed = session.municipalitiesWith(roles);
  const options = allowed.includes('*') ? ['0000', ...municipality.list.map((m) => m.code)] : allowed;
  const current = options.includes(municipality.selected) ? municipality.selected : (options[0] ?? '');
  return { options, current, select: municipality.select, nameOf: municipality.nameOf };
}

export function AdminMunicipalitySelect({ roles }: { roles?: string[] }) {
  const { t } = useTranslation();
  const m = useAdminMunicipalities(roles);
  if (m.options.length <= 1) return null;
  return (
    <SelectField
      label={t('municipality')}
      help={t('roles.chooseMunicipality')}
      value={m.current}
      onChange={(e) => m.select(e.target.value)}
    >
      {m.options.map((code) => (
        <option key={code} value={code}>
          {m.nameOf(code)}
        </option>
      ))}
    </SelectField>
  );
}
