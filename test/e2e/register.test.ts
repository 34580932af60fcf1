/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';
import { actor, person, residences } from '../../src/modules/register/testSupport';
import { checkEligibility, createElectorate } from '../../src/modules/register';
import { inScope } from '../../src/platform/db/database';

/** Officials define, preview and freeze an electorate; a resident sees their registered residence. */
const ELVA = '0171';
const RONGU = '7167';
const PUHJA = '6393';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const official = await person(ctx, '1975-09-30', 'male', { givenName: 'Tõnu', familyName: 'Tamm' });
await grantRole(ctx, ELVA, official.id, 'admin');
const resident = await person(ctx, '1990-04-12', 'female', { givenName: 'Liis', familyName: 'Lepik' });
await residences(ctx, ELVA, resident.id, [
  { settlementCode: PUHJA, validFrom: '2012-01-01', validUntil: '2020-05-31', address: 'Puhja, Kooli 3' },
  { settlementCode: RONGU, validFrom: '2020-06-01', address: 'Valga mnt 5, Rõngu alevik' },
]);
const others: { idCode: string }[] = [];
for (let i = 0; i < 12; i++) {
  const p = await person(ctx, `19${70 + i}-0${1 + (i % 9)}-15`);
  others.push(p);
  await residences(ctx, ELVA, p.id, [{ settlementCode: i % 3 ? RONGU : PUHJA, validFrom: '2005-01-01' }]);
}
const browser = await launchBrowser();

test('an official defines an electorate of a settlement unit, previews it by settlement, loads a list and freezes it; pages pass axe', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/valijaskonnad`);
  await loginAs(page, official.idCode);
  await page.waitForURL(/\/valijaskonnad/);
  await page.getByRole('heading', { level: 1, name: 'Valijaskonnad' }).waitFor();
  await page.getByText('Valijaskondi veel ei ole.').waitFor();
  await expectAccessible(page, 'electorates');

  await page.getByLabel('Nimetus', { exact: true }).fill('Rõngu aleviku külavanem 18+');
  await page.getByLabel('Kes kuuluvad').selectOption('settlements');
  await page.getByLabel('Rõngu alevik').check();
  await page.getByLabel('Vanus vähemalt').fill('18');
  await page.getByLabel('Määramise kuupäev').fill('2026-03-01');
  await page.getByLabel('Kontrolli viis').selectOption('frozen');
  await page.getByRole('button', { name: 'Arvuta suurus' }).click();
  await page.getByText('Kokku 9 valijat').waitFor();
  await page.getByRole('rowheader', { name: 'Rõngu alevik' }).waitFor();
  await expectAccessible(page, 'electorates with a preview');

  await page.getByRole('button', { name: 'Salvesta valijaskond' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rõngu aleviku külavanem 18+' }).waitFor();
  await page.getByText('Kokku 9 valijat').waitFor();

  // The exclude list: a bad file is refused with its line; a good one is taken.
  const exclude = page.locator('form', { has: page.getByRole('heading', { name: 'Välistusnimekiri' }) });
  await exclude.getByLabel('Fail').setInputFiles({
    name: 'valja.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`id_code\n${others[1]!.idCode}\n123\n`),
  });
  await exclude.getByRole('button', { name: 'Laadi üles' }).click();
  await exclude.getByText('#3:').waitFor();
  await expectAccessible(page, 'electorate with a rejected list');
  await exclude
    .getByLabel('Fail')
    .setInputFiles({ name: 'valja.csv', mimeType: 'text/csv', buffer: Buffer.from(`id_code\n${others[1]!.idCode}\n`) });
  await exclude.getByRole('button', { name: 'Laadi üles' }).click();
  await page.getByText('valja.csv: 1 isikut').waitFor();
  await page.getByText('Kokku 8 valijat').waitFor();

  // Freezing cannot be undone: the page asks first, saying how many voters the list keeps; "Tühista"
  // leaves the electorate as it was, the dialog's own button freezes it.
  const freeze = page.getByRole('button', { name: 'Külmuta valijate nimekiri' });
  await freeze.click();
  const dialog = page.getByRole('dialog', { name: 'Kas külmutada valijate nimekiri?' });
  await dialog.getByText(/Nimekirja jääb 8 valijat, nagu see on praegu\. Külmutamist ei saa tagasi võtta/).waitFor();
  await expectAccessible(page, 'freezing: the confirmation');
  await dialog.getByRole('button', { name: 'Tühista' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Külmuta valijate nimekiri');
  assert.equal(await page.getByText(/Nimekiri külmutatud/).count(), 0, 'cancelled: not frozen');
  await freeze.click();
  await dialog.getByRole('button', { name: 'Külmuta valijate nimekiri' }).click();
  await page.getByText(/Nimekiri külmutatud .*: 8 valijat\./).waitFor();
  await page.getByRole('region', { name: 'Valijad' }).getByText('Liis Lepik').waitFor();
  const hash = await page.locator('.register-hash').innerText();
  assert.match(hash, /^[0-9a-f]{64}$/);
  await expectAccessible(page, 'frozen electorate');

  // A live check of the resident is in the register query log, with the full ID code for the admin.
  const live = await createElectorate(ctx, actor(official.id, [{ municipalityCode: ELVA, role: 'admin' }]), ELVA, {
    name: 'Elva 16+',
    scope: 'municipality',
    minAge: 16,
    maxAge: null,
    referenceDate: '2026-03-01',
    residenceAt: 'voting-time',
    mode: 'live',
  });
  await inScope(ctx.db, { tenant: ELVA }, (trx) =>
    checkEligibility(ctx, trx, {
      municipalityCode: ELVA,
      electorateId: live.id,
      personId: resident.id,
      at: new Date(),
      purpose: 'vote',
    }),
  );
  await page.goto(`${platform.url}/registri-paringud`);
  await page.getByRole('heading', { level: 1, name: 'Rahvastikuregistri päringud' }).waitFor();
  await page
    .getByRole('cell', { name: `Liis Lepik (${resident.idCode})` })
    .first()
    .waitFor();
  await expectAccessible(page, 'register query log');

  // Usable at 360 px: the pages do not scroll sideways (wide tables scroll inside their region).
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/valijaskonnad', '/registri-paringud']) {
    await page.goto(`${platform.url}${path}`);
    await page.locator('h1').waitFor();
    await page.locator('table').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${path}: no horizontal scrolling at 360 px (got ${width})`);
  }
  await context.close();
});

test('a resident sees their registered residence on "My details" on a phone-sized screen', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await page.goto(`${platform.url}/profile`);
  await loginAs(page, resident.idCode);
  await page.waitForURL(/\/profile/);
  await page.getByRole('heading', { level: 2, name: 'Registrijärgne elukoht' }).waitFor();
  const facts = await page.locator('.register-residence').innerText();
  assert.match(facts, /Valga mnt 5, Rõngu alevik/);
  assert.match(facts, /Elva vald/);
  await page.getByText(/Puhja, Kooli 3/).waitFor();
  await expectAccessible(page, 'profile with residence');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (got ${width})`);
  await context.close();
});
