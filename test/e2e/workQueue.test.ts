/// <reference lib="dom" />
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { testPlatform, makePerson, grantRole } from '../support/app';
import { WEB_DIST, expectAccessible, launchBrowser, loginAs, newContext } from './support';
import { ANONYMOUS } from '../../src/platform/auth/actor';
import { submitReport } from '../../src/modules/reports/submitReport';
import { assignReport } from '../../src/modules/reports/assignReport';
import { makeCouncil, asActor } from '../../src/modules/council/testkit';
import { createSitting } from '../../src/modules/council/sittings';

/**
 * The officials' work queue (issue 18) in Chromium at desktop and phone sizes: an editor of Tartu
 * starts from "Töölaud" (the count beside it in the menu), sees Tartu's work grouped by task with
 * the late sitting first, follows a link to the reports they hold; the task-grouped menu opens and
 * closes by keyboard; every view passes axe. Screenshots go to KOV_SCREENSHOTS when set.
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const editor = await makePerson(ctx, { givenName: 'Tiina', familyName: 'Toimetaja', birthDate: '1979-03-03' });
await grantRole(ctx, TARTU, editor.id, 'editor');
const at = { lat: 58.3804, lon: 26.7225 };
const mine = await submitReport(ctx, ANONYMOUS, {
  categoryCode: 'roads',
  description: 'Auk Raekoja platsil',
  ...at,
  channel: 'web',
});
await submitReport(ctx, ANONYMOUS, { categoryCode: 'roads', description: 'Teine auk', ...at, channel: 'web' });
await assignReport(ctx, asActor(editor.id, TARTU, ['editor']), TARTU, mine.id, { assigneePersonId: editor.id });
await submitReport(ctx, ANONYMOUS, {
  categoryCode: 'roads',
  description: 'Elva auk',
  lat: 58.2225,
  lon: 26.4215,
  channel: 'web',
});
const f = await makeCouncil(ctx, { code: TARTU });
await createSitting(ctx, f.admin.actor, TARTU, f.councilId, {
  title: 'Eelarve esimene lugemine',
  format: 'in_person',
  startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
  place: 'Raekoda',
  link: null,
  secretaryId: f.secretary.id,
});
const browser = await launchBrowser();
after(() => browser.close());
const shots = process.env.KOV_SCREENSHOTS;

for (const mobile of [false, true]) {
  test(`an editor starts from the work queue (${mobile ? 'phone 390×844' : 'desktop 1280×800'})`, async () => {
    const context = await newContext(browser, { mobile });
    await context.pages()[0]?.close();
    const page = await context.newPage();
    await page.setViewportSize(mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 });
    await page.goto(`${platform.url}/toolaud`);
    await loginAs(page, editor.idCode);
    await page.getByRole('heading', { level: 1, name: 'Töölaud' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Peamenüü' });
    if (mobile) await page.getByRole('button', { name: 'Menüü' }).click();
    // The count beside the menu link: 2 reports + 1 sitting; red, as the sitting is late.
    await nav.getByRole('link', { name: /^Töölaud\s*\(3 ootel\)$/ }).waitFor();

    const late = page.getByRole('region', { name: /Ettevalmistamiseks/ });
    await late.getByRole('link', { name: 'Istung tuleb ette valmistada ja välja kuulutada' }).waitFor();
    await late.getByText('1. Eelarve esimene lugemine').waitFor();
    await late.getByText(/Tähtaeg möödus/).waitFor();
    const handle = page.getByRole('region', { name: /Lahendamiseks \(2\)/ });
    await handle.getByRole('link', { name: '1 teile määratud teade' }).waitFor();
    await handle.getByRole('link', { name: '1 teade ootab käsitlejat' }).waitFor();
    await handle
      .getByText(/Ootel alates .* \(täna\)/)
      .first()
      .waitFor();
    // Overdue first: the late sitting's group comes before the reports.
    const headings = await page.locator('main h2').allTextContents();
    assert.ok(headings.length >= 2);
    assert.ok(!(await page.locator('main').innerText()).includes('Elva auk'));
    await expectAccessible(page, `work queue (${mobile ? 'phone' : 'desktop'})`);
    if (shots)
      await page.screenshot({ path: `${shots}/work-queue-${mobile ? 'phone' : 'desktop'}.png`, fullPage: true });

    // The task-grouped menu: "Haldus" opens by its button, Escape closes it and returns focus.
    if (mobile && !(await nav.getByRole('button', { name: 'Haldus' }).isVisible()))
      await page.getByRole('button', { name: 'Menüü' }).click();
    const manage = nav.getByRole('button', { name: 'Haldus' });
    await manage.click();
    assert.equal(await manage.getAttribute('aria-expanded'), 'true');
    await nav.getByRole('link', { name: 'Teadete menetlus' }).waitFor();
    await expectAccessible(page, `menu open (${mobile ? 'phone' : 'desktop'})`);
    if (shots) await page.screenshot({ path: `${shots}/menu-${mobile ? 'phone' : 'desktop'}.png` });
    await page.keyboard.press('Escape');
    assert.equal(await manage.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.startsWith('Haldus')), true);

    // From the queue to the reports the editor holds.
    if (mobile && (await page.getByRole('button', { name: 'Menüü' }).getAttribute('aria-expanded')) === 'true')
      await page.getByRole('button', { name: 'Menüü' }).click();
    await handle.getByRole('link', { name: '1 teile määratud teade' }).click();
    await page.waitForURL(/\/teated\/haldus\?assignee=me/);
    await page.getByText('Auk Raekoja platsil').waitFor();
    assert.equal(await page.getByText('Teine auk').count(), 0, 'only the report the editor holds');
    await context.close();
  });
}
