// The PWA end to end, as a person uses it: built with Vite (service worker included), served by the real server app
// over a socket with the default demo world and the shipped models, opened in Debian's Chromium at tablet size.
// "Try the demo" → preview → 10 m crop map with legend and areas; the stored class map equals the Node CLI's for
// the same request; the pixel inspector and downloads; an invalid area explained before running; cancel stops the
// downloads; a corrupted scene is skipped without stopping the run; offline after one visit: the app reloads, the
// past run opens, and the same area recomputes from saved data.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../../../server/http/static-web';
import { loadModel, nodePipelineEnv } from '../../../server/pipeline';
import { CLASSES } from '../../../shared/contract/classes';
import { parseJobRequest } from '../../../shared/contract/job';
import { run } from '../../../shared/pipeline/run';
import { ISOLATION_HEADERS as VITE_ISOLATION_HEADERS } from '../../../vite.config';
import { setArea } from './testing/pwa-timing';
import { CHROMIUM, hasChromium, serveApp, type ServedApp } from './testing/serve-app';

if (!hasChromium) console.warn(`[web/src/app/app.browser.test.ts] SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).`);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Screenshots a person can look at after the run (gitignored). */
const ARTIFACTS = path.join(repo, '.cache/test-artifacts');

/** What the page stored of a run (IndexedDB), read back in the page. */
async function storedRun(page: Page, id: string): Promise<{ refined: string; request: unknown; aoiPixels: number; classified: number }> {
  return page.evaluate(async (runId) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('geocrop-history');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const data = await new Promise<{ display: { refined: Uint8Array; aoiMask: Uint8Array }; manifest: { request: unknown } }>((resolve, reject) => {
      const r = db.transaction('data').objectStore('data').get(runId);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    const { refined, aoiMask } = data.display;
    let aoiPixels = 0;
    let classified = 0;
    for (let i = 0; i < refined.length; i++) {
      if (!aoiMask[i]) continue;
      aoiPixels++;
      if (refined[i] !== 255) classified++;
    }
    let bin = '';
    for (let i = 0; i < refined.length; i += 0x8000) bin += String.fromCharCode(...refined.subarray(i, i + 0x8000));
    return { refined: btoa(bin), request: data.manifest.request, aoiPixels, classified };
  }, id);
}

/**
 * Of the drawn result layer's pixels (OpenLayers bakes the layer opacity into their alpha), how many have one of the
 * class colours (within a few levels: the image is reprojected onto the web map and un-premultiplied on reading).
 */
async function classColouredPixels(page: Page): Promise<{ opaque: number; classColoured: number }> {
  const colours = CLASSES.map((c) => c.colour);
  return page.evaluate((hex) => {
    const rgb = hex.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
    let opaque = 0;
    let classColoured = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('.geocrop-result canvas')) {
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 100) continue;
        opaque++;
        if (rgb.some((c) => Math.abs(c[0] - d[i]) <= 4 && Math.abs(c[1] - d[i + 1]) <= 4 && Math.abs(c[2] - d[i + 2]) <= 4)) classColoured++;
      }
    }
    return { opaque, classColoured };
  }, colours);
}

