/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { testPlatform, sessionFor } from '../support/app';
import { seedDemo } from '../../src/platform/demo/seed';
import { modules } from '../../src/modules';
import { WEB_DIST, launchBrowser, newContext, demoOfficialWithEveryRole } from './support';

/**
 * No user text becomes markup (issue 14, item 6). The demo data of every module is seeded, then
 * every text a user can write that the demo holds (titles, names, descriptions, texts, statements,
 * comments, answers, labels, options: each free-text column and each string inside the JSON
 * columns of multilingual texts) is overwritten with an HTML payload, and one report is written
 * through the public form. Chromium then opens the public and official pages (following links
 * from the start pages to the detail pages, hovering map markers for their tooltips) and checks
 * that no payload ran and no payload element exists, and that the text is shown literally.
 */
const TARTU = '0793';
const MARK = 'xss-MARK';
const PAYLOAD = `<img src=x onerror="window.__xss=1">"><svg onload=window.__xss=1><b id="${MARK}">X</b>`;
const SHORT = `<b id="${MARK}">X</b>`;

const platform = await testPlatform({ listen: true, webDist: WEB_DIST, env: { KOV_DEMO_IDP: 'true' } });
const { ctx } = platform;
await seedDemo(ctx, modules, { residents: 200, seed: 7, log: () => {} });
const official = await demoOfficialWithEveryRole(ctx, TARTU);

/** Columns users write free text into (by name; codes, identifiers and hashes are left alone). */
const TEXT_COLUMN =
  /^(name_(et|en|ru)|title|name|description|text|body|statement|summary|comment|comments|answer|public_answer|question|label|given_name|family_name|content|message|note|notes|details_text|reason|subject|location_text|address_text|place|venue|organiser|organizer|lead|intro|excerpt|agenda|proposal|motivation|feedback|response|reply|caption|teaser|option|options|heading|location_description)$|_(title|name|text|description|answer|statement|body|comment|label)$/;
const NOT_USER_TEXT = /(^|_)(code|id|hash|token|key|type|kind|status|state|slug|format|url|email|phone|iban|sha256)$/;

async function poisonEverything() {
  const c = new pg.Client({ connectionString: platform.ownerUrl });
  await c.connect();
  const cols = (
    await c.query<{ table_name: string; column_name: string; data_type: string }>(`
      SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'jsonb')
        AND c.table_name NOT IN ('audit_log', 'place', 'schema_migrations', 'schema_functions', 'session', 'stored_file')
        AND c.table_name NOT LIKE 'pgboss%'`)
  ).rows.filter((r) => TEXT_COLUMN.test(r.column_name) && !NOT_USER_TEXT.test(r.column_name));
  const poisoned: string[] = [];
  // Triggers that guard history (append-only tables) stay on; the owner bypasses row-level security.
  for (const { table_name: t, column_name: col, data_type: type } of cols) {
    for (const payload of [PAYLOAD, SHORT]) {
      const value =
        type === 'jsonb'
          ? // Multilingual texts {et, ru, en} and string arrays: every string inside, shape kept.
            `(SELECT CASE jsonb_typeof("${col}")
                WHEN 'string' THEN to_jsonb($1::text)
                WHEN 'object' THEN (SELECT coalesce(jsonb_object_agg(k, CASE WHEN jsonb_typeof(v) = 'string' THEN to_jsonb($1::text) ELSE v END), '{}') FROM jsonb_each("${col}") AS e(k, v))
                WHEN 'array' THEN (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(v) = 'string' THEN to_jsonb($1::text) ELSE v END), '[]') FROM jsonb_array_elements("${col}") AS e(v))
                ELSE "${col}" END)`
          : `$1::text || ' ' || left("${col}", 20)`;
      try {
        const r = await c.query(`UPDATE "${t}" SET "${col}" = ${value} WHERE "${col}" IS NOT NULL`, [payload]);
        if (r.rowCount) poisoned.push(`${t}.${col}`);
        break;
      } catch {
        // a check constraint, an append-only guard or a length limit: try the short payload, then leave it
      }
    }
  }
  await c.end();
  return poisoned;
}

const poisoned = await poisonEverything();
const browser = await launchBrowser();

