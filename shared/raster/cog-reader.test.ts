/**
 * The COG reader against the real thing: COGs of known content written by the project's writer, served by the
 * demo object store (`serveFiles`, real Range semantics, real fault injection) over a real socket, read through
 * geotiff.js with the reader's HTTP client. GDAL comparisons live in cog-reader.gdal.test.ts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fromArrayBuffer } from 'geotiff';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyRoutes } from '../../server/http/proxy';
import { createFaultInjector } from '../../server/http/faults';
import { serveFiles } from '../../server/http/range-files';
import { listen, type Listening } from '../../server/http/test-listen';
import { GeoCropError } from '../contract/errors';
import type { Affine } from '../geo/crs';
import { downsample, overviewSize } from '../export/overviews';
import { s2Band } from '../export/test-rasters';
import { writeCog } from '../export/cog-writer';
import type { CogInput } from '../export/types';
import { byteStatsDelta } from './byte-stats';
import { openCog, readCogWindow, type CogHandle } from './cog-reader';
import type { FetchFn } from '../net/fetch-retry';
import { createReaderContext, DEFAULT_BLOCK_SIZE, type ReaderContext } from './reader-context';

const nodeDeflate = (d: Uint8Array, level: number) => new Uint8Array(zlib.deflateSync(d, { level }));
const BUCKET = 'test-bucket';
const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5000 };

// The known content: 1301 × 1100 uint16 pixels, value = f(row, col), never 0 (0 is nodata). 1301 makes the
// overviews' pixel sizes non-integer (10 × 1301 / 651 m), as GDAL's are for 10980 px Sentinel-2 bands.
const W = 1301;
const H = 1100;
const T: Affine = [10, 0, 500000, 0, -10, 8000000];
const known = (r: number, c: number) => 1 + ((r * 257 + c * 31 + ((r * c) % 97)) % 65000);
const full = new Uint16Array(W * H).map((_, i) => known(Math.floor(i / W), i % W));
const mainInput: CogInput = { width: W, height: H, dataType: 'uint16', bands: [full], epsg: 32736, transform: T, nodata: 0, tileSize: 256, overviews: [2, 4] };
/** Expected pixels of each level: full resolution, then the writer's own overviews. */
const levels = [
  { width: W, height: H, data: full },
  ...[2, 4].map((f) => {
    const [width, height] = overviewSize(W, H, f);
    return { width, height, data: downsample(full, W, H, f, 'average', 0) as Uint16Array };
  }),
];

let root = '';
let server: Listening;
let proxy: Listening;
const faults = createFaultInjector({});
/** Every request the object server saw: path and Range. */
const log: Array<{ path: string; range: string | null }> = [];
/** Keys containing "flaky" answer 500 to the first request of every distinct range. */
const flakySeen = new Set<string>();

function put(name: string, bytes: Uint8Array): string {
  writeFileSync(path.join(root, BUCKET, name), bytes);
  return `s3://${BUCKET}/${name}`;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'geocrop-reader-'));
  mkdirSync(path.join(root, BUCKET));
  const main = writeCog(mainInput, { deflate: nodeDeflate });
  for (const name of ['main.tif', 'trunc-main.tif', 'corrupt-main.tif', 'flaky-main.tif', 'slow-main.tif', 'changing.tif']) put(name, main);
  const app = new Hono();
  app.use('*', async (c, next) => {
    log.push({ path: c.req.path, range: c.req.header('Range') ?? null });
    const key = `${c.req.path}|${c.req.header('Range')}`;
    if (c.req.path.includes('flaky') && !flakySeen.has(key)) {
      flakySeen.add(key);
      return c.json({ code: 'InternalError' }, 500);
    }
    return next();
  });
  app.use('*', faults.middleware({ prefixes: ['/s3/'] }));
  app.route('/s3', serveFiles({ root, faults }));
  server = await listen(app);
  proxy = await listen(new Hono().route('/api/proxy', proxyRoutes({ allowHosts: [new URL(server.url).host] })));
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function context(extra: Partial<Parameters<typeof createReaderContext>[0]> = {}): ReaderContext {
  return createReaderContext({ fetch: (u, i) => fetch(u, i), s3Template: '/s3/{bucket}/{key}', base: server.url, policy: FAST, ...extra });
}

