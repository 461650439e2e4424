/**
 * The CORS proxy over real sockets: a browser-like client → the proxy → a real Range file server (the demo object
 * store), plus upstreams that redirect, stall or answer 404, and allow-listed names that resolve to loopback.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultInjector } from './faults';
import { isPrivateAddress, proxyRoutes } from './proxy';
import { serveFiles } from './range-files';
import { listen, type Listening } from './test-listen';

const SIZE = 200_000;
const bytes = new Uint8Array(SIZE).map((_, i) => (i * 7 + (i >> 8)) & 0xff);
let root = '';
let upstream: Listening;
let upstreamHits = 0;
const faults = createFaultInjector({});

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'geocrop-proxy-'));
  mkdirSync(path.join(root, 'bucket', 'dir'), { recursive: true });
  writeFileSync(path.join(root, 'bucket', 'dir', 'file.tif'), bytes);
  const app = new Hono();
  app.use('*', async (_c, next) => {
    upstreamHits++;
    await next();
  });
  app.use('*', faults.middleware({ prefixes: ['/s3/'] }));
  app.get('/redirect', (c) => c.redirect('http://169.254.169.254/latest/meta-data/', 302));
  app.route('/s3', serveFiles({ root }));
  upstream = await listen(app);
});

afterAll(async () => {
  await upstream?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A proxy on its own socket, allowing `hosts`. */
async function withProxy<T>(opts: { hosts?: string[]; maxBytes?: number; timeoutMs?: number }, fn: (base: string) => Promise<T>): Promise<T> {
  const app = new Hono().route('/api/proxy', proxyRoutes({ allowHosts: opts.hosts ?? [new URL(upstream.url).host], maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs }));
  const server = await listen(app);
  try {
    return await fn(`${server.url}/api/proxy`);
  } finally {
    await server.close();
  }
}

const objectUrl = () => `${upstream.url}/s3/bucket/dir/file.tif`;
const via = (base: string, url: string) => `${base}?url=${encodeURIComponent(url)}`;

