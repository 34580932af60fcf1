import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInstance } from 'i18next';
import { readdirSync } from 'node:fs';
import { declinePlace, municipalityWord, PLACE_CASES } from '../../src/platform/language/placeNames';
import { registerPlaceFormatters } from '../../web/src/i18n/placeFormat';

/**
 * The 78 municipalities of EHAK 2025v5 in the cases the pages use, written out by hand (a
 * Estonian reader checks this table, not the rule): genitive ("Elva valla elanikud"), inessive
 * ("Elva vallas"), elative ("Elva vallast") and illative ("Elva valda").
 */
const MUNICIPALITIES: [string, string, string, string, string][] = [
  ['Keila linn', 'Keila linna', 'Keila linnas', 'Keila linnast', 'Keila linna'],
  ['Loksa linn', 'Loksa linna', 'Loksa linnas', 'Loksa linnast', 'Loksa linna'],
  ['Maardu linn', 'Maardu linna', 'Maardu linnas', 'Maardu linnast', 'Maardu linna'],
  ['Tallinn', 'Tallinna', 'Tallinnas', 'Tallinnast', 'Tallinnasse'],
  ['Kohtla-Järve linn', 'Kohtla-Järve linna', 'Kohtla-Järve linnas', 'Kohtla-Järve linnast', 'Kohtla-Järve linna'],
  ['Narva linn', 'Narva linna', 'Narva linnas', 'Narva linnast', 'Narva linna'],
  ['Narva-Jõesuu linn', 'Narva-Jõesuu linna', 'Narva-Jõesuu linnas', 'Narva-Jõesuu linnast', 'Narva-Jõesuu linna'],
  ['Sillamäe linn', 'Sillamäe linna', 'Sillamäe linnas', 'Sillamäe linnast', 'Sillamäe linna'],
  ['Paide linn', 'Paide linna', 'Paide linnas', 'Paide linnast', 'Paide linna'],
  ['Haapsalu linn', 'Haapsalu linna', 'Haapsalu linnas', 'Haapsalu linnast', 'Haapsalu linna'],
  ['Rakvere linn', 'Rakvere linna', 'Rakvere linnas', 'Rakvere linnast', 'Rakvere linna'],
  ['Pärnu linn', 'Pärnu linna', 'Pärnu linnas', 'Pärnu linnast', 'Pärnu linna'],
  ['Tartu linn', 'Tartu linna', 'Tartu linnas', 'Tartu linnast', 'Tartu linna'],
  ['Viljandi linn', 'Viljandi linna', 'Viljandi linnas', 'Viljandi linnast', 'Viljandi linna'],
  ['Võru linn', 'Võru linna', 'Võru linnas', 'Võru linnast', 'Võru linna'],
  ['Anija vald', 'Anija valla', 'Anija vallas', 'Anija vallast', 'Anija valda'],
  ['Harku vald', 'Harku valla', 'Harku vallas', 'Harku vallast', 'Harku valda'],
  ['Jõelähtme vald', 'Jõelähtme valla', 'Jõelähtme vallas', 'Jõelähtme vallast', 'Jõelähtme valda'],
  ['Kiili vald', 'Kiili valla', 'Kiili vallas', 'Kiili vallast', 'Kiili valda'],
  ['Kose vald', 'Kose valla', 'Kose vallas', 'Kose vallast', 'Kose valda'],
  ['Kuusalu vald', 'Kuusalu valla', 'Kuusalu vallas', 'Kuusalu vallast', 'Kuusalu valda'],
  ['Lääne-Harju vald', 'Lääne-Harju valla', 'Lääne-Harju vallas', 'Lääne-Harju vallast', 'Lääne-Harju valda'],
  ['Raasiku vald', 'Raasiku valla', 'Raasiku vallas', 'Raasiku vallast', 'Raasiku valda'],
  ['Rae vald', 'Rae valla', 'Rae vallas', 'Rae vallast', 'Rae valda'],
  ['Saku vald', 'Saku valla', 'Saku vallas', 'Saku vallast', 'Saku valda'],
  ['Saue vald', 'Saue valla', 'Saue vallas', 'Saue vallast', 'Saue valda'],
  ['Viimsi vald', 'Viimsi valla', 'Viimsi vallas', 'Viimsi vallast', 'Viimsi valda'],
  ['Hiiumaa vald', 'Hiiumaa valla', 'Hiiumaa vallas', 'Hiiumaa vallast', 'Hiiumaa valda'],
  ['Alutaguse vald', 'Alutaguse valla', 'Alutaguse vallas', 'Alutaguse vallast', 'Alutaguse valda'],
  ['Lüganuse vald', 'Lüganuse valla', 'Lüganuse vallas', 'Lüganuse vallast', 'Lüganuse valda'],
  ['Jõhvi vald', 'Jõhvi valla', 'Jõhvi vallas', 'Jõhvi vallast', 'Jõhvi valda'],
  ['Jõgeva vald', 'Jõgeva valla', 'Jõgeva vallas', 'Jõgeva vallast', 'Jõgeva valda'],
  ['Mustvee vald', 'Mustvee valla', 'Mustvee vallas', 'Mustvee vallast', 'Mustvee valda'],
  ['Põltsamaa vald', 'Põltsamaa valla', 'Põltsamaa vallas', 'Põltsamaa vallast', 'Põltsamaa valda'],
  ['Järva vald', 'Järva valla', 'Järva vallas', 'Järva vallast', 'Järva valda'],
  ['Türi vald', 'Türi valla', 'Türi vallas', 'Türi vallast', 'Türi valda'],
  ['Lääne-Nigula vald', 'Lääne-Nigula valla', 'Lääne-Nigula vallas', 'Lääne-Nigula vallast', 'Lääne-Nigula valda'],
  ['Vormsi vald', 'Vormsi valla', 'Vormsi vallas', 'Vormsi vallast', 'Vormsi valda'],
  ['Haljala vald', 'Haljala valla', 'Haljala vallas', 'Haljala vallast', 'Haljala valda'],
  ['Kadrina vald', 'Kadrina valla', 'Kadrina vallas', 'Kadrina vallast', 'Kadrina valda'],
  ['Rakvere vald', 'Rakvere valla', 'Rakvere vallas', 'Rakvere vallast', 'Rakvere valda'],
  ['Tapa vald', 'Tapa valla', 'Tapa vallas', 'Tapa vallast', 'Tapa valda'],
  ['Vinni vald', 'Vinni valla', 'Vinni vallas', 'Vinni vallast', 'Vinni valda'],
  ['Viru-Nigula vald', 'Viru-Nigula valla', 'Viru-Nigula vallas', 'Viru-Nigula vallast', 'Viru-Nigula valda'],
  ['Väike-Maarja vald', 'Väike-Maarja valla', 'Väike-Maarja vallas', 'Väike-Maarja vallast', 'Väike-Maarja valda'],
  ['Kanepi vald', 'Kanepi valla', 'Kanepi vallas', 'Kanepi vallast', 'Kanepi valda'],
  ['Põlva vald', 'Põlva valla', 'Põlva vallas', 'Põlva vallast', 'Põlva valda'],
  ['Räpina vald', 'Räpina valla', 'Räpina vallas', 'Räpina vallast', 'Räpina valda'],
  ['Häädemeeste vald', 'Häädemeeste valla', 'Häädemeeste vallas', 'Häädemeeste vallast', 'Häädemeeste valda'],
  ['Kihnu vald', 'Kihnu valla', 'Kihnu vallas', 'Kihnu vallast', 'Kihnu valda'],
  ['Lääneranna vald', 'Lääneranna valla', 'Lääneranna vallas', 'Lääneranna vallast', 'Lääneranna valda'],
  [
    'Põhja-Pärnumaa vald',
    'Põhja-Pärnumaa valla',
    'Põhja-Pärnumaa vallas',
    'Põhja-Pärnumaa vallast',
    'Põhja-Pärnumaa valda',
  ],
  ['Saarde vald', 'Saarde valla', 'Saarde vallas', 'Saarde vallast', 'Saarde valda'],
  ['Tori vald', 'Tori valla', 'Tori vallas', 'Tori vallast', 'Tori valda'],
  ['Kehtna vald', 'Kehtna valla', 'Kehtna vallas', 'Kehtna vallast', 'Kehtna valda'],
  ['Kohila vald', 'Kohila valla', 'Kohila vallas', 'Kohila vallast', 'Kohila valda'],
  ['Märjamaa vald', 'Märjamaa valla', 'Märjamaa vallas', 'Märjamaa vallast', 'Märjamaa valda'],
  ['Rapla vald', 'Rapla valla', 'Rapla vallas', 'Rapla vallast', 'Rapla valda'],
  ['Muhu vald', 'Muhu valla', 'Muhu vallas', 'Muhu vallast', 'Muhu valda'],
  ['Ruhnu vald', 'Ruhnu valla', 'Ruhnu vallas', 'Ruhnu vallast', 'Ruhnu valda'],
  ['Saaremaa vald', 'Saaremaa valla', 'Saaremaa vallas', 'Saaremaa vallast', 'Saaremaa valda'],
  ['Elva vald', 'Elva valla', 'Elva vallas', 'Elva vallast', 'Elva valda'],
  ['Kambja vald', 'Kambja valla', 'Kambja vallas', 'Kambja vallast', 'Kambja valda'],
  ['Kastre vald', 'Kastre valla', 'Kastre vallas', 'Kastre vallast', 'Kastre valda'],
  ['Luunja vald', 'Luunja valla', 'Luunja vallas', 'Luunja vallast', 'Luunja valda'],
  ['Nõo vald', 'Nõo valla', 'Nõo vallas', 'Nõo vallast', 'Nõo valda'],
  ['Peipsiääre vald', 'Peipsiääre valla', 'Peipsiääre vallas', 'Peipsiääre vallast', 'Peipsiääre valda'],
  ['Tartu vald', 'Tartu valla', 'Tartu vallas', 'Tartu vallast', 'Tartu valda'],
  ['Otepää vald', 'Otepää valla', 'Otepää vallas', 'Otepää vallast', 'Otepää valda'],
  ['Tõrva vald', 'Tõrva valla', 'Tõrva vallas', 'Tõrva vallast', 'Tõrva valda'],
  ['Valga vald', 'Valga valla', 'Valga vallas', 'Valga vallast', 'Valga valda'],
  ['Mulgi vald', 'Mulgi valla', 'Mulgi vallas', 'Mulgi vallast', 'Mulgi valda'],
  ['Põhja-Sakala vald', 'Põhja-Sakala valla', 'Põhja-Sakala vallas', 'Põhja-Sakala vallast', 'Põhja-Sakala valda'],
  ['Viljandi vald', 'Viljandi valla', 'Viljandi vallas', 'Viljandi vallast', 'Viljandi valda'],
  ['Antsla vald', 'Antsla valla', 'Antsla vallas', 'Antsla vallast', 'Antsla valda'],
  ['Rõuge vald', 'Rõuge valla', 'Rõuge vallas', 'Rõuge vallast', 'Rõuge valda'],
  ['Setomaa vald', 'Setomaa valla', 'Setomaa vallas', 'Setomaa vallast', 'Setomaa valda'],
  ['Võru vald', 'Võru valla', 'Võru vallas', 'Võru vallast', 'Võru valda'],
];

