/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { grantRole } from '../support/app';
import { budgetCollectingIdeas, expectAccessible, launchBrowser, pageAs, participationCast } from './support';

/**
 * Bad input (issue 18, acceptance item 4): a form sent with every field wrong shows one error
 * summary at the top, in the page's language, that takes focus, and whose links each move focus
 * to their field; axe passes with the errors shown. Estonian and Russian, phone and desktop. The
 * forms: a problem report (Anna teada) and a budget idea; every step of the officials' vote wizard
 * (a step with errors is not left); the services editor; ELVL's community event form. Each is
 * checked by the page itself first (the server checks again, its refusals worded by the page).
 */
const TARTU = '0793';
const { platform, ctx, settlement, official, officialP, resident } = await participationCast();
const call = await budgetCollectingIdeas(ctx, official, {
  title: 'Kaasav eelarve 2028',
  translations: { title: { ru: 'Бюджет участия 2028' } },
  budgetCents: 200_000_00,
});
// The official also organises ELVL's community events.
await grantRole(ctx, '0000', officialP.id, 'editor');
const browser = await launchBrowser();

const HEADING = { et: 'Palun parandage järgmised vead', ru: 'Пожалуйста, исправьте следующее' };
const REQUIRED = { et: 'See väli on kohustuslik.', ru: 'Это поле обязательно.' };
/** The pages' own words for rules the JSON Schema keywords do not name. */
const WORDS = {
  et: {
    closesBeforeOpens: 'Hääletus peab lõppema hiljem, kui see algab.',
    noSettlement: 'Valige vähemalt üks asustusüksus.',
    age: 'Kirjutage vanus täisarvuna 0 kuni 130.',
    twoChoices: 'Kirjutage vähemalt kaks valikut, igaüks eraldi reale.',
    minItems: 'Valige vähemalt 1.',
    formatUri: 'Kirjutage täielik aadress, mis algab https://.',
    formatEmail: 'Kirjutage e-posti aadress kujul nimi@näide.ee.',
    section: 'Kirjutage paragrahv kujul',
    legalUrl: 'Kirjutage https-link õigusaktile Riigi Teatajas',
    min3: 'Kirjutage vähemalt 3 märki.',
    placeOrLink: 'Kirjutage toimumiskoht või veebilink (või mõlemad).',
    capacity: 'Kirjutage kohtade arv täisarvuna',
    proposalsAfterOpening: 'Ettepanekute aeg peab lõppema enne hääletuse algust.',
    positiveWhole: 'Kirjutage täisarv, mis on vähemalt 1.',
    money: 'Kirjutage summa eurodes, näiteks 25000.',
    maxLength200: 'Lubatud on kõige rohkem 200 märki.',
    supporters: 'Kirjutage täisarv 0 kuni 10000000.',
    percentWhole: 'Kirjutage täisarv 0 kuni 100.',
    points: 'Kirjutage täisarv 1 kuni 1000.',
    pointsPerIdea: 'Kirjutage täisarv 0 kuni 1000.',
    turnout: 'Kirjutage protsent arvuna 0 kuni 100.',
    candidateAge: 'Kirjutage täisarv 0 kuni 130.',
    addDistrict: 'Lisa piirkond',
    removeDistrict: 'Eemalda piirkond 2',
  },
  ru: {
    closesBeforeOpens: 'Голосование должно заканчиваться позже, чем начинается.',
    noSettlement: 'Выберите хотя бы один населённый пункт.',
    age: 'Укажите возраст целым числом от 0 до 130.',
    twoChoices: 'Напишите не менее двух вариантов, каждый на отдельной строке.',
    minItems: 'Выберите не менее 1.',
    formatUri: 'Введите полный адрес, начинающийся с https://.',
    formatEmail: 'Введите адрес электронной почты в виде name@example.com.',
    section: 'Укажите параграф в виде',
    legalUrl: 'Укажите https-ссылку на акт',
    min3: 'Введите не менее 3 символов.',
    placeOrLink: 'Укажите место проведения или веб-ссылку (или оба).',
    capacity: 'Укажите число мест целым числом',
    proposalsAfterOpening: 'Приём предложений должен закончиться до начала голосования.',
    positiveWhole: 'Укажите целое число не меньше 1.',
    money: 'Укажите сумму в евро, например 25000.',
    maxLength200: 'Допускается не более 200 символов.',
    supporters: 'Укажите целое число от 0 до 10000000.',
    percentWhole: 'Укажите целое число от 0 до 100.',
    points: 'Укажите целое число от 1 до 1000.',
    pointsPerIdea: 'Укажите целое число от 0 до 1000.',
    turnout: 'Укажите процент числом от 0 до 100.',
    candidateAge: 'Укажите целое число от 0 до 130.',
    addDistrict: 'Добавить район',
    removeDistrict: 'Удалить район 2',
  },
};

