/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { testPlatform, sessionFor } from '../support/app';
import { seedDemo } from '../../src/platform/demo/seed';
import { modules } from '../../src/modules';
import { DEMO_COUNCIL_MUNICIPALITY } from '../../src/modules/council/seed';
import { WEB_DIST, launchBrowser, newContext, demoOfficialWithEveryRole } from './support';

/**
 * Every page in every language (issue 18, acceptance item 2). The routes are read from the router
 * definitions (web/src/App.tsx and each web module's `routes` in web/src/modules/<m>/index.tsx), so
 * a new page is covered without touching this file; path parameters are filled from the demo data
 * by following the pages' own links (a list page links to its detail pages), and the few pages no
 * page links to (e-mail tokens) get a value of their own kind. An official of Tartu who is also a
 * resident there and holds every role (plus ELVL's admin, for ELVL's pages) opens each page in
 * Estonian, then (side by side) Russian and English, one browser context per language. A page fails on
 * - raw message keys (`wizard.title_label`, `council:vote.status`) or i18next's missing-key text,
 * - the validator's English (`must have required property`, `must NOT have fewer than`) on et/ru,
 * - US-format dates and times (`12/7/2026`, `9:52 AM`) on et/ru,
 * - role and status codes shown as they are stored (`council_member`, `in_progress`; on et/ru
 *   also one-word codes such as `draft`), the codes being read from the database's CHECK
 *   constraints on role/status/state columns.
 */
const TARTU = '0793';
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The router's paths: App.tsx's <Route path="…"> and every web module's `routes: [{ path: '…' }]`. */
function routerPaths(): string[] {
  const app = readFileSync(path.join(ROOT, 'web/src/App.tsx'), 'utf8');
  const paths = [...app.matchAll(/<Route\s+path="([^"]+)"/g)].map((m) => m[1]!).filter((p) => p !== '*');
  const dir = path.join(ROOT, 'web/src/modules');
  for (const m of readdirSync(dir, { withFileTypes: true })) {
    if (!m.isDirectory()) continue;
    let src: string;
    try {
      src = readFileSync(path.join(dir, m.name, 'index.tsx'), 'utf8');
    } catch {
      continue;
    }
    const routes = /routes:\s*\[([\s\S]*?)\n\s*\],?\n/.exec(src)?.[1] ?? /routes:\s*\[(.*)\]/.exec(src)?.[1] ?? '';
    for (const r of routes.matchAll(/path:\s*'([^']+)'/g)) paths.push(`/${r[1]!}`);
  }
  return [...new Set(paths)];
}

const segments = (p: string) => p.split('?')[0]!.split('/').filter(Boolean);
/** The route an app path belongs to, as the router would pick it (the most static segments wins). */
function routeOf(routes: string[], href: string): string | undefined {
  const hs = segments(href);
  let best: { route: string; score: number } | undefined;
  for (const route of routes) {
    const rs = segments(route);
    if (rs.length !== hs.length) continue;
    let score = 0;
    let ok = true;
    rs.forEach((s, i) => {
      if (s.startsWith(':')) return;
      if (s === hs[i]) score++;
      else ok = false;
    });
    if (ok && (!best || score > best.score)) best = { route, score };
  }
  return best?.route;
}

const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
// Enough residents that Elva has its demo council (21 seats and candidates).
await seedDemo(ctx, modules, { residents: 400, seed: 7, log: () => {} });
// Tartu's demo admin lives in Tartu (the demo picks officials among the residents).
const official = await demoOfficialWithEveryRole(ctx, TARTU);

