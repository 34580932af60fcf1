import { after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { AppContext } from '../../src/platform/context';
import type { PersonActor } from '../../src/platform/auth/actor';
import { makePerson, grantRole, sessionFor, testPlatform } from '../support/app';
import { inScope } from '../../src/platform/db/database';
import { sql } from 'kysely';
import { residences } from '../../src/modules/register/testSupport';
import { createVote, openProposals } from '../../src/modules/participation/manageVotes';

/**
 * End-to-end support: Debian's Chromium driven by playwright-core (no browser download), and an
 * axe-core accessibility scan against WCAG 2.1 A and AA.
 */
export const WEB_DIST = process.env.KOV_TEST_WEB_DIST ?? path.resolve(import.meta.dirname, '../../web/dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  if (!existsSync(path.join(WEB_DIST, 'index.html')))
    throw new Error('The web app is not built: run npm run build:web (npm test does it)');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  after(() => closeBrowser(browser));
  return browser;
}

/**
 * Closes the browser, and if Chromium has not gone within 15 s, kills it: once in CI a finished
 * file waited for minutes on `browser.close()` with Chromium still running, which would hold the
 * whole run until its time limit.
 */
async function closeBrowser(browser: Browser) {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    browser.close().then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 15_000))),
  ]);
  clearTimeout(timer);
  if (!closed) {
    console.error('# Chromium did not close within 15 s: killing it');
    killChildBrowsers();
  }
}

