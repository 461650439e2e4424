import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStacApi, type StacApiOptions, type StacCatalog, type StacItemDoc } from '../../server/demo-world/stac-api';
import { syntheticCatalog } from '../../server/demo-world/stac-api/testing/synthetic-catalog';
import { createFaultInjector } from '../../server/http/faults';
import { listen, type Listening } from '../../server/http/test-listen';
import { GeoCropError } from '../contract/errors';
import type { FetchFn, RetryInfo } from '../net/fetch-retry';
import { DEFAULT_PAGE_SIZE, searchItems, type StacPageInfo, type StacSearchParams } from './search';
import { searchSeasonScenes } from './search-season';

// searchItems against the demo world's STAC API (DEA Explorer's behaviour: POST paging with merge + `_o`,
// CQL2 filters, 400s with a description), in-process through `app.fetch` and over a real socket with faults.

const STAC = 'http://demo.test/stac';
const { catalog, items } = syntheticCatalog();
const FAST = { retry: { baseDelayMs: 2 } };

interface Logged {
  method: string;
  url: string;
  body: Record<string, unknown> | null;
}

/** The demo API in-process; every request it receives is logged. */
function demoApi(cat: StacCatalog = catalog, apiOpts: StacApiOptions = {}) {
  const app = new Hono();
  app.route('/stac', createStacApi(cat, apiOpts));
  const log: Logged[] = [];
  const fetchFn: FetchFn = async (url, init) => {
    log.push({ method: init?.method ?? 'GET', url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : null });
    return app.fetch(new Request(url, init));
  };
  return { fetchFn, log };
}

const BOX: [number, number, number, number] = [30.2, -17.8, 30.6, -17.4]; // inside tile 36KSF only
const WINDOW = '2022-09-01T00:00:00Z/2023-05-31T23:59:59Z';
const params = (over: Partial<StacSearchParams> = {}): StacSearchParams => ({
  stacUrl: STAC, collections: ['s2_l2a_c1'], bbox: BOX, datetime: WINDOW, maxCloudCover: 50, ...over,
});

/** What the search must return, computed from the catalog itself (footprint boxes are axis-aligned). */
function expected(collection: string, maxCloud: number | null, cat: readonly StacItemDoc[] = items): string[] {
  const [w, s, e, n] = BOX;
  return cat
    .filter((i) => {
      const t = Date.parse(i.properties.datetime as string);
      const c = i.properties['eo:cloud_cover'];
      const [iw, is, ie, inn] = i.bbox!;
      return i.collection === collection && t >= Date.UTC(2022, 8, 1) && t <= Date.UTC(2023, 4, 31, 23, 59, 59) &&
        iw <= e && ie >= w && is <= n && inn >= s &&
        (maxCloud === null || (typeof c === 'number' && c <= maxCloud));
    })
    .sort((a, b) => (a.properties.datetime! < b.properties.datetime! ? -1 : a.properties.datetime! > b.properties.datetime! ? 1 : a.id < b.id ? -1 : 1))
    .map((i) => i.id);
}

const ids = (features: unknown[]) => features.map((f) => (f as { id: string }).id);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** A hand-written server for shapes the demo API never produces. */
function fakeServer(answer: (req: Logged, n: number) => Response) {
  const log: Logged[] = [];
  const fetchFn: FetchFn = async (url, init) => {
    const req = { method: init?.method ?? 'GET', url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : null };
    log.push(req);
    return answer(req, log.length);
  };
  return { fetchFn, log };
}
const page = (features: unknown[], links: unknown[] = []) =>
  new Response(JSON.stringify({ type: 'FeatureCollection', features, links }), { headers: { 'Content-Type': 'application/geo+json' } });

