// The base layers rendering in Debian's Chromium: a test page (web/src/map/testing/) built with Vite, served by
// `vite preview` (cross-origin isolated by vite.config.ts, as in production) and opened with every request to the
// OpenStreetMap tile server aborted, so no test depends on the sandbox's network. The map must show the vector
// base map, the status must say so, and working tiles must take over again.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAIL_AFTER } from './tile-status';
import type { PixelCensus } from './testing/basemap-page';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[web/src/map/basemap.browser.test.ts] SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).`);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PAGE = '/src/map/testing/basemap.html';
const OSM_TILES = 'https://tile.openstreetmap.org/**';

const share = (counts: Record<string, number>, name: string) => (counts[name] ?? 0) / Object.values(counts).reduce((a, b) => a + b, 0);

describe.skipIf(!hasChromium)('base layers in Chromium', () => {
  let outDir: string;
  let server: PreviewServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const tileRequests: string[] = [];
  const abortTiles = (route: Route) => {
    tileRequests.push(route.request().url());
    return route.abort('internetdisconnected');
  };

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'geocrop-basemap-build-'));
    const configFile = path.join(repo, 'vite.config.ts');
    // The page bundles OpenLayers and the base map (≈ 0.5 MB): above Vite's chunk-size warning, which is not news here.
    const input = { basemap: path.join(repo, 'web', PAGE) };
    await build({ configFile, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2048, rolldownOptions: { input } } });
    // Not the server's static handler: it serves only a build with the app's index.html.
    server = await preview({ configFile, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
    const pageUrl = server.resolvedUrls?.local[0];
    if (!pageUrl) throw new Error('vite preview reported no URL');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    context = await browser.newContext({ viewport: { width: 600, height: 600 } });
    await context.route(OSM_TILES, abortTiles);
    page = await context.newPage();
    await page.goto(new URL(PAGE, pageUrl).href);
    await page.waitForFunction(() => document.title === 'basemap ready');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('shows the vector base map and reports failing when the tile server is unreachable', async () => {
    await page.waitForFunction(() => window.basemapPage.status() === 'failing', undefined, { timeout: 20_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(tileRequests.length).toBeGreaterThanOrEqual(DEFAULT_FAIL_AFTER);
    expect(tileRequests.every((u) => /^https:\/\/tile\.openstreetmap\.org\/6\/\d+\/\d+\.png$/.test(u)), tileRequests.join(' ')).toBe(true);

    const census: PixelCensus = await page.evaluate(() => window.basemapPage.census());
    // Zimbabwe in its land colour (lines and labels make up the rest), its neighbours lighter, nothing blank. The
    // provinces (Natural Earth admin-1) and the outline (admin-0) differ by a pixel or two along the border.
    const all = JSON.stringify(census);
    expect(share(census.inside, 'land'), all).toBeGreaterThan(0.8);
    expect(share(census.inside, 'neighbourLand'), all).toBeLessThan(0.01);
    expect(share(census.outside, 'neighbourLand'), all).toBeGreaterThan(0.6);
    expect(share(census.outside, 'land'), all).toBeLessThan(0.01);
    expect((census.inside.transparent ?? 0) + (census.outside.transparent ?? 0)).toBe(0);
    expect(share(census.outside, 'other')).toBeGreaterThan(0.005); // borders and country labels are drawn too
  }, 60_000);

  it('reports offline while the browser is, and retries the tiles when it is back', async () => {
    const before = tileRequests.length;
    await context.setOffline(true);
    await page.waitForFunction(() => window.basemapPage.status() === 'offline', undefined, { timeout: 10_000 });
    await context.setOffline(false);
    await page.waitForFunction(() => window.basemapPage.history().at(-1) === 'failing' && window.basemapPage.history().at(-2) === 'online', undefined, { timeout: 20_000 });
    expect((await page.evaluate(() => window.basemapPage.history())).slice(-4)).toEqual(['failing', 'offline', 'online', 'failing']);
    expect(tileRequests.length - before).toBeGreaterThanOrEqual(DEFAULT_FAIL_AFTER);
  }, 60_000);

  it('turns online and draws the tiles over the vector map once tiles load', async () => {
    const magenta = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = c.height = 256;
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.fillStyle = '#ff00ff';
      ctx.fillRect(0, 0, 256, 256);
      return c.toDataURL('image/png').split(',')[1];
    });
    await context.unroute(OSM_TILES, abortTiles);
    // Cross-origin tiles reach a cross-origin isolated page only with CORS, which OSM's server sends too.
    await context.route(OSM_TILES, (route) =>
      route.fulfill({ status: 200, contentType: 'image/png', headers: { 'Access-Control-Allow-Origin': '*' }, body: Buffer.from(magenta, 'base64') }),
    );
    await page.evaluate(() => window.basemapPage.zoomTo(7));
    await page.waitForFunction(() => window.basemapPage.status() === 'online', undefined, { timeout: 20_000 });
    const census: PixelCensus = await page.evaluate(() => window.basemapPage.census({ tile: '#ff00ff' }));
    expect(share(census.inside, 'tile'), JSON.stringify(census)).toBeGreaterThan(0.99);
    expect(share(census.outside, 'tile'), JSON.stringify(census)).toBeGreaterThan(0.99);
  }, 60_000);
});
