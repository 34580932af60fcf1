import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMunicipality } from '../../app/municipality';
import { SelectField, formatDate } from '../../components/ui';
import type { Rule, SittingDetail } from './api';

/** Pieces shared by the council's pages. */
export function useCouncilT() {
  return useTranslation('council');
}

export function RuleText({ rule, needed, seats }: { rule: Rule; needed?: number; seats?: number }) {
  const { t } = useCouncilT();
  if (rule.kind === 'cast') return <>{t('rule.cast')}</>;
  if (rule.kind === 'composition')
    return <>{needed ? t('rule.compositionNeeded', { needed, seats }) : t('rule.composition')}</>;
  return (
    <>
      {t(rule.base === 'cast' ? 'rule.qualifiedCast' : 'rule.qualifiedComposition', { num: rule.num, den: rule.den })}
    </>
  );
}

export function MunicipalityPicker({ code, to }: { code: string; to: (code: string) => string }) {
  const { t } = useCouncilT();
  const m = useMunicipality();
  return (
    <form className="form council-picker" onSubmit={(e) => e.preventDefault()}>
      <SelectField label={t('home.municipality')} value={code} onChange={(e) => m.select(e.target.value)}>
        <option value="">{t('home.choose')}</option>
        {m.list.map((x) => (
          <option key={x.code} value={x.code}>
            {x.name}
          </option>
        ))}
      </SelectField>
      {code ? <Link to={to(code)}>{t('home.open')}</Link> : null}
    </form>
  );
}

export const sittingPath = (code: string, id: string) => `/volikogu/${code}/istung/${id}`;

export function StatusBadge({ status }: { status: string }) {
  const { t } = useCouncilT();
  return <span className={`council-badge council-status-${status}`}>{t(`status.${status}`)}</span>;
}

/**
 * Warns those who run a sitting (managers, its chair and secretary) that its convocation did not
 * (or, published now, would not) reach the members the council's notice period before it.
 */
export function NoticeWarning({ d }: { d: SittingDetail }) {
  const { t, i18n } = useCouncilT();
  const runs = d.you.manager || d.you.operator !== null;
  if (!runs || d.notice.met || !['draft', 'published'].includes(d.status)) return null;
  return (
    <div className="notice notice-warning" role="status">
      {t(d.status === 'draft' ? 'notice.draft' : 'notice.late', {
        days: d.notice.days,
        deadline: formatDate(d.notice.deadline, i18n.language, true),
      })}
    </div>
  );
}