/** Codes of roles and statuses as stored: the values the CHECK constraints of such columns allow. */
async function storedCodes(): Promise<string[]> {
  const c = new pg.Client({ connectionString: platform.ownerUrl });
  await c.connect();
  const rows = (
    await c.query<{ def: string }>(`
      SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'c' AND connamespace = 'public'::regnamespace
        AND pg_get_constraintdef(oid) ~ '\\m(role|status|state)\\M'`)
  ).rows;
  await c.end();
  const codes = new Set<string>();
  for (const { def } of rows)
    for (const m of def.matchAll(/\b(?:role|status|state)\b[^']*?((?:'[a-z_]+'::text[,\s]*)+)/g))
      for (const v of m[1]!.matchAll(/'([a-z_]+)'/g)) codes.add(v[1]!);
  return [...codes];
}
const codes = await storedCodes();
const multiWordCodes = codes.filter((c) => c.includes('_'));
const oneWordCodes = codes.filter((c) => !c.includes('_') && c.length > 3);

const VALIDATOR_ENGLISH =
  /must have required property|must NOT have|must be (?:string|number|integer|boolean|array|object|equal|>=|<=|<|>)|must match (?:format|pattern)|must be a valid|should be equal|is not allowed to have|Expected (?:string|number|union)/;
const US_DATE = /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{1,2}:\d{2}(?::\d{2})?\s?(?:AM|PM)\b/;
/** A message key: dotted lowercase words with an underscore, a capital inside or a namespace. */
const KEY = /(?:^|[\s("«„])((?:[a-z][A-Za-z0-9]*:)?[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9_]*)+)(?=$|[\s)"».,:;!?“])/gm;
const isKey = (s: string) =>
  s.includes(':') || /_[a-z]/.test(s) || /[a-z][A-Z]/.test(s.split('.').slice(1).join('.')) || false;

function findings(text: string, lang: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(KEY)) if (isKey(m[1]!)) found.push(`message key "${m[1]}"`);
  if (/returned an object instead of string|key '.*' \((?:et|ru|en)\)/.test(text)) found.push('i18next missing key');
  for (const c of multiWordCodes) if (new RegExp(`(?<![\\w/.-])${c}(?![\\w/.-])`).test(text)) found.push(`code "${c}"`);
  if (lang !== 'en') {
    const v = VALIDATOR_ENGLISH.exec(text);
    if (v) found.push(`validator English "${v[0]}"`);
    const d = US_DATE.exec(text);
    if (d) found.push(`US date "${d[0]}"`);
    for (const c of oneWordCodes)
      if (new RegExp(`(?<![\\w/.@-])${c}(?![\\w/.@-])`).test(text)) found.push(`code "${c}"`);
  }
  return found;
}

/** The page has its heading and no loading placeholder (a page without a heading: after 10 s). */
async function settled(page: Page) {
  await page
    .waitForFunction(() => document.querySelector('main h1') && !document.querySelector('main .loading'), null, {
      timeout: 10_000,
    })
    .catch(() => {});
}

/**
 * Visible text of the page (header and menus too), without what is marked as code (`<code>`:
 * identifiers shown on purpose, such as an API scope's name).
 */
const visibleText = (page: Page) =>
  page.evaluate(() => {
    let text = document.body.innerText;
    document.querySelectorAll<HTMLElement>('code, kbd, samp').forEach((c) => (text = text.replace(c.innerText, ' ')));
    return text;
  });

const routes = routerPaths();
const session = await sessionFor(ctx, official);
const browser = await launchBrowser();

/**
 * Pages nobody links to (an e-mail's link; the demo sends no mail): a value of the parameter's kind
 * that leads nowhere, so the page must explain that in the reader's language.
 */
const UNLINKED: Record<string, string> = {
  '/teavitused/kinnita/:token': '/teavitused/kinnita/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '/teavitused/loobu/:token': '/teavitused/loobu/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '/demo-post/:id': '/demo-post/00000000-0000-4000-8000-000000000000',
};

/**
 * A route whose page is linked only in some states of its parent (an idea form while ideas are
 * collected, the edit page of a draft): the parent's path with the route's own last segments.
 */
function fromParent(route: string, found: Map<string, string>): string | undefined {
  const rs = segments(route);
  for (let n = rs.length - 1; n > 0; n--) {
    const tail = rs.slice(n);
    if (tail.some((x) => x.startsWith(':'))) return undefined;
    const parent = found.get(`/${rs.slice(0, n).join('/')}`);
    if (parent) return `${parent}/${tail.join('/')}`;
  }
  return undefined;
}

test('the router lists the pages of every module', () => {
  assert.ok(routes.length > 60, `routes read: ${routes.join(' ')}`);
  for (const p of ['/', '/toolaud', '/haaletused/:code/:id', '/volikogu/:code/istung/:id', '/teated/:id'])
    assert.ok(routes.includes(p), p);
  assert.ok(codes.includes('council_member') && codes.includes('draft'), `codes: ${codes.join(' ')}`);
});

/**
 * Opens every page in one language (one browser context); without `paths`, finds them first: the
 * parameter-free pages, then what their links lead to. Returns the findings and the paths.
 */
async function sweep(lang: 'et' | 'ru' | 'en', paths?: string[]) {
  const context = await newContext(browser);
  await context.addCookies([{ name: 'kov_session', value: session.cookie.split('=')[1]!, url: platform.url }]);
  await context.addInitScript((l) => localStorage.setItem('kov.lang', l), lang);
  // Map tiles and photos say nothing about language: not fetched.
  await context.route(/\.(png|jpe?g|webp|gif)(\?|$)|\/tiles?\//, (r) => r.abort());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const problems: string[] = [];
  const slow: string[] = [];
  // API answers still on their way: a page that renders its heading first and its list after (a
  // municipality chosen once the session is known, then that municipality's rows) is read and its
  // links followed only once they have arrived. Event streams never finish and are left out.
  let inflight = 0;
  const counted = (r: { url(): string; resourceType(): string }) =>
    r.url().includes('/api/') && r.resourceType() !== 'eventsource';
  page.on('request', (r) => counted(r) && inflight++);
  page.on('requestfinished', (r) => counted(r) && inflight--);
  page.on('requestfailed', (r) => counted(r) && inflight--);
  const answered = async () => {
    for (let calm = 0, waited = 0; calm < 2 && waited < 3000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      calm = inflight <= 0 ? calm + 1 : 0;
    }
    await page.waitForFunction(() => !document.querySelector('main .loading'), null, { timeout: 5000 }).catch(() => {});
  };
  let loaded = false;
  const visit = async (p: string) => {
    const started = Date.now();
    // Inside the app, as a link would (no reload of the app per page); the new page is there when
    // a heading other than the last page's is. A page that keeps its heading element (the same
    // component on another route) is opened afresh.
    let arrived = false;
    if (loaded) {
      await page.evaluate((to) => {
        document.querySelector('main h1')?.setAttribute('data-left', '');
        history.pushState(null, '', to);
        dispatchEvent(new PopStateEvent('popstate'));
      }, p);
      arrived = await page
        .waitForFunction(
          () => document.querySelector('main h1:not([data-left])') && !document.querySelector('main .loading'),
          null,
          { timeout: 5000 },
        )
        .then(
          () => true,
          () => false,
        );
    }
    if (!arrived) {
      await page.goto(platform.url + p);
      await settled(page);
      loaded = true;
    }
    await answered();
    assert.equal(await page.locator('html').getAttribute('lang'), lang, `${p}: html lang`);
    for (const f of findings(await visibleText(page), lang)) problems.push(`${p}: ${f}`);
    if (Date.now() - started > 4000) slow.push(`${p} ${Date.now() - started} ms`);
  };
  let found: Map<string, string>;
  if (paths) {
    for (const p of paths) await visit(p);
    found = new Map(paths.map((p) => [p, p]));
  } else {
    // The demo data's municipality where it is a route's only parameter: Tartu (the official's),
    // the council's pages Elva's (the demo council sits there).
    const codeOf = (r: string) => (r.startsWith('/volikogu') ? DEMO_COUNCIL_MUNICIPALITY : TARTU);
    found = new Map<string, string>(
      routes
        .filter((r) => segments(r).every((x) => x === ':code' || !x.startsWith(':')))
        .map((r) => [r, r.replace(':code', codeOf(r))]),
    );
    const queue = [...found.values()];
    const seen = new Set<string>();
    while (queue.length) {
      const p = queue.shift()!;
      if (seen.has(p)) continue;
      seen.add(p);
      await visit(p);
      const hrefs = await page
        .locator('a[href^="/"]')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
      for (const href of hrefs) {
        const clean = href.split(/[?#]/)[0]!;
        const route = routeOf(routes, clean);
        if (route && !found.has(route)) {
          found.set(route, clean);
          queue.push(clean);
        }
      }
    }
    for (const route of routes.filter((r) => !found.has(r))) {
      const p = UNLINKED[route] ?? fromParent(route, found);
      if (!p) continue;
      found.set(route, p);
      await visit(p);
    }
    for (const r of routes.filter((r) => !found.has(r)))
      problems.push(`${r}: no page links to it and it has no value of its own here`);
  }
  await context.close();
  return { problems, errors, slow, paths: [...found.values()] };
}

let paths: string[] = [];
test('every page in et: no message keys, validator English, US dates or raw codes', async (t) => {
  const r = await sweep('et');
  paths = r.paths;
  t.diagnostic(`${paths.length} pages; slow: ${r.slow.join(', ') || 'none'}`);
  assert.deepEqual(r.errors, [], 'errors in the page');
  assert.deepEqual(r.problems, [], 'pages in et with untranslated text');
});

test('…the same pages in ru and en (side by side)', async (t) => {
  assert.ok(paths.length > 60, `pages found in et: ${paths.length}`);
  const [ru, en] = await Promise.all([sweep('ru', paths), sweep('en', paths)]);
  t.diagnostic(`slow: ${[...ru.slow, ...en.slow].join(', ') || 'none'}`);
  assert.deepEqual([...ru.errors, ...en.errors], [], 'errors in the page');
  assert.deepEqual(ru.problems, [], 'pages in ru with untranslated text');
  assert.deepEqual(en.problems, [], 'pages in en with untranslated text');
});