/** SIGKILL to this process's Chromium children (Linux /proc; elsewhere nothing to do). */
function killChildBrowsers() {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      const m = /^\d+ \((.*)\) \S (\d+) /.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (m && Number(m[2]) === process.pid && /chrom/i.test(m[1]!)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

export async function newContext(browser: Browser, opts: { mobile?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext(
    opts.mobile
      ? { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 } },
  );
  context.setDefaultTimeout(15_000);
  return context;
}

/** Fails with a readable list when axe finds any WCAG 2.1 A/AA violation on the page. */
export async function expectAccessible(page: Page, label: string, options: { exclude?: string } = {}) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  // A sandboxed frame without scripts (the demo mailbox's HTML part) can leave axe's partial run
  // inside it waiting for ever; such a frame is excluded here and its document checked on its own.
  if (options.exclude) builder = builder.exclude(options.exclude);
  const result = await builder.analyze();
  const summary = result.violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('\n    ')}`,
    )
    .join('\n  ');
  assert.equal(result.violations.length, 0, `axe found violations on ${label}:\n  ${summary}`);
}

/**
 * The HTML part of a demo mailbox message, checked with axe as a document of its own: the page
 * shows it in a sandboxed frame without scripts, which axe cannot enter.
 */
export async function expectMailAccessible(page: Page, label: string) {
  const src = await page.locator('iframe.mail-html').getAttribute('src');
  assert.ok(src, `${label}: the message has an HTML part`);
  const html = await (await page.request.get(new URL(src, page.url()).href)).text();
  const mail = await page.context().newPage();
  try {
    await mail.setContent(html);
    await expectAccessible(mail, `${label} (HTML part)`);
  } finally {
    await mail.close();
  }
}

/** Logs in through the demo identity provider as the person with this ID code. */
export async function loginAs(page: Page, idCode: string, method: 'mID' | 'idcard' | 'smartid' = 'mID') {
  await page
    .getByRole('link', { name: /Logi sisse|Log in|Войти/ })
    .first()
    .click();
  await page.waitForURL(/\/demo-tara\/interaction\//);
  await page.locator('#code').fill(idCode);
  await page.locator(`input[name="amr"][value="${method}"]`).check();
  await page.locator('button[name="login"]').click();
  // A login from the home page passes /sisenemine, which sends officials on to /toolaud.
  await page.waitForURL((url) => !url.pathname.startsWith('/demo-tara') && url.pathname !== '/sisenemine');
}

/**
 * The participation pages' cast in Tartu: its first settlement unit and an admin of Tartu
 * (Olev Ametnik) as the person and as the actor the use cases take.
 */
export async function tartuOfficial(ctx: AppContext) {
  const settlement = await ctx.db
    .selectFrom('place')
    .select(['code', 'name'])
    .where('municipality_code', '=', '0793')
    .where('level', '=', 'settlement')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const officialP = await makePerson(ctx, { givenName: 'Olev', familyName: 'Ametnik', birthDate: '1975-04-04' });
  await grantRole(ctx, '0793', officialP.id, 'admin');
  const official: PersonActor = {
    kind: 'person',
    personId: officialP.id,
    givenName: 'Olev',
    familyName: 'Ametnik',
    birthDate: '1975-04-04',
    idCodeMasked: '',
    roles: [{ municipalityCode: '0793', role: 'admin' }],
    acr: 'high',
  };
  return { settlement, officialP, official };
}

/** Mari Maasikas (born 1990), living in this settlement unit of Tartu since 2000: a resident who may vote. */
export async function tartuResident(ctx: AppContext, settlementCode: string) {
  const resident = await makePerson(ctx, { givenName: 'Mari', familyName: 'Maasikas', birthDate: '1990-02-02' });
  await residences(ctx, '0793', resident.id, [{ validFrom: '2000-01-01', settlementCode }]);
  return resident;
}

/**
 * The participation pages' set-up: the platform serving the web app (with the demo identity
 * provider), Tartu's admin (`tartuOfficial`) and a resident (`tartuResident`) of its first
 * settlement unit.
 */
export async function participationCast() {
  const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
  const { ctx } = platform;
  const { settlement, officialP, official } = await tartuOfficial(ctx);
  const resident = await tartuResident(ctx, settlement.code);
  return { platform, ctx, settlement, officialP, official, resident };
}

/**
 * A participatory budget of Tartu collecting ideas: ideas for 20 days, the voting from day 30 to
 * day 40, residents from 14, approval of up to 3 ideas, one district (the whole city).
 */
export async function budgetCollectingIdeas(
  ctx: AppContext,
  official: PersonActor,
  input: { title: string; budgetCents: number; translations?: { title: { ru: string } } },
) {
  const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const budget = await createVote(ctx, official, '0793', {
    kind: 'budget',
    title: input.title,
    ...(input.translations ? { translations: input.translations } : {}),
    opensAt: at(30),
    closesAt: at(40),
    proposalsCloseAt: at(20),
    electorate: { scope: 'municipality', minAge: 14 },
    budget: {
      method: 'approval',
      maxChoices: 3,
      districts: [{ name: 'Tartu', budgetCents: input.budgetCents, settlementCodes: [] }],
    },
  });
  await openProposals(ctx, official, '0793', budget.id);
  return budget;
}

/**
 * A page signed in as this person (a session of their own), in `lang`, at phone (390×844) or
 * desktop (1280×800) size.
 */
export async function pageAs(
  browser: Browser,
  ctx: AppContext,
  url: string,
  personId: string,
  { lang, mobile }: { lang: 'et' | 'ru' | 'en'; mobile: boolean },
): Promise<Page> {
  const session = await sessionFor(ctx, personId);
  const context = await newContext(browser, { mobile });
  await context.addCookies([{ name: 'kov_session', value: session.cookie.split('=')[1]!, url }]);
  await context.addInitScript((l) => localStorage.setItem('kov.lang', l), lang);
  const page = await context.newPage();
  await page.setViewportSize(mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 });
  return page;
}

/**
 * The demo's admin of Tartu (a Tartu resident, as the demo picks officials among residents), given
 * every other Tartu role and ELVL's admin role: one person who can open every page.
 */
export async function demoOfficialWithEveryRole(ctx: AppContext, tartu: string): Promise<string> {
  const official = await inScope(
    ctx.db,
    { tenant: '*' },
    async (trx) =>
      (
        await sql<{
          person_id: string;
        }>`SELECT person_id FROM role_grant WHERE municipality_code = ${tartu} AND role = 'admin' LIMIT 1`.execute(trx)
      ).rows[0]!.person_id,
  );
  for (const role of ['editor', 'analyst', 'council_member'] as const) await grantRole(ctx, tartu, official, role);
  await grantRole(ctx, '0000', official, 'admin');
  return official;
}
