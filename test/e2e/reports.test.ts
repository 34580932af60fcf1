/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';
import { refreshStats } from '../../src/modules/reports/refreshStats';

/**
 * Anna Teada end to end: a resident reports a problem with a photo (choosing the place without a
 * mouse), an official handles it, the resident sees the change and rates the outcome, and the
 * analytics page shows it; every page passes axe; the form works at 360 px.
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const resident = await makePerson(platform.ctx, { givenName: 'Riina', familyName: 'Rebane', birthDate: '1988-02-02' });
const official = await makePerson(platform.ctx, {
  givenName: 'Ott',
  familyName: 'Ohvitser',
  birthDate: '1970-07-07',
  sex: 'male',
});
const analyst = await makePerson(platform.ctx, { givenName: 'Anu', familyName: 'Analüütik', birthDate: '1982-08-08' });
await grantRole(platform.ctx, TARTU, official.id, 'editor');
await grantRole(platform.ctx, TARTU, analyst.id, 'analyst');
const browser = await launchBrowser();
const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#6b7b8c' } })
  .jpeg()
  .withExif({ IFD0: { Make: 'E2ECamera', Artist: 'Riina Rebane' } })
  .toBuffer();

let reportUrl = '';

test('a resident reports a pothole with a photo, choosing the place by keyboard; the form passes axe', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/teated/uus`);
  await loginAs(page, resident.idCode);
  await page.waitForURL(/\/teated\/uus/);
  await page.getByRole('heading', { level: 1, name: 'Teata probleemist' }).waitFor();
  const main = page.locator('main');
  await main.getByLabel('Omavalitsus', { exact: true }).selectOption(TARTU);
  // The map shows Tartu's boundary (drawn without any tiles: none are configured in tests).
  await page.locator('.leaflet-overlay-pane path:not([d="M0 0"])').first().waitFor();
  await expectAccessible(page, 'report form');
  // The map by keyboard: focus it and press Enter to place the point at its centre.
  await page.locator('.map-canvas').focus();
  await page.keyboard.press('Enter');
  await page.getByText(/^Koht: Tartu linn, /).waitFor();
  await main.getByLabel('Kategooria', { exact: true }).selectOption('roads');
  await main.getByLabel('Mis on katki? / What is broken?').selectOption('pothole');
  await main.getByLabel('Aadress või kohakirjeldus').fill('Raekoja plats 1');
  await main.getByLabel('Kirjeldus', { exact: true }).fill('Sügav auk keset sõiduteed, rattaga ohtlik.');
  await page.locator('#field-body-photos').setInputFiles({ name: 'auk.jpg', mimeType: 'image/jpeg', buffer: photo });
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.waitForURL(/\/teated\/\d+/);
  await page.getByText('Aitäh! Teade on saadetud.').waitFor();
  await page.getByRole('heading', { level: 1, name: /Teed ja tänavad #\d+/ }).waitFor();
  reportUrl = page.url().split('?')[0]!;
  // The photo is served without its EXIF.
  const img = await page.request.get(
    `${platform.url}${await page.locator('.report-photos a').first().getAttribute('href')}`,
  );
  assert.equal(img.status(), 200);
  assert.equal((await img.body()).includes('E2ECamera'), false);
  await expectAccessible(page, 'report page (reporter)');
  await context.close();
});

test('without the map: a settlement unit and an address are enough; bad input is explained', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await page.goto(`${platform.url}/teated/uus`);
  await page.getByRole('heading', { level: 1, name: 'Teata probleemist' }).waitFor();
  const main = page.locator('main');
  await main.getByLabel('Omavalitsus', { exact: true }).selectOption('0171');
  await main.getByLabel('Asula või linnaosa').selectOption({ label: 'Elva linn' });
  await page.getByText(/^Koht: Elva vald, Elva linn/).waitFor();
  await main.getByLabel('Kategooria', { exact: true }).selectOption('lighting');
  await main.getByLabel('Kirjeldus', { exact: true }).fill('x'.repeat(4001));
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.locator('.field-error').getByText('Lubatud on kõige rohkem 4000 märki.', { exact: true }).waitFor();
  await expectAccessible(page, 'report form with an error (phone)');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (got ${width})`);
  await main.getByLabel('Kirjeldus', { exact: true }).fill('Tänavalamp ei põle.');
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.waitForURL(/\/teated\/\d+/);
  await page.getByText('Elva vald, Elva linn').first().waitFor();
  await context.close();
});

test('an official handles the report: status, public answer and assignment; the handling panel passes axe', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/teated/haldus`);
  await loginAs(page, official.idCode);
  await page.waitForURL(/\/teated\/haldus/);
  await page.getByRole('heading', { level: 1, name: 'Teadete menetlus' }).waitFor();
  await page.locator('td a', { hasText: `#${reportUrl.split('/').pop()}` }).waitFor();
  await expectAccessible(page, 'officials list');
  await page.goto(reportUrl);
  await page.getByRole('heading', { level: 2, name: 'Menetlus', exact: true }).waitFor();
  await page.getByLabel('Osakond').fill('Teede osakond');
  await page.getByRole('button', { name: 'Määra' }).click();
  await page.getByText('Menetleja määratud.').waitFor();
  await page.getByLabel('Olek', { exact: true }).selectOption('fixed');
  await page.getByLabel('Vastus või märkus').fill('Auk on parandatud. Aitäh teatamast!');
  await page.getByRole('button', { name: 'Salvesta', exact: true }).click();
  await page.getByText('Salvestatud.').waitFor();
  await page.locator('.report-history').getByText('Auk on parandatud. Aitäh teatamast!').waitFor();
  await expectAccessible(page, 'report page (official)');
  await context.close();
});

test('the resident sees the change and rates the outcome', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(reportUrl);
  await loginAs(page, resident.idCode);
  await page.waitForURL(reportUrl);
  await page.locator('.status-badge', { hasText: 'lahendatud' }).first().waitFor();
  await page.getByText('Auk on parandatud. Aitäh teatamast!').waitFor();
  await page.getByText('Tartu linn – Teede osakond').waitFor();
  await page.getByRole('heading', { level: 2, name: 'Kuidas lahendus õnnestus?' }).waitFor();
  await expectAccessible(page, 'report page with the questionnaire');
  await page.getByRole('radio', { name: 'Jah' }).check();
  await page.getByRole('radio', { name: '5 / 5' }).check();
  await page.getByLabel('Kommentaar').fill('Kiire ja korralik töö.');
  await page.getByRole('button', { name: 'Saada tagasiside' }).click();
  await page.getByText('Aitäh tagasiside eest!').waitFor();
  await page.getByText('Olete selle lahenduse juba hinnanud.').waitFor();
  // "My reports" on the profile lists it.
  await page.goto(`${platform.url}/profile`);
  await page.getByRole('heading', { level: 2, name: 'Minu teated' }).waitFor();
  await page.locator('.my-reports').getByText('lahendatud').first().waitFor();
  await context.close();
});

test('the analytics page shows the report, its handling time and rating; the public map and list pass axe', async () => {
  await refreshStats(platform.ctx);
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/teated/analuutika`);
  await loginAs(page, analyst.idCode);
  await page.waitForURL(/\/teated\/analuutika/);
  await page.getByRole('heading', { level: 1, name: 'Teadete analüütika' }).waitFor();
  const kpis = page.locator('.report-kpis');
  await kpis.waitFor();
  const text = await kpis.innerText();
  assert.match(text, /Teateid\s+1/);
  assert.match(text, /Lahendatud\s+1/);
  assert.match(text, /5 \/ 5 \(1 vastust\)/);
  await page.getByRole('rowheader', { name: 'Teed ja tänavad' }).waitFor();
  await expectAccessible(page, 'analytics');
  const csv = await page.request.get(
    `${platform.url}${await page.getByRole('link', { name: 'kategooriad' }).getAttribute('href')}`,
  );
  assert.match(await csv.text(), /roads,Taristu,1,1/);

  await page.goto(`${platform.url}/teated`);
  await page.getByRole('banner').getByLabel('Omavalitsus').selectOption(TARTU);
  await page.getByRole('heading', { level: 1, name: 'Anna teada – Tartu linn' }).waitFor();
  await page.locator('td a', { hasText: `#${reportUrl.split('/').pop()}` }).waitFor();
  await expectAccessible(page, 'public reports');
  await context.close();
});