async function expectInert(page: Page, label: string) {
  const state = await page.evaluate(
    (mark) => ({
      xss: (window as unknown as { __xss?: unknown }).__xss,
      marker: document.querySelector(`#${mark}`) !== null,
      injected: document.querySelectorAll('img[src="x"], svg[onload]').length,
      literal: document.body.innerText.includes(`id="${mark}"`),
    }),
    MARK,
  );
  assert.equal(state.xss, undefined, `${label}: an injected script ran`);
  assert.equal(state.marker, false, `${label}: an injected element exists`);
  assert.equal(state.injected, 0, `${label}: injected img/svg elements exist`);
  return state.literal;
}

const routePattern = (p: string) =>
  p
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:n')
    .replace(/\/[0-9]{4}\//g, '/:code/');

/** Links to pages of the web app, not to feeds, files or machine APIs (they download, not render). */
const isPage = (path: string) =>
  !/^\/(api|auth|ical|open311|files|demo-tara|demo-maa-amet|problems|dcat|catalog)(\/|$)/.test(path) &&
  !/\.(ics|json|jsonld|csv|pdf|xml|ttl|rdf|nt|zip|pb|txt)(\?|$)/.test(path);

async function crawl(startPaths: string[], cookie: string | undefined, label: string, maxPages = 60) {
  const context = await newContext(browser);
  if (cookie) await context.addCookies([{ name: 'kov_session', value: cookie.split('=')[1]!, url: platform.url }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const seen = new Set<string>();
  const queue = [...startPaths];
  let visited = 0;
  const literalOn: string[] = [];
  let tooltipsLiteral = 0;
  while (queue.length && visited < maxPages) {
    const p = queue.shift()!;
    const pattern = routePattern(p);
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    visited++;
    await page.goto(platform.url + p);
    await page
      .locator('main h1')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => {});
    await page.waitForLoadState('networkidle').catch(() => {});
    if (await expectInert(page, `${label} ${p}`)) literalOn.push(p);
    // Map markers: their tooltips hold user text too (report titles). Hovering one opens its tooltip.
    const markers = page.locator('path.map-marker');
    const n = Math.min(await markers.count(), 3);
    for (let i = 0; i < n; i++) {
      await markers
        .nth(i)
        .hover({ timeout: 2000, force: true })
        .catch(() => {});
      await expectInert(page, `${label} ${p} (map marker ${i})`);
      const tip = await page
        .locator('.leaflet-tooltip')
        .last()
        .textContent({ timeout: 1000 })
        .catch(() => null);
      if (tip?.includes(`id="${MARK}"`)) tooltipsLiteral++;
    }
    for (const href of await page
      .locator('main a[href^="/"]')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!))) {
      const path = href.split('#')[0]!;
      if (isPage(path) && !seen.has(routePattern(path))) queue.push(path);
    }
  }
  await context.close();
  return { visited, literalOn, errors, tooltipsLiteral };
}

test('payloads in every user-written text of the demo: no page of the public turns them into markup', async (t) => {
  assert.ok(poisoned.length > 20, `user texts overwritten: ${poisoned.join(', ')}`);
  const r = await crawl(
    [
      '/',
      '/teated',
      `/haaletused/${TARTU}`,
      '/haaletused',
      '/uritused',
      '/teenused',
      '/avaandmed',
      `/volikogu/${TARTU}`,
      `/volikogu/${TARTU}/arhiiv`,
      '/kontrollitav',
      '/teadmised',
    ],
    undefined,
    'public',
  );
  assert.ok(r.visited > 10, `pages visited: ${r.visited}`);
  assert.ok(r.literalOn.length > 3, `the payload is shown as text on ${r.literalOn.join(', ')}`);
  // The crawl sees one page per route; the next test opens the pages whose markers hold a payload.
  t.diagnostic(`marker tooltips that showed a payload as text: ${r.tooltipsLiteral}`);
});

/**
 * Opens a page, hovers each map marker (`path.map-marker`, up to `max`) and answers how many
 * tooltips showed the payload as text; fails if a tooltip (or anything else) made it markup.
 */
