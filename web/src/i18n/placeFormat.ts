import type { i18n as I18n } from 'i18next';
import { declinePlace, PLACE_CASES } from '../../../src/platform/language/placeNames';

/**
 * Place names in a grammatical case: `{{name, genitive}}` gives "Elva valla" in Estonian and the
 * name unchanged in Russian and English (proper names are not translated). A list of names is
 * declined name by name and joined as the language joins lists ("Tammiste küla ja Pirita
 * linnaosa").
 */
export function registerPlaceFormatters(i18n: I18n) {
  for (const c of PLACE_CASES) {
    i18n.services.formatter?.add(c, (value: unknown, lng: string | undefined) => {
      const names = (Array.isArray(value) ? value : [value]).map(String);
      const declined = lng === 'et' ? names.map((n) => declinePlace(n, c)) : names;
      return new Intl.ListFormat(lng ?? 'et', { type: 'conjunction' }).format(declined);
    });
  }
}
