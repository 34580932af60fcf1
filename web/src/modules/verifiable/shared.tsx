import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMunicipality } from '../../app/municipality';
import { SelectField } from '../../components/ui';
import type { Phase, Question } from './api';

export function useVT() {
  return useTranslation('verifiable');
}

export function MunicipalityPicker({ code, to }: { code: string; to: (code: string) => string }) {
  const { t } = useVT();
  const m = useMunicipality();
  return (
    <form className="form vv-picker" onSubmit={(e) => e.preventDefault()}>
      <SelectField label={t('list.municipality')} value={code} onChange={(e) => m.select(e.target.value)}>
        <option value="">{t('list.choose')}</option>
        {m.list.map((x) => (
          <option key={x.code} value={x.code}>
            {x.name}
          </option>
        ))}
      </SelectField>
      {code ? <Link to={to(code)}>{t('list.open')}</Link> : null}
    </form>
  );
}

export function PhaseBadge({ phase }: { phase: Phase | string }) {
  const { t } = useVT();
  return <span className={`vv-badge vv-phase-${phase}`}>{t(`phase.${phase}`)}</span>;
}

export function SelectionRule({ q }: { q: Pick<Question, 'minSelections' | 'maxSelections'> }) {
  const { t } = useVT();
  if (q.minSelections === q.maxSelections) return <>{t('rule.exactly', { count: q.maxSelections })}</>;
  if (q.minSelections === 0) return <>{t('rule.upTo', { max: q.maxSelections })}</>;
  return <>{t('rule.range', { min: q.minSelections, max: q.maxSelections })}</>;
}

/** A long hex value, shortened for display with the full value for copying and screen readers. */
export function Hex({ value, n = 16 }: { value: string | null | undefined; n?: number }) {
  if (!value) return <>—</>;
  return (
    <code className="vv-hex" title={value}>
      {value.length > n ? `${value.slice(0, n)}…` : value}
    </code>
  );
}