/** The summary: one, focused, titled in the language, a link per field that focuses the field. */
async function expectSummary(
  page: Page,
  lang: 'et' | 'ru',
  label: string,
  fields: number,
  messages: string | string[] = REQUIRED[lang],
) {
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.count(), 1, `${label}: one summary`);
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
  assert.equal((await summary.locator('h2').textContent())?.trim(), HEADING[lang]);
  // Above the form's fields: the first thing of its form.
  assert.equal(
    await page.evaluate(() => document.querySelector('.error-summary')?.parentElement?.firstElementChild?.className),
    'error-summary',
  );
  assert.equal(await page.evaluate(() => document.querySelector('.error-summary')?.parentElement?.tagName), 'FORM');
  const text = await summary.innerText();
  for (const message of [messages].flat().filter(Boolean)) assert.ok(text.includes(message), `${label}: ${text}`);
  assert.doesNotMatch(text, /must|required property|Expected|Bad Request/, `${label}: server English`);
  if (lang === 'ru') assert.doesNotMatch(text, /[õäöü]/i, `${label}: Estonian in the Russian summary`);
  const links = summary.getByRole('link');
  assert.equal(await links.count(), fields, `${label}: a link per wrong field:\n${text}`);
  for (let i = 0; i < fields; i++) {
    const href = (await links.nth(i).getAttribute('href'))!;
    await links.nth(i).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), href.slice(1), `${label}: link ${i} focuses`);
    const invalid = await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'));
    // A place chosen on a map and a group of checkboxes are reached, not marked (their error is
    // said beside them, and referred to by the group).
    const group = await page.evaluate(() => document.activeElement?.tagName === 'FIELDSET');
    if (href !== '#field-body-lat' && !group) assert.equal(invalid, 'true', `${label}: ${href} is marked invalid`);
    if (group)
      assert.ok(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-describedby')),
        `${label}: ${href} refers to its error`,
      );
  }
  await expectAccessible(page, label);
}

/** The wizard is on step n (0: basics … 4: review). */
async function onStep(page: Page, n: number) {
  assert.equal(
    await page.evaluate(() =>
      Array.from(document.querySelectorAll('.pv-steps li')).findIndex(
        (li) => li.getAttribute('aria-current') === 'step',
      ),
    ),
    n,
    `on step ${n + 1}`,
  );
}

/** Each link of the summary names its field before saying what is wrong ("Field: message"). */
async function expectNamedLinks(page: Page, label: string) {
  for (const text of await page.locator('.error-summary a').allInnerTexts())
    assert.match(text, /^[^:]+\S: \S/, `${label}: a link without its field's name: ${text}`);
  // No message key instead of words (e.g. wizard.errors.money).
  assert.doesNotMatch(await page.locator('.error-summary').innerText(), /\b[a-z]\w*\.[a-z]\w*\.[a-z]\w*/i);
}

