import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_CACHE, staticWeb } from './static-web';
import { listen, rawRequest, type Listening } from './test-listen';

const INDEX = '<!doctype html><title>GeoCrop</title><div id="root"></div>';
let tmp: string;
let built: Listening;
let missing: Listening;

function expectIsolated(res: { headers: Headers }) {
  expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'geocrop-web-'));
  const dir = path.join(tmp, 'web');
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'index.html'), INDEX);
  await writeFile(path.join(dir, 'assets', 'index-AbC_d3-f.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'sw.js'), 'self.skipWaiting()');
  await writeFile(path.join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(tmp, 'secret.txt'), 'TOP SECRET');

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/', staticWeb({ dir }));
  built = await listen(app);

  const empty = new Hono();
  empty.route('/', staticWeb({ dir: path.join(tmp, 'not-built') }));
  missing = await listen(empty);
});

afterAll(async () => {
  await built?.close();
  await missing?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('staticWeb', () => {
  it('serves index.html at / with COOP/COEP and no caching', async () => {
    const res = await fetch(built.url + '/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(WEB_CACHE.entry);
    expectIsolated(res);
  });

  it('caches hashed assets for a year and the service worker not at all', async () => {
    const asset = await fetch(built.url + '/assets/index-AbC_d3-f.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expectIsolated(asset);
    const sw = await fetch(built.url + '/sw.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const icon = await fetch(built.url + '/icon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe(WEB_CACHE.other);
  });

  it('falls back to index.html for client-side routes, 404 for missing files', async () => {
    for (const p of ['/jobs/42', '/map', '/some/deep/route/']) {
      const res = await fetch(built.url + p);
      expect(res.status, p).toBe(200);
      expect(await res.text()).toBe(INDEX);
      expectIsolated(res);
    }
    const gone = await fetch(built.url + '/assets/missing-12345678.js');
    expect(gone.status).toBe(404);
    expectIsolated(gone);
  });

  it('leaves API paths to other routes', async () => {
    expect(await (await fetch(built.url + '/healthz')).json()).toEqual({ ok: true });
    const api = await fetch(built.url + '/api/nope');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });

  it('answers HEAD and ranges through the same file logic', async () => {
    const head = await fetch(built.url + '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(INDEX.length));
    const part = await fetch(built.url + '/icon.svg', { headers: { Range: 'bytes=0-3' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('<svg');
  });

  it('refuses traversal', async () => {
    for (const p of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/a%00.js']) {
      const res = await rawRequest(built.port, p);
      expect(res.status, p).toBe(400);
      expect(res.body.toString()).not.toContain('TOP SECRET');
    }
  });

  it('503 with a build hint while the web app is not built', async () => {
    const res = await fetch(missing.url + '/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    expectIsolated(res);
  });
});