/** A bbox strictly inside the pixels `[col0, col1) × [row0, row1)` of a level's grid (edges a quarter pixel in). */
function bboxOf(t: Affine, col0: number, row0: number, col1: number, row1: number): [number, number, number, number] {
  return [t[2] + (col0 + 0.25) * t[0], t[5] + (row1 - 0.25) * t[4], t[2] + (col1 - 0.25) * t[0], t[5] + (row0 + 0.25) * t[4]];
}

function levelTransform(k: number): Affine {
  const { width, height } = levels[k];
  return [(T[0] * W) / width, 0, T[2], 0, (T[4] * H) / height, T[5]];
}

/** The expected pixels of a (possibly outside-reaching) window of level `k`, nodata outside. */
function expected(k: number, col0: number, row0: number, col1: number, row1: number): Uint16Array {
  const { width, height, data } = levels[k];
  const out = new Uint16Array((col1 - col0) * (row1 - row0));
  for (let r = row0; r < row1; r++) for (let c = col0; c < col1; c++) {
    out[(r - row0) * (col1 - col0) + c - col0] = r >= 0 && r < height && c >= 0 && c < width ? data[r * width + c] : 0;
  }
  return out;
}

/** 'same', or where two pixel arrays first differ (vitest's deep equality is slow on megapixel arrays). */
function samePixels(actual: ArrayLike<number>, expected: ArrayLike<number>): string {
  if (actual.constructor !== expected.constructor || actual.length !== expected.length) {
    return `${actual.constructor.name}[${actual.length}] vs ${expected.constructor.name}[${expected.length}]`;
  }
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return `pixel ${i}: ${actual[i]} vs ${expected[i]}`;
  return 'same';
}

async function rejection(p: Promise<unknown>): Promise<GeoCropError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GeoCropError);
  return err as GeoCropError;
}

/** Tile byte ranges of image `ifd`, read independently of the reader (geotiff.js on the file bytes). */
async function tileTable(file: string, ifd: number): Promise<{ offsets: number[]; counts: number[]; across: number; tile: number }> {
  const b = readFileSync(path.join(root, BUCKET, file));
  const img = await (await fromArrayBuffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))).getImage(ifd);
  const offsets = Array.from((await img.fileDirectory.loadValue('TileOffsets')) as ArrayLike<number>);
  const counts = Array.from((await img.fileDirectory.loadValue('TileByteCounts')) as ArrayLike<number>);
  return { offsets, counts, across: Math.ceil(img.getWidth() / img.getTileWidth()), tile: img.getTileWidth() };
}

