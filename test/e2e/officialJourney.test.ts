/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { asOwner } from '../support/db';
import { ANONYMOUS, type PersonActor } from '../../src/platform/auth/actor';
import { submitReport } from '../../src/modules/reports/submitReport';
import { advanceVote, createVote, scheduleVote } from '../../src/modules/participation/manageVotes';
import { submitIdea } from '../../src/modules/participation/proposals';
import { castVote } from '../../src/modules/participation/castVote';
import {
  budgetCollectingIdeas,
  expectAccessible,
  launchBrowser,
  loginAs,
  newContext,
  participationCast,
} from './support';

/**
 * An official's day from the work queue (issue 18, acceptance 1), at phone (390×844) and desktop
 * (1366×900) sizes with axe on every view: the login from the home page lands on "Töölaud"; from
 * the queue they open a report waiting for a handler and answer it (status and public answer),
 * review a budget idea waiting for review, and open a closed poll whose results wait: the results
 * are shown before publishing, publishing asks first (cancel leaves them unpublished), then
 * publishes. Each handled thing leaves the queue. Each size has its own report, idea and poll.
 * On the desktop the admin then shortens how long ballots are kept: refused when not a number of
 * days, asked first (ballots are destroyed for good), unchanged when cancelled.
 */
const TARTU = '0793';
const { platform, ctx, settlement, officialP, official, resident: voter } = await participationCast();
const resident: PersonActor = { ...official, personId: voter.id, givenName: 'Mari', familyName: 'Maasikas', roles: [] };
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const owner = (text: string, values: unknown[] = []) => asOwner(platform.ownerUrl, (c) => c.query(text, values));

const SIZES = [
  { name: 'phone 390×844', mobile: true, viewport: { width: 390, height: 844 } },
  { name: 'desktop 1366×900', mobile: false, viewport: { width: 1366, height: 900 } },
] as const;

/** For each size: a report nobody holds, a budget idea to review, a closed poll with one ballot. */
const work: {
  report: Awaited<ReturnType<typeof submitReport>>;
  budget: Awaited<ReturnType<typeof createVote>>;
  poll: Awaited<ReturnType<typeof createVote>>;
}[] = [];
for (const [i, size] of SIZES.entries()) {
  const report = await submitReport(ctx, ANONYMOUS, {
    categoryCode: 'roads',
    description: `Auk Raekoja platsil (${size.name})`,
    lat: 58.3804,
    lon: 26.7225,
    channel: 'web',
  });
  const budget = await budgetCollectingIdeas(ctx, official, {
    title: `Kaasav eelarve ${2030 + i}`,
    budgetCents: 100_000_00,
  });
  await submitIdea(ctx, resident, TARTU, budget.id, {
    title: `Karlova kogukonnaaed ${i + 1}`,
    description: 'Elanike ettepanek: aed Karlova linnaossa.',
    settlementCode: settlement.code,
    estimatedCostCents: 30_000_00,
  });
  const poll = await createVote(ctx, official, TARTU, {
    kind: 'poll',
    title: `Raekoja plats autovabaks ${i + 1}`,
    opensAt: iso(-60_000),
    closesAt: iso(3_600_000),
    electorate: { scope: 'municipality', minAge: 16 },
    questions: [{ text: 'Kas plats peaks olema autovaba?', kind: 'yesno' }],
  });
  await scheduleVote(ctx, official, TARTU, poll.id);
  await castVote(ctx, resident, TARTU, poll.id, { answers: [{ questionId: 1, choiceIds: [1] }] });
  // The closing time passes (as the clock would move it) and the vote closes: results wait.
  await owner(`UPDATE pv_vote SET closes_at = now() - interval '1 second' WHERE id = $1`, [poll.id]);
  await owner(
    `UPDATE bb_box SET closes_at = now() - interval '1 second' WHERE id = (SELECT box_id FROM pv_vote WHERE id = $1)`,
    [poll.id],
  );
  assert.equal(await advanceVote(ctx, TARTU, poll.id), 'closed');
  work.push({ report, budget, poll });
}
const browser = await launchBrowser();

/** Back to the work queue through the main menu (behind "Menüü" on a phone). */
async function toQueue(page: Page, mobile: boolean) {
  if (mobile) await page.getByRole('button', { name: 'Menüü' }).click();
  await page
    .getByRole('navigation', { name: 'Peamenüü' })
    .getByRole('link', { name: /^Töölaud/ })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Töölaud' }).waitFor();
}

