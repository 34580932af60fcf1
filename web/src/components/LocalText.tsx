import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { pickText, type PickedText, type TranslatedText } from '../../../src/platform/language/translations';

export type { TranslatedText, Translations } from '../../../src/platform/language/translations';

/**
 * Officials' content in the reader's language (src/platform/language/translations.ts): the
 * Russian or English text when there is one, else the Estonian text in `lang="et"` (so a screen
 * reader reads it as Estonian) with a visible note in the reader's language. Every page that
 * shows votes, questions, choices, ideas, candidates' statements, services or events uses these.
 */
export function usePickText(): (et: string, tr?: TranslatedText | null) => PickedText {
  const { i18n } = useTranslation();
  return (et, tr) => pickText(i18n.language, et, tr);
}

/** `lang` for an element holding picked text: only when it differs from the page's language. */
export const langOf = (p: PickedText) => (p.untranslated ? 'et' : undefined);

/** The short note after a text that is only in Estonian ("только на эстонском"). */
export function UntranslatedMark({ picked }: { picked: PickedText }) {
  const { t } = useTranslation();
  if (!picked.untranslated) return null;
  return (
    <>
      {' '}
      <span className="untranslated-mark">({t('untranslated.short')})</span>
    </>
  );
}

/** Inline text in the reader's language, or Estonian with the short note. */
export function LocalText({
  et,
  tr,
  mark = true,
}: {
  et: string;
  tr?: TranslatedText | null | undefined;
  /** Show the "only in Estonian" note after it (off where a page-level note says so already). */
  mark?: boolean;
}) {
  const pick = usePickText();
  const p = pick(et, tr);
  return (
    <>
      <span lang={langOf(p)}>{p.text}</span>
      {mark ? <UntranslatedMark picked={p} /> : null}
    </>
  );
}

/** A block of text (a description, a statement) in the reader's language, with the note. */
export function LocalBlock({
  et,
  tr,
  className,
  id,
}: {
  et: string;
  tr?: TranslatedText | null | undefined;
  className?: string;
  id?: string;
}): ReactNode {
  const pick = usePickText();
  const p = pick(et, tr);
  if (!p.text) return null;
  return (
    <p className={className} id={id}>
      <span lang={langOf(p)}>{p.text}</span>
      <UntranslatedMark picked={p} />
    </p>
  );
}

/** The page-level note: this page's content is (partly) only in Estonian. */
export function UntranslatedNotice({ picked }: { picked: (PickedText | undefined)[] }) {
  const { t } = useTranslation();
  if (!picked.some((p) => p?.untranslated)) return null;
  return (
    <p className="untranslated-notice" role="note">
      {t('untranslated.page')}
    </p>
  );
}
