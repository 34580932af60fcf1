/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { testPlatform, makePerson, sessionFor, grantRole } from '../support/app';
import { residences } from '../../src/modules/register/testSupport';
import { createVote, openProposals } from '../../src/modules/participation/manageVotes';
import { createEvent } from '../../src/modules/community/manageEvents';
import { reasons } from '../../web/src/i18n/reasons';
import { WEB_DIST, tartuOfficial, launchBrowser, newContext } from './support';

/**
 * Refusals only the server can give (issue 18, language quality): the page checked what it could,
 * the server refuses by a domain rule, and the page says why in its own language from the reason
 * code, not the server's English `detail`. Three through real pages and the real server: an ELVL
 * event whose end the server finds before its start and which has no place (the request is altered
 * on its way, past the page's own checks), a budget idea placed in another municipality's
 * settlement unit (altered likewise), and registering for an event that has started by the
 * server's clock (no alteration: only the server knows).
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
const { settlement, official, officialP } = await tartuOfficial(ctx);
const resident = await makePerson(ctx, { givenName: 'Mari', familyName: 'Maasikas', birthDate: '1990-02-02' });
await residences(ctx, TARTU, resident.id, [{ validFrom: '2000-01-01', settlementCode: settlement.code }]);
await grantRole(ctx, '0000', officialP.id, 'editor');
const organiser = { ...official, roles: [...official.roles, { municipalityCode: '0000', role: 'editor' as const }] };
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const call = await createVote(ctx, official, TARTU, {
  kind: 'budget',
  title: 'Kaasav eelarve 2028',
  opensAt: iso(30 * 86_400_000),
  closesAt: iso(40 * 86_400_000),
  proposalsCloseAt: iso(20 * 86_400_000),
  electorate: { scope: 'municipality', minAge: 14 },
  budget: {
    method: 'approval',
    maxChoices: 3,
    districts: [{ name: 'Tartu', budgetCents: 200_000_00, settlementCodes: [] }],
  },
});
await openProposals(ctx, official, TARTU, call.id);
// Started an hour ago, by the server's clock: registration is closed, the page does not know it.
const started = await createEvent(ctx, organiser, {
  kind: 'webinar',
  title: 'Alanud veebiseminar',
  description: '',
  startsAt: iso(-3_600_000),
  endsAt: iso(3_600_000),
  onlineUrl: 'https://meet.example.invalid/alanud',
  visibility: 'officials',
});
// A settlement unit of Tallinn, not of Tartu.
const foreign = await ctx.db
  .selectFrom('place')
  .select('code')
  .where('municipality_code', '!=', TARTU)
  .where('level', '=', 'settlement')
  .orderBy('code')
  .executeTakeFirstOrThrow();
const residentSession = await sessionFor(ctx, resident.id);
const officialSession = await sessionFor(ctx, officialP.id);
const browser = await launchBrowser();

/** The server's English for these refusals, which must not reach an et or ru page. */
const ENGLISH =
  /must be after|give a place|not a settlement unit|registration is closed|has started|Conflict|The request/;

async function contextFor(cookie: string, lang: string): Promise<BrowserContext> {
  const context = await newContext(browser);
  await context.addCookies([{ name: 'kov_session', value: cookie.split('=')[1]!, url: platform.url }]);
  await context.addInitScript((l) => localStorage.setItem('kov.lang', l), lang);
  return context;
}

/** Sends the page's request on with its JSON body changed (the server alone then refuses it). */
async function alter(page: Page, pathEnd: string, change: (body: Record<string, unknown>) => void) {
  await page.route(
    (url) => url.pathname.endsWith(pathEnd),
    async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      change(body);
      await route.continue({ postData: JSON.stringify(body) });
    },
  );
}

for (const lang of ['et', 'ru', 'en'] as const) {
  const words = reasons[lang];
  test(`server refusals read in the page's language (${lang})`, async () => {
    const official = await contextFor(officialSession.cookie, lang);
    const page = await official.newPage();

    // 1. ELVL's event form, filled correctly; on its way the end moves before the start and the
    //    place and link go: the server refuses both fields, the summary names them in words.
    await page.goto(`${platform.url}/uritused`);
    await page.locator('#field-body-title').fill('Andmekaitse koolitus');
    await page.locator('#field-body-startsAt').fill('2030-03-02T10:00');
    await page.locator('#field-body-endsAt').fill('2030-03-02T12:00');
    await page.locator('#field-body-location').fill('Tartu raekoda');
    await alter(page, '/api/v1/community/events', (b) => {
      b.endsAt = new Date(Date.parse(String(b.startsAt)) - 3_600_000).toISOString();
      b.location = '';
      b.onlineUrl = '';
    });
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/community/events') && r.request().method() === 'POST',
    );
    await page.locator('main form button[type="submit"]').last().click();
    const answer = await answered;
    assert.equal(answer.status(), 400);
    const problem = (await answer.json()) as { errors: { pointer: string; code: string }[] };
    assert.deepEqual(
      problem.errors.map((e) => [e.pointer, e.code]),
      [
        ['/body/endsAt', 'event-ends-before-start'],
        ['/body/location', 'event-place-or-link'],
      ],
    );
    let summary = await page.locator('.error-summary').innerText();
    assert.ok(summary.includes(words['event-ends-before-start']), summary);
    assert.ok(summary.includes(words['event-place-or-link']), summary);
    // Each refusal is attached to its field: a link in the summary that leads to it.
    assert.equal(await page.locator('.error-summary a[href="#field-body-endsAt"]').count(), 1);
    assert.equal(await page.locator('.error-summary a[href="#field-body-location"]').count(), 1);
    if (lang !== 'en') assert.doesNotMatch(summary, ENGLISH, summary);

    // 2. Registering for an event that started an hour ago: only the server's clock knows.
    await page.goto(`${platform.url}/uritused/${started.id}`);
    await page.locator('main button.button').click();
    const notice = page.locator('main .notice-error');
    await notice.waitFor();
    const said = await notice.innerText();
    assert.ok(said.includes(words['event-started']), said);
    if (lang !== 'en') assert.doesNotMatch(said, ENGLISH, said);
    await official.close();

    // 3. A budget idea placed, on its way, in a settlement unit of another municipality.
    const residentCtx = await contextFor(residentSession.cookie, lang);
    const idea = await residentCtx.newPage();
    await idea.goto(`${platform.url}/haaletused/${TARTU}/${call.id}/idee`);
    await idea.locator('#field-body-title').fill('Pingid jõe äärde');
    await idea.locator('#field-body-description').fill('Kümme pinki Emajõe kaldale, et saaks puhata.');
    await alter(idea, `/votes/${call.id}/ideas`, (b) => {
      b.settlementCode = foreign.code;
    });
    await idea.locator('main form button[type="submit"]').click();
    await idea.locator('.error-summary a[href="#field-body-settlementCode"]').waitFor();
    summary = await idea.locator('.error-summary').innerText();
    const expected = words['not-settlement-of-municipality'].replace('{{value}}', foreign.code);
    assert.ok(summary.includes(expected), summary);
    if (lang !== 'en') assert.doesNotMatch(summary, ENGLISH, summary);
    if (lang === 'ru') assert.doesNotMatch(summary, /[õäöü]/i, `Estonian in the Russian summary: ${summary}`);
    await residentCtx.close();
  });
}
