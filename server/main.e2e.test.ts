/**
 * `npm start` for real: the server process generates (or reuses) the default demo world, listens on a socket, and
 * serves the STAC API, COGs with Range semantics, and ground truth. GDAL reads the COGs over HTTP (/vsicurl/),
 * geotiff.js reads the same windows with Range requests (demo COGs and the real Sentinel-2 COGs in
 * ../shared/data), and every COG of the default world passes GDAL's validator.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromUrl } from 'geotiff';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { gdalCheck, HAVE_GDAL } from './demo-world/testing/gdal';
import { serveFiles } from './http';

const repo = path.resolve(__dirname, '..');
const realDir = path.resolve(repo, '../shared/data/s2-real');
const haveReal = existsSync(realDir);
if (!haveReal) console.warn(`main.e2e: ${realDir} is absent; the real-COG reader comparison is skipped`);

let proc: ChildProcess;
let base = '';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

beforeAll(async () => {
  proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: repo, env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (m) resolve(m[1]);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
}, 600_000);

afterAll(() => { proc?.kill('SIGTERM'); });

describe('npm start', () => {
  it('reports health and the demo world', async () => {
    const h = await (await fetch(`${base}/healthz`)).json();
    expect(h.ok).toBe(true);
    expect(h.demo.seasons).toEqual(expect.arrayContaining([2022, 2023]));
    expect(h.demo.tiles).toEqual(['35KRA', '36KSF']);
  });

  it('serves a STAC API whose paging returns every item once', async () => {
    const landing = await (await fetch(`${base}/demo/stac`)).json();
    expect(landing.links.some((l: { rel: string }) => l.rel === 'search')).toBe(true);
    const ids = new Set<string>();
    let body: Record<string, unknown> | undefined = { collections: ['s2_l2a_c1', 's2_l2a'], bbox: [29.99, -17.82, 30.01, -17.80], datetime: '2022-09-01T00:00:00Z/2023-05-31T23:59:59Z', limit: 50 };
    let matched = -1;
    while (body) {
      const page: { numberMatched: number; features: Array<{ id: string }>; links: Array<{ rel: string; body?: Record<string, unknown> }> } = await (await fetch(`${base}/demo/stac/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
      matched = page.numberMatched;
      for (const f of page.features) { expect(ids.has(f.id)).toBe(false); ids.add(f.id); }
      const next = page.links.find((l) => l.rel === 'next');
      body = next ? { ...body, ...next.body } : undefined;
    }
    expect(ids.size).toBe(matched);
    // Both tiles cover this box: 55 dates × 2 tiles, plus January 2023 in both collections.
    expect(matched).toBeGreaterThan(110);
  });

  it('serves COGs with Range semantics that GDAL reads over HTTP', async () => {
    const search = await (await fetch(`${base}/demo/stac/search?collections=s2_l2a_c1&limit=1&filter=eo:cloud_cover<5`)).json();
    const href: string = search.features[0].assets.red.href;
    const url = `${base}/demo/s3/${href.slice('s3://'.length)}`;
    const r = await fetch(url, { headers: { Range: 'bytes=0-99' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await r.arrayBuffer()).byteLength).toBe(100);
    if (HAVE_GDAL) {
      const info = JSON.parse(execFileSync('gdalinfo', ['-json', `/vsicurl/${url}`]).toString());
      expect(info.coordinateSystem.wkt).toContain(`"EPSG",${search.features[0].properties['proj:epsg']}`);
      expect(info.bands[0].noDataValue).toBe(0);
    }
    for (const f of ['classes.tif', 'fields.geojson', 'classes.json']) expect((await fetch(`${base}/demo/truth/${f}`)).status).toBe(200);
  });

  it.skipIf(!HAVE_GDAL)('reads the same pixels as GDAL with geotiff.js Range reads, for demo and real Sentinel-2 COGs', async () => {
    const search = await (await fetch(`${base}/demo/stac/search?collections=s2_l2a_c1&limit=1`)).json();
    const demo = search.features[0].assets.nir.href.slice('s3://'.length);
    const cache = path.join(repo, '.cache/demo-world/s3');
    const targets: Array<{ url: string; file: string }> = [{ url: `${base}/demo/s3/${demo}`, file: path.join(cache, demo) }];
    let stop: (() => void) | undefined;
    if (haveReal) {
      // The real COGs, served by the same object server over a socket.
      const root = mkdtempSync(path.join(os.tmpdir(), 'geocrop-real-'));
      cpSync(realDir, path.join(root, 'real'), { recursive: true });
      const app = new Hono().route('/s3', serveFiles({ root }));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      stop = () => server.close();
      for (const b of ['B04', 'B8A', 'SCL']) {
        const name = `rio-tiler-pds__S2A_29RKH_20200219_0_L2A__${b}.tif`;
        targets.push({ url: `http://127.0.0.1:${port}/s3/real/${name}`, file: path.join(realDir, name) });
      }
    }
    try {
      for (const t of targets) {
        const tiff = await fromUrl(t.url);
        const img = await tiff.getImage();
        const w = img.getWidth(), h = img.getHeight();
        const win = [Math.floor(w * 0.3), Math.floor(h * 0.4), Math.floor(w * 0.3) + 37, Math.floor(h * 0.4) + 23];
        const [data] = (await img.readRasters({ window: win })) as unknown as ArrayLike<number>[];
        const points: Array<[number, number]> = [[0, 0], [36, 22], [17, 5], [3, 19]].map(([c, r]) => [win[0] + c, win[1] + r]);
        const gdal = gdalCheck({ sample: [{ path: t.file, points }] });
        expect(points.map(([c, r]) => data[(r - win[1]) * 37 + (c - win[0])])).toEqual(gdal.samples[t.file]);
      }
    } finally {
      stop?.();
    }
  });

  it.skipIf(!HAVE_GDAL)('has only valid COGs in the default world', () => {
    const tifs = walk(path.join(repo, '.cache/demo-world')).filter((f) => f.endsWith('.tif'));
    expect(tifs.length).toBeGreaterThan(2500);
    expect(gdalCheck({ validate: tifs }).invalid).toEqual({});
  }, 600_000);
});