test('all 78 municipalities of EHAK are in the table', () => {
  const ehak = readFileSync(path.resolve(import.meta.dirname, '../../resources/ehak/ehak-2025v5.json'), 'utf8');
  const names = [...ehak.matchAll(/"name": "([^"]+)", "level": "municipality"/g)].map((m) => m[1]);
  assert.equal(names.length, 78);
  assert.deepEqual(names.sort(), MUNICIPALITIES.map((m) => m[0]).sort());
});

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The cases the table above checks, in its column order after the nominative. */
const TABLE_CASES = ['genitive', 'inessive', 'elative', 'illative'];

/** Source files of the pages' strings and the server's texts: every module's locales and code. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && /\.(ts|tsx)$/.test(f.name) && !f.name.endsWith('.test.ts'))
    .map((f) => readFileSync(path.join(f.parentPath, f.name), 'utf8'));
}

test('the table has every case the pages and the server decline names into', () => {
  const used = new Set<string>();
  const cases = PLACE_CASES.join('|');
  for (const src of [...sources('web/src'), ...sources('src/modules')]) {
    for (const m of src.matchAll(new RegExp(`\\{\\{\\s*\\w+\\s*,\\s*(${cases})\\s*\\}\\}`, 'g'))) used.add(m[1]!);
    for (const m of src.matchAll(new RegExp(`declinePlace\\([^)]*'(${cases})'`, 'g'))) used.add(m[1]!);
  }
  assert.ok(used.has('genitive'), `cases found: ${[...used].join(', ')}`);
  for (const c of used) assert.ok(TABLE_CASES.includes(c), `the pages use the ${c}, which the table does not check`);
});

test('every municipality name is declined in the cases the pages use', () => {
  for (const [name, genitive, inessive, elative, illative] of MUNICIPALITIES) {
    assert.equal(declinePlace(name, 'nominative'), name);
    assert.equal(declinePlace(name, 'genitive'), genitive);
    assert.equal(declinePlace(name, 'inessive'), inessive);
    assert.equal(declinePlace(name, 'elative'), elative);
    assert.equal(declinePlace(name, 'illative'), illative);
  }
});

test('settlement units: the kind is declined once, compounds and names outside the pattern too', () => {
  assert.equal(declinePlace('Tammiste küla', 'genitive'), 'Tammiste küla');
  assert.equal(declinePlace('Tammiste küla', 'illative'), 'Tammiste külla');
  assert.equal(declinePlace('Mäeküla', 'inessive'), 'Mäekülas');
  assert.equal(declinePlace('Kiili alev', 'genitive'), 'Kiili alevi');
  assert.equal(declinePlace('Kiili alev', 'inessive'), 'Kiili alevis');
  assert.equal(declinePlace('Ülenurme alevik', 'genitive'), 'Ülenurme aleviku');
  assert.equal(declinePlace('Ülenurme alevik', 'illative'), 'Ülenurme alevikku');
  assert.equal(declinePlace('Lasnamäe linnaosa', 'inessive'), 'Lasnamäe linnaosas');
  assert.equal(declinePlace('Tartu maakond', 'genitive'), 'Tartu maakonna');
  assert.equal(declinePlace('Hara küla / Harga', 'genitive'), 'Hara küla');
  assert.equal(declinePlace('Reinse', 'genitive', 'küla'), 'Reinse küla');
  assert.equal(declinePlace('Reinse', 'inessive', 'küla'), 'Reinse külas');
});

test('the word for the municipality itself follows its kind', () => {
  assert.equal(municipalityWord('linn', 'genitive'), 'linna');
  assert.equal(municipalityWord('vald', 'genitive'), 'valla');
  assert.equal(municipalityWord('vald', 'inessive'), 'vallas');
});

test('the pages’ strings through i18next: declined names, lists, plurals and the city wording', async () => {
  const i18n = createInstance();
  const { locales: participation } = await import('../../web/src/modules/participation/locales');
  const { locales: services } = await import('../../web/src/modules/services/locales');
  await i18n.init({
    lng: 'et',
    fallbackLng: false,
    interpolation: { escapeValue: false },
    resources: Object.fromEntries(
      (['et', 'ru', 'en'] as const).map((l) => [l, { participation: participation[l], services: services[l] }]),
    ),
  });
  registerPlaceFormatters(i18n);
  const t = (lng: string, key: string, opts: Record<string, unknown>) => i18n.getFixedT(lng)(key, opts) as string;
  assert.equal(
    t('et', 'participation:wizard.electorateAll', { name: 'Tartu linn', age: 16 }),
    'kõik Tartu linna elanikud vanuses 16+',
  );
  assert.equal(
    t('et', 'participation:wizard.electorateSettlements', { names: ['Tammiste küla', 'Pirita linnaosa'], age: 16 }),
    'Tammiste küla ja Pirita linnaosa elanikud vanuses 16+',
  );
  assert.equal(
    t('ru', 'participation:wizard.electorateAll', { name: 'Tartu linn', age: 16 }),
    'все жители Tartu linn в возрасте 16+',
  );
  const { locales: council } = await import('../../web/src/modules/council/locales');
  i18n.addResourceBundle('et', 'council', council.et);
  assert.equal(t('et', 'council:home.titleOf', { name: 'Tartu linn' }), 'Tartu linna volikogu');
  assert.equal(t('et', 'council:home.titleOf', { name: 'Saue vald' }), 'Saue valla volikogu');
  assert.equal(t('et', 'council:home.titleOf', { name: 'Tallinn' }), 'Tallinna volikogu');
  assert.equal(
    t('et', 'participation:pb.import.lead', { name: 'Elva vald' }).split(' suletud')[0],
    'Fail .pb saidilt pabulib.org või teiselt omavalitsuselt muutub Elva valla',
  );
  assert.equal(t('et', 'services:public.servicesCount', { count: 1 }), '1 valla teenus');
  assert.equal(t('et', 'services:public.servicesCount', { count: 5 }), '5 valla teenust');
  assert.equal(t('et', 'services:public.servicesCount', { count: 1, context: 'linn' }), '1 linna teenus');
  assert.equal(t('et', 'services:public.municipalServices', { context: 'linn' }), 'Linna teenused');
  assert.equal(t('ru', 'services:public.servicesCount', { count: 1, context: 'linn' }), '1 услуга самоуправления');
  assert.equal(t('ru', 'services:public.servicesCount', { count: 3 }), '3 услуги самоуправления');
  assert.equal(t('ru', 'services:public.servicesCount', { count: 11 }), '11 услуг самоуправления');
  assert.equal(t('en', 'services:public.servicesCount', { count: 1 }), '1 municipal service');
});