async function hoverMarkers(path: string, label: string, max = 5): Promise<number> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(platform.url + path);
  const markers = page.locator('path.map-marker');
  await markers.first().waitFor({ timeout: 20_000 });
  await expectInert(page, label);
  let literal = 0;
  const n = Math.min(await markers.count(), max);
  for (let i = 0; i < n; i++) {
    await markers.nth(i).hover({ force: true });
    // Leaflet opens the tooltip on mouseover: wait for it rather than for time.
    const tip = page.locator('.leaflet-tooltip').last();
    await tip.waitFor({ state: 'visible', timeout: 5000 });
    await expectInert(page, `${label} (map marker ${i})`);
    const html = await tip.innerHTML();
    assert.equal(/<(b|img|svg)\b/i.test(html), false, `${label}: marker ${i}'s tooltip holds markup: ${html}`);
    if ((await tip.textContent())?.includes(`id="${MARK}"`)) literal++;
    await page.mouse.move(0, 0);
  }
  await context.close();
  return literal;
}

test('map tooltips show user text as text: a report’s own page, the reports map, a budget vote’s ideas', async () => {
  // Report markers are labelled by the category's name, which a municipality's admin writes.
  const db = new pg.Client({ connectionString: platform.ownerUrl });
  await db.connect();
  const report = (
    await db.query<{ id: string }>(
      `SELECT r.id FROM report r JOIN report_category c ON c.municipality_code = r.municipality_code AND c.code = r.category_code
        WHERE r.municipality_code = $1 AND NOT r.hidden AND c.name_et LIKE '%' || $2 || '%' ORDER BY r.id LIMIT 1`,
      [TARTU, MARK],
    )
  ).rows[0];
  // Idea markers are labelled by the idea's title (a resident writes it). A feasible idea of a
  // published budget vote; given a place (a report's, in the same municipality) if it has none.
  const idea = (
    await db.query<{ municipality_code: string; vote_id: string; id: string }>(
      `SELECT i.municipality_code, i.vote_id, i.id FROM pv_idea i JOIN pv_vote v ON v.municipality_code = i.municipality_code AND v.id = i.vote_id
        WHERE v.kind = 'budget' AND v.status <> 'draft' AND i.status = 'feasible' AND i.title LIKE '%' || $1 || '%'
        ORDER BY (i.lat IS NULL), NOT EXISTS (SELECT 1 FROM report r WHERE r.municipality_code = i.municipality_code), v.created_at LIMIT 1`,
      [MARK],
    )
  ).rows[0];
  if (idea)
    await db.query(
      `UPDATE pv_idea i SET lat = r.lat, lon = r.lon
         FROM (SELECT lat, lon FROM report WHERE municipality_code = $1 ORDER BY id LIMIT 1) r
        WHERE i.municipality_code = $1 AND i.vote_id = $2 AND i.id = $3 AND i.lat IS NULL`,
      [idea.municipality_code, idea.vote_id, idea.id],
    );
  await db.end();
  assert.ok(report, 'a Tartu report whose category name holds the payload');
  assert.ok(
    (await hoverMarkers(`/teated/${report.id}`, 'report page')) >= 1,
    'the report page’s tooltip shows the payload as text',
  );
  assert.ok(
    (await hoverMarkers('/teated', 'reports map (Tallinn, the default)')) >= 1,
    'a tooltip of the reports map shows the payload as text',
  );
  assert.ok(idea, 'a feasible idea of a budget vote, its title the payload');
  assert.ok(
    (await hoverMarkers(`/haaletused/${idea.municipality_code}/${idea.vote_id}`, 'budget vote')) >= 1,
    'a tooltip of the ideas map shows the payload as text',
  );
});

test('…nor any page of an official (who also sees names, comments and internal notes)', async () => {
  const s = await sessionFor(ctx, official);
  const r = await crawl(
    [
      '/minu-vald',
      '/teated/haldus',
      '/teated/analuutika',
      `/haaletused/${TARTU}`,
      '/teenused-haldus',
      '/avaandmed-haldus',
      `/volikogu/${TARTU}/haldus`,
      `/volikogu/${TARTU}`,
      '/uritused/minu',
      '/valijaskonnad',
      '/registri-paringud',
      '/e-its',
      '/mentorlus',
      '/koolitus',
      '/teadmised',
      '/teavitused',
      '/admin/api-clients',
      '/teenused-elvl',
      '/tegevuskava',
    ],
    s.cookie,
    'official',
  );
  assert.ok(r.visited > 10, `pages visited: ${r.visited}`);
});
