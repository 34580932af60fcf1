/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, expectMailAccessible, launchBrowser, loginAs, newContext } from './support';
import { VERIFY_JOB } from '../../src/modules/notifications';
import { deliverNow, mailForTests } from '../../src/modules/notifications/testSupport';
import { sendReportAlerts } from '../../src/modules/reports/alerts';

/**
 * Notifications end to end, in Chromium at desktop and phone size (390 × 844), every page
 * through axe: a resident sets their e-mail address and opens the verification link from the
 * demo mailbox, follows their settlement unit, files a report there; an official closes it; the
 * resident gets the e-mail with the satisfaction link, follows it and rates the solution; the
 * notification centre in the header counts and lists it all; the unsubscribe link's page works.
 */
const TARTU = '0793';
const { catcher, env } = await mailForTests();
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true', ...env } });
const { ctx } = platform;
const resident = await makePerson(ctx, { givenName: 'Helle', familyName: 'Hõbe', birthDate: '1984-04-04' });
const official = await makePerson(ctx, {
  givenName: 'Taavi',
  familyName: 'Teedemeister',
  birthDate: '1975-05-05',
  sex: 'male',
});
await grantRole(ctx, TARTU, official.id, 'editor');
const browser = await launchBrowser();
const ADDRESS = 'helle.hobe@example.ee';
const phone = async () => {
  const c = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  c.setDefaultTimeout(15_000);
  return c;
};
const noSideScroll = async (page: Page, what: string) => {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${what}: no horizontal scrolling at 390 px (got ${width})`);
};
let reportUrl = '';

test('a resident sets an e-mail address and confirms it with the link from the demo mailbox', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/teavitused/seaded`);
  await loginAs(page, resident.idCode);
  await page.waitForURL(/\/teavitused\/seaded/);
  await page.getByRole('heading', { level: 1, name: 'Teavituste seaded' }).waitFor();
  await expectAccessible(page, 'notification settings');
  const email = page.getByLabel('E-posti aadress');
  await email.fill('not an address');
  await page.getByRole('button', { name: 'Saada kinnituslink' }).click();
  // The server's refusal (format: email), worded by the page in Estonian.
  await page.getByText('Kirjutage e-posti aadress kujul nimi@näide.ee.').first().waitFor();
  await expectAccessible(page, 'notification settings with an error');
  await email.fill(ADDRESS);
  await page.getByRole('button', { name: 'Saada kinnituslink' }).click();
  await page.getByText(`Kinnituslink on saadetud aadressile ${ADDRESS}.`).waitFor();
  await page.getByText(`Ootab kinnitamist: ${ADDRESS}`).waitFor();
  // The queue sends the verification mail (in production the job runs by itself).
  assert.equal(await ctx.jobs.drain(VERIFY_JOB), 1);

  await page.goto(`${platform.url}/demo-post?to=${encodeURIComponent(ADDRESS)}`);
  await page.getByRole('heading', { level: 1, name: 'Demopostkast' }).waitFor();
  await expectAccessible(page, 'demo mailbox');
  await page.getByRole('link', { name: 'Kinnitage oma e-posti aadress' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kinnitage oma e-posti aadress' }).waitFor();
  await expectAccessible(page, 'demo mailbox message', { exclude: 'iframe.mail-html' });
  await expectMailAccessible(page, 'the verification e-mail');
  await page.locator('.mail-links a', { hasText: '/teavitused/kinnita/' }).click();
  await page.getByText(`Aadress ${ADDRESS} on kinnitatud.`).waitFor();
  await expectAccessible(page, 'verification page');
  await page.getByRole('link', { name: 'Teavituste seaded' }).click();
  await page.getByText(`Kinnitatud aadress: ${ADDRESS}`).waitFor();
  await context.close();
});

test('the resident follows their settlement unit and files a report there (phone size)', async () => {
  const context = await phone();
  const page = await context.newPage();
  await page.goto(`${platform.url}/teavitused/seaded`);
  await loginAs(page, resident.idCode);
  await page.waitForURL(/\/teavitused\/seaded/);
  const follows = page.locator('section', { has: page.getByRole('heading', { name: 'Jälgitavad piirkonnad' }) });
  await follows.getByText('Te ei jälgi veel ühtegi piirkonda.').waitFor();
  await follows.getByLabel('Omavalitsus').selectOption(TARTU);
  await follows.getByLabel('Asula või linnaosa').selectOption({ label: 'Tartu linn' });
  await follows.getByLabel('Kui tihti').selectOption('instant');
  await follows.getByRole('button', { name: 'Jälgi' }).click();
  await follows.getByText('Jälgid nüüd: Tartu linn.').waitFor();
  await follows.locator('.follow-list .follow-name', { hasText: /^Tartu linn$/ }).waitFor();
  await expectAccessible(page, 'settings with a followed area (phone)');
  await noSideScroll(page, 'settings');
  await page.screenshot({ path: '/tmp/h19-settings-phone.png', fullPage: true });

  await page.goto(`${platform.url}/teated/uus`);
  await page.getByRole('heading', { level: 1, name: 'Teata probleemist' }).waitFor();
  const main = page.locator('main');
  await main.getByLabel('Omavalitsus', { exact: true }).selectOption(TARTU);
  await main.getByLabel('Asula või linnaosa').selectOption({ label: 'Tartu linn' });
  await page.getByText(/^Koht: Tartu linn, Tartu linn/).waitFor();
  await main.getByLabel('Kategooria', { exact: true }).selectOption('lighting');
  await main.getByLabel('Kirjeldus', { exact: true }).fill('Tänavalamp vilgub Vanemuise tänaval.');
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.waitForURL(/\/teated\/\d+/);
  reportUrl = page.url().split('?')[0]!;
  // The minute sweep tells the reporter the report was received.
  await sendReportAlerts(ctx);
  await deliverNow(ctx);
  const received = await catcher.waitFor((m) => m.to.includes(ADDRESS) && m.id > 1);
  assert.ok(received);
  await context.close();
});