for (const lang of ['et', 'ru'] as const) {
  for (const mobile of [true, false]) {
    const size = mobile ? 'phone 390×844' : 'desktop 1280×800';
    test(`every field wrong: one error summary (${lang}, ${size})`, async () => {
      const page = await pageAs(browser, ctx, platform.url, resident.id, { lang, mobile });

      // A problem report: no place, no category, no description, a wrong e-mail address.
      await page.goto(`${platform.url}/teated/uus`);
      await page.locator('main h1').waitFor();
      await page.locator('#field-body-email').fill('not-an-address');
      await page.locator('main form button[type="submit"]').click();
      // The place is the resident's home settlement until they choose another: not wrong here.
      await expectSummary(page, lang, `report form (${lang}, ${size})`, 3);

      // A budget idea: a name too short, no description, a cost that is not a number.
      await page.goto(`${platform.url}/haaletused/${TARTU}/${call.id}/idee`);
      await page.locator('#field-body-title').fill('ab');
      await page.locator('#field-body-estimatedCostCents').fill('palju');
      await page.locator('main form button[type="submit"]').click();
      await expectSummary(page, lang, `idea form (${lang}, ${size})`, 3);
      await page.context().close();

      // The officials' pages, in the same language.
      const wizard = await pageAs(browser, ctx, platform.url, officialP.id, { lang, mobile });
      const w = WORDS[lang];

      // The vote wizard, each step with every field wrong: the step is not left until it is mended.
      await wizard.goto(`${platform.url}/haaletused/${TARTU}/uus`);
      await wizard.locator('#field-body-title').waitFor();
      const next = wizard.locator('main form button[type="submit"]');
      const step = (n: number) => onStep(wizard, n);
      // 1. Basics: no title.
      await next.click();
      await expectSummary(wizard, lang, `wizard, basics (${lang}, ${size})`, 1);
      await step(0);
      await wizard.locator('#field-body-title').fill('Mänguväljak');
      await next.click();
      // 2. Times: none given; then the voting closing before it opens.
      await wizard.locator('#field-body-opensAt').fill('');
      await wizard.locator('#field-body-closesAt').fill('');
      await next.click();
      await expectSummary(wizard, lang, `wizard, times empty (${lang}, ${size})`, 2);
      await step(1);
      await wizard.locator('#field-body-opensAt').fill('2030-01-02T10:00');
      await wizard.locator('#field-body-closesAt').fill('2029-12-31T10:00');
      await next.click();
      await expectSummary(wizard, lang, `wizard, times (${lang}, ${size})`, 1, w.closesBeforeOpens);
      await wizard.locator('#field-body-closesAt').fill('2030-01-12T10:00');
      await next.click();
      // 3. Who may vote: chosen settlement units without one chosen, an age of 200.
      await wizard.locator('#pv-scope-s').check();
      await wizard.locator('#field-body-electorate-minAge').fill('200');
      await next.click();
      await expectSummary(wizard, lang, `wizard, electorate (${lang}, ${size})`, 2, [w.noSettlement, w.age]);
      await step(2);
      await wizard.locator('#pv-scope-m').check();
      await wizard.locator('#field-body-electorate-minAge').fill('16');
      await next.click();
      // 4. The question: no text, a single choice without choices.
      await wizard.locator('#field-body-questions-0-kind').selectOption('single');
      await next.click();
      await expectSummary(wizard, lang, `wizard, question (${lang}, ${size})`, 2, [REQUIRED[lang], w.twoChoices]);
      await step(3);
      await wizard.locator('#field-body-questions-0-text').fill('Kus?');
      await wizard.locator('#field-body-questions-0-choices').fill('Annelinn\nKarlova');
      await next.click();
      await step(4);
      assert.equal(await wizard.locator('.error-summary').count(), 0, 'mended: no summary on the last step');

      // The services editor: no name or description, no target group, a channel without its web
      // address, a section and a link that are not the law's, no owner, an owner's wrong e-mail.
      await wizard.goto(`${platform.url}/teenused-haldus/${TARTU}/uus`);
      await wizard.locator('#field-body-data-targetGroups input[type="checkbox"]').first().waitFor();
      for (const box of await wizard.locator('#field-body-data-targetGroups input:checked').all()) await box.uncheck();
      await wizard.locator('#field-body-data-legalBasis-0-section').fill('kuues');
      await wizard.locator('#field-body-data-legalBasis-0-url').fill('http://example.com/seadus');
      await wizard.locator('#field-body-data-owner-email').fill('omanik');
      await wizard.locator('main form button[type="submit"]').click();
      await expectSummary(wizard, lang, `services editor (${lang}, ${size})`, 8, [
        REQUIRED[lang],
        w.minItems,
        w.formatUri,
        w.formatEmail,
        w.section,
        w.legalUrl,
      ]);

      // ELVL's community event: a short title, no times, a link that is not one (no place: the
      // link would do), 0 places; then without the link, where it takes place is missing.
      await wizard.goto(`${platform.url}/uritused`);
      await wizard.locator('#field-body-title').fill('ab');
      await wizard.locator('#field-body-onlineUrl').fill('veeb');
      await wizard.locator('#field-body-capacity').fill('0');
      const create = wizard.locator('main form button[type="submit"]').last();
      await create.click();
      await expectSummary(wizard, lang, `community event (${lang}, ${size})`, 5, [
        REQUIRED[lang],
        w.min3,
        w.formatUri,
        w.capacity,
      ]);
      await wizard.locator('#field-body-onlineUrl').fill('');
      await create.click();
      await expectSummary(wizard, lang, `community event, no place (${lang}, ${size})`, 5, [
        REQUIRED[lang],
        w.placeOrLink,
      ]);
      await wizard.context().close();
    });
  }
}

