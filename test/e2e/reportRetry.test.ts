/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { testPlatform } from '../support/app';
import { asOwner } from '../support/db';
import { WEB_DIST, launchBrowser, newContext } from './support';

/**
 * The report form sends an `Idempotency-Key` (issue 20): the server makes the report but its
 * answer is lost on the way (the connection drops after the server has answered), the resident
 * presses "Saada teade" again, and there is one report, whose page the second answer opens. Other
 * content after a failure is another submission with a key of its own (not refused as a reuse).
 */
const platform = await testPlatform({ listen: true, webDist: WEB_DIST });
const browser = await launchBrowser();

const reportsDescribed = (description: string) =>
  asOwner(
    platform.ownerUrl,
    async (c) =>
      (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM report WHERE description = $1', [description]))
        .rows[0]!.n,
  );

/** Fills the form without the map (a settlement unit), as a resident without a mouse might. */
async function fillForm(page: Page, description: string) {
  await page.goto(`${platform.url}/teated/uus`);
  await page.getByRole('heading', { level: 1, name: 'Teata probleemist' }).waitFor();
  const main = page.locator('main');
  await main.getByLabel('Omavalitsus', { exact: true }).selectOption('0171');
  await main.getByLabel('Asula või linnaosa').selectOption({ label: 'Elva linn' });
  await page.getByText(/^Koht: Elva vald, Elva linn/).waitFor();
  await main.getByLabel('Kategooria', { exact: true }).selectOption('lighting');
  await main.getByLabel('Kirjeldus', { exact: true }).fill(description);
}

/**
 * Intercepts the form's POSTs: records each one's Idempotency-Key; the first goes to the server,
 * but its answer is dropped (the browser sees a network error); later ones pass untouched.
 */
async function loseFirstAnswer(page: Page) {
  const keys: (string | undefined)[] = [];
  const answered: { status: number; id?: number }[] = [];
  await page.route('**/api/v1/reports/form', async (route: Route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length > 1) return route.continue();
    const res = await route.fetch();
    answered.push({ status: res.status(), id: ((await res.json()) as { id?: number }).id });
    await route.abort('connectionreset');
  });
  return { keys, answered };
}

test('a retry after a lost answer makes one report and opens it', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const description = `Tänavalamp vilgub, saadetud kaks korda ${Date.now()}`;
  await fillForm(page, description);
  const { keys, answered } = await loseFirstAnswer(page);
  const main = page.locator('main');
  await main.getByRole('button', { name: 'Saada teade' }).click();
  // The page says the server could not be reached; everything typed is still there.
  await page.locator('.error-summary').waitFor();
  assert.equal(answered.length, 1);
  assert.equal(answered[0]!.status, 201, 'the server made the report the browser never heard of');
  assert.equal(await reportsDescribed(description), 1);
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.waitForURL(/\/teated\/\d+/);
  assert.equal(keys.length, 2);
  assert.ok(keys[0] && keys[0].length >= 16, `an Idempotency-Key was sent (${keys[0]})`);
  assert.equal(keys[1], keys[0], 'the retry sends the same key');
  // One report, and the retry's answer is that report.
  assert.equal(await reportsDescribed(description), 1);
  assert.equal(new URL(page.url()).pathname, `/teated/${answered[0]!.id}`);
  await page.getByText('Aitäh! Teade on saadetud.').waitFor();
  await context.close();
});

test('changed content after a lost answer is a new submission with a new key, not a refused reuse', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const description = `Tänavalamp ei põle ${Date.now()}`;
  await fillForm(page, description);
  const { keys } = await loseFirstAnswer(page);
  const main = page.locator('main');
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.locator('.error-summary').waitFor();
  await main.getByLabel('Kirjeldus', { exact: true }).fill(`${description}, ka naaberlamp`);
  await main.getByRole('button', { name: 'Saada teade' }).click();
  await page.waitForURL(/\/teated\/\d+/);
  assert.equal(keys.length, 2);
  assert.notEqual(keys[1], keys[0]);
  assert.equal(await reportsDescribed(description), 1);
  assert.equal(await reportsDescribed(`${description}, ka naaberlamp`), 1);
  await context.close();
});
