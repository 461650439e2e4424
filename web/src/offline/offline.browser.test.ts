// Offline in the real browser: the PWA's pipeline Worker in Chromium, against the real server (demo world, test
// model) over a socket, with the network cut by Playwright (`context.setOffline`) — the Worker's fetch then fails
// the way a tablet without signal does. A run computed online recomputes offline from IndexedDB, identical; an
// area not saved fails with "not saved for offline use"; "save for offline" on a fresh profile is enough for an
// offline run; the store keeps under its cap; and the IndexedDB store answers to the same contract as the in-memory
// one.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseStore, StoredResponse } from './response-store';
import { storeContract } from './testing/store-contract';
import type { Harness, HarnessOutcome, PlainStoredResponse } from '../worker/testing/harness';
import { CHROMIUM, hasChromium, startHarnessServer, type HarnessServer } from '../worker/testing/serve-harness';
import { TEST_MODEL_ID } from '../worker/testing/test-bundle';

if (!hasChromium) console.warn(`[web/src/offline/offline.browser.test.ts] SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).`);

/** Small (radius 600 m) but over both UTM tiles' overlap; the baseline is read too. */
const REQUEST = { job_id: 'offline-browser', aoi: { lon: 30.0, lat: -17.8, radius_m: 600 }, year: 2022, model: TEST_MODEL_ID, outputs: { true_color: false, indices: [] } };
const ELSEWHERE = { ...REQUEST, aoi: { lon: 30.02, lat: -17.82, radius_m: 600 } };
const OPTIONS = { source: 'demo' as const, writeFiles: false };

declare global {
  interface Window {
    geocrop: Harness;
  }
}

