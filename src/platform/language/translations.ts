/**
 * Content in three languages. Officials write a text in Estonian and may give it in Russian and
 * English too; a translatable object carries `translations: { <field>: { ru?, en? } }` beside its
 * Estonian fields (vote title and description, a question's text, a choice's label, an idea's
 * title and description, a candidate's statement, …). Readers get their language, or the
 * Estonian text marked as such (`pickText`), shared by the server and the web app.
 */
export type ContentLang = 'et' | 'ru' | 'en';

/** One field's translations. */
export type TranslatedText = { ru?: string; en?: string };

/** The translations of an object's fields. */
export type Translations<F extends string = string> = Partial<Record<F, TranslatedText>>;

export interface PickedText {
  text: string;
  /** The language of `text`. */
  lang: ContentLang;
  /** The reader asked for Russian or English and only the Estonian text exists. */
  untranslated: boolean;
}

/** The text in the reader's language, or the Estonian one (flagged `untranslated`). */
export function pickText(lang: string, et: string, tr?: TranslatedText | null): PickedText {
  if (lang === 'ru' || lang === 'en') {
    const own = tr?.[lang]?.trim();
    if (own) return { text: own, lang, untranslated: false };
    return { text: et, lang: 'et', untranslated: et.trim() !== '' };
  }
  return { text: et, lang: 'et', untranslated: false };
}

/** Keeps only non-empty translations (trimmed), so `{}` means "Estonian only". */
export function cleanTranslations<F extends string>(tr: Translations<F> | undefined | null): Translations<F> {
  const out: Translations<F> = {};
  for (const [field, t] of Object.entries(tr ?? {}) as [F, TranslatedText | undefined][]) {
    const ru = t?.ru?.trim();
    const en = t?.en?.trim();
    if (ru || en) out[field] = { ...(ru ? { ru } : {}), ...(en ? { en } : {}) };
  }
  return out;
}
