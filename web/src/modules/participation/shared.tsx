import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMunicipality } from '../../app/municipality';
import { useSession } from '../../app/session';
import { SelectField } from '../../components/ui';
import { langOf, usePickText, UntranslatedMark } from '../../components/LocalText';
import type { Choice, Phase, VoteKind } from './api';

/** Pieces shared by the participation pages. */
export function useP() {
  return useTranslation('participation');
}

export function euros(cents: number, lang: string): string {
  const locale = lang === 'et' ? 'et-EE' : lang === 'ru' ? 'ru-RU' : 'en-GB';
  return (cents / 100).toLocaleString(locale, {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: cents % 100 ? 2 : 0,
  });
}

export function PhaseBadge({ phase }: { phase: Phase }) {
  const { t } = useP();
  return <span className={`pv-badge pv-phase-${phase}`}>{t(`phase.${phase}`)}</span>;
}

export function KindLabel({ kind }: { kind: VoteKind }) {
  const { t } = useP();
  return <>{t(`kind.${kind}`)}</>;
}

/** A choice's label in the reader's language (yes, no and blank are translated). */
export function useChoicePick() {
  const { t } = useP();
  const pick = usePickText();
  return (c: Pick<Choice, 'label' | 'code' | 'translations'>) =>
    c.code
      ? { text: t(`choice.${c.code}`), lang: 'et' as const, untranslated: false }
      : pick(c.label, c.translations?.label);
}

/** A choice's label as text (summaries, lists): the picked language's, or Estonian. */
export function useChoiceLabel() {
  const pick = useChoicePick();
  return (c: Pick<Choice, 'label' | 'code' | 'translations'>) => pick(c).text;
}

/** A choice's label on the ballot: `lang="et"` and the note when only in Estonian. */
export function ChoiceLabel({ choice }: { choice: Pick<Choice, 'label' | 'code' | 'translations'> }) {
  const p = useChoicePick()(choice);
  return (
    <>
      <span lang={langOf(p)}>{p.text}</span>
      <UntranslatedMark picked={p} />
    </>
  );
}

export function MunicipalityPicker({ code, to }: { code: string; to: (code: string) => string }) {
  const { t } = useP();
  const m = useMunicipality();
  return (
    <form className="form pv-picker" onSubmit={(e) => e.preventDefault()}>
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

/** Officials of this municipality who prepare and run votes (admins, editors; platform admins). */
export function useManager(code: string) {
  const session = useSession();
  return session.municipalitiesWith(['admin', 'editor']).some((x) => x === code || x === '*');
}

export function useFollower(code: string) {
  const session = useSession();
  return session.municipalitiesWith(['admin', 'editor', 'analyst']).some((x) => x === code || x === '*');
}

/** `datetime-local` value (local time) ↔ ISO instant. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
