// The caching fetch over a scripted network and the in-memory store: cache-first ranges, network-first everything
// else with the saved copy as the fallback, nothing saved from failures, POST keys, proxied reads, and the offline
// error. The whole pipeline through it, against the real demo world, is in save-for-offline.test.ts.
import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../../../shared/contract/errors';
import type { FetchFn } from '../../../shared/net/fetch-retry';
import { createByteStats } from '../../../shared/raster/byte-stats';
import { proxiedUrl } from '../../../shared/raster/href';
import { fetchRange } from '../../../shared/raster/http-client';
import { createCachingFetch, notSavedForOffline } from './caching-fetch';
import { proxyUnwrapper } from './request-key';
import { createMemoryResponseStore, type ResponseStore } from './response-store';

const ORIGIN = 'https://geocrop.test';
const COG = `${ORIGIN}/demo/s3/bucket/B04.tif`;
const FILE = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 13) & 0xff);

interface Net {
  fetch: FetchFn;
  offline: boolean;
  /** Requests that reached the network, as `METHOD path [range]`. */
  calls: string[];
  /** Answers instead of the files when it returns a response. */
  answer?: (url: string, init?: RequestInit) => Response | undefined;
  config: unknown;
}

/** A network serving FILE (ranges honoured), `/api/config`, and STAC POSTs that echo their body. */
function network(): Net {
  const net: Net = {
    offline: false,
    calls: [],
    config: { version: 1 },
    fetch: async (url, init) => {
      const range = new Headers(init?.headers).get('range');
      net.calls.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}${range ? ` ${range}` : ''}`);
      init?.signal?.throwIfAborted();
      if (net.offline) throw new TypeError('Failed to fetch');
      const custom = net.answer?.(url, init);
      if (custom) return custom;
      const path = new URL(url).pathname;
      if (init?.method === 'POST') return Response.json({ echo: JSON.parse(String(init.body)) });
      if (path === '/api/config') return Response.json(net.config);
      const target = path.startsWith('/api/proxy') ? new URL(new URL(url).searchParams.get('url')!).pathname : path;
      if (target !== new URL(COG).pathname) return new Response('not found', { status: 404 });
      if (!range) return new Response(FILE, { headers: { 'content-type': 'image/tiff' } });
      const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(range)!;
      const start = Number(a);
      const end = Math.min(Number(b), FILE.length - 1);
      return new Response(FILE.slice(start, end + 1), { status: 206, headers: { 'content-range': `bytes ${start}-${end}/${FILE.length}`, 'content-type': 'image/tiff', etag: '"cog-1"' } });
    },
  };
  return net;
}

const ranged = (start: number, end: number, signal?: AbortSignal): RequestInit => ({ headers: { Range: `bytes=${start}-${end}` }, signal });
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const json = async (res: Response) => (await res.json()) as unknown;

function setup(store: ResponseStore = createMemoryResponseStore()) {
  const net = network();
  const cache = createCachingFetch(net.fetch, store);
  return { net, store, cache };
}

describe('range GETs: cache-first', () => {
  it('reads a range from the network once, then from the saved copy, with the same bytes and headers', async () => {
    const { net, cache, store } = setup();
    const first = await cache.fetch(COG, ranged(8192, 16383));
    expect(first.status).toBe(206);
    expect(await bytes(first)).toEqual(FILE.slice(8192, 16384));
    await cache.settled();
    expect(await store.stats()).toMatchObject({ entries: 1 });

    const again = await cache.fetch(COG, ranged(8192, 16383));
    expect([again.status, again.headers.get('content-range'), again.headers.get('etag'), again.headers.get('content-length')]).toEqual([206, 'bytes 8192-16383/40000', '"cog-1"', '8192']);
    expect(await bytes(again)).toEqual(FILE.slice(8192, 16384));
    expect(net.calls).toEqual(['GET /demo/s3/bucket/B04.tif bytes=8192-16383']);
    expect(cache.counters).toEqual({ hits: 1, misses: 1, unavailable: 0, bytesFromCache: 8192, bytesFromNetwork: 8192, saved: 1, bytesSaved: 8192, saveFailures: 0 });
  });

  it('serves the COG reader offline: fetchRange gets the same part from the saved copy', async () => {
    const { net, cache } = setup();
    const io = { fetch: cache.fetch, stats: createByteStats(), proxiedHosts: new Set<string>() };
    // The last block of the file: the server answers fewer bytes than asked, up to the end.
    const online = await fetchRange(io, COG, 32768, 8192);
    await cache.settled();
    net.offline = true;
    const offline = await fetchRange(io, COG, 32768, 8192);
    expect(offline).toEqual(online);
    expect(online).toMatchObject({ start: 32768, end: 39999, total: 40000, etag: '"cog-1"' });
    expect(cache.counters).toMatchObject({ hits: 1, misses: 1, unavailable: 0 });
  });

  it('reads other ranges of a saved file from the network: keys are exact', async () => {
    const { net, cache } = setup();
    await bytes(await cache.fetch(COG, ranged(0, 8191)));
    await cache.settled();
    await bytes(await cache.fetch(COG, ranged(0, 4095)));
    expect(net.calls).toHaveLength(2);
  });
});

describe('saves only complete, successful answers', () => {
  /** A body that sends `first`, then fails the way a dropped connection does. */
  const breaking = (first: Uint8Array) => {
    let sent = false;
    return new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) c.error(new TypeError('network error'));
        else c.enqueue(first);
        sent = true;
      },
    });
  };
  const cr = (a: number, b: number) => ({ 'content-range': `bytes ${a}-${b}/${FILE.length}` });
  const faults: [string, () => Response][] = [
    ['a 200 to a range request (Range ignored)', () => new Response(FILE)],
    ['a 206 for another range', () => new Response(FILE.slice(0, 8192), { status: 206, headers: cr(0, 8191) })],
    ['a 206 shorter than asked, not at the end of the file', () => new Response(FILE.slice(8192, 9192), { status: 206, headers: cr(8192, 9191) })],
    ['a 206 without Content-Range', () => new Response(FILE.slice(8192, 16384), { status: 206 })],
    ['a truncated body', () => new Response(FILE.slice(8192, 12000), { status: 206, headers: cr(8192, 16383) })],
    ['a body longer than its Content-Range', () => new Response(FILE.slice(8192, 20000), { status: 206, headers: cr(8192, 16383) })],
    ['a body that breaks off', () => new Response(breaking(FILE.slice(8192, 9000)), { status: 206, headers: cr(8192, 16383) })],
    ['a 404', () => new Response('gone', { status: 404 })],
    ['a 416', () => new Response('', { status: 416 })],
    ['a 500', () => new Response('oops', { status: 500 })],
    ['a 503', () => new Response('busy', { status: 503 })],
  ];
  for (const [what, answer] of faults) {
    it(`nothing from ${what}`, async () => {
      const { net, cache, store } = setup();
      net.answer = answer;
      const res = await cache.fetch(COG, ranged(8192, 16383));
      await res.arrayBuffer().catch(() => undefined);
      await cache.settled();
      expect(await store.stats()).toMatchObject({ entries: 0, bytes: 0 });
      expect(cache.counters.saved).toBe(0);
    });
  }

  it('nothing from an error answer to a plain GET or a POST', async () => {
    const { net, cache, store } = setup();
    net.answer = () => new Response('{"error":"busy"}', { status: 503 });
    await (await cache.fetch(`${ORIGIN}/api/config`)).text();
    await (await cache.fetch(`${ORIGIN}/stac/search`, { method: 'POST', body: '{}' })).text();
    await cache.settled();
    expect((await store.stats()).entries).toBe(0);
  });

  it('nothing from a read that is aborted, or cancelled by the caller, midway', async () => {
    const { net, cache, store } = setup();
    const controller = new AbortController();
    net.answer = (_url, init) => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (!sent) c.enqueue(FILE.slice(8192, 9192));
          sent = true;
          // Then stall until aborted, as fetch's body does.
          return new Promise<void>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
        },
      });
      return new Response(body, { status: 206, headers: { 'content-range': `bytes 8192-16383/${FILE.length}` } });
    };
    const res = await cache.fetch(COG, ranged(8192, 16383, controller.signal));
    const reader = res.body!.getReader();
    expect((await reader.read()).value?.byteLength).toBe(1000);
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toThrow();

    const cancelled = await cache.fetch(COG, ranged(8192, 16383, new AbortController().signal));
    const r2 = cancelled.body!.getReader();
    await r2.read();
    await r2.cancel();
    await cache.settled();
    expect((await store.stats()).entries).toBe(0);
  });

  it('still answers when the store refuses to save, and counts the failure', async () => {
    const refusing: ResponseStore = { ...createMemoryResponseStore(), put: () => Promise.reject(new DOMException('Quota exceeded.', 'QuotaExceededError')) };
    const { cache } = setup(refusing);
    expect(await bytes(await cache.fetch(COG, ranged(0, 8191)))).toEqual(FILE.slice(0, 8192));
    await cache.settled();
    expect(cache.counters).toMatchObject({ saved: 0, saveFailures: 1 });
    expect(cache.writeErrors.map((e) => e.name)).toEqual(['QuotaExceededError']);
  });
});

describe('other GETs and POSTs: network-first', () => {
  it('asks the network every time, keeps the latest answer, and falls back to it without network', async () => {
    const { net, cache, store } = setup();
    expect(await json(await cache.fetch(`${ORIGIN}/api/config`))).toEqual({ version: 1 });
    net.config = { version: 2 };
    expect(await json(await cache.fetch(`${ORIGIN}/api/config`))).toEqual({ version: 2 });
    await cache.settled();
    expect((await store.stats()).entries).toBe(1);
    net.offline = true;
    const saved = await cache.fetch(`${ORIGIN}/api/config`);
    expect([saved.status, saved.headers.get('content-type')]).toEqual([200, 'application/json']);
    expect(await json(saved)).toEqual({ version: 2 });
    expect(net.calls.filter((c) => c === 'GET /api/config')).toHaveLength(3);
    expect(cache.counters).toMatchObject({ hits: 1, misses: 2, unavailable: 0 });
  });

  it('keys POSTs by body: each search its own answer offline, an unsaved one fails', async () => {
    const { net, cache } = setup();
    const search = (bbox: number[]) => cache.fetch(`${ORIGIN}/stac/search`, { method: 'POST', body: JSON.stringify({ bbox }) });
    for (const bbox of [[1, 2, 3, 4], [5, 6, 7, 8]]) await json(await search(bbox));
    await cache.settled();
    net.offline = true;
    expect(await json(await search([5, 6, 7, 8]))).toEqual({ echo: { bbox: [5, 6, 7, 8] } });
    expect(await json(await search([1, 2, 3, 4]))).toEqual({ echo: { bbox: [1, 2, 3, 4] } });
    await expect(search([9, 9, 9, 9])).rejects.toThrow(TypeError);
  });

  it('answers from the saved copy only when the network is unreachable, not on an abort or a refusal', async () => {
    const { net, cache } = setup();
    await json(await cache.fetch(`${ORIGIN}/api/config`));
    await cache.settled();
    net.answer = () => new Response('{"error":"down"}', { status: 502 });
    expect((await cache.fetch(`${ORIGIN}/api/config`)).status).toBe(502);
    net.answer = () => {
      throw new DOMException('timeout', 'TimeoutError');
    };
    await expect(cache.fetch(`${ORIGIN}/api/config`)).rejects.toThrow('timeout');
    net.answer = undefined;
    net.offline = true;
    const controller = new AbortController();
    controller.abort();
    await expect(cache.fetch(`${ORIGIN}/api/config`, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(cache.counters.hits).toBe(0);
  });
});

describe('offline misses', () => {
  it('lists what neither the network nor the store could answer, until a later attempt is answered', async () => {
    const { net, cache } = setup();
    net.offline = true;
    await expect(cache.fetch(COG, ranged(0, 8191))).rejects.toThrow(TypeError);
    await expect(cache.fetch(COG, ranged(0, 8191))).rejects.toThrow(TypeError);
    await expect(cache.fetch(`${ORIGIN}/stac/search`, { method: 'POST', body: '{}' })).rejects.toThrow(TypeError);
    expect(cache.missing()).toEqual([
      { method: 'GET', url: COG, range: { start: 0, end: 8191 } },
      { method: 'POST', url: `${ORIGIN}/stac/search` },
    ]);
    expect(cache.counters.unavailable).toBe(3);
    net.offline = false;
    await bytes(await cache.fetch(COG, ranged(0, 8191)));
    expect(cache.missing().map((m) => m.method)).toEqual(['POST']);
  });

  it('turns them into an error that says the area is not saved for offline use, keeping the stage\'s code', () => {
    expect(notSavedForOffline([])).toBeUndefined();
    const missing = [{ method: 'GET', url: COG, range: { start: 0, end: 8191 } }, { method: 'GET', url: `${COG}2` }];
    const read = notSavedForOffline(missing)!;
    expect(read).toBeInstanceOf(GeoCropError);
    expect(read.code).toBe('READ_FAILED');
    expect(read.message).toContain('not saved for offline use');
    expect(read.message).toContain(`${COG} (bytes 0-8191) and 1 more`);
    expect(read.details).toMatchObject({ offline: true, missing: 2, url: COG, range: { start: 0, end: 8191 } });
    const stac = notSavedForOffline(missing, new GeoCropError('STAC_UNAVAILABLE', 'STAC search page 1 failed after 3 attempts'))!;
    expect([stac.code, stac.details?.cause]).toEqual(['STAC_UNAVAILABLE', 'STAC search page 1 failed after 3 attempts']);
    expect(notSavedForOffline(missing, new GeoCropError('ALL_CLOUDY', 'skipped scenes'))!.code).toBe('READ_FAILED');
  });
});

describe('proxied reads', () => {
  it('serves a range read through the CORS proxy to a direct read of the same object offline', async () => {
    const net = network();
    const canonicalUrl = proxyUnwrapper('/api/proxy?url={url}', ORIGIN);
    const cache = createCachingFetch(net.fetch, createMemoryResponseStore(), { canonicalUrl });
    const target = 'https://bucket.s3.af-south-1.amazonaws.com/demo/s3/bucket/B04.tif';
    await bytes(await cache.fetch(proxiedUrl('/api/proxy?url={url}', target, ORIGIN), ranged(0, 8191)));
    await cache.settled();
    net.offline = true;
    expect(await bytes(await cache.fetch(target, ranged(0, 8191)))).toEqual(FILE.slice(0, 8192));
    expect(cache.missing()).toEqual([]);
  });
});
