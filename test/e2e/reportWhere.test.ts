/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { testPlatform, makePerson } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';
import { residences } from '../../src/modules/register/testSupport';

/**
 * The resident's side of "where is it?" (issue 17) at phone size (390×844): address search
 * through the Land Board stand-in, the device's position, the base map with attribution and
 * scale, similar reports with "me too", photo preview and removal, bad input explained without
 * losing the form, the name private by default, and every image on the report page loaded.
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const resident = await makePerson(platform.ctx, { givenName: 'Riina', familyName: 'Rebane', birthDate: '1988-02-02' });
const browser = await launchBrowser();
const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#6b7b8c' } })
  .jpeg()
  .toBuffer();

test('on a phone: where is it by address search, a similar report with "me too", photo preview and removal, bad photos and a point at sea explained without losing the form; the name stays private and the photo loads', async () => {
  // A report already filed at Tartu town hall square (a real landmark of the address stand-in).
  const filed = await platform.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: {
      categoryCode: 'lighting',
      description: 'Raekoja platsi laternad ei põle.',
      lat: 58.38034,
      lon: 26.72218,
    },
  });
  assert.equal(filed.statusCode, 201, filed.body);
  const filedId = (filed.json() as { id: number }).id;

  // The device says it is in the Gulf of Finland.
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    geolocation: { latitude: 59.75, longitude: 24.6 },
    permissions: ['geolocation'],
  });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(`${platform.url}/teated/uus`);
  await loginAs(page, resident.idCode);
  await page.waitForURL(/\/teated\/uus/);
  const main = page.locator('main');
  await main.getByLabel('Kirjeldus', { exact: true }).fill('Laternad on kustunud, õhtul pime.');

  // "My location" at sea: a clear message; what was typed stays.
  await main.getByRole('button', { name: 'Minu asukoht' }).click();
  await main.getByText(/ei ole üheski Eesti omavalitsuses/).waitFor();
  assert.equal(await main.getByLabel('Kirjeldus', { exact: true }).inputValue(), 'Laternad on kustunud, õhtul pime.');

  // An address that does not exist.
  await main.getByLabel('Otsi aadressi').fill('Olematu tänav 999');
  await main.getByRole('button', { name: 'Otsi', exact: true }).click();
  await main.getByText('Aadressi „Olematu tänav 999“ ei leitud.', { exact: false }).waitFor();

  // The real one: choose it, and the pin, the place and the official address follow.
  await main.getByLabel('Otsi aadressi').fill('Raekoja plats 1 Tartu');
  await main.getByLabel('Otsi aadressi').press('Enter');
  await main.getByRole('list', { name: 'Leitud aadressid' }).getByRole('button', { name: 'Raekoja plats 1' }).click();
  await main.getByText(/^Koht: Tartu linn, Tartu linn/).waitFor();
  await main.getByText('Lähim ametlik aadress: Raekoja plats 1.').waitFor();
  assert.equal(await main.getByLabel('Aadress või kohakirjeldus').inputValue(), 'Raekoja plats 1');
  assert.equal(await main.getByLabel('Omavalitsus', { exact: true }).inputValue(), TARTU);
  // The base map (the Land Board stand-in's tiles) has loaded, with its attribution and a scale.
  await page.locator('.leaflet-tile-loaded').first().waitFor();
  await page.locator('.leaflet-control-attribution', { hasText: 'Maa-amet' }).waitFor();
  await page.locator('.leaflet-control-scale').waitFor();

  // The same category nearby: the filed report is offered, with "me too".
  await main.getByLabel('Kategooria', { exact: true }).selectOption('lighting');
  const similar = main.locator('.report-duplicates');
  await similar.getByRole('link', { name: `#${filedId}` }).waitFor();
  await similar.getByRole('button', { name: 'Mind ka' }).click();
  await similar.getByText('Märkisite, et see puudutab ka teid.').waitFor();

  // Photos: not an image, too large — each explained; a real one previewed, removed, added again.
  const photos = page.locator('#field-body-photos');
  await photos.setInputFiles({
    name: 'notes.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 not a photo'),
  });
  await main.getByText('„notes.pdf“ ei ole pilt', { exact: false }).waitFor();
  await photos.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(11 * 1024 * 1024, 1) });
  await main.getByText('„huge.jpg“ on suurem kui 10 MB', { exact: false }).waitFor();
  await photos.setInputFiles({ name: 'latern.jpg', mimeType: 'image/jpeg', buffer: photo });
  const preview = main.getByRole('img', { name: 'Eelvaade: latern.jpg' });
  await preview.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.photo-previews img');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  await main.getByRole('button', { name: 'Eemalda latern.jpg' }).click();
  assert.equal(await preview.count(), 0);
  await photos.setInputFiles({ name: 'latern.jpg', mimeType: 'image/jpeg', buffer: photo });
  await preview.waitFor();
  assert.equal(await main.getByLabel('Kirjeldus', { exact: true }).inputValue(), 'Laternad on kustunud, õhtul pime.');
  await expectAccessible(page, 'report form with address search, similar reports and a photo preview (phone)');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling at 390 px (got ${width})`);

  // The name is not shown unless chosen (off by default).
  assert.equal(await main.getByLabel(/Näita minu nime/).isChecked(), false);
  await main.getByLabel('Nimi', { exact: true }).fill('Riina Rebane');
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.waitForURL(/\/teated\/\d+/);
  await page.getByText('Aitäh! Teade on saadetud.').waitFor();
  // The confirmation says what happens next and links on (no dead end).
  await page.getByRole('heading', { name: 'Mis edasi' }).waitFor();
  await page.getByText(/Teate vaatab läbi ja lahendab/).waitFor();
  await page.getByRole('link', { name: 'Teatage veel ühest probleemist' }).waitFor();
  await page.getByRole('link', { name: 'Kõik teated' }).waitFor();
  await page.locator('.status-badge').first().waitFor();
  await page.getByText('Raekoja plats 1').first().waitFor();
  assert.equal(await page.locator('main').getByText('Riina Rebane').count(), 0, 'the name is not public');
  // Every image on the report page has loaded (the thumbnails the page asks for with ?thumb=1).
  await page.locator('.report-photos img').first().waitFor();
  await page.waitForFunction(() => Array.from(document.querySelectorAll('img')).every((i) => i.complete));
  const widths = await page.evaluate(() =>
    Array.from(document.querySelectorAll('img')).map((i) => [i.src, i.naturalWidth] as const),
  );
  assert.ok(widths.length > 0);
  for (const [src, w] of widths) assert.ok(w > 0, `${src} has loaded`);
  await expectAccessible(page, 'report page after sending (phone)');
  if (process.env.KOV_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.KOV_SCREENSHOTS}/report-sent.png`, fullPage: true });
  await context.close();
});

test('a Tartu resident lands on Tartu: the header, Anna Teada, the report form (with the settlement unit) and Minu vald with the report status; still changeable', async () => {
  await residences(platform.ctx, TARTU, resident.id, [
    { municipalityCode: TARTU, settlementCode: '8151', address: 'Riia tn 45', validFrom: '2015-03-01' },
  ]);
  const context = await newContext(browser);
  const page = await context.newPage();
  // As a stranger this browser looked at Tallinn.
  await page.goto(`${platform.url}/teated`);
  const header = page.getByRole('banner').getByLabel('Omavalitsus');
  await header.selectOption('0784');
  await page.getByRole('heading', { level: 1, name: 'Anna teada – Tallinn' }).waitFor();
  await loginAs(page, resident.idCode);
  await page.getByRole('heading', { level: 1, name: 'Anna teada – Tartu linn' }).waitFor();
  assert.equal(await header.inputValue(), TARTU);
  await page.goto(`${platform.url}/teated/uus`);
  const main = page.locator('main');
  await page.getByRole('heading', { level: 1, name: 'Teata probleemist' }).waitFor();
  await page.waitForFunction(
    () => (document.querySelector<HTMLSelectElement>('main select')?.value ?? '') === '0793',
    undefined,
    { timeout: 30_000 },
  );
  assert.equal(await main.getByLabel('Omavalitsus', { exact: true }).inputValue(), TARTU);
  assert.equal(await main.getByLabel('Asula või linnaosa').inputValue(), '8151');
  // Minu vald: the services of Tartu, and the report filed above with its status.
  await page.goto(`${platform.url}/minu-vald`);
  await page.getByRole('heading', { level: 1, name: 'Minu vald' }).waitFor();
  assert.equal(await main.getByLabel('Vald või linn', { exact: true }).inputValue(), TARTU);
  await main
    .locator('.svc-list li', { hasText: 'Laternad on kustunud' })
    .locator('.svc-state', { hasText: 'avatud' })
    .waitFor();
  await expectAccessible(page, 'Minu vald with statuses');
  // The resident can still look elsewhere; the choice holds within the login.
  await header.selectOption('0171');
  await page.goto(`${platform.url}/teated`);
  await page.getByRole('heading', { level: 1, name: 'Anna teada – Elva vald' }).waitFor();
  await context.close();
});