describe('openCog + readCogWindow over HTTP Range requests', () => {
  it('reads windows at every level pixel-exactly, choosing the coarsest level not coarser than asked', async () => {
    const ctx = context();
    const cog = await openCog(`s3://${BUCKET}/main.tif`, ctx);
    expect(cog.header.levels.map((l) => [l.width, l.height, l.tileWidth])).toEqual([[1301, 1100, 256], [651, 550, 256], [326, 275, 256]]);
    expect(cog.header).toMatchObject({ epsg: 32736, sampleType: 'uint16', samples: 1, nodata: 0 });
    const cases: Array<{ res: number; k: number; win: [number, number, number, number] }> = [
      { res: 10, k: 0, win: [0, 0, 200, 200] }, // one tile, top-left corner
      { res: 15, k: 0, win: [250, 500, 530, 780] }, // 2 × 2 tiles across tile edges
      { res: 10, k: 0, win: [1280, 1090, 1301, 1100] }, // bottom-right partial tiles
      { res: 20, k: 1, win: [100, 37, 399, 300] }, // 19.985 m pixels are ≤ 20 m
      { res: 19.9, k: 0, win: [7, 9, 8, 10] }, // just finer than overview 1: full resolution, one pixel
      { res: 40, k: 2, win: [0, 0, 326, 275] }, // the whole coarsest overview
      { res: 500, k: 2, win: [300, 250, 326, 275] },
    ];
    for (const { res, k, win } of cases) {
      const t = levelTransform(k);
      const raster = await readCogWindow(cog, { bbox: bboxOf(t, ...win), resolution: res }, undefined);
      const [c0, r0, c1, r1] = win;
      expect(raster.grid, `res ${res}`).toEqual({ epsg: 32736, width: c1 - c0, height: r1 - r0, transform: [t[0], 0, t[2] + c0 * t[0], 0, t[4], t[5] + r0 * t[4]] });
      expect(raster.data).toBeInstanceOf(Uint16Array);
      expect(samePixels(raster.data, expected(k, c0, r0, c1, r1)), `res ${res} window ${win}`).toBe('same');
      expect(raster.nodata).toBe(0);
    }
  });

  it('covers exactly the snapped window, filling pixels outside the image with nodata', async () => {
    const cog = await openCog(`s3://${BUCKET}/main.tif`, context());
    for (const [k, res] of [[0, 10], [1, 20], [2, 40]] as const) {
      const t = levelTransform(k);
      const { width, height } = levels[k];
      for (const win of [[-30, -12, 40, 25], [width - 20, height - 8, width + 15, height + 40], [-5, 100, width + 5, 130]] as Array<[number, number, number, number]>) {
        const raster = await readCogWindow(cog, { bbox: bboxOf(t, ...win), resolution: res });
        expect(raster.grid.transform).toEqual([t[0], 0, t[2] + win[0] * t[0], 0, t[4], t[5] + win[1] * t[4]]);
        expect([raster.grid.width, raster.grid.height]).toEqual([win[2] - win[0], win[3] - win[1]]);
        expect(samePixels(raster.data, expected(k, ...win)), `level ${k} window ${win}`).toBe('same');
      }
    }
  });

  it('reads nothing for a window beside the image: all nodata, no request', async () => {
    const ctx = context();
    const cog = await openCog(`s3://${BUCKET}/main.tif`, ctx);
    const before = { ...ctx.stats };
    const raster = await readCogWindow(cog, { bbox: [400000, 7000000, 401000, 7001000], resolution: 10 });
    expect(byteStatsDelta(ctx.stats, before)).toEqual({ requests: 0, bytesFetched: 0, bytesNeeded: 0, viaProxy: 0 });
    expect([raster.grid.width, raster.grid.height]).toEqual([100, 100]);
    expect(raster.data.every((v) => v === 0)).toBe(true);
  });

  it('fetches only the tiles that intersect the window, and counts their bytes as needed', async () => {
    const ctx = context();
    const cog = await openCog(`s3://${BUCKET}/main.tif`, ctx);
    const table = await tileTable('main.tif', 0);
    // Pixels 250..530 × 500..780 touch tile columns 0..2 and rows 1..3 (256 px tiles): 9 tiles.
    const tiles = [1, 2, 3].flatMap((ty) => [0, 1, 2].map((tx) => ty * table.across + tx));
    const ranges = tiles.map((i) => [table.offsets[i], table.offsets[i] + table.counts[i] - 1]);
    const needed = tiles.reduce((s, i) => s + table.counts[i], 0);
    const mark = log.length;
    const before = { ...ctx.stats };
    await readCogWindow(cog, { bbox: bboxOf(T, 250, 500, 530, 780), resolution: 10 });
    const d = byteStatsDelta(ctx.stats, before);
    expect(d.bytesNeeded).toBe(needed);
    const seen = log.slice(mark).map((e) => /bytes=(\d+)-(\d+)/.exec(e.range ?? '')!.slice(1).map(Number));
    expect(seen.length).toBe(d.requests);
    // geotiff.js fetches aligned blocks: exactly the blocks that hold bytes of needed tiles, nothing else.
    const B = DEFAULT_BLOCK_SIZE;
    const neededBlocks = new Set(ranges.flatMap(([s, e]) => Array.from({ length: Math.floor(e / B) - Math.floor(s / B) + 1 }, (_, i) => Math.floor(s / B) + i)));
    const fetchedBlocks = seen.flatMap(([a, b]) => {
      expect(a % B).toBe(0);
      return Array.from({ length: Math.ceil((b + 1) / B) - a / B }, (_, i) => a / B + i);
    });
    expect(fetchedBlocks.sort((x, y) => x - y)).toEqual([...neededBlocks].sort((x, y) => x - y));
    expect(d.bytesFetched).toBe(seen.reduce((s, [a, b]) => s + b - a + 1, 0));
    expect(d.bytesFetched).toBeLessThanOrEqual(neededBlocks.size * B);
  });

  it('reads each header once per context: repeated and concurrent opens share it, later windows fetch only tiles', async () => {
    const ctx = context();
    const href = `s3://${BUCKET}/main.tif`;
    const [a, b] = await Promise.all([openCog(href, ctx), openCog(href, ctx)]);
    expect(a).toBe(b);
    const headerRequests = ctx.stats.requests;
    expect(headerRequests).toBe(1); // the header of this small COG fits in one block
    expect(await openCog(href, ctx)).toBe(a);
    expect(ctx.stats.requests).toBe(headerRequests);
    const mark = log.length;
    await readCogWindow(a, { bbox: bboxOf(T, 0, 0, 10, 10), resolution: 10 });
    await readCogWindow(a, { bbox: bboxOf(T, 0, 0, 10, 10), resolution: 10 });
    const { offsets } = await tileTable('main.tif', 0);
    // Both reads fetched tile 0 (blocks are released between reads); nothing went back to the header.
    for (const e of log.slice(mark)) expect(Number(/bytes=(\d+)/.exec(e.range!)![1])).toBeGreaterThanOrEqual(Math.floor(offsets[0] / DEFAULT_BLOCK_SIZE) * DEFAULT_BLOCK_SIZE);
    const source = a.tiff.source as unknown as { blockCache: { size: number } };
    expect(source.blockCache.size).toBe(0);
  });

  it('reports a truncated file as READ_FAILED instead of zero-filled pixels, without fetching past its end', async () => {
    faults.update({ truncate: ['trunc-'] });
    try {
      const ctx = context();
      const cog = await openCog(`s3://${BUCKET}/trunc-main.tif`, ctx);
      const size = readFileSync(path.join(root, BUCKET, 'trunc-main.tif')).byteLength;
      expect(cog.fileSize).toBe(Math.floor(size / 2));
      // The overviews come first in a COG, so they survive the cut; full-resolution tiles at the bottom do not.
      const ovr = await readCogWindow(cog, { bbox: bboxOf(levelTransform(2), 0, 0, 326, 275), resolution: 40 });
      expect(samePixels(ovr.data, expected(2, 0, 0, 326, 275))).toBe('same');
      const mark = log.length;
      const err = await rejection(readCogWindow(cog, { bbox: bboxOf(T, 1200, 1000, 1301, 1100), resolution: 10 }));
      expect(err.code).toBe('READ_FAILED');
      expect(err.message).toMatch(/trunc-main\.tif is truncated: tile \d+,\d+ of image 0 needs bytes \d+-\d+, but the file has only \d+ bytes/);
      expect(log.length).toBe(mark);
    } finally {
      faults.reset();
    }
  });

  it('reports a garbled file (fault injector) as READ_FAILED naming it', async () => {
    faults.update({ corrupt: ['corrupt-'] });
    try {
      const ctx = context();
      const err = await rejection(openCog(`s3://${BUCKET}/corrupt-main.tif`, ctx).then((cog) => readCogWindow(cog, { bbox: bboxOf(T, 0, 0, 300, 300), resolution: 10 })));
      expect(err.code).toBe('READ_FAILED');
      expect(err.message).toContain(`${server.url}/s3/${BUCKET}/corrupt-main.tif`);
      expect(ctx.handles.size).toBe(0); // failures are not cached
    } finally {
      faults.reset();
    }
  });

  it('reports an undecodable tile as READ_FAILED naming the file and tile, and still reads the other tiles', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(root, BUCKET, 'main.tif')));
    const table = await tileTable('main.tif', 0);
    const victim = 2 * table.across + 3; // tile column 3, row 2
    for (let i = table.offsets[victim] + 2; i < table.offsets[victim] + table.counts[victim]; i += 3) bytes[i] ^= 0x5a;
    const href = put('bad-tile.tif', bytes);
    const cog = await openCog(href, context());
    const err = await rejection(readCogWindow(cog, { bbox: bboxOf(T, 770, 520, 800, 540), resolution: 10 }));
    expect(err.code).toBe('READ_FAILED');
    expect(err.message).toMatch(/^Tile data of http:\/\/127\.0\.0\.1:\d+\/s3\/test-bucket\/bad-tile\.tif \(image 0, tiles 3,2\) is corrupt/);
    const ok = await readCogWindow(cog, { bbox: bboxOf(T, 0, 0, 256, 256), resolution: 10 });
    expect(samePixels(ok.data, expected(0, 0, 0, 256, 256))).toBe('same');
  });

  it('retries a 500 and then reads the right pixels', async () => {
    const ctx = context();
    const cog = await openCog(`s3://${BUCKET}/flaky-main.tif`, ctx);
    const raster = await readCogWindow(cog, { bbox: bboxOf(T, 600, 600, 700, 650), resolution: 10 });
    expect(samePixels(raster.data, expected(0, 600, 600, 700, 650))).toBe('same');
    const flaky = log.filter((e) => e.path.includes('flaky'));
    expect(flaky.length).toBe(ctx.stats.requests);
    expect(new Set(flaky.map((e) => e.range)).size * 2).toBe(flaky.length); // every range: a 500, then the answer
  });

  it('gives up with READ_FAILED naming the file when every attempt fails, and NOT_FOUND for a missing file', async () => {
    faults.update({ errorRate: 1 });
    try {
      const err = await rejection(openCog(`s3://${BUCKET}/main.tif`, context()));
      expect(err.code).toBe('READ_FAILED');
      expect(err.message).toMatch(/failed after 3 attempts \(HTTP 500\).*main\.tif/);
    } finally {
      faults.reset();
    }
    const missing = await rejection(openCog(`s3://${BUCKET}/nope.tif`, context()));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/^COG not found: .*nope\.tif \(HTTP 404\)/);
  });

  it('stops within 1 s of an abort, while opening and while reading tiles', async () => {
    const ctx = context();
    const cog = await openCog(`s3://${BUCKET}/slow-main.tif`, ctx);
    faults.update({ latencyMs: 5000 });
    try {
      for (const start of [
        (s: AbortSignal) => openCog(`s3://${BUCKET}/main.tif`, context(), s),
        (s: AbortSignal) => readCogWindow(cog, { bbox: bboxOf(T, 0, 0, 500, 500), resolution: 10 }, s),
      ]) {
        const ac = new AbortController();
        const t0 = performance.now();
        setTimeout(() => ac.abort(), 100);
        const err = await start(ac.signal).then(() => undefined, (e: unknown) => e as Error);
        expect(err?.name).toBe('AbortError');
        expect(performance.now() - t0).toBeLessThan(1000);
      }
    } finally {
      faults.reset();
    }
    // The handle survives an aborted read.
    expect(samePixels((await readCogWindow(cog, { bbox: bboxOf(T, 0, 0, 20, 20), resolution: 10 })).data, expected(0, 0, 0, 20, 20))).toBe('same');
  });

  it('falls back to the proxy when the direct read fails like a CORS refusal, and stays on it for that host', async () => {
    const directHost = new URL(server.url).host;
    const direct: string[] = [];
    const corsBlocked: FetchFn = (url, init) => {
      if (new URL(url).host === directHost) {
        direct.push(url);
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      return fetch(url, init);
    };
    const ctx = context({ fetch: corsBlocked, proxyTemplate: `${proxy.url}/api/proxy?url={url}` });
    const cog = await openCog(`s3://${BUCKET}/main.tif`, ctx);
    const raster = await readCogWindow(cog, { bbox: bboxOf(T, 300, 200, 700, 560), resolution: 10 });
    expect(samePixels(raster.data, expected(0, 300, 200, 700, 560))).toBe('same');
    expect(direct.length).toBe(1);
    expect(ctx.proxiedHosts.has(directHost)).toBe(true);
    expect(ctx.stats.viaProxy).toBe(ctx.stats.requests - 1);

    const noProxy = await rejection(openCog(`s3://${BUCKET}/main.tif`, context({ fetch: corsBlocked })));
    expect(noProxy.code).toBe('READ_FAILED');
    expect(noProxy.message).toMatch(/network error: Failed to fetch/);
  });

  it('detects a file replaced between reads (size/ETag pinned at open)', async () => {
    const cog = await openCog(`s3://${BUCKET}/changing.tif`, context());
    put('changing.tif', writeCog({ ...mainInput, bands: [full.map((v) => v ^ 1)] }, { deflate: nodeDeflate }));
    const err = await rejection(readCogWindow(cog, { bbox: bboxOf(T, 0, 0, 100, 100), resolution: 10 }));
    expect(err.code).toBe('READ_FAILED');
    expect(err.message).toMatch(/changing\.tif changed while being read/);
  });

  it('checks the file against the STAC item when asked, and validates the request', async () => {
    const cog = await openCog(`s3://${BUCKET}/main.tif`, context());
    const bbox = bboxOf(T, 0, 0, 10, 10);
    await expect(readCogWindow(cog, { bbox, resolution: 10, expect: { epsg: 32736, transform: T, shape: [H, W] } })).resolves.toBeTruthy();
    const wrong = async (e: NonNullable<Parameters<typeof readCogWindow>[1]['expect']>) => (await rejection(readCogWindow(cog, { bbox, resolution: 10, expect: e }))).message;
    expect(await wrong({ transform: [10, 0, 500010, 0, -10, 8000000] })).toMatch(/does not match its STAC item: the transform is \[10, 0, 500000, 0, -10, 8000000\] in the file but \[10, 0, 500010/);
    expect(await wrong({ shape: [W, H] })).toMatch(/the shape \[rows, cols\] is \[1100, 1301\] in the file but \[1301, 1100\]/);
    expect(await wrong({ epsg: 32735 })).toMatch(/the EPSG code is 32736 in the file but 32735/);
    for (const bad of [{ bbox: [1, 2, 1, 3] as const, resolution: 10 }, { bbox, resolution: 0 }, { bbox, resolution: 10, sample: 1 }]) {
      expect((await rejection(readCogWindow(cog, bad))).code).toBe('INVALID_REQUEST');
    }
  });

  it('returns the file type and nodata: float32 with NaN outside, uint8, and a default nodata when the file has none', async () => {
    const f32 = new Float32Array(300 * 200).map((_, i) => (i % 300) / 7 - Math.floor(i / 300));
    const u8 = new Uint8Array(300 * 200).map((_, i) => (i * 13) % 251);
    const t: Affine = [20, 0, 700000, 0, -20, 8200000];
    const a = put('f32.tif', writeCog({ width: 300, height: 200, dataType: 'float32', bands: [f32], epsg: 32735, transform: t, nodata: NaN, tileSize: 256, overviews: [] }, { deflate: nodeDeflate }));
    const b = put('u8.tif', writeCog({ width: 300, height: 200, dataType: 'uint8', bands: [u8], epsg: 32735, transform: t, tileSize: 256, overviews: [] }, { deflate: nodeDeflate }));
    const ctx = context();
    const fr = await readCogWindow(await openCog(a, ctx), { bbox: bboxOf(t, 290, 190, 310, 200), resolution: 20 });
    expect(fr.data).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(fr.nodata)).toBe(true);
    for (let r = 0; r < 10; r++) for (let c = 0; c < 20; c++) {
      const v = fr.data[r * 20 + c];
      if (c < 10) expect(v).toBe(f32[(190 + r) * 300 + 290 + c]);
      else expect(Number.isNaN(v)).toBe(true);
    }
    const ur = await readCogWindow(await openCog(b, ctx), { bbox: bboxOf(t, 295, 0, 305, 1), resolution: 20, defaultNodata: 255 });
    expect(ur.data).toBeInstanceOf(Uint8Array);
    expect(ur.nodata).toBe(255);
    expect(Array.from(ur.data)).toEqual([...Array.from(u8.subarray(295, 300)), 255, 255, 255, 255, 255]);
  });
});

