import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TranslatedText } from '../../../src/platform/language/translations';
import { TextArea, TextField } from './ui';

export interface TranslatableField {
  key: string;
  /** The field's label in the page's language (the Estonian field's own label). */
  label: string;
  multiline?: boolean;
  help?: string;
  maxLength?: number;
}

/** What the section edits: field → { ru, en } (the shape `translations` has in the API). */
export type TranslationValues = Record<string, TranslatedText | undefined>;

/**
 * The collapsed "Tõlked" section of an official's form: optional Russian and English versions of
 * the form's texts. Left empty, readers in those languages see the Estonian text with a note.
 * Open when something is filled in already.
 */
export function TranslationFields({
  fields,
  value,
  onChange,
  errorOf,
}: {
  fields: TranslatableField[];
  value: TranslationValues;
  onChange(v: TranslationValues): void;
  errorOf?: (field: string, lang: 'ru' | 'en') => string | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const filled = Object.values(value).some((v) => v?.ru?.trim() || v?.en?.trim());
  const set = (field: string, lang: 'ru' | 'en', text: string) =>
    onChange({ ...value, [field]: { ...value[field], [lang]: text } });
  return (
    <details className="translations" open={filled}>
      <summary>{t('translations.section')}</summary>
      <p className="help">{t('translations.help')}</p>
      {(['ru', 'en'] as const).map((lang) => (
        <fieldset key={lang} id={`${id}-${lang}`}>
          <legend>{t(`translations.${lang}`)}</legend>
          {fields.map((f) => {
            const props = {
              label: t('translations.fieldIn', { field: f.label, lang: t(`translations.in.${lang}`) }),
              value: value[f.key]?.[lang] ?? '',
              lang,
              error: errorOf?.(f.key, lang),
              ...(f.help ? { help: f.help } : {}),
              ...(f.maxLength ? { maxLength: f.maxLength } : {}),
            };
            return f.multiline ? (
              <TextArea key={f.key} {...props} rows={3} onChange={(e) => set(f.key, lang, e.target.value)} />
            ) : (
              <TextField key={f.key} {...props} onChange={(e) => set(f.key, lang, e.target.value)} />
            );
          })}
        </fieldset>
      ))}
    </details>
  );
}

/** Drops empty texts, so an untouched section sends nothing. */
export function translationsBody(v: TranslationValues): Record<string, TranslatedText> {
  const out: Record<string, TranslatedText> = {};
  for (const [k, tr] of Object.entries(v)) {
    const ru = tr?.ru?.trim();
    const en = tr?.en?.trim();
    if (ru || en) out[k] = { ...(ru ? { ru } : {}), ...(en ? { en } : {}) };
  }
  return out;
}
