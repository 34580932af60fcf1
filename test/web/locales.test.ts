import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { common } from '../../web/src/i18n/common';

/** Every visible string exists in Estonian, Russian and English, with the same placeholders. */
type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();

/**
 * i18next's plural suffixes (Intl.PluralRules categories) and the Estonian-only contexts
 * (`_linn`: "linna teenused" for a city where others say "valla"): a language has its own set of
 * plural forms, and a context missing in a language falls back to the key without it.
 */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const CONTEXTS = /_(linn)$/;
const baseKey = (k: string) => k.replace(PLURAL, '').replace(CONTEXTS, '');
function checkPlurals(ns: string, lang: string, keys: Map<string, string>) {
  const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const plural = new Map<string, Set<string>>();
  for (const k of keys.keys()) {
    const m = PLURAL.exec(k);
    if (m) plural.set(k.replace(PLURAL, ''), (plural.get(k.replace(PLURAL, '')) ?? new Set()).add(m[1]!));
  }
  for (const [k, have] of plural) {
    const missing = needed.filter((c) => !have.has(c));
    assert.deepEqual(missing, [], `${ns}.${k}: plural forms missing in ${lang}`);
  }
}

async function namespaces(): Promise<[string, Record<string, Tree>][]> {
  const list: [string, Record<string, Tree>][] = [['common', common as unknown as Record<string, Tree>]];
  const dir = path.resolve(import.meta.dirname, '../../web/src/modules');
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name, 'locales.ts');
    if (!existsSync(file)) continue;
    const mod = await import(pathToFileURL(file).href);
    list.push([name, mod.locales]);
  }
  return list;
}

test('every namespace has the same keys and placeholders in et, ru and en, and no empty strings', async () => {
  for (const [ns, locales] of await namespaces()) {
    const et = leaves(locales.et!);
    assert.ok(et.size > 0, `${ns}: no Estonian strings`);
    checkPlurals(ns, 'et', et);
    const etBase = new Map([...et].map(([k, v]) => [baseKey(k), v]));
    for (const lang of ['ru', 'en']) {
      const other = leaves(locales[lang]!);
      checkPlurals(ns, lang, other);
      const otherBase = new Set([...other.keys()].map(baseKey));
      const missing = [...etBase.keys()].filter((k) => !otherBase.has(k));
      const extra = [...otherBase].filter((k) => !etBase.has(k));
      assert.deepEqual(missing, [], `${ns}: keys missing in ${lang}`);
      assert.deepEqual(extra, [], `${ns}: keys in ${lang} but not in et`);
      for (const [k, v] of other) {
        assert.ok(v.trim().length > 0, `${ns}.${k} is empty in ${lang}`);
        assert.deepEqual(
          placeholders(v),
          placeholders(etBase.get(baseKey(k))!),
          `${ns}.${k}: placeholders differ in ${lang}`,
        );
      }
    }
    for (const [k, v] of et) assert.ok(v.trim().length > 0, `${ns}.${k} is empty in et`);
  }
});

/**
 * Estonian pages address the reader formally ("teie"), as public bodies do: no "sa/sinu" and no
 * second-person singular verbs in running text. Short button labels keep the usual imperative
 * ("Laadi alla CSV"); sentences do not ("Kontrollige võrguühendust.").
 */
const INFORMAL_WORDS =
  /(^|[^\p{L}])(sa|sina|sul|sinu|sind|sulle|sinul|sinult|su|oled|saad|näed|soovid|pead|võid|tead)(?![\p{L}])/iu;
const INFORMAL_SENTENCE =
  /(^|[.:;–] )(Kontrolli|Proovi|Vali|Sisesta|Kirjuta|Vaata|Lisa|Loe|Ava|Kasuta|Leia|Jälgi|Anna|Märgi|Kinnita|Muuda|Hääleta|Vajuta|Klõpsa|Laadi|Saada|Otsi|Mine|Teata|Paranda|Salvesta|Jäta|Alusta|Määra|Koosta|Logi)\b[^.]*\./u;

test('Estonian text addresses the reader formally (teie), not with sa/sinu', async () => {
  const informal: string[] = [];
  for (const [ns, locales] of await namespaces()) {
    for (const [k, v] of leaves(locales.et!)) {
      if (INFORMAL_WORDS.test(v) || INFORMAL_SENTENCE.test(v)) informal.push(`${ns}.${k}: ${v}`);
    }
  }
  assert.deepEqual(informal, []);
});
