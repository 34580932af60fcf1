/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';
import { inScope } from '../../src/platform/db/database';
import { storeCatalogue } from '../../src/modules/hub/importCatalogue';
import { sampleCatalogue } from '../../src/modules/hub/demo';
import { createArticle } from '../../src/modules/hub/writeArticle';
import { createEvent } from '../../src/modules/community/manageEvents';
import { storePlanFile } from '../../src/modules/programme/importPlan';
import { readActionPlan } from '../../src/modules/programme/index';
import type { Actor } from '../../src/platform/auth/actor';

/** An official finds a guide by search, registers for an event and updates an E-ITS measure; the public sees public content only. */
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const official = await makePerson(ctx, { givenName: 'Kadri', familyName: 'Kask', birthDate: '1982-03-04' });
await grantRole(ctx, '0793', official.id, 'editor');
const elvl = await makePerson(ctx, { givenName: 'Elvi', familyName: 'Liit', birthDate: '1979-01-02' });
await grantRole(ctx, '0000', elvl.id, 'editor');
const elvlAdmin = await makePerson(ctx, { givenName: 'Aino', familyName: 'Admin', birthDate: '1970-06-07' });
await grantRole(ctx, '0000', elvlAdmin.id, 'admin');
const elvlActor: Actor = {
  kind: 'person',
  personId: elvl.id,
  givenName: 'Elvi',
  familyName: 'Liit',
  birthDate: '1979-01-02',
  idCodeMasked: '',
  roles: [{ municipalityCode: '0000', role: 'editor' }],
  acr: 'high',
};

await storeCatalogue(ctx, '2024', sampleCatalogue(2024), null);
await storePlanFile(ctx, readActionPlan(), null);
await createArticle(ctx, elvlActor, {
  kind: 'guide',
  visibility: 'officials',
  topics: ['security'],
  eitsModules: ['ISMS.1'],
  title: 'Infoturbe juhtimise juhend',
  summary: 'Turvalisuse haldus omavalitsuses',
  body: 'Asutuse turvalisuse tagamine algab juhtkonnast.\n\nEesmärgid kinnitatakse igal aastal.',
});
await createArticle(ctx, elvlActor, {
  kind: 'article',
  visibility: 'public',
  topics: ['services'],
  eitsModules: [],
  title: 'Tegevuskava avalikkusele',
  body: 'Avalik tutvustus.',
});
const start = new Date(Date.now() + 7 * 86_400_000);
const { id: eventId } = await createEvent(ctx, elvlActor, {
  kind: 'webinar',
  title: 'E-ITS veebiseminar',
  description: 'Põhimeetmetest.',
  startsAt: start.toISOString(),
  endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
  onlineUrl: 'https://meet.example.invalid/e-its',
  capacity: 30,
  visibility: 'officials',
});
const browser = await launchBrowser();

test('an official finds a guide by search, registers for an event and updates an E-ITS measure; axe passes', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/teadmised`);
  await loginAs(page, official.idCode);
  await page.waitForURL(/\/teadmised/);
  await page.getByRole('heading', { level: 1, name: 'Teadmusbaas' }).waitFor();

  await page.getByLabel('Otsi teadmusbaasist').fill('turvalisus');
  await page.getByRole('button', { name: 'Otsi', exact: true }).click();
  await page.getByText('Leitud 1').waitFor();
  await page.locator('mark', { hasText: 'turvalisuse' }).first().waitFor();
  await expectAccessible(page, 'hub search results');
  await page.getByRole('link', { name: 'Infoturbe juhtimise juhend' }).click();
  await page.getByRole('heading', { level: 1, name: 'Infoturbe juhtimise juhend' }).waitFor();
  await page.getByRole('button', { name: 'See aitas mind' }).click();
  await page.getByText('1 ametnikku märkis, et see aitas.').waitFor();
  await expectAccessible(page, 'article');

  await page.goto(`${platform.url}/uritused`);
  await page.getByRole('link', { name: 'E-ITS veebiseminar' }).click();
  await page.getByRole('heading', { level: 1, name: 'E-ITS veebiseminar' }).waitFor();
  await page.getByRole('button', { name: 'Registreeru' }).click();
  await page.getByText('Olete registreerunud.').first().waitFor();
  await page.getByRole('button', { name: 'Tühista registreerimine' }).waitFor();
  await expectAccessible(page, 'event after registration');
  const registered = await inScope(ctx.db, { tenant: '0000' }, (trx) =>
    trx
      .selectFrom('community_registration' as never)
      .select(['status' as never])
      .where('event_id' as never, '=', eventId as never)
      .where('person_id' as never, '=', official.id as never)
      .executeTakeFirst(),
  );
  assert.equal((registered as { status: string } | undefined)?.status, 'registered');

  await page.goto(`${platform.url}/e-its`);
  await page.getByRole('heading', { level: 1, name: 'E-ITS rakendamine' }).waitFor();
  await page.locator('summary', { hasText: 'ISMS.1 Turvalisuse haldus' }).click();
  const measure = page.getByRole('group', { name: /ISMS\.1\.M1 Juhtkonna vastutus/ });
  await measure.getByLabel('Seis').selectOption('implemented');
  await measure.getByLabel('Vastutaja').fill('Kadri Kask');
  await measure.getByLabel('Tõendi link').fill('https://dok.tartu.ee/infoturbepoliitika');
  await measure.getByRole('button', { name: 'Salvesta meede' }).click();
  await page.getByText('Meede ISMS.1.M1 salvestatud.').waitFor();
  await expectAccessible(page, 'E-ITS tracker');
  const state = await inScope(ctx.db, { tenant: '0793' }, (trx) =>
    trx
      .selectFrom('eits_measure_state' as never)
      .select(['status' as never, 'responsible_person' as never])
      .where('measure_code' as never, '=', 'ISMS.1.M1' as never)
      .executeTakeFirst(),
  );
  assert.deepEqual(state, { status: 'implemented', responsible_person: 'Kadri Kask' });

  await page.goto(`${platform.url}/tegevuskava`);
  await page.getByText('6 dokumendis toodud summat').waitFor();
  await expectAccessible(page, 'action plan');

  // The other pages of the three modules pass axe too.
  for (const [path, heading] of [
    ['/e-its/ulevaade', 'E-ITS omavalitsuste võrdlus'],
    ['/mentorlus', 'E-ITS mentorlus'],
    ['/uritused/minu', 'Minu üritused'],
    ['/koolitus', 'Koolitusprogrammid'],
    ['/teadmised/uus', 'Uus artikkel'],
  ] as const) {
    await page.goto(`${platform.url}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page
      .locator('.loading')
      .waitFor({ state: 'detached' })
      .catch(() => {});
    await expectAccessible(page, path);
  }
  await page.goto(`${platform.url}/uritused/minu`);
  await page.getByRole('link', { name: 'E-ITS veebiseminar' }).waitFor();
  await context.close();
});

