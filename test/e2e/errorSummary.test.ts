/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { testPlatform, makePerson, sessionFor } from '../support/app';
import { residences } from '../../src/modules/register/testSupport';
import { createVote, openProposals } from '../../src/modules/participation/manageVotes';
import { WEB_DIST, tartuOfficial, expectAccessible, launchBrowser, newContext } from './support';

/**
 * Bad input (issue 18, acceptance item 4): a form sent with every field wrong shows one error
 * summary at the top, in the page's language, that takes focus, and whose links each move focus
 * to their field; axe passes with the errors shown. Estonian and Russian, phone and desktop. The
 * forms: a problem report (Anna teada) and a budget idea, checked by the page itself, and the
 * officials' vote wizard, whose steps the server checks on saving (its 400 problem's `errors`,
 * worded by the page and shown on the step they belong to).
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const { settlement, official, officialP } = await tartuOfficial(ctx);
const resident = await makePerson(ctx, { givenName: 'Mari', familyName: 'Maasikas', birthDate: '1990-02-02' });
await residences(ctx, TARTU, resident.id, [{ validFrom: '2000-01-01', settlementCode: settlement.code }]);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const call = await createVote(ctx, official, TARTU, {
  kind: 'budget',
  title: 'Kaasav eelarve 2028',
  translations: { title: { ru: 'Бюджет участия 2028' } },
  opensAt: iso(30 * 86_400_000),
  closesAt: iso(40 * 86_400_000),
  proposalsCloseAt: iso(20 * 86_400_000),
  electorate: { scope: 'municipality', minAge: 14 },
  budget: {
    method: 'approval',
    maxChoices: 3,
    districts: [{ name: 'Tartu', budgetCents: 200_000_00, settlementCodes: [] }],
  },
});
await openProposals(ctx, official, TARTU, call.id);
const session = await sessionFor(ctx, resident.id);
const officialSession = await sessionFor(ctx, officialP.id);
const browser = await launchBrowser();

const HEADING = { et: 'Palun parandage järgmised vead', ru: 'Пожалуйста, исправьте следующее' };
const REQUIRED = { et: 'See väli on kohustuslik.', ru: 'Это поле обязательно.' };
const MIN1 = { et: 'Kirjutage vähemalt 1 märk.', ru: 'Введите не менее 1 символа.' };

/** The summary: one, focused, titled in the language, a link per field that focuses the field. */
async function expectSummary(page: Page, lang: 'et' | 'ru', label: string, fields: number, message = REQUIRED[lang]) {
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.count(), 1, `${label}: one summary`);
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
  assert.equal((await summary.locator('h2').textContent())?.trim(), HEADING[lang]);
  // Above the form's fields: the first thing of the form.
  assert.equal(
    await page.evaluate(() => document.querySelector('form')?.firstElementChild?.className),
    'error-summary',
  );
  const text = await summary.innerText();
  assert.ok(text.includes(message), `${label}: ${text}`);
  assert.doesNotMatch(text, /must|required property|Expected|Bad Request/, `${label}: server English`);
  if (lang === 'ru') assert.doesNotMatch(text, /[õäöü]/i, `${label}: Estonian in the Russian summary`);
  const links = summary.getByRole('link');
  assert.equal(await links.count(), fields, `${label}: a link per wrong field:\n${text}`);
  for (let i = 0; i < fields; i++) {
    const href = (await links.nth(i).getAttribute('href'))!;
    await links.nth(i).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), href.slice(1), `${label}: link ${i} focuses`);
    const invalid = await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'));
    if (href !== '#field-body-lat') assert.equal(invalid, 'true', `${label}: ${href} is marked invalid`);
  }
  await expectAccessible(page, label);
}

for (const lang of ['et', 'ru'] as const) {
  for (const mobile of [true, false]) {
    const size = mobile ? 'phone 390×844' : 'desktop 1280×800';
    test(`every field wrong: one error summary (${lang}, ${size})`, async () => {
      const context = await newContext(browser, { mobile });
      await context.addCookies([{ name: 'kov_session', value: session.cookie.split('=')[1]!, url: platform.url }]);
      await context.addInitScript((l) => localStorage.setItem('kov.lang', l), lang);
      const page = await context.newPage();
      await page.setViewportSize(mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 });

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
      await context.close();

      // The vote wizard: no title, and the voting closes before it opens; the server refuses both.
      const official = await newContext(browser, { mobile });
      await official.addCookies([
        { name: 'kov_session', value: officialSession.cookie.split('=')[1]!, url: platform.url },
      ]);
      await official.addInitScript((l) => localStorage.setItem('kov.lang', l), lang);
      const wizard = await official.newPage();
      await wizard.setViewportSize(mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 });
      await wizard.goto(`${platform.url}/haaletused/${TARTU}/uus`);
      await wizard.locator('#field-body-title').waitFor();
      const next = wizard.locator('main form button[type="submit"]');
      await next.click();
      await wizard.locator('#field-body-opensAt').fill('2030-01-02T10:00');
      await wizard.locator('#field-body-closesAt').fill('2029-12-31T10:00');
      for (let i = 0; i < 3; i++) await next.click();
      await wizard.locator('main form button[type="submit"]').click();
      // Back on the first step with what is wrong there; the times' error waits on its own step.
      await expectSummary(wizard, lang, `vote wizard (${lang}, ${size})`, 1, MIN1[lang]);
      await official.close();
    });
  }
}