test('an official closes the report; the resident follows the e-mail link and rates the solution', async () => {
  const officialContext = await newContext(browser);
  const op = await officialContext.newPage();
  await op.goto(reportUrl);
  await loginAs(op, official.idCode);
  await op.waitForURL(reportUrl);
  await op.getByRole('heading', { level: 2, name: 'Menetlus', exact: true }).waitFor();
  await op.getByLabel('Olek', { exact: true }).selectOption('fixed');
  await op.getByLabel('Vastus või märkus').fill('Lamp on vahetatud.');
  await op.getByRole('button', { name: 'Salvesta', exact: true }).click();
  await op.getByText('Salvestatud.').waitFor();
  await officialContext.close();
  await deliverNow(ctx);

  const context = await phone();
  const page = await context.newPage();
  await page.goto(`${platform.url}/demo-post?to=${encodeURIComponent(ADDRESS)}`);
  await page.getByRole('link', { name: /on lahendatud — kuidas läks\?$/ }).click();
  await page.getByText('Lamp on vahetatud.').first().waitFor();
  await expectAccessible(page, 'the closing e-mail in the demo mailbox (phone)', { exclude: 'iframe.mail-html' });
  await expectMailAccessible(page, 'the closing e-mail');
  await noSideScroll(page, 'demo message');
  await page.screenshot({ path: '/tmp/h19-mail-phone.png', fullPage: true });
  // The satisfaction link works without logging in.
  await page.locator('.mail-links a', { hasText: 'key=rk1.' }).click();
  await page.waitForURL(/\/teated\/\d+\?key=rk1\./);
  await page.getByRole('heading', { level: 2, name: 'Kuidas lahendus õnnestus?' }).waitFor();
  await expectAccessible(page, 'report page from the e-mail link (phone)');
  await page.getByRole('radio', { name: 'Jah' }).check();
  await page.getByRole('radio', { name: '5 / 5' }).check();
  await page.getByLabel('Kommentaar').fill('Kiire töö, aitäh!');
  await page.getByRole('button', { name: 'Saada tagasiside' }).click();
  await page.getByText('Aitäh tagasiside eest!').waitFor();
  await noSideScroll(page, 'report page');
  await context.close();
});

test('the notification centre in the header counts the unread, lists them and marks them read', async () => {
  const context = await phone();
  const page = await context.newPage();
  await page.goto(`${platform.url}/`);
  await loginAs(page, resident.idCode);
  const bell = page.getByRole('link', { name: /^Teavitused, 2 lugemata$/ });
  await bell.waitFor();
  await page.screenshot({ path: '/tmp/h19-header-phone.png' });
  await bell.click();
  await page.getByRole('heading', { level: 1, name: 'Teavitused' }).waitFor();
  const list = page.locator('.notification-list');
  await list.getByText(/on lahendatud — kuidas läks\?$/).waitFor();
  await list.getByText(/on kätte saadud$/).waitFor();
  await expectAccessible(page, 'notification centre (phone)');
  await noSideScroll(page, 'notification centre');
  await page.screenshot({ path: '/tmp/h19-centre-phone.png', fullPage: true });
  await page.getByRole('button', { name: 'Märgi kõik loetuks' }).click();
  await page.getByRole('link', { name: /^Teavitused$/ }).waitFor();
  await context.close();
});

test("the unsubscribe link's page changes nothing until its button is pressed", async () => {
  const [closing] = (await catcher.messagesTo(ADDRESS)).filter((m) => /kuidas läks/.test(m.subject));
  const link = /^<(.+)>$/.exec(closing!.headers['list-unsubscribe']!)![1]!;
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('heading', { level: 1, name: 'Loobu e-kirjadest' }).waitFor();
  await page.getByText('Minu teade lahendati (koos tagasiside lingiga)', { exact: false }).first().waitFor();
  await expectAccessible(page, 'unsubscribe page');
  await page.getByRole('button', { name: 'Loobu nendest kirjadest' }).click();
  await page.getByText(/^Tehtud: e-kirju teemal/).waitFor();
  await page.screenshot({ path: '/tmp/h19-unsubscribe.png' });
  await context.close();
});