describe.skipIf(!hasChromium)('offline runs in the pipeline Worker', () => {
  let served: HarnessServer;
  /** Paths the server received, in order. */
  const requests: string[] = [];
  const contexts: BrowserContext[] = [];

  const fresh = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await served.browser.newContext();
    contexts.push(context);
    return { context, page: await served.open(context) };
  };
  const run = (page: Page, input: unknown): Promise<HarnessOutcome> => page.evaluate(([i, o]) => window.geocrop.run(i, o), [input, OPTIONS] as const);
  const refined = (page: Page): Promise<string> => page.evaluate(() => window.geocrop.bytes('refined'));
  /** Runs `work` with the context offline, returning it and the requests that reached the server meanwhile. */
  const offline = async <T>(context: BrowserContext, work: () => Promise<T>): Promise<{ value: T; reached: string[] }> => {
    const before = requests.length;
    await context.setOffline(true);
    try {
      return { value: await work(), reached: requests.slice(before) };
    } finally {
      await context.setOffline(false);
    }
  };

  beforeAll(async () => {
    served = await startHarnessServer((p) => requests.push(p));
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await served?.close();
  });

  describe('IndexedDB store in Chromium', () => {
    let page: Page;
    let n = 0;
    /** The page's store seen from here: each call runs in the page. */
    const pageStore = (name: string): ResponseStore => {
      const call = (method: keyof ResponseStore, args: unknown[]) => page.evaluate(([s, m, a]) => window.geocrop.idbCall(s, m, a), [name, method, args] as const);
      return {
        get: async (key) => {
          const got = (await call('get', [key])) as PlainStoredResponse | undefined;
          return got && { ...got, body: Uint8Array.from(got.body) };
        },
        put: async (key, response: StoredResponse) => void (await call('put', [key, { ...response, body: Array.from(response.body) }])),
        stats: async () => (await call('stats', [])) as Awaited<ReturnType<ResponseStore['stats']>>,
        setMaxBytes: async (maxBytes) => void (await call('setMaxBytes', [maxBytes])),
        clear: async () => void (await call('clear', [])),
      };
    };
    beforeAll(async () => {
      page = (await fresh()).page;
    }, 60_000);

    storeContract(async ({ maxBytes }) => {
      const name = `contract-${++n}`;
      await page.evaluate(([s, m]) => window.geocrop.idbOpen(s, m), [name, maxBytes] as const);
      return pageStore(name);
    });

    it('keeps entries for another store instance over the same database (another Worker, a later visit)', async () => {
      await page.evaluate(() => window.geocrop.idbOpen('persist', 1e6));
      await pageStore('persist').put('GET https://x/a', { status: 200, headers: { etag: '"1"' }, body: new Uint8Array([1, 2, 3]) });
      await page.evaluate(() => window.geocrop.idbOpen('persist', 1e6, false));
      expect(await pageStore('persist').stats()).toMatchObject({ entries: 1, bytes: 3 + 'GET https://x/a'.length + 'etag"1"'.length, persistent: true });
      expect(Array.from((await pageStore('persist').get('GET https://x/a'))?.body ?? [])).toEqual([1, 2, 3]);
    });
  });

  describe('after an online run', () => {
    let context: BrowserContext;
    let page: Page;
    let online: Extract<HarnessOutcome, { ok: true }>;
    let onlineMap: string;

    beforeAll(async () => {
      ({ context, page } = await fresh());
      const out = await run(page, REQUEST);
      if (!out.ok) throw new Error(`online run failed: ${JSON.stringify(out.error)}`);
      online = out;
      onlineMap = await refined(page);
    }, 120_000);

    it('saved every answer of the run', () => {
      expect(online.cache).toMatchObject({ hits: 0, unavailable: 0, saveFailures: 0 });
      expect(online.cache!.misses).toBeGreaterThan(20);
      expect(online.cache!.saved).toBe(online.cache!.misses);
    });

    it('recomputes the area offline from saved answers alone, identically', async () => {
      const { value: again, reached } = await offline(context, () => run(page, REQUEST));
      if (!again.ok) throw new Error(`offline run failed: ${JSON.stringify(again.error)}`);
      expect(reached, 'requests that reached the server while offline').toEqual([]);
      expect(again.cache).toMatchObject({ misses: 0, unavailable: 0, bytesFromNetwork: 0, bytesFromCache: online.cache!.bytesFromNetwork });
      expect(again.cache!.hits).toBe(online.cache!.misses);
      expect(await refined(page)).toBe(onlineMap);
      expect(again.manifest.scenes).toEqual(online.manifest.scenes);
      expect(again.manifest.class_areas_ha).toEqual(online.manifest.class_areas_ha);
    }, 90_000);

    it('fails another area offline, plainly: not saved for offline use', async () => {
      const { value: elsewhere } = await offline(context, () => run(page, ELSEWHERE));
      expect(elsewhere.ok).toBe(false);
      if (elsewhere.ok) return;
      expect(elsewhere.error).toMatchObject({ name: 'GeoCropError', code: 'STAC_UNAVAILABLE', isGeoCropError: true, details: { offline: true } });
      expect(elsewhere.error.message).toContain('not saved for offline use');
      expect(elsewhere.stages).toEqual(['fetch_stac']);
    }, 60_000);

    it('saves an area for offline use on a fresh profile; an offline run then needs nothing else', async () => {
      const other = await fresh();
      const out = await other.page.evaluate((r) => window.geocrop.save(r, { source: 'demo' }), REQUEST);
      if (!out.ok) throw new Error(`save failed: ${JSON.stringify(out.error)}`);
      const { saved } = out;
      expect(saved.cache).toMatchObject({ hits: 0, unavailable: 0, saveFailures: 0 });
      expect(saved.store).toMatchObject({ entries: saved.entriesSaved, persistent: true });
      expect(saved.bytesSaved).toBeGreaterThan(1e6);
      // The run's answers plus config, manifest.json and model.onnx: with the offline run below needing nothing else,
      // the save read exactly the requests of a run.
      expect(saved.entriesSaved).toBe(online.cache!.saved + 3);

      const { value: result, reached } = await offline(other.context, () => run(other.page, REQUEST));
      if (!result.ok) throw new Error(`offline run failed: ${JSON.stringify(result.error)}`);
      expect(reached).toEqual([]);
      expect(result.cache).toMatchObject({ misses: 0, unavailable: 0 });
      expect(await refined(other.page)).toBe(onlineMap);

      // Eviction: a lower cap takes effect at once, least recently used first (puts evict too: the contract above).
      const before = await other.page.evaluate(() => window.geocrop.offline('stats'));
      const cap = Math.floor(before.bytes / 3);
      const after = await other.page.evaluate((c) => window.geocrop.offline('limit', c), cap);
      expect(after.maxBytes).toBe(cap);
      expect(after.bytes).toBeLessThanOrEqual(cap);
      expect(after.entries).toBeLessThan(before.entries);
      expect(after.entries).toBeGreaterThan(0);
      expect(await other.page.evaluate(() => window.geocrop.offline('clear'))).toMatchObject({ entries: 0, bytes: 0 });
      const refused = await other.page.evaluate(() => window.geocrop.offline('limit', -1).then(() => 'accepted', (e: Error & { code?: string }) => e.code));
      expect(refused).toBe('INVALID_REQUEST');
    }, 150_000);
  });
});