/**
 * The participatory budget's and the village elder election's wizards: each step with every field
 * wrong (empty, too long, dates in the wrong order, negative money, numbers out of range) shows one
 * summary naming each field, and the step is not left until it is mended.
 */
for (const lang of ['et', 'ru'] as const) {
  for (const mobile of [true, false]) {
    const size = mobile ? 'phone 390×844' : 'desktop 1280×800';
    test(`budget and elder wizards, every field wrong: one error summary (${lang}, ${size})`, async () => {
      const page = await pageAs(browser, ctx, platform.url, officialP.id, { lang, mobile });
      const w = WORDS[lang];
      const req = REQUIRED[lang];
      const next = page.locator('main form button[type="submit"]');
      const check = async (label: string, fields: number, messages: string | string[], n: number) => {
        await expectSummary(page, lang, `${label} (${lang}, ${size})`, fields, messages);
        await expectNamedLinks(page, label);
        await onStep(page, n);
      };

      // The participatory budget.
      await page.goto(`${platform.url}/haaletused/${TARTU}/uus?liik=budget`);
      await page.locator('#field-body-title').waitFor();
      // 1. Basics: no title.
      await next.click();
      await check('budget wizard, basics', 1, req, 0);
      await page.locator('#field-body-title').fill('Kaasav eelarve 2031');
      await next.click();
      // 2. Times: none; then ideas collected after the voting opens, which closes before it opens.
      for (const f of ['proposalsCloseAt', 'opensAt', 'closesAt']) await page.locator(`#field-body-${f}`).fill('');
      await next.click();
      await check('budget wizard, times empty', 3, req, 1);
      await page.locator('#field-body-proposalsCloseAt').fill('2030-01-05T10:00');
      await page.locator('#field-body-opensAt').fill('2030-01-02T10:00');
      await page.locator('#field-body-closesAt').fill('2029-12-31T10:00');
      await next.click();
      await check('budget wizard, times in the wrong order', 2, [w.proposalsAfterOpening, w.closesBeforeOpens], 1);
      await page.locator('#field-body-proposalsCloseAt').fill('2029-12-20T10:00');
      await page.locator('#field-body-closesAt').fill('2030-01-12T10:00');
      await next.click();
      // 3. Who may vote: chosen settlement units without one chosen, a negative age.
      await page.locator('#pv-scope-s').check();
      await page.locator('#field-body-electorate-minAge').fill('-1');
      await next.click();
      await check('budget wizard, electorate', 2, [w.noSettlement, w.age], 2);
      await page.locator('#pv-scope-m').check();
      await page.locator('#field-body-electorate-minAge').fill('14');
      await next.click();
      // 4. The rules (approval): 0 ideas a voter, negative supporters; two districts, the first
      // without a name, with negative money and voters, the second's name too long, its money not
      // a sum, its voters not a whole number.
      await page.getByRole('button', { name: w.addDistrict }).click();
      await page.locator('#field-body-budget-maxChoices').fill('0');
      await page.locator('#field-body-budget-minSupport').fill('-1');
      await page.locator('#field-body-budget-districts-0-budgetCents').fill('-500');
      await page.locator('#field-body-budget-districts-0-minVoters').fill('-1');
      await page.locator('#field-body-budget-districts-1-name').fill('Annelinn '.repeat(23));
      await page.locator('#field-body-budget-districts-1-budgetCents').fill('palju');
      await page.locator('#field-body-budget-districts-1-minVoters').fill('1.5');
      await next.click();
      await check('budget wizard, approval rules', 8, [w.positiveWhole, w.supporters, req, w.money, w.maxLength200], 3);
      await page.getByRole('button', { name: w.removeDistrict }).click();
      await page.locator('#field-body-budget-minSupport').fill('0');
      await page.locator('#field-body-budget-districts-0-name').fill('Tartu');
      await page.locator('#field-body-budget-districts-0-budgetCents').fill('25 000');
      await page.locator('#field-body-budget-districts-0-minVoters').fill('0');
      // Knapsack: more than all of the money to be spent.
      await page.locator('select:has(option[value="knapsack"])').selectOption('knapsack');
      await page.locator('#field-body-budget-minSpentPercent').fill('150');
      await next.click();
      await check('budget wizard, knapsack rules', 1, w.percentWhole, 3);
      await page.locator('#field-body-budget-minSpentPercent').fill('0');
      // Cumulative: no points to give, a negative limit for one idea.
      await page.locator('select:has(option[value="knapsack"])').selectOption('cumulative');
      await page.locator('#field-body-budget-points').fill('0');
      await page.locator('#field-body-budget-maxPointsPerIdea').fill('-1');
      await next.click();
      await check('budget wizard, cumulative rules', 2, [w.points, w.pointsPerIdea], 3);
      await page.locator('#field-body-budget-points').fill('10');
      await page.locator('#field-body-budget-maxPointsPerIdea').fill('0');
      await next.click();
      await onStep(page, 4);
      assert.equal(await page.locator('.error-summary').count(), 0, 'budget mended: no summary on the last step');

      // The village elder election.
      await page.goto(`${platform.url}/haaletused/${TARTU}/uus?liik=elder`);
      await page.locator('#field-body-title').waitFor();
      await next.click();
      await check('elder wizard, basics', 1, req, 0);
      await page.locator('#field-body-title').fill('Külavanema valimine');
      await next.click();
      for (const f of ['proposalsCloseAt', 'opensAt', 'closesAt']) await page.locator(`#field-body-${f}`).fill('');
      await next.click();
      await check('elder wizard, times empty', 3, req, 1);
      await page.locator('#field-body-proposalsCloseAt').fill('2030-01-05T10:00');
      await page.locator('#field-body-opensAt').fill('2030-01-02T10:00');
      await page.locator('#field-body-closesAt').fill('2029-12-31T10:00');
      await next.click();
      await check('elder wizard, times in the wrong order', 2, [w.proposalsAfterOpening, w.closesBeforeOpens], 1);
      await page.locator('#field-body-proposalsCloseAt').fill('2029-12-20T10:00');
      await page.locator('#field-body-closesAt').fill('2030-01-12T10:00');
      await next.click();
      // The village's settlement unit not chosen (chosen units are the default here), an age of 200.
      await page.locator('#field-body-electorate-minAge').fill('200');
      await next.click();
      await check('elder wizard, electorate', 2, [w.noSettlement, w.age], 2);
      await page.locator(`#pv-s-${settlement.code}`).check();
      await page.locator('#field-body-electorate-minAge').fill('16');
      await next.click();
      // The rules: a turnout over 100 %, a candidate's age of 200.
      await page.locator('#field-body-elder-minTurnoutPercent').fill('150');
      await page.locator('#field-body-elder-candidateMinAge').fill('200');
      await next.click();
      await check('elder wizard, rules', 2, [w.turnout, w.candidateAge], 3);
      await page.locator('#field-body-elder-minTurnoutPercent').fill('10');
      await page.locator('#field-body-elder-candidateMinAge').fill('18');
      await next.click();
      await onStep(page, 4);
      assert.equal(await page.locator('.error-summary').count(), 0, 'elder mended: no summary on the last step');
      await page.context().close();
    });
  }
}