describe('searchItems against the demo STAC API (in-process)', () => {
  it('pages through every match with Explorer\'s POST merge links; the cloud filter runs on the server', async () => {
    const L = 2;
    const want = expected('s2_l2a_c1', 50);
    expect(want.length).toBeGreaterThan(2 * L); // at least three pages
    expect(expected('s2_l2a_c1', null).length).toBeGreaterThan(want.length); // the filter matters
    const { fetchFn, log } = demoApi();
    const progress: StacPageInfo[] = [];
    const r = await searchItems(fetchFn, params({ limit: L }), { onPage: (p) => progress.push(p) });

    expect(ids(r.features)).toEqual(want);
    expect(r.pages).toBe(Math.ceil(want.length / L));
    expect([r.requests, r.matched]).toEqual([r.pages, want.length]);
    expect(log[0]).toEqual({
      method: 'POST', url: `${STAC}/search`,
      body: {
        collections: ['s2_l2a_c1'], bbox: BOX, datetime: WINDOW, limit: L,
        filter: { op: '<=', args: [{ property: 'eo:cloud_cover' }, 50] }, 'filter-lang': 'cql2-json',
      },
    });
    // Every next page: the same body merged with Explorer's offset.
    log.forEach((l, i) => expect(l).toEqual({ ...log[0], body: { ...log[0].body, ...(i > 0 ? { _o: L * i } : {}) } }));
    for (const f of r.features as { properties: Record<string, number> }[]) expect(f.properties['eo:cloud_cover']).toBeLessThanOrEqual(50);
    expect(progress.map((p) => [p.collection, p.page, p.items, p.total, p.matched])).toEqual(
      progress.map((_, i) => ['s2_l2a_c1', i + 1, Math.min(L, want.length - L * i), Math.min(L * (i + 1), want.length), want.length]),
    );
  });

  it('sends no filter without a cloud limit (or at 100 %), so items without eo:cloud_cover come back too', async () => {
    for (const maxCloudCover of [undefined, 100]) {
      const { fetchFn, log } = demoApi();
      const r = await searchItems(fetchFn, params({ maxCloudCover, collections: ['s2_l2a'] }));
      expect(log[0].body).not.toHaveProperty('filter');
      expect(log[0].body).not.toHaveProperty('filter-lang');
      expect(log[0].body!.limit).toBe(DEFAULT_PAGE_SIZE);
      expect(ids(r.features)).toEqual(expected('s2_l2a', null));
    }
  });

  it('the server\'s 400 becomes STAC_BAD_PARAMETER with its message, without retries', async () => {
    const { fetchFn, log } = demoApi(catalog, { maxLimit: 100 });
    const err = (await rejection(searchItems(fetchFn, params({ limit: 500 }), FAST))) as GeoCropError;
    expect(err).toBeInstanceOf(GeoCropError);
    expect(err.code).toBe('STAC_BAD_PARAMETER');
    expect(err.message).toContain('Max page size is 100. Use the next links instead of a large limit.');
    expect(err.details).toMatchObject({ status: 400, url: `${STAC}/search` });
    expect(log).toHaveLength(1);

    const bad = demoApi();
    const e2 = (await rejection(searchItems(bad.fetchFn, params({ datetime: 'last summer' })))) as GeoCropError;
    expect([e2.code, bad.log.length]).toEqual(['STAC_BAD_PARAMETER', 1]);
    expect(e2.message).toMatch(/datetime/i);
  });

  it('a wrong STAC URL (404) is STAC_NOT_FOUND naming the URL and what to change', async () => {
    const app = new Hono();
    app.route('/stac', createStacApi(catalog));
    let calls = 0;
    const fetchFn: FetchFn = async (url, init) => (calls++, app.fetch(new Request(url, init)));
    const err = (await rejection(searchItems(fetchFn, params({ stacUrl: 'http://demo.test/stac/collections/s2_l2a_c1' })))) as GeoCropError;
    expect(err.code).toBe('STAC_NOT_FOUND');
    expect(err.message).toContain('http://demo.test/stac/collections/s2_l2a_c1/search');
    expect(err.message).toContain('No STAC endpoint at /stac/collections/s2_l2a_c1/search');
    expect(err.message).toContain('Check the STAC URL');
    expect(calls).toBe(1);
  });

  it('limits and inputs are checked before any request', async () => {
    const { fetchFn, log } = demoApi();
    const codeOf = async (p: Partial<StacSearchParams>) => ((await rejection(searchItems(fetchFn, params(p)))) as GeoCropError).code;
    expect(await codeOf({ limit: 1001 })).toBe('STAC_BAD_PARAMETER');
    expect(await codeOf({ limit: 0 })).toBe('STAC_BAD_PARAMETER');
    expect(await codeOf({ stacUrl: 'explorer.digitalearth.africa/stac' })).toBe('STAC_BAD_PARAMETER');
    expect(await codeOf({ collections: [] })).toBe('STAC_BAD_PARAMETER');
    expect(await codeOf({ maxCloudCover: 120 })).toBe('INVALID_REQUEST');
    expect(await codeOf({ maxCloudCover: Number.NaN })).toBe('INVALID_REQUEST');
    expect(log).toHaveLength(0);
    // The maximum itself is fine, and a trailing slash on the root too.
    await searchItems(fetchFn, params({ limit: 1000, stacUrl: `${STAC}/` }));
    expect(log.map((l) => l.url)).toEqual([`${STAC}/search`]);
  });

  it('stops following pages when aborted, rejecting with the AbortError', async () => {
    const { fetchFn, log } = demoApi();
    const ac = new AbortController();
    const err = await rejection(searchItems(fetchFn, params({ limit: 2 }), { onPage: () => ac.abort() }, ac.signal));
    expect(err.name).toBe('AbortError');
    expect(log).toHaveLength(1);
  });

  it('more pages than maxPages is a clear STAC_UNAVAILABLE', async () => {
    const { fetchFn, log } = demoApi();
    const err = (await rejection(searchItems(fetchFn, params({ limit: 1 }), { maxPages: 3 }))) as GeoCropError;
    expect(err.code).toBe('STAC_UNAVAILABLE');
    expect(err.message).toContain('still had more pages after 3 pages (3 items)');
    expect(err.message).toContain('narrow the search');
    expect(log).toHaveLength(3);
  });
});

