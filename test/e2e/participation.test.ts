/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { asOwner } from '../support/db';
import type { PersonActor } from '../../src/platform/auth/actor';
import { residences } from '../../src/modules/register/testSupport';
import { openCountedBallots } from '../../src/modules/ballotBox/testSupport';
import { advanceVote, createVote, openProposals, scheduleVote } from '../../src/modules/participation/manageVotes';
import { reviewIdea, submitIdea } from '../../src/modules/participation/proposals';
import {
  budgetCollectingIdeas,
  expectAccessible,
  launchBrowser,
  loginAs,
  newContext,
  participationCast,
} from './support';

/**
 * The resident's journey in headless Chromium on a 360 px phone screen: log in (demo identity
 * provider), find the vote among "votes I can take part in", vote, confirm, get the receipt,
 * change the vote, and after the vote has closed (the official closes it and publishes the
 * results in their own browser) see the results and check both receipts. A knapsack budget with
 * the budget meter. The officials' wizard creating a poll, with the electorate preview, the ballot
 * as a voter sees it, and scheduling. axe (WCAG 2.1 AA) on every page on the way.
 */
const TARTU = '0793';
const { platform, ctx, settlement, officialP, official, resident: voter } = await participationCast();
await residences(ctx, TARTU, officialP.id, [{ validFrom: '2000-01-01', settlementCode: settlement.code }]);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

const poll = await createVote(ctx, official, TARTU, {
  kind: 'poll',
  title: 'Raekoja plats autovabaks',
  description: 'Kas Raekoja plats peaks olema aastaringselt autovaba?',
  opensAt: iso(-60_000),
  closesAt: iso(3_600_000),
  electorate: { scope: 'municipality', minAge: 16 },
  questions: [
    { text: 'Kas plats peaks olema autovaba?', kind: 'yesno', allowBlank: true },
    {
      text: 'Mida platsile juurde tuua?',
      kind: 'multiple',
      choices: ['Haljastus', 'Pingid', 'Mänguala'],
      minChoices: 1,
      maxChoices: 2,
    },
  ],
});
await scheduleVote(ctx, official, TARTU, poll.id);

// A knapsack budget in its voting phase: €100,000; ideas of €60,000, €50,000 and €30,000.
const budget = await createVote(ctx, official, TARTU, {
  kind: 'budget',
  title: 'Kaasav eelarve 2027',
  opensAt: iso(3_600_000),
  closesAt: iso(7_200_000),
  proposalsCloseAt: iso(1_800_000),
  electorate: { scope: 'municipality', minAge: 14 },
  budget: { method: 'knapsack', districts: [{ name: 'Tartu', budgetCents: 100_000_00, settlementCodes: [] }] },
});
await openProposals(ctx, official, TARTU, budget.id);
const author: PersonActor = { ...official, personId: voter.id, roles: [] };
for (const [title, cost] of [
  ['Annelinna rulapark', 60_000_00],
  ['Emajõe kalda pingid', 50_000_00],
  ['Karlova kogukonnaaed', 30_000_00],
] as const) {
  const idea = await submitIdea(ctx, author, TARTU, budget.id, {
    title,
    description: `${title}: elanike ettepanek.`,
    settlementCode: settlement.code,
    estimatedCostCents: cost,
  });
  await reviewIdea(ctx, official, TARTU, budget.id, idea.id, {
    status: 'feasible',
    finalCostCents: cost,
    districtId: 1,
  });
}
// The call for ideas ends and voting opens, as the clock would move them.
const owner = <T = any>(text: string, values: unknown[] = []) =>
  asOwner(platform.ownerUrl, async (c) => (await c.query(text, values)).rows as T[]);
await owner(
  `UPDATE pv_vote SET proposals_close_at = now() - interval '2 minutes', opens_at = now() - interval '1 minute' WHERE id = $1`,
  [budget.id],
);
assert.equal(await advanceVote(ctx, TARTU, budget.id), 'review');
await scheduleVote(ctx, official, TARTU, budget.id);

const browser = await launchBrowser();

async function loggedIn(idCode: string, opts: { mobile?: boolean } = {}): Promise<Page> {
  const context = await newContext(browser, opts);
  const page = await context.newPage();
  await page.goto(`${platform.url}/`);
  await loginAs(page, idCode);
  return page;
}