for (const [i, size] of SIZES.entries()) {
  test(`an official works through the queue: a report, an idea, results published after a confirmation (${size.name})`, async () => {
    const { report, budget, poll } = work[i]!;
    const context = await newContext(browser, { mobile: size.mobile });
    const page = await context.newPage();
    await page.setViewportSize(size.viewport);

    // The login started from the home page lands on the work queue.
    await page.goto(`${platform.url}/`);
    await loginAs(page, officialP.idCode);
    await page.waitForURL(/\/toolaud$/);
    await page.getByRole('heading', { level: 1, name: 'Töölaud' }).waitFor();
    const handle = page.getByRole('region', { name: /Lahendamiseks/ });
    await handle.getByRole('link', { name: /teade?t? ootab käsitlejat$/ }).waitFor();
    await expectAccessible(page, `work queue (${size.name})`);

    // A report waiting for a handler: from the queue to the list, then to the report; answered.
    await handle.getByRole('link', { name: /teade?t? ootab käsitlejat$/ }).click();
    await page.waitForURL(/\/teated\/haldus$/);
    await page.getByRole('link', { name: `#${report.id}`, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Menetlus', exact: true }).waitFor();
    await page.getByLabel('Olek', { exact: true }).selectOption('fixed');
    await page.getByLabel('Vastus või märkus').fill('Auk on parandatud. Aitäh teatamast!');
    await page.getByRole('button', { name: 'Salvesta', exact: true }).click();
    await page.getByText('Salvestatud.').waitFor();
    await page.locator('.report-history').getByText('Auk on parandatud. Aitäh teatamast!').waitFor();
    await expectAccessible(page, `report handled (${size.name})`);

    // An idea waiting for review: from its line in the queue to the vote's page; reviewed.
    await toQueue(page, size.mobile);
    const review = page.getByRole('region', { name: /Ülevaatamiseks/ });
    const ideaItem = review.locator('li', { hasText: budget.title });
    await ideaItem.getByRole('link', { name: '1 idee ootab hindamist' }).click();
    await page.waitForURL(new RegExp(`/haaletused/${TARTU}/${budget.id}/haldus$`));
    await page.getByRole('heading', { name: 'Ideede ülevaatus' }).waitFor();
    await page.getByLabel('Otsus (idee 1)').selectOption('feasible');
    await page.getByLabel('Lõplik maksumus, eurot (idee 1)').fill('28000');
    await page.getByRole('button', { name: 'Salvesta (idee 1)' }).click();
    await page.getByText('Salvestatud.').first().waitFor();
    await expectAccessible(page, `idea reviewed (${size.name})`);

    // Results waiting: previewed on the page (what will be public), then published after asking.
    await toQueue(page, size.mobile);
    assert.equal(await page.locator('main li', { hasText: budget.title }).count(), 0, 'the reviewed idea left');
    const publish = page.getByRole('region', { name: /Avaldamiseks/ });
    await publish
      .locator('li', { hasText: poll.title })
      .getByRole('link', { name: 'Hääletus on lõppenud, tulemused ootavad avaldamist' })
      .click();
    await page.waitForURL(new RegExp(`/haaletused/${TARTU}/${poll.id}/haldus$`));
    const results = page.getByRole('table', { name: 'Kas plats peaks olema autovaba?' });
    assert.equal(
      (
        await results
          .getByRole('row', { name: /^Jah\b/ })
          .getByRole('cell')
          .first()
          .textContent()
      )?.trim(),
      '1',
    );
    const button = page.getByRole('button', { name: 'Avalda tulemused' });
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Kas avaldada tulemused?' });
    await dialog.getByText(/täpselt nii, nagu need on sellel lehel jaotises „Tulemused”/).waitFor();
    await expectAccessible(page, `publishing: the confirmation (${size.name})`);
    await dialog.getByRole('button', { name: 'Tühista' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.getByText('Tulemused on avaldatud.').count(), 0, 'cancelled: nothing published');
    await button.click();
    await dialog.getByRole('button', { name: 'Jah, avalda tulemused' }).click();
    await page.getByText('Tulemused on avaldatud.').waitFor();
    await expectAccessible(page, `results published (${size.name})`);

    // The queue no longer holds what was done.
    await toQueue(page, size.mobile);
    assert.equal(await page.locator('main li', { hasText: poll.title }).count(), 0, 'the published poll left');

    // Ballots destroyed sooner (crypto-shredding): the admin's change asks first, saying so.
    if (!size.mobile) {
      const retention = async () =>
        (
          (await (
            await page.request.get(`${platform.url}/api/v1/municipalities/${TARTU}/ballot-retention`)
          ).json()) as {
            days: number;
          }
        ).days;
      await page.goto(`${platform.url}/haaletused/${TARTU}`);
      const keep = page.getByRole('region', { name: 'Hääletussedelite säilitamine' });
      const days = keep.getByLabel('Säilitamise aeg päevades');
      await days.fill('-1');
      await keep.getByRole('button', { name: 'Muuda säilitamise aega' }).click();
      await keep.locator('.error-summary').getByText('Kirjutage täisarv 0 kuni 3650.').waitFor();
      await days.fill('0');
      await keep.getByRole('button', { name: 'Muuda säilitamise aega' }).click();
      const ask = page.getByRole('dialog', { name: 'Kas säilitada sedeleid 0 päeva?' });
      await ask.getByText(/hävitatakse kohe pärast seda .* Hävitatud sedeleid ei saa taastada/).waitFor();
      await expectAccessible(page, 'ballot retention: the confirmation');
      await ask.getByRole('button', { name: 'Tühista' }).click();
      await ask.waitFor({ state: 'hidden' });
      assert.equal(await retention(), 30, 'cancelled: the period is unchanged');
      await days.fill('7');
      await keep.getByRole('button', { name: 'Muuda säilitamise aega' }).click();
      await page
        .getByRole('dialog', { name: 'Kas säilitada sedeleid 7 päeva?' })
        .getByRole('button', { name: 'Jah, muuda' })
        .click();
      await keep.getByText('Säilitamise aeg on muudetud.').waitFor();
      assert.equal(await retention(), 7);
    }
    await context.close();
  });
}