describe('block size', () => {
  // A demo-world-like COG: Sentinel-2-like DN texture, 512 px DEFLATE uint16 tiles, 10 m, overviews.
  let cog: CogHandle;
  let ctx: ReaderContext;
  beforeAll(async () => {
    const N = 2048;
    const t: Affine = [10, 0, 300000, 0, -10, 8100000];
    const href = put('s2-like.tif', writeCog({ width: N, height: N, dataType: 'uint16', bands: [s2Band(N, N, 3)], epsg: 32736, transform: t, nodata: 0, tileSize: 512, overviews: [2, 4, 8] }, { deflate: nodeDeflate }));
    copyFileSync(path.join(root, BUCKET, 's2-like.tif'), path.join(root, BUCKET, 's2-like-copy.tif'));
    ctx = context();
    cog = await openCog(href, ctx);
  }, 60_000);

  it('keeps bytes fetched for 2 km windows within 1.1 × the bytes of the intersecting tiles', async () => {
    const before = { ...ctx.stats };
    const [, , c, , , f] = cog.header.levels[0].transform;
    for (let k = 0; k < 16; k++) {
      const x = c + 700 + ((k * 1370) % 17000);
      const y = f - 900 - ((k * 2110) % 17000);
      await readCogWindow(cog, { bbox: [x, y - 2000, x + 2000, y], resolution: 10 });
    }
    const d = byteStatsDelta(ctx.stats, before);
    const ratio = d.bytesFetched / d.bytesNeeded;
    console.info(`block size ${DEFAULT_BLOCK_SIZE} B: fetched ${d.bytesFetched} B for ${d.bytesNeeded} B of tiles (ratio ${ratio.toFixed(3)}) in ${d.requests} requests for 16 windows`);
    expect(ratio).toBeGreaterThanOrEqual(1);
    expect(ratio).toBeLessThanOrEqual(1.1);
  });
});