describe.skipIf(!hasChromium)('the PWA in Chromium', () => {
  let app: ServedApp;
  let server: { url: string };
  let context: BrowserContext;
  let page: Page;
  /** Arrival times (ms) of COG range requests. */
  const cogRequests: number[] = [];
  const problems: string[] = [];
  let demoRunId = '';

  beforeAll(async () => {
    app = await serveApp({
      intercept: async (c, next) => {
        if (c.req.path.startsWith('/demo/s3/')) cogRequests.push(performance.now());
        await next();
      },
    });
    server = app;
    context = await app.browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await mkdir(ARTIFACTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  it('uses the same isolation headers in Vite dev/preview as in the server', () => {
    expect(VITE_ISOLATION_HEADERS).toEqual(ISOLATION_HEADERS);
  });

  it('runs the demo: preview, then the 10 m crop map with legend and class areas, kept in History', async () => {
    await page.goto(server.url + '/');
    await page.getByTestId('try-demo').waitFor();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // No internet here: the app says it uses the demo world.
    await expect.poll(() => page.getByTestId('source-note').innerText(), { timeout: 15_000 }).toContain('using the built-in demo world');
    // Room for the server's accounts and runs, said to be unavailable rather than failing when tapped.
    expect(await page.getByTestId('sign-in').isDisabled()).toBe(true);
    expect(await page.getByTestId('send-to-server').isDisabled()).toBe(true);
    expect(await page.getByText(/accounts and server runs are not available yet/).count()).toBe(1);
    const t0 = Date.now();
    await page.getByTestId('try-demo').click();
    // The baseline crop mask first (one small read), then the preview replaces it.
    await page.getByRole('heading', { name: /^Baseline crop mask/ }).waitFor({ timeout: 60_000 });
    const baselineS = (Date.now() - t0) / 1000;
    expect(await page.getByTestId('layer').inputValue()).toBe('baseline');
    await page.getByRole('heading', { name: 'Preview (80 m)' }).waitFor({ timeout: 120_000 });
    const previewS = (Date.now() - t0) / 1000;
    await page.getByTestId('done').waitFor({ timeout: 240_000 });
    const fullS = (Date.now() - t0) / 1000;
    console.log(`[app.browser.test] demo: baseline on the map after ${baselineS.toFixed(1)} s, preview after ${previewS.toFixed(1)} s, 10 m result after ${fullS.toFixed(1)} s`);
    await page.getByRole('heading', { name: 'Result (10 m)' }).waitFor();

    const legend = page.getByTestId('legend');
    const rows = await legend.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBe(10);
    const hectares = rows.map((r) => Number(/([\d.]+) ha/.exec(r)?.[1]));
    // A 2 km circle is ≈ 1257 ha; the demo world has several crops and non-crop classes.
    expect(hectares.reduce((a, b) => a + b, 0)).toBeGreaterThan(1100);
    expect(hectares.filter((h) => h > 5).length).toBeGreaterThanOrEqual(4);

    // The map zooms to the area: a 2 km circle covers tens of thousands of screen pixels, nearly all in class colours.
    await expect.poll(async () => (await classColouredPixels(page)).classColoured, { timeout: 10_000 }).toBeGreaterThan(20_000);
    const drawn = await classColouredPixels(page);
    expect(drawn.classColoured / drawn.opaque).toBeGreaterThan(0.9);
    await page.screenshot({ path: path.join(ARTIFACTS, 'pwa-demo-768x1024.png') });

    await page.getByRole('heading', { name: 'History' }).scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('history').locator('li').count()).toBe(1);
    demoRunId = (await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const r = indexedDB.open('geocrop-history');
        r.onsuccess = () => resolve(r.result);
      });
      const keys = await new Promise<IDBValidKey[]>((resolve) => {
        const r = db.transaction('summaries').objectStore('summaries').getAllKeys();
        r.onsuccess = () => resolve(r.result);
      });
      db.close();
      return String(keys[0]);
    }));
    const stored = await storedRun(page, demoRunId);
    expect(stored.classified / stored.aoiPixels).toBeGreaterThan(0.95);
    expect(problems).toEqual([]);
  }, 300_000);

  it('gives the same class map as the Node pipeline for the same request', async () => {
    const stored = await storedRun(page, demoRunId);
    const model = await loadModel('croptype-demo');
    try {
      const env = nodePipelineEnv({ model, stacUrl: `${server.url}/demo/stac`, s3Template: '/demo/s3/{bucket}/{key}' });
      const inNode = await run(parseJobRequest(stored.request), { ...env, baseUrl: server.url });
      expect(Buffer.from(stored.refined, 'base64').equals(Buffer.from(inNode.layers.refined))).toBe(true);
    } finally {
      await model.release();
    }
  }, 180_000);

  it('inspects a pixel and offers the downloads', async () => {
    await page.getByTestId('inspect-mode').click();
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.getByTestId('map').click({ position: { x: box.width / 2 + 20, y: box.height / 2 + 20 } });
    await page.getByTestId('inspector').waitFor();
    expect(CLASSES.map((c) => c.name)).toContain(await page.getByTestId('inspector-class').innerText());
    expect(await page.getByTestId('inspector').locator('svg path.line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+){5,}/);

    const files = await page.getByTestId('downloads').locator('a').allInnerTexts();
    expect(files).toEqual(expect.arrayContaining(['refined.tif', 'confidence.tif', 'truecolor.tif', 'ndvi_peak.tif', 'manifest.json']));
    const manifest = await page.evaluate(async () => {
      const a = [...document.querySelectorAll<HTMLAnchorElement>('[data-testid=downloads] a')].find((x) => x.textContent === 'manifest.json')!;
      return (await fetch(a.href)).json();
    });
    expect(manifest.job_id).toBe(demoRunId);
    await page.getByRole('button', { name: 'Map as PNG' }).click();
    const png = await page.getByTestId('png-link').getAttribute('href');
    const pngBytes = await page.evaluate(async (u) => new Uint8Array(await (await fetch(u!)).arrayBuffer()).length, png);
    expect(pngBytes).toBeGreaterThan(10_000);
  }, 60_000);

  it('explains an invalid area next to its control before anything runs', async () => {
    await page.getByRole('button', { name: 'Tap moves area' }).click();
    await setArea(page, 31.5, -18.5, 1000);
    expect(await page.getByTestId('centre-message').innerText()).toContain('demo world only has data for');
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    await setArea(page, 30.03, -17.8, 3000);
    expect(await page.getByTestId('radius-message').innerText()).toMatch(/make the radius at most \d+ m/);
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    await setArea(page, 30.0, -17.8, 600);
    expect(await page.getByTestId('run').isDisabled()).toBe(false);
  });

  it('cancel stops the downloads', async () => {
    await setArea(page, 30.02, -17.81, 1500);
    const before = cogRequests.length;
    await page.getByTestId('run').click();
    await expect.poll(() => cogRequests.length - before, { timeout: 60_000 }).toBeGreaterThan(20);
    await page.getByTestId('cancel').click();
    await page.locator('[data-testid=run-status][data-phase=cancelled]').waitFor({ timeout: 5_000 });
    const cancelledAt = performance.now();
    await new Promise((r) => setTimeout(r, 2500));
    // Reads already on the wire may land just after the click; none may start a second later.
    expect(cogRequests.filter((t) => t > cancelledAt + 1000)).toEqual([]);
  }, 120_000);

  it('skips a corrupted scene and still maps the area', async () => {
    // Corrupt one 2022 scene's red band on the server (demo world fault injection; 2022 is the legacy collection).
    const search = await (await fetch(`${server.url}/demo/stac/search?collections=s2_l2a&bbox=29.99,-17.81,30.01,-17.79&datetime=2022-11-01T00:00:00Z/2022-12-31T23:59:59Z&limit=5`)).json();
    const href = String(search.features[0].assets.red?.href ?? search.features[0].assets.B04?.href);
    const folder = href.split('/').slice(-2, -1)[0];
    await fetch(`${server.url}/demo/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ corrupt: [`${folder}/B04`] }) });
    try {
      await setArea(page, 30.0, -17.8, 600);
      await page.getByTestId('run').click();
      await page.getByTestId('done').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('done').innerText()).toMatch(/[1-9]\d* skipped/);
    } finally {
      await fetch(`${server.url}/demo/faults`, { method: 'DELETE' });
    }
  }, 150_000);

  it('on a device with cores to spare, shows a 20 m preview between the 80 m one and the 10 m result', async () => {
    // Only the page's RunController reads this; the Workers still see this machine's two cores.
    const wide = await app.browser.newContext({ viewport: { width: 768, height: 1024 } });
    try {
      await wide.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 8 }));
      const p = await wide.newPage();
      await p.goto(server.url + '/');
      await p.getByTestId('try-demo').waitFor();
      await setArea(p, 30.0, -17.8, 1500);
      await p.getByTestId('run').click();
      await p.getByRole('heading', { name: 'Preview (80 m)' }).waitFor({ timeout: 120_000 });
      await p.getByRole('heading', { name: 'Preview (20 m)' }).waitFor({ timeout: 120_000 });
      await p.getByTestId('done').waitFor({ timeout: 240_000 });
      await p.getByRole('heading', { name: 'Result (10 m)' }).waitFor();
    } finally {
      await wide.close();
    }
  }, 300_000);

  it('"Save this area for offline", then offline: preview and 10 m map from the saved data alone', async () => {
    const field = await app.browser.newContext({ viewport: { width: 768, height: 1024 } });
    try {
      const p = await field.newPage();
      await p.goto(server.url + '/');
      await p.getByTestId('try-demo').waitFor();
      await setArea(p, 30.01, -17.79, 700);
      await p.getByTestId('save-offline').click();
      await p.getByTestId('offline-saved').waitFor({ timeout: 180_000 });
      await field.setOffline(true);
      await p.getByTestId('run').click();
      await p.getByRole('heading', { name: 'Preview (80 m)' }).waitFor({ timeout: 120_000 });
      await p.getByTestId('done').waitFor({ timeout: 240_000 });
      expect(await p.getByTestId('done').innerText()).toContain('Computed offline from data saved on this device.');
      expect(await p.getByTestId('preview-error').count()).toBe(0);
    } finally {
      await field.close();
    }
  }, 420_000);

  it('works offline after one visit: reloads, reopens a past run, recomputes the same area', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByTestId('try-demo').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('history').locator('li').count()).toBeGreaterThanOrEqual(2);
      // Reopen the demo run: instant, from IndexedDB.
      await page.getByTestId('history').locator('li').last().getByRole('button').first().click();
      await page.getByRole('heading', { name: 'Result (10 m)' }).waitFor({ timeout: 5_000 });
      // Recompute the last area (600 m) from the saved scene data.
      await setArea(page, 30.0, -17.8, 600);
      await page.getByTestId('run').click();
      await page.getByTestId('done').waitFor({ timeout: 120_000 });
      await page.screenshot({ path: path.join(ARTIFACTS, 'pwa-offline-768x1024.png') });
    } finally {
      await context.setOffline(false);
    }
    await writeFile(path.join(ARTIFACTS, 'README.txt'), 'Screenshots written by web/src/app/app.browser.test.ts.\n');
  }, 180_000);
});
