import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modules } from '../../src/modules/index';
import { reasonCodes } from '../../src/platform/http/problems';
import { common } from '../../web/src/i18n/common';

/**
 * Every reason code the server can send (`defineReason`, registered when the modules load) is
 * worded in et, ru and en (`common:reasons.<code>`), and the Estonian and Russian words are not
 * the English ones: a refusal a person meets reads in the page's language.
 */
test('every server reason code has its own et, ru and en text', () => {
  assert.ok(modules.length > 0);
  const codes = reasonCodes();
  assert.ok(codes.length >= 50, `only ${codes.length} reason codes registered: were the modules loaded?`);
  const catalog = (lang: 'et' | 'ru' | 'en') => common[lang].reasons as Record<string, string>;
  const problems: string[] = [];
  for (const code of codes) {
    const en = catalog('en')[code];
    if (!en?.trim()) problems.push(`${code}: no en text`);
    for (const lang of ['et', 'ru'] as const) {
      const text = catalog(lang)[code];
      if (!text?.trim()) problems.push(`${code}: no ${lang} text`);
      else if (en && text.trim() === en.trim()) problems.push(`${code}: the ${lang} text is the English one`);
    }
    if (catalog('ru')[code] && !/[А-Яа-яЁё]/.test(catalog('ru')[code]!))
      problems.push(`${code}: ru text has no Cyrillic`);
  }
  assert.deepEqual(problems, []);
  // And nothing stale: a text for a code the server no longer sends is dead weight in every page.
  const known = new Set(codes);
  for (const lang of ['et', 'ru', 'en'] as const)
    assert.deepEqual(
      Object.keys(catalog(lang)).filter((c) => !known.has(c)),
      [],
      `${lang}: texts for codes the server does not send`,
    );
});