async function castBallotOnPage(page: Page, pick: () => Promise<void>): Promise<string> {
  await pick();
  await page.getByRole('button', { name: 'Edasi kinnitama' }).click();
  await page.getByRole('heading', { name: 'Kinnitage oma valik' }).waitFor();
  await expectAccessible(page, 'the confirmation step');
  await page.getByRole('button', { name: 'Kinnita ja hääleta' }).click();
  await page.getByRole('heading', { name: 'Teie hääl on vastu võetud' }).waitFor();
  const receipt = (await page.getByTestId('receipt').textContent())!.trim();
  assert.match(receipt, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  return receipt;
}

test('a resident on a phone: finds the poll, votes, gets a receipt, changes the vote, sees the results after close', async () => {
  const page = await loggedIn(voter.idCode, { mobile: true });
  // Find the vote: the main menu (behind the menu button on a phone) → votes I can take part in.
  await page.getByRole('button', { name: 'Menüü' }).click();
  await page
    .getByRole('navigation', { name: 'Peamenüü' })
    .getByRole('link', { name: 'Hääletused', exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Hääletused' }).waitFor();
  const mine = page.getByRole('region', { name: 'Hääletused, milles saan osaleda' });
  await mine.getByRole('link', { name: 'Raekoja plats autovabaks' }).waitFor();
  await expectAccessible(page, 'votes I can take part in');
  await mine.getByRole('link', { name: 'Raekoja plats autovabaks' }).click();
  await page.getByRole('heading', { level: 1, name: 'Raekoja plats autovabaks' }).waitFor();
  await page.getByRole('group', { name: 'Kas plats peaks olema autovaba?' }).waitFor();
  await expectAccessible(page, 'the vote page with the ballot');

  // An incomplete ballot is stopped before anything is sent.
  await page.getByRole('button', { name: 'Edasi kinnitama' }).click();
  await page.getByRole('alert').getByText('Vastake küsimusele „Kas plats peaks olema autovaba?”').waitFor();

  const first = await castBallotOnPage(page, async () => {
    await page.getByRole('radio', { name: 'Jah' }).check();
    await page.getByRole('checkbox', { name: 'Haljastus' }).check();
    await page.getByRole('checkbox', { name: 'Pingid' }).check();
    // At most two: the third choice is disabled until one is unchecked.
    assert.equal(await page.getByRole('checkbox', { name: 'Mänguala' }).isDisabled(), true);
  });
  await page.getByText('Hääl on salvestatud.').waitFor();
  await expectAccessible(page, 'the receipt');

  // Change my vote: the form comes back empty (the earlier choice is never shown), the last vote counts.
  await page.getByRole('button', { name: 'Muuda häält' }).click();
  assert.equal(await page.getByRole('radio', { name: 'Jah' }).isChecked(), false);
  const second = await castBallotOnPage(page, async () => {
    await page.getByRole('radio', { name: 'Ei', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Mänguala' }).check();
  });
  await page.getByText('Uus hääl on salvestatud ja asendab teie varasema hääle.').waitFor();
  assert.notEqual(first, second);

  // Coming back later: "you have voted", with the way to change it; no content shown.
  await page.reload();
  await page
    .getByText(/Olete hääletanud/)
    .first()
    .waitFor();
  await page.getByRole('button', { name: 'Muuda häält' }).waitFor();

  // The vote closes (the clock moves past the closing time); the official closes it and publishes.
  await owner(`UPDATE pv_vote SET closes_at = now() - interval '1 second' WHERE id = $1`, [poll.id]);
  await owner(
    `UPDATE bb_box SET closes_at = now() - interval '1 second' WHERE id = (SELECT box_id FROM pv_vote WHERE id = $1)`,
    [poll.id],
  );
  const officialPage = await loggedIn(officialP.idCode);
  await officialPage.goto(`${platform.url}/haaletused/${TARTU}/${poll.id}/haldus`);
  await officialPage.getByRole('button', { name: 'Sulge hääletus' }).click();
  await officialPage.getByText('Hääletus on suletud.').waitFor();
  await officialPage.getByRole('button', { name: 'Avalda tulemused' }).click();
  // Publishing asks first, saying what becomes public.
  await officialPage
    .getByRole('dialog', { name: 'Kas avaldada tulemused?' })
    .getByText(/Avaldamist ei saa tagasi võtta/)
    .waitFor();
  await officialPage.getByRole('button', { name: 'Jah, avalda tulemused' }).click();
  await officialPage.getByText('Tulemused on avaldatud.').waitFor();
  await expectAccessible(officialPage, 'the official’s page after publishing');

  // The resident sees the results and checks both receipts.
  await page.reload();
  await page.getByRole('heading', { name: 'Tulemused' }).waitFor();
  const table = page.getByRole('table', { name: 'Kas plats peaks olema autovaba?' });
  const votesOf = async (name: RegExp) =>
    (await table.getByRole('row', { name }).getByRole('cell').first().textContent())?.trim();
  assert.equal(await votesOf(/^Ei\b/), '1', 'the last vote counts');
  assert.equal(await votesOf(/^Jah\b/), '0', 'the replaced vote does not');
  await page.getByLabel('Kviitungi kood').fill(second.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'Kontrolli' }).click();
  await page.getByText(`Kviitung ${second}: hääl läheb arvesse.`).waitFor();
  await page.getByLabel('Kviitungi kood').fill(first);
  await page.getByRole('button', { name: 'Kontrolli' }).click();
  await page.getByText(`Kviitung ${first}: see hääl asendati hilisema häälega, mis läheb arvesse.`).waitFor();
  await expectAccessible(page, 'the results page');
});

test('a knapsack budget: the meter shows the money left and an idea that no longer fits cannot be chosen', async () => {
  const page = await loggedIn(voter.idCode, { mobile: true });
  await page.goto(`${platform.url}/haaletused/${TARTU}/${budget.id}`);
  await page.getByRole('heading', { level: 1, name: 'Kaasav eelarve 2027' }).waitFor();
  await page.getByRole('checkbox', { name: /Annelinna rulapark/ }).check();
  await page.getByText(/Valitud ideed maksavad 60\s000\s€ eelarvest 100\s000\s€; alles 40\s000\s€\./).waitFor();
  assert.equal(
    await page.getByRole('checkbox', { name: /Emajõe kalda pingid/ }).isDisabled(),
    true,
    'a €50,000 idea does not fit the €40,000 left',
  );
  await page
    .getByText(/Ei mahu eelarvesse/)
    .first()
    .waitFor();
  await expectAccessible(page, 'the budget ballot with the meter');
  const receipt = await castBallotOnPage(page, async () => {
    await page.getByRole('checkbox', { name: /Karlova kogukonnaaed/ }).check();
    await page.getByText(/Valitud ideed maksavad 90\s000\s€ eelarvest 100\s000\s€; alles 10\s000\s€\./).waitFor();
  });
  assert.ok(receipt);
  // The summary on the confirmation step named both ideas; the stored ballot is within the budget.
  // (The stored ballot is sealed: opened here with the master key, as an auditor could.)
  const boxId = (await owner<{ box_id: string }>(`SELECT box_id FROM pv_vote WHERE id = $1`, [budget.id]))[0]!.box_id;
  const rows = await openCountedBallots(platform.ctx, { municipalityCode: TARTU, boxId });
  assert.deepEqual(
    rows.map((r) => [...r.selections!].sort()),
    [[1, 3]],
  );
});

test('an official creates a poll with the wizard, sees the electorate and the ballot as a voter, and schedules it', async () => {
  const page = await loggedIn(officialP.idCode);
  await page.goto(`${platform.url}/haaletused/${TARTU}`);
  await page.getByRole('link', { name: 'Uus rahvaküsitlus' }).click();
  await page.getByRole('heading', { level: 2, name: 'Põhiandmed' }).waitFor();
  await expectAccessible(page, 'wizard: basics');
  await page.getByLabel('Pealkiri', { exact: true }).fill('Uus kergliiklustee');
  await page.getByLabel('Kirjeldus', { exact: true }).fill('Kas ehitada kergliiklustee Ränilinna ja kesklinna vahele?');
  await page.getByRole('button', { name: 'Edasi' }).click();
  await page.getByRole('heading', { level: 2, name: 'Ajad' }).waitFor();
  await page.getByRole('button', { name: 'Edasi' }).click();
  await page.getByRole('heading', { level: 2, name: 'Kes saavad hääletada' }).waitFor();
  await expectAccessible(page, 'wizard: electorate');
  await page.getByLabel('Vanuse alammäär').fill('16');
  await page.getByRole('button', { name: 'Edasi' }).click();
  await page.getByRole('heading', { level: 2, name: 'Küsimused' }).waitFor();
  // On without a question text: the step is not left; the error is in the summary and at the field.
  await page.getByRole('button', { name: 'Edasi' }).click();
  await page
    .locator('.error-summary')
    .getByRole('link', { name: 'Küsimus 1, küsimuse tekst: See väli on kohustuslik.' })
    .waitFor();
  await page.locator('.field-error', { hasText: 'See väli on kohustuslik.' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Küsimused' }).waitFor();
  await page.getByLabel('Küsimuse tekst', { exact: true }).fill('Kas toetate kergliiklustee ehitamist?');
  await page.getByLabel('Luba tühi vastus (ei eelista ühtegi)').check();
  await expectAccessible(page, 'wizard: questions');
  await page.getByRole('button', { name: 'Edasi' }).click();
  await page.getByRole('heading', { level: 2, name: 'Ülevaade' }).waitFor();
  await expectAccessible(page, 'wizard: review');
  await page.getByRole('button', { name: 'Salvesta kavand' }).click();
  await page.getByRole('heading', { level: 1, name: 'Haldus: Uus kergliiklustee' }).waitFor();
  await page.getByText('Salvestatud.').waitFor();
  // The electorate from the register: the two residents of Tartu set up above.
  await page.getByText(/^2 inimest/).waitFor();
  await page.getByRole('button', { name: 'Näita sedelit valijana' }).click();
  await page
    .getByRole('form', { name: 'Hääletussedeli eelvaade' })
    .getByRole('radio', { name: 'Tühi (ei eelista ühtegi)' })
    .waitFor();
  await expectAccessible(page, 'the management page with the preview');
  await page.getByRole('button', { name: 'Ajasta hääletus' }).click();
  await page.getByText('Hääletus on ajastatud.').waitFor();
  await page.getByText('tulekul').first().waitFor();
  const rows = await owner(`SELECT status, title FROM pv_vote WHERE title = 'Uus kergliiklustee'`);
  assert.deepEqual(rows, [{ status: 'scheduled', title: 'Uus kergliiklustee' }]);
});

test('a resident submits a budget idea with a place on the map and a photo, and stands for village elder', async () => {
  const call = await budgetCollectingIdeas(ctx, official, { title: 'Kaasav eelarve 2028', budgetCents: 200_000_00 });
  const election = await createVote(ctx, official, TARTU, {
    kind: 'elder',
    title: `${settlement.name}: vanema valimine`,
    opensAt: iso(30 * 86_400_000),
    closesAt: iso(40 * 86_400_000),
    proposalsCloseAt: iso(20 * 86_400_000),
    electorate: { scope: 'settlements', settlementCodes: [settlement.code], minAge: 16 },
    elder: { candidateMinAge: 18 },
  });
  await openProposals(ctx, official, TARTU, election.id);

  const page = await loggedIn(voter.idCode);
  await page.goto(`${platform.url}/haaletused/${TARTU}/${call.id}`);
  await page.getByRole('link', { name: 'Esita idee' }).click();
  await page.getByRole('heading', { level: 1, name: 'Uus idee: Kaasav eelarve 2028' }).waitFor();
  await page.getByLabel('Idee nimi').fill('Tähtvere pargi pingid');
  await page.getByLabel('Kirjeldus').fill('Uued pingid ja prügikastid pargi peateele.');
  await page.getByLabel('Asustusüksus').selectOption(settlement.code);
  // The place with the keyboard: the map takes focus, Enter puts the point at the cross-hair.
  await page.locator('.map-canvas').focus();
  await page.keyboard.press('Enter');
  await page.getByText(/^Valitud koht: /).waitFor();
  await page.getByLabel('Hinnanguline maksumus (eurot)').fill('12 500');
  const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3c6e47' } })
    .jpeg()
    .toBuffer();
  await page.locator('#pv-idea-photos').setInputFiles({ name: 'pingid.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expectAccessible(page, 'the idea form');
  await page.getByRole('button', { name: 'Esita idee' }).click();
  await page.getByRole('heading', { level: 1, name: 'Aitäh, idee on esitatud' }).waitFor();
  await page.getByText('Idee nr 1 „Tähtvere pargi pingid” on esitatud. Ametnikud vaatavad selle üle.').waitFor();
  assert.equal(await page.getByText(/fotot ei õnnestunud salvestada/).count(), 0);
  const ideas = await owner<{ title: string; estimated_cost_cents: number; lat: number | null; photos: number }>(
    `SELECT title, estimated_cost_cents, lat, cardinality(photo_ids) AS photos FROM pv_idea WHERE vote_id = $1`,
    [call.id],
  );
  assert.equal(ideas.length, 1);
  assert.equal(Number(ideas[0]!.estimated_cost_cents), 12_500_00);
  assert.ok(ideas[0]!.lat !== null, 'the place from the map is stored');
  assert.equal(ideas[0]!.photos, 1);
  // Back on the budget page the idea is listed with its photo.
  await page.getByRole('link', { name: 'Tagasi hääletuse juurde' }).click();
  await page.getByRole('heading', { level: 3, name: '1. Tähtvere pargi pingid' }).waitFor();
  await page.getByRole('img', { name: 'Foto 1: Tähtvere pargi pingid' }).waitFor();
  await expectAccessible(page, 'the budget page collecting ideas');

  // The village elder election: the resident stands, with a short introduction.
  await page.goto(`${platform.url}/haaletused/${TARTU}/${election.id}`);
  await page.getByRole('group', { name: 'Kandidaadi esitamine' }).waitFor();
  await page.getByLabel('Tutvustus').fill('Tahan, et küla teed oleksid korras.');
  await page.getByRole('button', { name: 'Esita kandidaat' }).click();
  await page.getByText('Teie kandidatuur on esitatud. Ametnikud vaatavad selle üle.').waitFor();
  await page.getByRole('heading', { level: 3, name: /^1\. / }).waitFor();
  await page.getByText('Tahan, et küla teed oleksid korras.').waitFor();
  await expectAccessible(page, 'the elder election page with candidates');
});
