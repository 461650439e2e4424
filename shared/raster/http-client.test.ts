/**
 * The reader's HTTP layer against a real socket whose answers misbehave the ways networks and servers do: bodies
 * that break off or stall, servers that ignore or mangle ranges, CORS-like network failures.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoCropError } from '../contract/errors';
import type { FetchFn } from '../net/fetch-retry';
import { createByteStats } from './byte-stats';
import { CogHttpClient, fetchRange, parseContentRange, routedFetch, type RangeIo } from './http-client';

const SIZE = 1000;
const file = new Uint8Array(SIZE).map((_, i) => (i * 11) & 0xff);
let base = '';
let server: http.Server;
const hits = new Map<string, number>();

function rangeOf(req: http.IncomingMessage): [number, number] {
  const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '')!;
  return [Number(m[1]), Math.min(SIZE - 1, Number(m[2]))];
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const route = new URL(req.url!, 'http://x').pathname;
    const n = (hits.get(route) ?? 0) + 1;
    hits.set(route, n);
    const [a, b] = req.headers.range ? rangeOf(req) : [0, SIZE - 1];
    const partial = { 'Content-Range': `bytes ${a}-${b}/${SIZE}`, 'Content-Length': String(b - a + 1), ETag: '"v1"' };
    switch (route) {
      case '/ok':
        if (a >= SIZE) return res.writeHead(416, { 'Content-Range': `bytes */${SIZE}` }).end();
        return res.writeHead(206, partial).end(file.subarray(a, b + 1));
      case '/full':
        return res.writeHead(200, { 'Content-Length': String(SIZE) }).end(file);
      case '/mangled':
        return res.writeHead(206, { 'Content-Range': `bytes 5-9/${SIZE}`, 'Content-Length': '5' }).end(file.subarray(5, 10));
      case '/breaks-once':
      case '/breaks': {
        if (route === '/breaks-once' && n > 1) return res.writeHead(206, partial).end(file.subarray(a, b + 1));
        res.writeHead(206, partial);
        res.write(file.subarray(a, a + Math.floor((b - a + 1) / 2)));
        setTimeout(() => res.destroy(), 20);
        return;
      }
      case '/stalls':
        res.writeHead(206, partial);
        res.write(file.subarray(a, a + 10));
        return; // never ends
      case '/etag2':
        return res.writeHead(206, { ...partial, ETag: n === 1 ? '"v1"' : '"v2"' }).end(file.subarray(a, b + 1));
      case '/denied':
        return res.writeHead(403, { 'Content-Type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function io(extra: Partial<RangeIo> = {}): RangeIo {
  return { fetch: (u, i) => fetch(u, i), stats: createByteStats(), proxiedHosts: new Set(), policy: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 300 }, ...extra };
}

async function failure(p: Promise<unknown>): Promise<GeoCropError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GeoCropError);
  return err as GeoCropError;
}

describe('fetchRange', () => {
  it('returns the bytes, the file size and the ETag, and counts the request and bytes', async () => {
    const x = io();
    const part = await fetchRange(x, `${base}/ok`, 100, 50);
    expect(new Uint8Array(part.data)).toEqual(file.subarray(100, 150));
    expect(part).toMatchObject({ start: 100, end: 149, total: SIZE, etag: '"v1"' });
    expect(x.stats).toEqual({ requests: 1, bytesFetched: 50, bytesNeeded: 0, viaProxy: 0 });
    // A range past the end is clamped by the server, as S3 does.
    expect((await fetchRange(x, `${base}/ok`, 990, 50)).data.byteLength).toBe(10);
  });

  it('retries a body that breaks off, and reports READ_FAILED when it keeps breaking', async () => {
    const x = io();
    const part = await fetchRange(x, `${base}/breaks-once`, 0, 400);
    expect(new Uint8Array(part.data)).toEqual(file.subarray(0, 400));
    expect(x.stats.requests).toBe(2);
    const err = await failure(fetchRange(io(), `${base}/breaks`, 0, 400));
    expect(err.code).toBe('READ_FAILED');
    expect(err.message).toMatch(/bytes 0-399 of .*\/breaks failed after 3 attempts: the download broke off/);
  });

  it('gives up on a stalled body after the timeout instead of hanging', async () => {
    const t0 = performance.now();
    const err = await failure(fetchRange(io(), `${base}/stalls`, 0, 400));
    expect(err.message).toMatch(/broke off \(no data for 300 ms\)/);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('rejects with the AbortError within moments when aborted while the body streams', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    const err = await fetchRange(io({ policy: { timeoutMs: 10_000 } }), `${base}/stalls`, 0, 400, ac.signal).then(() => undefined, (e: Error) => e);
    expect(err?.name).toBe('AbortError');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('explains servers that ignore or mangle ranges, refuse access, or lack the bytes', async () => {
    expect((await failure(fetchRange(io(), `${base}/full`, 0, 10))).message).toMatch(/ignored the Range request and sent the whole file/);
    expect((await failure(fetchRange(io(), `${base}/mangled`, 0, 10))).message).toMatch(/asked for bytes 0-9, the server answered "Content-Range: bytes 5-9\/1000"/);
    const denied = await failure(fetchRange(io(), `${base}/denied`, 0, 10));
    expect(denied.message).toMatch(/was refused \(HTTP 403\) \(server said: Access Denied\)\. The bucket must allow public reads/);
    expect((await failure(fetchRange(io(), `${base}/ok`, 5000, 10))).message).toMatch(/HTTP 416.*truncated/);
    const missing = await failure(fetchRange(io(), `${base}/missing.tif`, 0, 10));
    expect(missing.code).toBe('NOT_FOUND');
  });
});

describe('routedFetch (CORS fallback)', () => {
  const blocked = (host: string, seen: string[]): FetchFn => (url, init) => {
    seen.push(url);
    return new URL(url).host === host ? Promise.reject(new TypeError('Failed to fetch')) : fetch(url, init);
  };

  it('retries a TypeError through the proxy and remembers the host only once the proxy answered', async () => {
    const seen: string[] = [];
    const x = io({ fetch: blocked('blocked.example', seen), proxyTemplate: `${base}/{url}` });
    // The "proxy" here is the test server itself: /<encoded url> is not a route, so it answers 404.
    const res1 = await routedFetch(x, new WeakSet())('https://blocked.example/a.tif');
    expect(res1.status).toBe(404);
    expect(x.proxiedHosts.size).toBe(0);
    const okProxy = io({ fetch: blocked('blocked.example', seen), proxyTemplate: `${base}/ok?u={url}` });
    const marked = new WeakSet<Response>();
    const res2 = await routedFetch(okProxy, marked)('https://blocked.example/a.tif', { headers: { Range: 'bytes=0-9' } });
    expect(res2.status).toBe(206);
    expect(marked.has(res2)).toBe(true);
    expect(okProxy.proxiedHosts.has('blocked.example')).toBe(true);
    seen.length = 0;
    await (await routedFetch(okProxy, marked)('https://blocked.example/b.tif', { headers: { Range: 'bytes=0-9' } })).arrayBuffer();
    expect(seen).toEqual([`${base}/ok?u=${encodeURIComponent('https://blocked.example/b.tif')}`]);
    expect(okProxy.stats).toMatchObject({ requests: 3, viaProxy: 2 });
  });

  it('does not fall back without a proxy, nor for aborts and timeouts', async () => {
    const ac = new AbortController();
    ac.abort();
    const x = io({ fetch: () => Promise.reject(new DOMException('aborted', 'AbortError')), proxyTemplate: `${base}/ok?u={url}` });
    await expect(routedFetch(x, new WeakSet())('https://a.example/x', { signal: ac.signal })).rejects.toThrow('aborted');
    expect(x.stats).toMatchObject({ requests: 1, viaProxy: 0 });
    const y = io({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(routedFetch(y, new WeakSet())('https://a.example/x')).rejects.toBeInstanceOf(TypeError);
    expect(y.stats.viaProxy).toBe(0);
  });
});

describe('CogHttpClient', () => {
  it('answers geotiff.js range requests and fails loudly when the file changes under it', async () => {
    const client = new CogHttpClient(`${base}/etag2`, io());
    const res = await client.request({ headers: { Range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.getHeader('Content-Range')).toBe(`bytes 0-99/${SIZE}`);
    expect(new Uint8Array(await res.getData())).toEqual(file.subarray(0, 100));
    expect(client.fileSize).toBe(SIZE);
    const err = await failure(client.request({ headers: { Range: 'bytes=100-199' } }));
    expect(err.message).toMatch(/changed while being read \(size 1000 → 1000 bytes, ETag "v1" → "v2"\)/);
    expect(client.failures).toEqual([err]);
  });

  it('refuses ranges a corrupt header could ask for', async () => {
    const client = new CogHttpClient(`${base}/ok`, io());
    expect((await failure(client.request({ headers: { Range: 'bytes=0-999999999' } }))).message).toMatch(/asks for 1000000000 bytes in one piece/);
    expect((await failure(client.request({ headers: { Range: 'bytes=0-1,5-9' } }))).message).toMatch(/invalid byte range/);
    expect((await failure(client.request({}))).message).toMatch(/invalid byte range \(none\)/);
  });
});

describe('parseContentRange', () => {
  it('reads bytes a-b/total and rejects unknown totals and junk', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ start: 0, end: 99, total: 1000 });
    expect(parseContentRange('bytes 0-99/*')).toBeNull();
    expect(parseContentRange('bytes */1000')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });
});
