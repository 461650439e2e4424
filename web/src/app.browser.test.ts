// The first page in a real browser: built with Vite, served by the server's static handler over a socket,
// opened in Debian's Chromium. Proves cross-origin isolation end to end and the loading → ready / error states.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, staticWeb } from '../../server/http/static-web';
import { listen, type Listening } from '../../server/http/test-listen';
import { ISOLATION_HEADERS as VITE_ISOLATION_HEADERS } from '../../vite.config';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[web/src/app.browser.test.ts] SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).`);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe.skipIf(!hasChromium)('first page in Chromium', () => {
  let outDir: string;
  let server: Listening;
  let browser: Browser;
  let collectionsFail = false;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'geocrop-web-build-'));
    // Vitest sets NODE_ENV=test, which Vite would honour and so bundle React's development build: build as `npm run build` does.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: path.join(repo, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }

    const app = new Hono();
    app.get('/healthz', (c) => c.json({ ok: true, demo: { seed: 42, seasons: [2022, 2023], scenes: 24, ready: true } }));
    app.get('/demo/stac/collections', (c) =>
      collectionsFail
        ? c.json({ code: 'STAC_UNAVAILABLE', description: 'demo world is being generated' }, 503)
        : c.json({
            collections: [
              { id: 's2_l2a_c1', title: 'Sentinel-2 L2A (demo world)', 'geocrop:item_count': 24, extent: { temporal: { interval: [['2022-09-01T00:00:00Z', '2024-05-31T23:59:59Z']] } } },
              { id: 'crop_mask_southeast', title: 'Crop mask, south-east Africa', extent: { temporal: { interval: [['2019-01-01T00:00:00Z', null]] } } },
            ],
          }),
    );
    app.route('/', staticWeb({ dir: outDir }));
    server = await listen(app);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('uses the same isolation headers in Vite dev/preview as in the server', () => {
    expect(VITE_ISOLATION_HEADERS).toEqual(ISOLATION_HEADERS);
  });

  it('is cross-origin isolated and lists the demo collections at 768×1024', async () => {
    const page = await browser.newPage({ viewport: { width: 768, height: 1024 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('requestfailed', (r) => problems.push(`${r.url()} ${r.failure()?.errorText}`));
    try {
      await page.goto(server.url + '/');
      await page.getByRole('heading', { level: 1, name: 'GeoCrop' }).waitFor();
      await page.getByRole('heading', { level: 3, name: 'Sentinel-2 L2A (demo world)' }).waitFor();
      expect(await page.title()).toBe('GeoCrop');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const text = await page.locator('main').innerText();
      expect(text).toContain('Ready');
      expect(text).toContain('2022/23, 2023/24');
      expect(text).toContain('2022-09-01 → 2024-05-31');
      expect(text).toContain('2019-01-01 → open');
      expect(text).toContain('cross-origin isolated');
      expect(await page.getByRole('link', { name: 'STAC API landing page' }).getAttribute('href')).toBe('/demo/stac');
      for (const href of ['/demo/truth/classes.tif', '/demo/truth/fields.geojson', '/demo/truth/classes.json']) {
        expect(await page.locator(`a[href="${href}"]`).count()).toBe(1);
      }
      // Nothing wider than the viewport.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows a plain-words error with a retry when a resource fails', async () => {
    collectionsFail = true;
    const page = await browser.newPage({ viewport: { width: 768, height: 1024 } });
    try {
      await page.goto(server.url + '/jobs/42'); // a client-side route: SPA fallback
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toContain('Could not load the list of collections: the server had a problem (HTTP 503). The server said: "demo world is being generated"');
      collectionsFail = false;
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('heading', { level: 3, name: 'Sentinel-2 L2A (demo world)' }).waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      collectionsFail = false;
      await page.close();
    }
  });
});