describe('searchItems against odd servers', () => {
  it('follows GET next links (relative hrefs too) and POST links that replace the body', async () => {
    const { fetchFn, log } = fakeServer((req, n) => {
      if (n === 1) return page([{ id: 'a' }], [{ rel: 'next', href: 'search?token=2', type: 'application/geo+json' }]);
      if (n === 2) return page([{ id: 'b' }], [{ rel: 'next', method: 'POST', href: `${STAC}/search`, body: { token: 3 } }]);
      return page([{ id: 'c' }], [{ rel: 'self', href: req.url }]);
    });
    const r = await searchItems(fetchFn, params());
    expect(ids(r.features)).toEqual(['a', 'b', 'c']);
    expect(log.map((l) => [l.method, l.url, l.body])).toEqual([
      ['POST', `${STAC}/search`, log[0].body],
      ['GET', `${STAC}/search?token=2`, null],
      ['POST', `${STAC}/search`, { token: 3 }],
    ]);
    expect(r.matched).toBeNull();
  });

  it('a next link back to a page already read is a paging loop: STAC_UNAVAILABLE, not an endless search', async () => {
    const { fetchFn, log } = fakeServer(() => page([{ id: 'x' }], [{ rel: 'next', method: 'POST', merge: true, href: `${STAC}/search`, body: { _o: 5 } }]));
    const err = (await rejection(searchItems(fetchFn, params()))) as GeoCropError;
    expect(err.code).toBe('STAC_UNAVAILABLE');
    expect(err.message).toContain('its paging is broken');
    expect(log).toHaveLength(2); // the first page, and the one at _o=5; the link to _o=5 again is refused
  });

  it('a non-JSON answer (a proxy\'s HTML page) and JSON without features are STAC_UNAVAILABLE', async () => {
    const html = fakeServer(() => new Response('<!DOCTYPE html><html>Sign in</html>', { headers: { 'Content-Type': 'text/html' } }));
    const e1 = (await rejection(searchItems(html.fetchFn, params()))) as GeoCropError;
    expect(e1.code).toBe('STAC_UNAVAILABLE');
    expect(e1.message).toContain('not JSON (text/html: "<!DOCTYPE html><html>Sign in</html>")');
    expect(e1.message).toContain('API root');
    const landing = fakeServer(() => Response.json({ type: 'Catalog', links: [] }));
    const e2 = (await rejection(searchItems(landing.fetchFn, params()))) as GeoCropError;
    expect([e2.code, e2.message.includes('not a STAC ItemCollection')]).toEqual(['STAC_UNAVAILABLE', true]);
    expect(html.log.length + landing.log.length).toBe(2); // a 200 is never retried
  });

  it('a next link with an unknown method is refused', async () => {
    const { fetchFn } = fakeServer(() => page([], [{ rel: 'next', method: 'PATCH', href: `${STAC}/search` }]));
    const err = (await rejection(searchItems(fetchFn, params()))) as GeoCropError;
    expect([err.code, err.message.includes('method PATCH')]).toEqual(['STAC_UNAVAILABLE', true]);
  });

  it('403 is STAC_UNAVAILABLE (access refused), 422 is STAC_BAD_PARAMETER quoting `detail`', async () => {
    const denied = fakeServer(() => new Response('Forbidden', { status: 403 }));
    const e1 = (await rejection(searchItems(denied.fetchFn, params()))) as GeoCropError;
    expect([e1.code, e1.message.includes('refuses access')]).toEqual(['STAC_UNAVAILABLE', true]);
    const strict = fakeServer(() => Response.json({ detail: 'filter-lang cql2-json is not supported' }, { status: 422 }));
    const e2 = (await rejection(searchItems(strict.fetchFn, params()))) as GeoCropError;
    expect([e2.code, e2.message.includes('filter-lang cql2-json is not supported')]).toEqual(['STAC_BAD_PARAMETER', true]);
  });
});

