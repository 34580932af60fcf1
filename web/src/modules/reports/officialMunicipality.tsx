import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { useMunicipality } from '../../app/municipality';
import { SelectField } from '../../components/ui';

/** The municipalities where the person holds one of the roles (all for platform admins), and the one chosen. */
export function useOfficialMunicipality(roles: string[], opts: { national?: boolean } = {}) {
  const session = useSession();
  const municipality = useMunicipality();
  const allowed = session.municipalitiesWith(roles);
  const all = allowed.includes('*');
  const national = opts.national && (all || allowed.includes('0000'));
  const options = [
    ...(national ? ['0000'] : []),
    ...(all ? municipality.list.map((m) => m.code) : allowed.filter((c) => c !== '0000')),
  ];
  const current = options.includes(municipality.selected)
    ? municipality.selected
    : (options.find((c) => c !== '0000') ?? options[0] ?? '');
  return {
    options,
    current,
    select: municipality.select,
    nameOf: (c: string) => (c === '0000' ? 'ELVL' : municipality.nameOf(c)),
  };
}

export function OfficialMunicipalitySelect({ m }: { m: ReturnType<typeof useOfficialMunicipality> }) {
  const { t } = useTranslation('reports');
  if (m.options.length <= 1) return null;
  return (
    <SelectField label={t('manage.municipality')} value={m.current} onChange={(e) => m.select(e.target.value)}>
      {m.options.map((c) => (
        <option key={c} value={c}>
          {c === '0000' ? t('analytics.national') : m.nameOf(c)}
        </option>
      ))}
    </SelectField>
  );
}
