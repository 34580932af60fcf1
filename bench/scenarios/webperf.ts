import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import type { BenchScenario } from '../lib';
import { buildApp } from '../../src/app';
import { freePort } from '../../src/platform/db/embedded';
import { seedDemo } from '../../src/platform/demo/seed';
import { modules } from '../../src/modules';

/**
 * The residents' pages as a phone loads them: the production build (code split, precompressed)
 * served by the platform, opened cold in Chromium with the network at 1.6 Mbit/s down, 750 kbit/s
 * up, 150 ms round trip and the CPU slowed four times (the "slow 4G" profile of Lighthouse),
 * through the Chrome DevTools Protocol (Network.emulateNetworkConditions,
 * Emulation.setCPUThrottlingRate). Figures: JavaScript bytes transferred for the home page (what
 * the first view needs), and the largest contentful paint (PerformanceObserver) of the home page,
 * a vote page and the report form. The same pages on an unthrottled desktop (1366×900) are this
 * run's baseline. Each figure is the median of WEBPERF_RUNS cold loads (default 3).
 *
 * Budgets (issue 17): home page initial JS ≤ 150 kB compressed; LCP ≤ 2.5 s on the phone profile.
 */
const PHONE = {
  name: 'phone',
  viewport: { width: 390, height: 844 },
  mobile: true,
  network: { latency: 150, downloadThroughput: (1638.4 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
  cpu: 4,
};
const DESKTOP = { name: 'desktop', viewport: { width: 1366, height: 900 }, mobile: false, network: null, cpu: 1 };
type Profile = typeof PHONE | typeof DESKTOP;

interface Load {
  lcpMs: number;
  jsBytes: number;
  totalBytes: number;
  requests: number;
}

async function loadOnce(browser: Browser, profile: Profile, url: string, ready: string): Promise<Load> {
  const context = await browser.newContext({
    viewport: profile.viewport,
    isMobile: profile.mobile,
    hasTouch: profile.mobile,
    deviceScaleFactor: profile.mobile ? 3 : 1,
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      (window as unknown as { __lcp: number }).__lcp = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) (window as unknown as { __lcp: number }).__lcp = e.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (profile.network) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.network });
    if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    const types = new Map<string, string>();
    let jsBytes = 0;
    let totalBytes = 0;
    let requests = 0;
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => {
      requests += 1;
      totalBytes += e.encodedDataLength;
      if (types.get(e.requestId) === 'Script') jsBytes += e.encodedDataLength;
    });
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle', { timeout: 60_000 });
    const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
    return { lcpMs: Math.round(lcpMs), jsBytes, totalBytes, requests };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const webperfScenario: BenchScenario = {
  name: 'webperf',
  title: 'Residents pages on a phone (slow 4G, 4x CPU) against the desktop: initial JS and LCP',
  async run(env) {
    const runs = Number(process.env.WEBPERF_RUNS ?? 3);
    const dist = mkdtempSync(path.join(os.tmpdir(), 'kov-webperf-'));
    env.log('building the web app (production build, precompressed)');
    execFileSync('node', [path.resolve(import.meta.dirname, '../../scripts/build-web.mjs'), '--out', dist], {
      stdio: 'ignore',
    });
    env.log('seeding the demo data (3,000 residents)');
    // Quietly: the bench's job queue is not started, and the seed's "job not enqueued" warnings are expected.
    const quiet = { ...env.ctx, log: env.ctx.log.child({}, { level: 'error' }) };
    await seedDemo(quiet, modules, { residents: 3000, seed: 2026, log: () => {} });
    const owner = new pg.Client({ connectionString: env.ownerUrl });
    await owner.connect();
    const vote = (
      await owner.query<{ municipality_code: string; id: string }>(
        `SELECT municipality_code, id FROM pv_vote WHERE status IN ('open', 'scheduled', 'proposals')
          ORDER BY municipality_code = '0793' DESC, status = 'open' DESC LIMIT 1`,
      )
    ).rows[0];
    await owner.end();
    if (!vote) throw new Error('the demo seed made no vote');

    const port = await freePort();
    const app = await buildApp({ ...env.ctx, config: { ...env.ctx.config, webDist: dist } });
    await app.listen({ host: '127.0.0.1', port });
    const base = `http://127.0.0.1:${port}`;
    const pages = [
      { key: 'home', url: `${base}/`, ready: 'main h1' },
      { key: 'vote', url: `${base}/haaletused/${vote.municipality_code}/${vote.id}`, ready: 'main h1' },
      { key: 'reportForm', url: `${base}/teated/uus`, ready: 'main form' },
    ];
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic'],
    });
    const metrics: Record<string, number> = {};
    const notes: string[] = [
      `load average at start: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ];
    try {
      for (const profile of [DESKTOP, PHONE]) {
        for (const p of pages) {
          const loads: Load[] = [];
          // One warm-up load (server caches, Chromium's own start-up), not counted.
          await loadOnce(browser, profile, p.url, p.ready);
          for (let i = 0; i < runs; i++) loads.push(await loadOnce(browser, profile, p.url, p.ready));
          const lcp = median(loads.map((l) => l.lcpMs));
          metrics[`${profile.name}.${p.key}.lcpMs`] = lcp;
          if (p.key === 'home') metrics[`${profile.name}.home.initialJsBytes`] = median(loads.map((l) => l.jsBytes));
          notes.push(
            `${profile.name} ${p.key}: LCP ${loads.map((l) => l.lcpMs).join(' / ')} ms; JS ${median(loads.map((l) => l.jsBytes))} B, all ${median(loads.map((l) => l.totalBytes))} B in ${median(loads.map((l) => l.requests))} requests`,
          );
        }
      }
    } finally {
      await browser.close();
      await app.close();
      rmSync(dist, { recursive: true, force: true });
    }
    notes.push(
      `load average at end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    return {
      metrics,
      targets: [
        { metric: 'phone.home.initialJsBytes', op: '<=', value: 150_000 },
        { metric: 'phone.home.lcpMs', op: '<=', value: 2500 },
        { metric: 'phone.vote.lcpMs', op: '<=', value: 2500 },
        { metric: 'phone.reportForm.lcpMs', op: '<=', value: 2500 },
      ],
      notes,
    };
  },
};
