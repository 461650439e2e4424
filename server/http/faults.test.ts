import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fromUrl, writeArrayBuffer } from 'geotiff';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GeoCropError } from '../../shared/contract/errors';
import { CORRUPT_XOR, TRUNCATE_HALF, createFaultInjector, faultRoutes, mulberry32, type FaultInjector } from './faults';
import { serveFiles } from './range-files';
import { listen, type Listening } from './test-listen';

let tmp: string;
let server: Listening;
let faults: FaultInjector;
let tif: Buffer;
let stacCalls = 0;

/** A small real GeoTIFF (geotiff.js writer), so decoding failures are the client's, not our test's. */
async function smallGeoTiff(): Promise<Buffer> {
  const width = 64;
  const height = 64;
  const data = new Uint16Array(width * height).map((_, i) => i);
  const meta = { width, height, BitsPerSample: [16], SampleFormat: [1], ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 500000, 8000000, 0] };
  return Buffer.from(await writeArrayBuffer(data, meta as never));
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'geocrop-faults-'));
  await mkdir(path.join(tmp, 'bucket', 'tiles'), { recursive: true });
  tif = await smallGeoTiff();
  await writeFile(path.join(tmp, 'bucket', 'tiles', 'B04.tif'), tif);
  await writeFile(path.join(tmp, 'bucket', 'tiles', 'B08.tif'), tif);

  faults = createFaultInjector({ retryAfterS: 7 });
  const app = new Hono();
  app.use(faults.middleware());
  app.route('/demo/faults', faultRoutes(faults));
  app.route('/demo/s3', serveFiles({ root: tmp, faults }));
  app.get('/demo/stac/collections', (c) => {
    stacCalls++;
    return c.json({ collections: [] });
  });
  app.get('/demo/stac', (c) => c.json({ type: 'Catalog' }));
  app.get('/demo/stacks', (c) => c.json({ other: true }));
  app.get('/healthz', (c) => c.json({ ok: true }));
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  faults.reset();
  stacCalls = 0;
});