describe('searchItems over a real socket with injected faults', () => {
  const faults = createFaultInjector();
  let server: Listening;
  let stacUrl = '';
  let served = 0;
  const fetchFn: FetchFn = (url, init) => fetch(url, init);

  beforeAll(async () => {
    const app = new Hono();
    app.use('*', async (_c, next) => {
      served++;
      await next();
    });
    app.use(faults.middleware());
    app.route('/demo/stac', createStacApi(catalog));
    server = await listen(app);
    stacUrl = `${server.url}/demo/stac`;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    faults.reset();
    served = 0;
  });

  const want = expected('s2_l2a_c1', 50);

  it('a 500, then success: retried once, same result', async () => {
    faults.update({ errorRate: 1 });
    const retries: RetryInfo[] = [];
    const r = await searchItems(fetchFn, params({ stacUrl, limit: 5 }), {
      ...FAST,
      onRetry: (info) => {
        retries.push(info);
        faults.update({ errorRate: 0 });
      },
    });
    expect(ids(r.features)).toEqual(want);
    expect(retries.map((x) => [x.attempt, x.reason, x.url])).toEqual([[1, 'HTTP 500', `${stacUrl}/search`]]);
    expect([r.requests, served]).toEqual([r.pages + 1, r.pages + 1]);
  });

  it('a 429 with Retry-After: 1, then success: waits the second the server asked for', async () => {
    faults.update({ rate429: 1, retryAfterS: 1 });
    const retries: RetryInfo[] = [];
    const t0 = performance.now();
    const r = await searchItems(fetchFn, params({ stacUrl }), {
      retry: { baseDelayMs: 1 },
      onRetry: (info) => {
        retries.push(info);
        faults.update({ rate429: 0 });
      },
    });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
    expect(retries).toEqual([{ url: `${stacUrl}/search`, attempt: 1, reason: 'HTTP 429', delayMs: 1000 }]);
    expect(ids(r.features)).toEqual(want);
    expect(r.requests).toBe(2);
  });

  it('500 forever: STAC_UNAVAILABLE after 3 attempts', async () => {
    faults.update({ errorRate: 1 });
    const err = (await rejection(searchItems(fetchFn, params({ stacUrl }), FAST))) as GeoCropError;
    expect(err.code).toBe('STAC_UNAVAILABLE');
    expect(err.message).toContain('STAC search page 1 (s2_l2a_c1) failed after 3 attempts (HTTP 500)');
    expect(err.message).toContain(`${stacUrl}/search`);
    expect(served).toBe(3);
  });

  it('a whole season search over HTTP through a 500: both collections, same scenes as in-process', async () => {
    faults.update({ errorRate: 1 });
    const aoi = { lon: 30.4, lat: -17.6, radius_m: 3000 };
    const r = await searchSeasonScenes(fetchFn, { stacUrl, aoi, year: 2022 }, { ...FAST, pageSize: 3, onRetry: () => faults.update({ errorRate: 0 }) });
    const local = await searchSeasonScenes(demoApi().fetchFn, { stacUrl: STAC, aoi, year: 2022 });
    expect(r.scenes.map((x) => x.id)).toEqual(local.scenes.map((x) => x.id));
    expect(r.scenes.length).toBeGreaterThan(3);
    // Both first requests may be in flight when the 500s stop: one or two retries.
    expect(r.counts.requests - r.counts.pages).toBeGreaterThanOrEqual(1);
    expect(r.counts.requests - r.counts.pages).toBeLessThanOrEqual(2);
    expect(served).toBe(r.counts.requests);
  });

  it('latency beyond the per-attempt timeout is retried, then reported as a timeout', async () => {
    faults.update({ latencyMs: 2000 });
    const err = (await rejection(searchItems(fetchFn, params({ stacUrl }), { retry: { attempts: 2, timeoutMs: 60, baseDelayMs: 1 } }))) as GeoCropError;
    expect([err.code, err.details!.reason]).toEqual(['STAC_UNAVAILABLE', 'timeout after 60 ms']);
  });
});
