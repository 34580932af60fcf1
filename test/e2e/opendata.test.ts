/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';

/**
 * Open data in a real browser: an official creates a dataset, is told in plain words what is
 * missing and what is wrong with a broken CSV, uploads a good CSV, sends it for review and
 * publishes it; the public catalogue finds it and the dataset page shows the CSV preview. At the
 * end the official takes it out of the catalogue, asked first (cancelling keeps it public). axe
 * checks every page (WCAG 2.1 AA).
 */
const M = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const official = await makePerson(platform.ctx, { givenName: 'Anneli', familyName: 'Andmed', birthDate: '1979-03-03' });
await grantRole(platform.ctx, M, official.id, 'admin');
const browser = await launchBrowser();

/** A desktop page at `path`, the official logged in from the page's own login link. */
async function officialAt(path: string) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}${path}`);
  await page.getByRole('link', { name: 'Logi sisse' }).first().waitFor();
  await loginAs(page, official.idCode);
  await page.waitForURL((url) => url.pathname === path);
  return page;
}

test('an official creates a dataset, uploads a CSV and publishes it; the public page shows the preview', async () => {
  const page = await officialAt('/avaandmed-haldus');
  await page.getByRole('heading', { level: 1, name: 'Avaandmete haldus' }).waitFor();
  await expectAccessible(page, 'open data management');

  await page.getByLabel('Andmestiku pealkiri eesti keeles').fill('Mänguväljakud');
  await page.getByRole('button', { name: 'Loo mustand' }).click();
  await page.waitForURL(/\/avaandmed-haldus\/0793\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: 'Mänguväljakud' }).waitFor();
  await page.getByText('Enne ülevaatamist on vaja veel:').waitFor();
  await page.getByText('Lisage vähemalt üks fail või link andmetega.').waitFor();
  await expectAccessible(page, 'dataset editor (draft with missing fields)');

  await page.getByLabel('Pealkiri inglise keeles').fill('Playgrounds');
  await page
    .getByLabel('Kirjeldus eesti keeles')
    .fill('Linna mänguväljakud linnaosade kaupa ja nende atraktsioonide arv.');
  await page
    .getByLabel('Kirjeldus inglise keeles')
    .fill('Public playgrounds of the city by district and their number of attractions.');
  await page.getByLabel('Märksõnad eesti keeles').fill('mänguväljak, lapsed');
  await page.getByLabel('Regioonid ja linnad').check();
  await page.getByLabel('Kontakti e-post').fill('avaandmed@tartu.example');
  await page.getByRole('button', { name: 'Salvesta' }).click();
  await page.getByText('Salvestatud.').waitFor();

  // A ragged CSV: a clear report with the line, nothing added.
  await page.getByLabel('Fail', { exact: true }).setInputFiles({
    name: 'valjakud.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('linnaosa,valjakuid\nAnnelinn,12\nKarlova\n'),
  });
  await page.getByRole('button', { name: 'Laadi fail üles' }).click();
  await page.getByText('Faili ei lisatud, sest selles on vigu:').waitFor();
  await page.getByText('Real 3 on 1 väärtust, aga esimene rida nimetab 2 veergu.').waitFor();
  await page.getByText('Faile ega linke veel ei ole.').waitFor();
  await expectAccessible(page, 'dataset editor with a CSV error report');

  await page.getByLabel('Fail', { exact: true }).setInputFiles({
    name: 'valjakud.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('linnaosa,valjakuid\nAnnelinn,12\nKarlova,4\nSupilinn,3\n'),
  });
  await page.getByRole('button', { name: 'Laadi fail üles' }).click();
  await page.getByText('Fail on lisatud.').waitFor();
  await page.getByText('Kõik vajalik on täidetud.').waitFor();

  await page.getByRole('button', { name: 'Saada ülevaatamisele' }).click();
  await page.getByText('Saadetud ülevaatamisele.').waitFor();
  // Publishing cannot be undone: the dialog says what becomes public before it happens.
  await page.getByRole('button', { name: 'Avalda' }).click();
  const publish = page.getByRole('dialog', { name: 'Kas avaldada andmestik „Mänguväljakud“?' });
  await publish.getByText(/^Versioon 1 koos 1 failiga või lingiga .* muutub kõigile nähtavaks/).waitFor();
  await expectAccessible(page, 'publishing a dataset: the confirmation');
  await publish.getByRole('button', { name: 'Avalda' }).click();
  await page.getByText('Avaldatud. Versioon 1 on nüüd avalik.').waitFor();
  await expectAccessible(page, 'dataset editor after publishing');

  await page.getByRole('link', { name: 'Vaata avalikku lehte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mänguväljakud' }).waitFor();
  const preview = page.getByRole('region', { name: 'Faili valjakud.csv eelvaade' });
  await preview.getByRole('columnheader', { name: 'valjakuid' }).waitFor();
  await preview.getByRole('cell', { name: 'Karlova' }).waitFor();
  assert.equal(await preview.locator('tbody tr').count(), 3);
  await page.getByRole('link', { name: /Laadi alla: valjakud/ }).waitFor();
  await expectAccessible(page, 'public dataset page');
  await page.context().close();
});

test('the public catalogue finds the dataset, filters by facets, and works at 360 px', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await page.goto(`${platform.url}/avaandmed`);
  await page.getByRole('heading', { level: 1, name: 'Avaandmete kataloog' }).waitFor();
  await page.getByLabel('Otsi andmestikke').fill('mänguv');
  await page.getByRole('button', { name: 'Otsi' }).click();
  await page.getByRole('heading', { name: 'Leitud 1 andmestikku' }).waitFor();
  await page.getByLabel('Vorming').selectOption('CSV');
  await page.getByRole('link', { name: 'Mänguväljakud' }).waitFor();
  await expectAccessible(page, 'catalogue search on a phone');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (got ${width})`);
  await page.getByRole('link', { name: 'Mänguväljakud' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mänguväljakud' }).waitFor();
  await expectAccessible(page, 'dataset page on a phone');
  const width2 = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width2 <= 360, `no horizontal scrolling of the dataset page at 360 px (got ${width2})`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Playgrounds' }).waitFor();
  await context.close();
});

