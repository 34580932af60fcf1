/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';

/** The shell of the platform as a resident and an official meet it, in a real browser. */
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const resident = await makePerson(platform.ctx, { givenName: 'Liis', familyName: 'Lepik', birthDate: '1990-04-12' });
const official = await makePerson(platform.ctx, {
  givenName: 'Tõnu',
  familyName: 'Tamm',
  birthDate: '1975-09-30',
  sex: 'male',
});
await grantRole(platform.ctx, '0793', official.id, 'admin');
const browser = await launchBrowser();

test('a resident switches language, logs in, sees their details and logs out; pages pass axe', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(platform.url);
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Tere tulemast KOV platvormile' }).waitFor());
  await expectAccessible(page, 'home (et)');

  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('heading', { level: 1, name: 'Добро пожаловать на платформу KOV' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  await expectAccessible(page, 'home (ru)');
  await page.getByRole('button', { name: 'Eesti' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tere tulemast KOV platvormile' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'et');

  await page.getByRole('link', { name: 'Logi sisse' }).first().click();
  await page.waitForURL(/\/demo-tara\/interaction\//);
  await expectAccessible(page, 'demo identity provider');
  await page.locator('#code').fill(resident.idCode);
  await page.locator('button[name="login"]').click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByText('Olete sisse logitud kui Liis Lepik.').waitFor();

  await page.getByRole('navigation', { name: 'Peamenüü' }).getByRole('link', { name: 'Minu andmed' }).click();
  await page.getByRole('heading', { level: 1, name: 'Minu andmed' }).waitFor();
  const facts = await page.locator('.facts').innerText();
  assert.match(facts, /Liis Lepik/);
  assert.match(facts, new RegExp(resident.idCode.slice(0, 6) + '\\*{5}'));
  assert.ok(!facts.includes(resident.idCode), 'the full ID code is not shown');
  await expectAccessible(page, 'profile');

  await page.getByRole('button', { name: 'Logi välja' }).click();
  await page.getByRole('link', { name: 'Logi sisse' }).first().waitFor();
  const me = await (await page.request.get(`${platform.url}/api/v1/me`)).json();
  assert.equal(me.authenticated, false);
  await context.close();
});

test('an official grants a role on a phone-sized screen and takes it away after a confirmation; the role page and audit log pass axe', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await page.goto(`${platform.url}/admin/roles`);
  await page.getByRole('link', { name: 'Logi sisse' }).first().waitFor();
  await loginAs(page, official.idCode);
  await page.waitForURL(/\/admin\/roles/);
  await page.getByRole('heading', { level: 1, name: 'Rollide haldus' }).waitFor();
  await page.locator('td', { hasText: 'Tõnu Tamm (' }).waitFor();
  await expectAccessible(page, 'roles');

  await page.getByLabel('Isikukood', { exact: true }).fill('12345678901');
  await page.getByRole('button', { name: 'Anna roll' }).click();
  // The server's refusal, worded by its reason code in the page's language (not the English detail).
  await page.getByText('Isikukoodis ei ole õiget sünnikuupäeva.').waitFor();
  await expectAccessible(page, 'roles with a field error');
  await page.getByLabel('Isikukood', { exact: true }).fill(resident.idCode);
  await page.getByLabel('Roll', { exact: true }).selectOption('analyst');
  await page.getByRole('button', { name: 'Anna roll' }).click();
  await page.getByText('Roll antud.').waitFor();
  await page.locator('td', { hasText: 'Liis Lepik (' }).waitFor();

  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling of the page at 360 px (got ${width})`);

  // Taking the role away asks first, saying what the person loses; cancelling keeps the role.
  const revoke = page.getByRole('button', { name: 'Võta isikult Liis Lepik roll analüütik' });
  await revoke.click();
  const ask = page.getByRole('dialog', { name: 'Kas võtta isikult Liis Lepik roll „analüütik”?' });
  await ask.getByText(/^Liis Lepik kaotab kohe kõik õigused, mis see roll selles omavalitsuses andis/).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Tühista', 'focus on cancelling first');
  await expectAccessible(page, 'roles: revoking asks first');
  await ask.getByRole('button', { name: 'Tühista' }).click();
  await ask.waitFor({ state: 'hidden' });
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    await revoke.getAttribute('aria-label'),
  );
  await page.reload();
  await page.locator('td', { hasText: 'Liis Lepik (' }).waitFor();
  await revoke.click();
  await ask.getByRole('button', { name: 'Võta roll ära' }).click();
  await page.getByText('Roll ära võetud.').waitFor();
  await page.locator('td', { hasText: 'Liis Lepik (' }).waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'Auditilogi' }).click();
  await page.getByRole('cell', { name: 'role.granted' }).first().waitFor();
  await page.getByRole('cell', { name: 'role.revoked' }).first().waitFor();
  await expectAccessible(page, 'audit log');
  await context.close();
});

test('a failed login explains why', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${platform.url}/login-failed?reason=acr`);
  await page.getByText(/tagatistase on liiga madal/).waitFor();
  await expectAccessible(page, 'login failed');
  await context.close();
});