describe('proxyRoutes', () => {
  it('forwards one Range to an allow-listed host and passes back 206, Content-Range, Content-Length, ETag, CORS and CORP', async () => {
    await withProxy({}, async (base) => {
      const direct = await fetch(objectUrl(), { headers: { Range: 'bytes=1000-65535' } });
      const res = await fetch(via(base, objectUrl()), { headers: { Range: 'bytes=1000-65535', Origin: 'https://app.example' } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes 1000-65535/${SIZE}`);
      expect(res.headers.get('content-length')).toBe(String(65536 - 1000));
      expect(res.headers.get('etag')).toBe(direct.headers.get('etag'));
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Content-Range/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.subarray(1000, 65536));
      await direct.body?.cancel();
    });
  });

  it('answers suffix ranges, HEAD, conditional requests and CORS preflights', async () => {
    await withProxy({}, async (base) => {
      const tail = await fetch(via(base, objectUrl()), { headers: { Range: 'bytes=-100' } });
      expect(tail.status).toBe(206);
      expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(SIZE - 100));
      const head = await fetch(via(base, objectUrl()), { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(SIZE));
      const etag = head.headers.get('etag')!;
      const cached = await fetch(via(base, objectUrl()), { headers: { 'If-None-Match': etag, Range: 'bytes=0-9' } });
      expect(cached.status).toBe(304);
      const pre = await fetch(via(base, objectUrl()), { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' } });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-headers')).toBe('range');
      expect(pre.headers.get('access-control-allow-methods')).toMatch(/GET/);
    });
  });

  it('refuses hosts outside the allow-list with 403 and a message naming the allowed hosts, without contacting them', async () => {
    await withProxy({ hosts: ['deafrica-sentinel-2.s3.af-south-1.amazonaws.com'] }, async (base) => {
      const before = upstreamHits;
      const res = await fetch(via(base, objectUrl()), { headers: { Range: 'bytes=0-9' } });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.message).toContain(`does not read from ${new URL(upstream.url).host}`);
      expect(body.error.message).toContain('deafrica-sentinel-2.s3.af-south-1.amazonaws.com');
      expect(body.error.message).toContain('GEOCROP_PROXY_HOSTS');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(upstreamHits).toBe(before);
    });
  });

  it('refuses an allow-listed name that resolves to a private address (no SSRF through DNS)', async () => {
    const port = new URL(upstream.url).port;
    await withProxy({ hosts: [`localhost:${port}`] }, async (base) => {
      const before = upstreamHits;
      const res = await fetch(via(base, `http://localhost:${port}/s3/bucket/dir/file.tif`), { headers: { Range: 'bytes=0-9' } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1).*private addresses/);
      expect(upstreamHits).toBe(before);
    });
  });

  it('does not follow redirects (no open redirect to metadata endpoints)', async () => {
    await withProxy({}, async (base) => {
      const res = await fetch(via(base, `${upstream.url}/redirect`), { headers: { Range: 'bytes=0-9' } });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/redirect \(HTTP 302\).*does not follow redirects/);
    });
  });

  it('caps bytes per request: long, open-ended and multiple ranges → 416; a whole file above the cap → 413', async () => {
    await withProxy({ maxBytes: 4096 }, async (base) => {
      for (const range of ['bytes=0-4096', 'bytes=100-', 'bytes=0-9,20-29', 'bytes=9-0', 'items=0-9']) {
        const res = await fetch(via(base, objectUrl()), { headers: { Range: range } });
        expect(res.status, range).toBe(416);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('RANGE_NOT_SATISFIABLE');
        expect(body.error.message).toContain('at most 4096 bytes');
      }
      const ok = await fetch(via(base, objectUrl()), { headers: { Range: 'bytes=0-4095' } });
      expect(ok.status).toBe(206);
      expect((await ok.arrayBuffer()).byteLength).toBe(4096);
      const whole = await fetch(via(base, objectUrl()));
      expect(whole.status).toBe(413);
      expect(((await whole.json()) as { error: { message: string } }).error.message).toMatch(/200000 bytes.*at most 4096.*Range/);
    });
  });

  it('passes upstream errors through (404 with its body, 500) and answers 504 when the bucket stalls', async () => {
    await withProxy({ timeoutMs: 300 }, async (base) => {
      const missing = await fetch(via(base, `${upstream.url}/s3/bucket/nope.tif`), { headers: { Range: 'bytes=0-9' } });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { code: string }).code).toBe('NoSuchKey');
      faults.update({ errorRate: 1 });
      try {
        expect((await fetch(via(base, objectUrl()), { headers: { Range: 'bytes=0-9' } })).status).toBe(500);
      } finally {
        faults.reset();
      }
      faults.update({ latencyMs: 3000 });
      try {
        const t0 = Date.now();
        const slow = await fetch(via(base, objectUrl()), { headers: { Range: 'bytes=0-9' } });
        expect(slow.status).toBe(504);
        expect(Date.now() - t0).toBeLessThan(2000);
        expect(((await slow.json()) as { error: { message: string } }).error.message).toMatch(/did not answer within 300 ms/);
      } finally {
        faults.reset();
      }
    });
  });

  it('rejects missing, malformed, non-http and credentialed URLs with 400, and other methods with 405', async () => {
    await withProxy({}, async (base) => {
      for (const q of ['', '?url=', '?url=not%20a%20url', `?url=${encodeURIComponent('ftp://x.example/a')}`, `?url=${encodeURIComponent(`http://user:pw@${new URL(upstream.url).host}/s3/bucket/dir/file.tif`)}`]) {
        const res = await fetch(`${base}${q}`);
        expect(res.status, q).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
      }
      const post = await fetch(via(base, objectUrl()), { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    });
  });
});

describe('isPrivateAddress', () => {
  it('flags loopback, private, link-local, CGNAT, multicast and mapped addresses, not public ones', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.31.255.1', '192.168.0.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', 'not-an-ip']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['52.95.128.10', '3.5.232.1', '8.8.8.8', '2600:1f18::1', '::ffff:52.95.128.10']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
