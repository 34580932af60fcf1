/// <reference lib="dom" />
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson } from '../support/app';
import { residences } from '../../src/modules/register/testSupport';
import { createVote, scheduleVote } from '../../src/modules/participation/manageVotes';
import { WEB_DIST, tartuOfficial, expectAccessible, launchBrowser, loginAs } from './support';

/**
 * The home page and "Minu vald" answer "what is open for me now" (issue 17) on a 390×844 phone:
 * a stranger who picks Tartu sees its open votes; a Tartu resident sees the votes they can take
 * part in, which of them they already voted in, and the rest of what is open in Tartu.
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const { settlement, official } = await tartuOfficial(ctx);
const resident = await makePerson(ctx, { givenName: 'Kati', familyName: 'Karu', birthDate: '1990-06-06' });
await residences(ctx, TARTU, resident.id, [{ validFrom: '2000-01-01', settlementCode: settlement.code }]);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const poll = async (title: string, minAge: number) => {
  const v = await createVote(ctx, official, TARTU, {
    kind: 'poll',
    title,
    opensAt: iso(-60_000),
    closesAt: iso(3_600_000),
    electorate: { scope: 'municipality', minAge },
    questions: [{ text: `${title}?`, kind: 'yesno' }],
  });
  await scheduleVote(ctx, official, TARTU, v.id);
  return v;
};
await poll('Kesklinna rattateed', 16);
// Only for those 65 and older: open in Tartu, but not one the resident (36) can take part in.
await poll('Eakate päevakeskus', 65);

const browser = await launchBrowser();
after(() => browser.close());
const phone = () =>
  browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

test('a stranger on a phone picks Tartu and sees what is open there', async () => {
  const context = await phone();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${platform.url}/`);
  await page.getByText('Valige lehe ülaosast omavalitsus, et näha, mis seal praegu avatud on.').waitFor();
  await page.getByLabel('Omavalitsus', { exact: true }).first().selectOption(TARTU);
  const votes = page.getByRole('region', { name: 'Praegu avatud hääletused: Tartu linn' });
  await votes.getByRole('link', { name: 'Kesklinna rattateed' }).waitFor();
  await votes.getByRole('link', { name: 'Eakate päevakeskus' }).waitFor();
  await page.getByRole('region', { name: 'Volikogu istungid: Tartu linn' }).waitFor();
  await expectAccessible(page, 'home for a stranger (Tartu, phone)');
  if (process.env.KOV_SCREENSHOTS) await page.screenshot({ path: `${process.env.KOV_SCREENSHOTS}/home-stranger.png` });
  await context.close();
});

test('a resident on a phone sees their votes (and which they voted in) on the home page and Minu vald', async () => {
  const context = await phone();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${platform.url}/`);
  await loginAs(page, resident.idCode);
  const mine = page.getByRole('region', { name: 'Hääletused, milles saate osaleda' });
  const item = mine.locator('li', { hasText: 'Kesklinna rattateed' });
  await item.locator('.svc-state', { hasText: 'avatud' }).waitFor();
  assert.equal(await mine.getByRole('link', { name: 'Eakate päevakeskus' }).count(), 0);
  // The rest of Tartu: the vote for the over-65s, not the one listed as mine.
  const others = page.getByRole('region', { name: 'Muud hääletused: Tartu linn' });
  await others.getByRole('link', { name: 'Eakate päevakeskus' }).waitFor();
  assert.equal(await others.getByRole('link', { name: 'Kesklinna rattateed' }).count(), 0);
  await page.getByRole('region', { name: 'Minu teated' }).waitFor();
  await expectAccessible(page, 'home for a resident (phone)');

  await item.getByRole('link', { name: 'Kesklinna rattateed' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kesklinna rattateed' }).waitFor();
  await page.getByRole('radio', { name: 'Jah' }).check();
  await page.getByRole('button', { name: 'Edasi kinnitama' }).click();
  await page.getByRole('button', { name: 'Kinnita ja hääleta' }).click();
  await page.getByRole('heading', { name: 'Teie hääl on vastu võetud' }).waitFor();

  await page.goto(`${platform.url}/minu-vald`);
  await page.getByRole('heading', { level: 1, name: 'Minu vald' }).waitFor();
  await page
    .getByRole('region', { name: 'Hääletused, milles saate osaleda' })
    .locator('li', { hasText: 'Kesklinna rattateed' })
    .locator('.svc-state', { hasText: 'olete hääletanud' })
    .waitFor();
  await expectAccessible(page, 'Minu vald after voting (phone)');
  if (process.env.KOV_SCREENSHOTS) await page.screenshot({ path: `${process.env.KOV_SCREENSHOTS}/minu-vald.png` });
  await page.goto(`${platform.url}/`);
  await page
    .getByRole('region', { name: 'Hääletused, milles saate osaleda' })
    .locator('.svc-state', { hasText: 'olete hääletanud' })
    .waitFor();
  if (process.env.KOV_SCREENSHOTS) await page.screenshot({ path: `${process.env.KOV_SCREENSHOTS}/home-resident.png` });
  await context.close();
});