test('the public sees only public articles and events, on a phone-sized screen', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await page.goto(`${platform.url}/teadmised`);
  await page.getByRole('link', { name: 'Tegevuskava avalikkusele' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Infoturbe juhtimise juhend' }).count(), 0);
  await expectAccessible(page, 'public hub');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (got ${width})`);
  await page.goto(`${platform.url}/uritused`);
  await page.getByText('Tulevasi üritusi ei ole.').waitFor();
  await expectAccessible(page, 'public events');
  await context.close();
});

test('an ELVL organiser records attendance; an ELVL admin sees a malformed catalogue file reported line by line', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/uritused/${eventId}`);
  await loginAs(page, elvl.idCode);
  await page.getByRole('heading', { level: 1, name: 'E-ITS veebiseminar' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Osalejad ja ooteleht' }).waitFor();
  await page.getByRole('checkbox', { name: 'Kadri Kask osales' }).check();
  await page.getByRole('button', { name: 'Salvesta osalemine' }).click();
  await page.getByText('Osalemine salvestatud.').waitFor();
  await expectAccessible(page, 'event for its organiser');

  await page.goto(`${platform.url}/tegevuskava`);
  await page.getByRole('heading', { level: 2, name: 'Lisa tegelik kulu' }).waitFor();
  await page.getByLabel('Algatus', { exact: true }).selectOption('5');
  await page.getByLabel('Meetme tegevus', { exact: true }).selectOption('2');
  await page.getByLabel('Kuupäev').fill('2025-04-10');
  await page.getByLabel('Summa ilma KM-ta (eurodes)').fill('1000');
  await page.getByLabel('Käibemaks (eurodes)').fill('240');
  await page.getByLabel('Kirjeldus').fill('E-ITS veebiseminar');
  await page.getByRole('button', { name: 'Lisa kulu' }).click();
  await page.getByText('Kulu lisatud.').waitFor();
  await expectAccessible(page, 'action plan for an ELVL editor');
  await context.close();

  // A fresh browser: the demo identity provider remembers its last login within one.
  const adminContext = await newContext(browser);
  const page2 = await adminContext.newPage();
  await adminFlow(page2);
  await adminContext.close();
});

async function adminFlow(page: Awaited<ReturnType<Awaited<ReturnType<typeof newContext>>['newPage']>>) {
  await page.goto(`${platform.url}/e-its`);
  await loginAs(page, elvlAdmin.idCode);
  await page.getByRole('heading', { level: 2, name: 'E-ITS kataloogi import' }).waitFor();
  const broken = JSON.stringify([
    {
      moduleCode: 'XYZ.1',
      moduleTitle: 'Vale',
      measureDetails: [{ groupCode: 'MEDIUM', measures: [{ measureCode: 'XYZ.1.M1' }] }],
    },
  ]);
  await page.getByLabel('Versioon').fill('2025');
  await page
    .getByLabel('Kataloogi fail (JSON)')
    .setInputFiles({ name: 'e-its-2025.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  await page.getByRole('button', { name: 'Impordi' }).click();
  await page.getByText('/0/moduleCode').waitFor();
  await page.getByText('/0/measureDetails/0/groupCode').waitFor();
  await expectAccessible(page, 'catalogue import errors');
  const versions = await ctx.db
    .selectFrom('eits_catalogue' as never)
    .select('version' as never)
    .execute();
  assert.deepEqual(versions, [{ version: '2024' }], 'nothing was imported');
}