test('data governance: the dashboard, the inventory and the publication log pass axe', async () => {
  const page = await officialAt('/avaandmed-andmehaldus');
  await page.getByRole('heading', { level: 1, name: 'Andmehaldus' }).waitFor();
  await page.getByText('Andmehalduse juht on määramata.').waitFor();
  await page.getByLabel('Nimi', { exact: true }).fill('Dokumendiregister');
  await page.getByLabel('Lühinimi (RIHA)').fill('tartu-dhs');
  await page.getByLabel('Omaniku registrikood').fill('75006546');
  await page.getByLabel('Omaniku nimi').fill('Tartu Linnavalitsus');
  await page.getByRole('button', { name: 'Lisa', exact: true }).click();
  await page.getByText('Lisatud.').waitFor();
  await page.getByRole('cell', { name: 'Dokumendiregister (tartu-dhs)' }).waitFor();
  await page.getByRole('button', { name: 'Käivita kohe' }).click();
  await page.getByText('Automaatne avaldamine tehtud.').waitFor();
  await page.getByRole('cell', { name: 'opendata.information-systems' }).waitFor();
  await expectAccessible(page, 'data governance');
  await page.context().close();
});

test('withdrawing a published dataset asks first, naming what harvesters will see; cancelling keeps it public', async () => {
  const page = await officialAt('/avaandmed-haldus');
  await page.getByRole('link', { name: 'Mänguväljakud' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mänguväljakud' }).waitFor();
  const name = (await page.getByRole('link', { name: 'Vaata avalikku lehte' }).getAttribute('href'))!.split('/').pop();
  const isPublic = async () => (await page.request.get(`${platform.url}/api/v1/opendata/datasets/${name}`)).status();
  assert.equal(await isPublic(), 200);

  const withdraw = page.getByRole('button', { name: 'Eemalda avalikust kataloogist' });
  await withdraw.click();
  const ask = page.getByRole('dialog', { name: 'Kas eemaldada andmestik „Mänguväljakud“ avalikust kataloogist?' });
  await ask.getByText(/Harvesterid \(ka avaandmete portaal\) näevad seda kustutatuna/).waitFor();
  await expectAccessible(page, 'withdrawing a dataset: the confirmation');
  await ask.getByRole('button', { name: 'Tühista' }).click();
  await ask.waitFor({ state: 'hidden' });
  assert.equal(await isPublic(), 200, 'cancelled: still public');

  await withdraw.click();
  await ask.getByRole('button', { name: 'Eemalda avalikust kataloogist' }).click();
  await page.getByText('Eemaldatud avalikust kataloogist.').waitFor();
  assert.equal(await isPublic(), 404, 'withdrawn: gone from the public API');
  await expectAccessible(page, 'dataset editor after withdrawing');
  await page.context().close();
});