const put = (body: unknown) =>
  fetch(`${server.url}/demo/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('byte transforms', () => {
  it('TRUNCATE_HALF halves the size', () => {
    expect(TRUNCATE_HALF.size(1001)).toBe(500);
  });

  it('CORRUPT_XOR keeps the first 16 bytes, changes every later byte, and depends only on the absolute position', () => {
    const original = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const whole = original.slice();
    CORRUPT_XOR.apply!(whole, 0);
    expect([...whole.subarray(0, 16)]).toEqual([...original.subarray(0, 16)]);
    for (let i = 16; i < 300; i++) expect(whole[i]).not.toBe(original[i]);
    const pieces = [original.slice(0, 10), original.slice(10, 100), original.slice(100)];
    CORRUPT_XOR.apply!(pieces[0], 0);
    CORRUPT_XOR.apply!(pieces[1], 10);
    CORRUPT_XOR.apply!(pieces[2], 100);
    expect(Buffer.concat(pieces).equals(Buffer.from(whole))).toBe(true);
  });

  it('transformFor matches key substrings', () => {
    const f = createFaultInjector({ truncate: ['B04'], corrupt: ['tiles/'] });
    expect(f.transformFor('bucket/tiles/B04.tif')?.tag).toBe('truncated+corrupt');
    expect(f.transformFor('bucket/tiles/B08.tif')?.tag).toBe('corrupt');
    expect(f.transformFor('bucket/other.json')).toBeUndefined();
  });
});

describe('fault middleware', () => {
  it('adds latency to matching requests only', async () => {
    await put({ latencyMs: 300 });
    let t0 = performance.now();
    expect((await fetch(`${server.url}/demo/stac/collections`)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    t0 = performance.now();
    expect((await fetch(`${server.url}/demo/s3/bucket/tiles/B04.tif`, { method: 'HEAD' })).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    t0 = performance.now();
    await fetch(`${server.url}/healthz`);
    expect(performance.now() - t0).toBeLessThan(250);
  });

  it('stops waiting when the client disconnects during the latency', async () => {
    await put({ latencyMs: 1500 });
    await expect(fetch(`${server.url}/demo/stac/collections`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 1800));
    expect(stacCalls).toBe(0); // the handler was never reached
  });

  it('errorRate 1 → 500 that a browser can read (CORS headers)', async () => {
    await put({ errorRate: 1 });
    const res = await fetch(`${server.url}/demo/s3/bucket/tiles/B04.tif`);
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({ code: 'InternalError', injected: true });
    expect((await fetch(`${server.url}/demo/stac/collections`)).status).toBe(500);
    expect((await fetch(`${server.url}/demo/stac`)).status).toBe(500); // the STAC landing page
    expect((await fetch(`${server.url}/demo/stacks`)).status).toBe(200); // a prefix of a word is no match
    expect((await fetch(`${server.url}/demo/faults`)).status).toBe(200); // the switch itself is never faulty
  });

  it('rate429 1 → 429 with Retry-After', async () => {
    await put({ rate429: 1 });
    const res = await fetch(`${server.url}/demo/stac/collections`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(await res.json()).toMatchObject({ code: 'SlowDown' });
  });

  it('passes CORS preflights untouched, so browsers see the injected status', async () => {
    await put({ errorRate: 1 });
    const res = await fetch(`${server.url}/demo/s3/bucket/tiles/B04.tif`, { method: 'OPTIONS', headers: { Origin: 'https://x.example', 'Access-Control-Request-Method': 'GET' } });
    expect(res.status).toBe(204);
  });

  it('is reproducible for a given seed', async () => {
    const run = async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await fetch(`${server.url}/demo/stac/collections`)).status);
      return statuses;
    };
    await put({ errorRate: 0.3, rate429: 0.3, seed: 1234 });
    const first = await run();
    await put({ seed: 1234 }); // a seed restarts the sequence
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
    await put({ seed: 99 });
    expect(await run()).not.toEqual(first);
  });

  it('mulberry32 is deterministic and uniform-ish', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});

describe('truncated and corrupted objects', () => {
  const url = () => `${server.url}/demo/s3/bucket/tiles/B04.tif`;

  it('serves a truncated object as if cut at half its length', async () => {
    const before = await fetch(url(), { method: 'HEAD' });
    await put({ truncate: ['B04'] });
    const half = Math.floor(tif.length / 2);
    const res = await fetch(url());
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(half));
    expect(body.equals(tif.subarray(0, half))).toBe(true);
    expect(res.headers.get('etag')).not.toBe(before.headers.get('etag'));

    const tail = await fetch(url(), { headers: { Range: 'bytes=-10' } });
    expect(tail.headers.get('content-range')).toBe(`bytes ${half - 10}-${half - 1}/${half}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(tif.subarray(half - 10, half))).toBe(true);
    const beyond = await fetch(url(), { headers: { Range: `bytes=${half}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${half}`);
    // Other keys are untouched.
    expect((await fetch(`${server.url}/demo/s3/bucket/tiles/B08.tif`, { method: 'HEAD' })).headers.get('content-length')).toBe(String(tif.length));
  });

  it('serves a corrupted object with garbled bytes after the first 16, also in ranges', async () => {
    await put({ corrupt: ['tiles/B04'] });
    const expected = Buffer.from(tif);
    CORRUPT_XOR.apply!(expected, 0);
    const full = Buffer.from(await (await fetch(url())).arrayBuffer());
    expect(full.equals(expected)).toBe(true);
    expect(full.subarray(0, 16).equals(tif.subarray(0, 16))).toBe(true);
    const part = await fetch(url(), { headers: { Range: 'bytes=100-199' } });
    expect(Buffer.from(await part.arrayBuffer()).equals(expected.subarray(100, 200))).toBe(true);
  });

  it('a COG reader decodes the real object, fails on the corrupted one and gets wrong pixels from the truncated one', async () => {
    const read = async () => {
      const tiff = await fromUrl(url()); // a fresh source each time: no block cache across reads
      const image = await tiff.getImage();
      return (await image.readRasters())[0] as Uint16Array;
    };
    const real = await read();
    expect(real[4095]).toBe(4095);
    await put({ corrupt: ['B04'] });
    await expect(read()).rejects.toThrow();
    // geotiff.js zero-fills bytes past the end of a short file instead of failing: readers must check sizes.
    await put({ corrupt: [], truncate: ['B04'] });
    const cut = await read();
    expect(cut[4095]).toBe(0);
  });
});

describe('/demo/faults', () => {
  it('GET returns the settings, PUT updates them, DELETE restores the boot settings', async () => {
    expect(await (await fetch(`${server.url}/demo/faults`)).json()).toMatchObject({ latencyMs: 0, errorRate: 0, retryAfterS: 7, seed: 1 });
    const res = await put({ latencyMs: 5, truncate: ['x'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ latencyMs: 5, truncate: ['x'], retryAfterS: 7 });
    expect(faults.settings().latencyMs).toBe(5);
    expect(await (await fetch(`${server.url}/demo/faults`, { method: 'DELETE' })).json()).toMatchObject({ latencyMs: 0, truncate: [] });
  });

  it.each([
    [{ errorRate: 2 }, 'errorRate'],
    [{ rate429: -0.1 }, 'rate429'],
    [{ latencyMs: 'slow' }, 'latencyMs'],
    [{ latencyMs: 1.5 }, 'latencyMs'],
    [{ truncate: 'B04' }, 'truncate'],
    [{ seed: -1 }, 'seed'],
    [{ bogus: true }, 'bogus'],
  ])('PUT %j → 400 naming %s', async (body, field) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.code).toBe('INVALID_REQUEST');
    expect(json.message).toContain(field);
    expect(json.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(faults.settings()).toMatchObject({ errorRate: 0, rate429: 0, latencyMs: 0 }); // nothing applied
  });

  it('PUT with a body that is not a JSON object → 400', async () => {
    expect((await put('not json')).status).toBe(400);
    expect((await put([1, 2])).status).toBe(400);
  });

  it('update() throws GeoCropError, and bad boot settings are refused', () => {
    const f = createFaultInjector();
    expect(() => f.update({ errorRate: 5 })).toThrow(GeoCropError);
    expect(() => createFaultInjector({ rate429: 3 })).toThrow(/rate429/);
  });
});
