/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/app';
import { createVote, scheduleVote } from '../../src/modules/participation/manageVotes';
import { WEB_DIST, tartuOfficial, launchBrowser, newContext } from './support';

/**
 * The first view of a page opened by its address (issue 17, a vote page on a phone): one render
 * with its content — no loading line or Suspense fallback before the heading, the vote's text in
 * the first render that has the heading — and each of its API answers asked for once (the early
 * answers from <head> are taken, not asked again). Opened again inside the app, the page asks
 * the server afresh (the early answer served the first render only).
 */
const TARTU = '0793';
const platform = await testPlatform({ listen: true, webDist: WEB_DIST });
const { ctx } = platform;
const { official } = await tartuOfficial(ctx);
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const vote = await createVote(ctx, official, TARTU, {
  kind: 'poll',
  title: 'Emajõe promenaad',
  description: 'Kas Emajõe kaldale tuleks rajada jalakäijate promenaad?',
  opensAt: iso(-60_000),
  closesAt: iso(3_600_000),
  electorate: { scope: 'municipality', minAge: 16 },
  questions: [{ text: 'Kas promenaad tuleks rajada?', kind: 'yesno', allowBlank: true }],
});
await scheduleVote(ctx, official, TARTU, vote.id);
const voteApi = `/api/v1/municipalities/${TARTU}/votes/${vote.id}`;

const browser = await launchBrowser();

/** What `main` showed, in order, until its heading appeared (recorded in the page from the start). */
async function watchMain(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __seen: string[] };
    w.__seen = [];
    // (An inline callback: a named function would be given tsx's __name helper, unknown in the page.)
    new MutationObserver(() => {
      const main = document.querySelector('main');
      if (!main || w.__seen.at(-1)?.startsWith('h1')) return;
      const h1 = main.querySelector('h1');
      if (h1) w.__seen.push(`h1 ${h1.textContent} | lead ${main.querySelector('.lead')?.textContent ?? ''}`);
      else if (main.querySelector('.loading, [role=status]')) w.__seen.push('loading');
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

test('a vote page opened by its address paints once with the vote, asking for each answer once', async () => {
  const context = await newContext(browser, { mobile: true });
  const page = await context.newPage();
  await watchMain(page);
  const asked: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) asked.push(url.pathname + url.search);
  });
  await page.goto(`${platform.url}/haaletused/${TARTU}/${vote.id}`);
  await page.getByRole('heading', { level: 1, name: 'Emajõe promenaad' }).waitFor();
  await page.getByText('Hääletamiseks logige sisse').waitFor();
  await page.waitForLoadState('networkidle');

  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  assert.deepEqual(seen, ['h1 Emajõe promenaad | lead Kas Emajõe kaldale tuleks rajada jalakäijate promenaad?']);
  const count = (p: string) => asked.filter((a) => a === p).length;
  assert.equal(count(voteApi), 1, `the vote asked for once: ${asked.join(', ')}`);
  assert.equal(count('/api/v1/me'), 1, `the session asked for once: ${asked.join(', ')}`);
  assert.equal(count('/api/v1/municipalities'), 1, `the municipality list asked for once: ${asked.join(', ')}`);

  // Away and back inside the app: the vote is asked for again, not taken from the first view.
  await page.evaluate(() => {
    history.pushState({}, '', '/haaletused');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.getByRole('heading', { level: 1, name: 'Hääletused' }).waitFor();
  await page.evaluate((path) => {
    history.pushState({}, '', path);
    dispatchEvent(new PopStateEvent('popstate'));
  }, `/haaletused/${TARTU}/${vote.id}`);
  await page.getByRole('heading', { level: 1, name: 'Emajõe promenaad' }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(count(voteApi), 2, `the vote asked for again: ${asked.join(', ')}`);
  await context.close();
});
