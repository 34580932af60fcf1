/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';

/**
 * Participatory budgets counted by the Method of Equal Shares, as officials and residents see
 * them in headless Chromium: an official imports a Pabulib file whose META says
 * `rule;equalshares` (the import page preselects it), reads the import report, opens the vote,
 * sees per idea why it was or was not funded (chart and table), compares the counting rules side
 * by side before publishing, and publishes; a resident reads the published results on a 390 px
 * phone. A file with an error is refused with its line, and nothing is imported. axe on each page.
 *
 * The profile: €100,000; six voters approve ideas 1 and 2 (€50,000 each), four approve idea 3
 * (€50,000). Greedy funds 1 and 2 (six votes each) and leaves the four with nothing; equal shares
 * gives each voter €10,000: the six could buy idea 1 but the four cannot afford idea 3; the add-one
 * completion raises the shares to €12,500 (the six have €75,000): the six buy idea 1 in round 1
 * (€8,333.33 each) and cannot afford idea 2, the four buy idea 3 in round 2.
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const official = await makePerson(ctx, { givenName: 'Olev', familyName: 'Ametnik', birthDate: '1975-04-04' });
await grantRole(ctx, TARTU, official.id, 'admin');
const browser = await launchBrowser();

const file = [
  'META',
  'key;value',
  'description;Tartu kaasav eelarve (test)',
  'country;Estonia',
  'unit;Tartu',
  'instance;2024',
  'num_projects;3',
  'num_votes;10',
  'budget;100000',
  'vote_type;approval',
  'rule;equalshares',
  'date_begin;01.03.2024',
  'date_end;15.03.2024',
  'PROJECTS',
  'project_id;cost;votes;name;selected',
  '1;50000;6;Annelinna rulapark;1',
  '2;50000;6;Emajõe kalda pingid;0',
  '3;50000;4;Karlova kogukonnaaed;1',
  'VOTES',
  'voter_id;vote',
  ...Array.from({ length: 6 }, (_, i) => `${i + 1};1,2`),
  ...Array.from({ length: 4 }, (_, i) => `${i + 7};3`),
  '',
].join('\n');

test('an official imports a Pabulib file counted by equal shares, follows why each idea was funded, compares the rules and publishes; a resident reads it on a phone', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/`);
  await loginAs(page, official.idCode);
  await page.goto(`${platform.url}/haaletused/${TARTU}`);
  await page.getByRole('link', { name: 'Impordi Pabulib-fail' }).click();
  await page.getByRole('heading', { level: 1, name: 'Impordi varasem kaasav eelarve (Pabulib)' }).waitFor();

  // A bad file first: a vote for a project the file does not have — refused with its line.
  const bad = file.replace('10;3', '10;9');
  await page
    .getByLabel('Pabulib-fail (.pb)')
    .setInputFiles({ name: 'bad.pb', mimeType: 'text/plain', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Impordi' }).click();
  await page.getByText(/^Midagi ei imporditud: failis on \d+ viga/).waitFor();
  await page.getByText('Rida 30, viga: voter 10: unknown project 9').waitFor();
  await expectAccessible(page, 'the import page with a refused file');

  await page
    .getByLabel('Pabulib-fail (.pb)')
    .setInputFiles({ name: 'tartu.pb', mimeType: 'text/plain', buffer: Buffer.from(file) });
  // The file's rule is preselected, and the page says so.
  await page
    .getByText('Failis on reegel „equalshares“: valitud Võrdsete osade meetod (kasulikkus = maksumus).')
    .waitFor();
  assert.equal(await page.getByLabel('Lugemise reegel').inputValue(), 'es-cost');
  await page.getByText(/ei rahastata ühegi reegliga/).waitFor();
  await expectAccessible(page, 'the import page');
  await page.getByRole('button', { name: 'Impordi' }).click();
  await page.getByText('Imporditud „Tartu kaasav eelarve (test)“: 3 projekti, 10 häält.').waitFor();
  await page.getByText('samad projektid').waitFor();
  await page.getByRole('link', { name: 'Ava imporditud hääletus' }).click();

  await page.getByRole('heading', { level: 2, name: 'Tulemused' }).waitFor();
  const why = async (name: string) => {
    const cell = page.getByRole('row', { name: new RegExp(name) }).locator('.pv-why');
    await cell.waitFor();
    return (await cell.textContent())!.replace(/\s/g, ' ');
  };
  assert.match(
    await why('Annelinna rulapark'),
    /^Osteti 1\. voorus: toetajatel oli 75 000 €; üks hääl \(punkt\) maksis 8 ?333,33 €/,
  );
  assert.match(await why('Karlova kogukonnaaed'), /^Osteti 2\. voorus/);
  assert.match(
    await why('Emajõe kalda pingid'),
    /^Toetajad ei suutnud maksumust katta; järele jäänud rahast oli .* alles ainult 0 €/,
  );
  await page.getByRole('img', { name: /Iga idee \(numbri järgi\)/ }).waitFor();
  await page
    .getByText(/võrdsete osade meetodiga \(kasulikkus = maksumus\): eelarve jagati võrdselt 10 hääletaja vahel/)
    .waitFor();

  // Side by side before publishing: greedy would fund idea 2 instead of 3, and leave 40 % with nothing.
  const cmp = page.getByRole('region', { name: 'Võrdle lugemise reegleid' });
  const greedy = cmp.getByRole('row', { name: /Ahne reegel, mittemahtuv idee jäetakse vahele/ });
  await greedy.getByRole('cell', { name: '60 %' }).waitFor();
  await greedy.getByRole('cell', { name: /Emajõe kalda pingid/ }).waitFor();
  await greedy.getByRole('cell', { name: /Karlova kogukonnaaed/ }).waitFor();
  await cmp
    .getByRole('row', { name: /Võrdsete osade meetod \(kasulikkus = maksumus\) \(selle hääletuse reegel\)/ })
    .getByRole('cell', { name: '100 %' })
    .waitFor();
  await expectAccessible(page, 'the management page with the results and the comparison');
  await page.getByRole('button', { name: 'Avalda tulemused' }).click();
  // Publishing asks first, saying what becomes public.
  await page
    .getByRole('dialog', { name: 'Kas avaldada tulemused?' })
    .getByText(/Avaldamist ei saa tagasi võtta/)
    .waitFor();
  await page.getByRole('button', { name: 'Jah, avalda tulemused' }).click();
  await page.getByText('Tulemused on avaldatud.').waitFor();
  const voteUrl = page.url().replace(/\/haldus$/, '');
  await context.close();

  // A resident, not logged in, on a 390 px phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  await p.goto(voteUrl);
  await p.getByRole('heading', { level: 2, name: 'Tulemused' }).waitFor();
  await p.getByRole('img', { name: /Iga idee/ }).waitFor();
  await p.getByText(/^Osteti 2\. voorus/).waitFor();
  await expectAccessible(p, 'the published results on a phone');
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide on a 390 px screen`);
  // For people to look at (not an assertion): the results as a resident sees them.
  await p.screenshot({ path: join(tmpdir(), 'kov-pabulib-results-390.png'), fullPage: true });
  await phone.close();
});
