/**
 * The pipeline on Node against a small generated demo world served over a real socket (Range requests), with a
 * real ONNX bundle loaded through `loadModel`: output files checked by GDAL, faults (500, 429), abort, the
 * NO_SCENES / ALL_CLOUDY failures, c1 vs legacy reflectance, the wrong BOA-offset flag, and the in-process demo
 * source against the socket.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GeoCropError } from '../../shared/contract/errors';
import { parseJobRequest, type JobRequest } from '../../shared/contract/job';
import type { ProgressEvent } from '../../shared/contract/stages';
import { writeCog } from '../../shared/export';
import { trueColourByte } from '../../shared/export/outputs';
import { SPECTRAL_BANDS } from '../../shared/features/indices';
import { featurePlane } from '../../shared/features/season-finish';
import { readDate } from '../../shared/pipeline/read-date';
import { run } from '../../shared/pipeline/run';
import type { RunResult } from '../../shared/pipeline/types';
import { aoiMask as makeAoiMask, targetGrid } from '../../shared/raster/grid';
import { createReaderContext } from '../../shared/raster/reader-context';
import { parseSceneItem } from '../../shared/stac';
import { searchSeasonScenes } from '../../shared/stac/search-season';
import type { ParsedScene } from '../../shared/stac/types';
import { HAVE_GDAL } from '../demo-world/testing/gdal';
import { createFaultInjector, sendFileRange } from '../http';
import { demoInProcess } from './demo';
import { mapAgreement } from './map-agreement';
import { loadModel, type LoadedModel } from './model';
import { nodeDeflate, nodePipelineEnv, type NodeEnvOptions } from './node-env';
import { gdalRead } from './testing/gdal-read';
import { THRESHOLD_MODEL_ID, thresholdRule, writeThresholdBundle } from './testing/threshold-model';
import { s3Path, startWorldServer, type StacItemJson, type WorldServer } from './testing/world-server';

const NOW = new Date('2026-11-23T00:00:00Z');
const CENTRE = { lon: 30.0, lat: -17.8 };
// Short backoffs keep the fault tests quick; Retry-After still governs 429s (max(Retry-After, backoff)).
const RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 5000, timeoutMs: 20_000 };

let srv: WorldServer;
let model: LoadedModel;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'geocrop-pipeline-test-'));
  await writeThresholdBundle(path.join(tmp, 'models'));
  [srv, model] = await Promise.all([startWorldServer(), loadModel(THRESHOLD_MODEL_ID, { root: path.join(tmp, 'models'), threads: 1 })]);
}, 240_000);

afterAll(async () => {
  await srv?.close();
  await model?.release();
  if (srv) rmSync(srv.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

afterEach(() => {
  srv.extra = null;
  srv.faults.reset();
});

function env(over: Partial<NodeEnvOptions> = {}) {
  return nodePipelineEnv({ model, stacUrl: `${srv.url}/demo/stac`, s3Template: `${srv.url}/demo/s3/{bucket}/{key}`, retry: RETRY, ...over });
}

function request(radius_m: number, more: Record<string, unknown> = {}): JobRequest {
  return parseJobRequest({ aoi: { ...CENTRE, radius_m }, year: 2022, model: THRESHOLD_MODEL_ID, ...more }, { now: NOW, maxRadiusM: 25_000 });
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** Pixels where two rasters differ (NaN equals NaN). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) n++;
  return n;
}

/** Clear dry-season legacy scenes of tile 36KSF (the AOI centre's zone), clearest first. */
function clearScenes(): StacItemJson[] {
  const wrong = srv.manifest.anomalies.wrongBoaFlag;
  return srv.items(2022)
    .filter((i) => i.collection === 's2_l2a' && i.properties['odc:region_code'] === '36KSF' && String(i.properties.datetime) < '2022-11')
    .filter((i) => `36KSF:${String(i.properties.datetime).slice(0, 10)}` !== wrong)
    .sort((a, b) => Number(a.properties['eo:cloud_cover']) - Number(b.properties['eo:cloud_cover']));
}

/** The URL folder holding one scene's COGs, e.g. `/demo/s3/geocrop-demo-world/sentinel-s2-l2a-cogs/36/K/SF/2022/9/S2A_…/`. */
const sceneFolder = (item: StacItemJson) => `${path.posix.dirname(s3Path((item.assets.SCL ?? item.assets.scl).href))}/`;

describe('a full run (1 km radius, 10 m)', () => {
  let result: RunResult;
  let events: ProgressEvent[];
  let s3Requests: number;
  const outDir = () => path.join(tmp, 'full');

  beforeAll(async () => {
    events = [];
    const before = srv.log.length;
    result = await run(request(1000), env(), { onProgress: (e) => events.push(e) });
    s3Requests = srv.log.slice(before).filter((r) => r.path.startsWith('/demo/s3/')).length;
    mkdirSync(outDir(), { recursive: true });
    for (const [name, bytes] of Object.entries(result.files)) {
      writeFileSync(path.join(outDir(), name), bytes);
    }
  }, 120_000);

  it('writes every output file and reports the stages in order', () => {
    expect(Object.keys(result.files).sort()).toEqual(['baseline.tif', 'confidence.tif', 'evi_peak.tif', 'manifest.json', 'ndvi_peak.tif', 'refined.tif', 'savi_peak.tif', 'truecolor.tif']);
    const order = ['fetch_stac', 'build_features', 'load_baseline', 'infer', 'smooth', 'export_cog', 'done'];
    const seen = events.map((e) => order.indexOf(e.stage));
    expect(seen.every((s, i) => s >= 0 && (i === 0 || s >= seen[i - 1]))).toBe(true);
    expect(new Set(events.map((e) => e.stage))).toEqual(new Set(order));
    expect(events.every((e) => e.fraction >= 0 && e.fraction <= 1)).toBe(true);
  });

  it('classifies with the ONNX bundle exactly as its rule says', () => {
    const { classes, confidence, features, aoiMask } = result.layers;
    const ndvi = featurePlane(features, 'ndvi_peak');
    let checked = 0;
    const bad: string[] = [];
    for (let i = 0; i < classes.length; i++) {
      if (!features.valid[i]) {
        if (classes[i] !== 255) bad.push(`pixel ${i}: no data but class ${classes[i]}`);
        continue;
      }
      const want = thresholdRule(ndvi[i]);
      if (classes[i] !== want.code || Math.abs(confidence[i] - want.confidence) > 1e-6) bad.push(`pixel ${i}: ndvi_peak ${ndvi[i]} → ${classes[i]} (${confidence[i]})`);
      checked++;
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(checked).toBe(aoiMask.reduce((a, v) => a + v, 0));
    // Both sides of the split occur, so the check covers both leaves.
    expect(new Set(classes.filter((c) => c !== 255))).toEqual(new Set([0, 7]));
  });

  it.skipIf(!HAVE_GDAL)('writes valid COGs that GDAL reads back equal to the returned layers', () => {
    const { grid, layers } = result;
    const tifs = Object.keys(result.files).filter((f) => f.endsWith('.tif'));
    const read = gdalRead(tifs.map((f) => path.join(outDir(), f)));
    const t = grid.transform;
    for (const f of tifs) {
      const r = read[path.join(outDir(), f)];
      expect(r.errors, f).toEqual([]);
      expect(r.warnings, f).toEqual([]);
      expect(r.epsg, f).toBe(grid.epsg);
      expect(r.geotransform, f).toEqual([t[2], t[0], t[1], t[5], t[3], t[4]]);
      expect(r.size, f).toEqual([grid.width, grid.height]);
      expect(r.metadata.GEOCROP_JOB, f).toBe(result.manifest.job_id);
    }
    const band = (f: string, k = 0) => read[path.join(outDir(), f)].bands[k];
    const n = grid.width * grid.height;
    const inAoi = (i: number) => layers.aoiMask[i] === 1;
    expect(band('refined.tif').type).toBe('Byte');
    expect(mismatches(band('refined.tif').data, layers.refined)).toBe(0);
    expect(mismatches(band('baseline.tif').data, layers.baseline!)).toBe(0);
    const conf = Uint8Array.from({ length: n }, (_, i) => (inAoi(i) && layers.confidence[i] >= 0 ? Math.round(layers.confidence[i] * 100) : 255));
    expect(mismatches(band('confidence.tif').data, conf)).toBe(0);
    for (const index of ['ndvi_peak', 'evi_peak', 'savi_peak']) {
      const plane = featurePlane(layers.features, index);
      expect(band(`${index}.tif`).type).toBe('Float32');
      expect(Number.isNaN(band(`${index}.tif`).nodata)).toBe(true);
      expect(mismatches(band(`${index}.tif`).data, Float32Array.from({ length: n }, (_, i) => (inAoi(i) ? plane[i] : Number.NaN))), index).toBe(0);
    }
    (['red', 'green', 'blue'] as const).forEach((b, k) => {
      const plane = featurePlane(layers.features, `${b}_at_peak`);
      const want = Uint8Array.from({ length: n }, (_, i) => (inAoi(i) && layers.features.valid[i] ? trueColourByte(plane[i]) : 0));
      expect(mismatches(band('truecolor.tif', k).data, want), b).toBe(0);
    });
  });

  it('writes a manifest with scenes, bytes, timings and class areas that add up', () => {
    const m = result.manifest;
    expect(JSON.parse(new TextDecoder().decode(result.files['manifest.json']))).toEqual(JSON.parse(JSON.stringify(m)));
    expect(m.files.sort()).toEqual(Object.keys(result.files).sort());
    expect(m.model).toMatchObject({ id: THRESHOLD_MODEL_ID, version: '0.0.1', features: ['ndvi_peak'] });
    expect(m.scenes.used.length).toBeGreaterThan(20);
    for (const s of m.scenes.skipped) expect(s.reason.length).toBeGreaterThan(5);
    // The legacy copies of January 2023 are never read twice: c1 wins.
    const usedIds = new Set(m.scenes.used.map((s) => s.id));
    expect(m.scenes.skipped.filter((s) => usedIds.has(s.id))).toEqual([]);
    expect(m.bytes.fetched).toBeGreaterThan(m.bytes.needed * 0.9);
    expect(m.bytes.requests).toBe(s3Requests);
    for (const k of ['search', 'plan', 'read', 'features', 'baseline', 'infer', 'smooth', 'export']) expect(m.timings_ms[k], k).toBeGreaterThanOrEqual(0);
    const aoiPixels = result.layers.aoiMask.reduce((a, v) => a + v, 0);
    expect(m.pixels.aoi).toBe(aoiPixels);
    let classified = 0;
    for (const c of m.class_areas_ha) {
      let count = 0;
      for (let i = 0; i < result.layers.refined.length; i++) if (result.layers.aoiMask[i] && result.layers.refined[i] === c.code) count++;
      expect(c.pixels, c.name).toBe(count);
      expect(c.hectares, c.name).toBeCloseTo((count * 10 * 10) / 1e4, 2);
      classified += count;
    }
    expect(m.pixels.classified).toBe(classified);
    expect(m.baseline).toMatchObject({ source: 'crop_mask_southeast', year: 2023 });
  });

  it('detects the scene whose BOA-offset flag is wrong, and only that one', () => {
    const [tile, date] = srv.manifest.anomalies.wrongBoaFlag!.split(':');
    const corrected = result.manifest.scenes.used.filter((s) => s.offsetCorrected);
    expect(corrected.map((s) => `${s.tile}:${s.date}`)).toEqual([`${tile}:${date}`]);
    expect(corrected[0].offset).toBeCloseTo(-0.1, 6);
    expect(result.manifest.warnings.filter((w) => w.includes('BOA-offset flag'))).toEqual([expect.stringContaining(corrected[0].label)]);
  });
});

describe('preview and mosaic', () => {
  let full: RunResult;
  let preview: RunResult;
  beforeAll(async () => {
    full = await run(request(1000), env(), { writeFiles: false });
    preview = await run(request(1000), env(), { resolution: 80, writeFiles: false });
  }, 180_000);

  it('an 80 m preview reads COG overviews: far fewer requests and bytes, and a map that agrees with the 10 m one', () => {
    expect(preview.grid.transform[0]).toBe(80);
    // Its 32 KiB first block brings a band's header and its small overview tile in one request (PREVIEW_BLOCK_SIZE).
    expect(preview.manifest.bytes.requests).toBeLessThan(full.manifest.bytes.requests * 0.6);
    expect(preview.manifest.bytes.fetched).toBeLessThan(full.manifest.bytes.fetched / 1.5);
    // Each 80 m pixel against the 10 m pixel at its centre: most agree (mixed pixels at field edges may not).
    const { compared, agreement } = mapAgreement(preview, full);
    expect(compared).toBeGreaterThan(100);
    expect(agreement).toBeGreaterThan(0.75);
  });

  it('mosaics the two UTM zones across 30°E without a seam: no gap, and no step in NDVI at the join', () => {
    // The AOI straddles 30°E: the west part comes from 35KRA (warped from UTM 35S), the east from 36KSF.
    const zones = new Set(full.manifest.scenes.used.map((s) => s.tile));
    expect(zones).toEqual(new Set(['35KRA', '36KSF']));
    const { aoiMask, features } = full.layers;
    const g = full.grid;
    let inside = 0, observed = 0;
    for (let i = 0; i < aoiMask.length; i++) if (aoiMask[i]) { inside++; observed += features.valid[i]; }
    expect(observed / inside).toBeGreaterThan(0.99);
    // Column-to-column differences of ndvi_p50 (a robust seasonal level): the largest mean step between adjacent
    // columns must not stand out (a seam would be a column pair with a systematic jump).
    const plane = features.data.subarray(features.names.indexOf('ndvi_p50') * features.pixels, (features.names.indexOf('ndvi_p50') + 1) * features.pixels);
    const steps: number[] = [];
    for (let c = 1; c < g.width; c++) {
      let sum = 0, k = 0;
      for (let r = 0; r < g.height; r++) {
        const a = plane[r * g.width + c - 1], b = plane[r * g.width + c];
        if (Number.isFinite(a) && Number.isFinite(b)) { sum += b - a; k++; }
      }
      if (k > 20) steps.push(Math.abs(sum / k));
    }
    const sorted = [...steps].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    expect(Math.max(...steps)).toBeLessThan(Math.max(0.05, 8 * median));
  });
});

describe('faults', () => {
  it('retries a scene whose COGs answer 500, then skips it with the reason, and still finishes', async () => {
    const victim = clearScenes()[0];
    const folder = sceneFolder(victim);
    const broken = createFaultInjector({ errorRate: 1 });
    srv.extra = broken.middleware({ prefixes: [folder] });
    const before = srv.log.length;
    const result = await run(request(500), env());
    const hits = srv.log.slice(before).filter((r) => r.path.startsWith(folder));
    // Each request is tried RETRY.attempts times, and the scene itself twice (read-date's SCENE_ATTEMPTS).
    expect(hits.length).toBeGreaterThanOrEqual(RETRY.attempts * 2);
    expect(hits.every((h) => h.status === 500)).toBe(true);
    const skipped = result.manifest.scenes.skipped.find((s) => s.id === victim.id);
    expect(skipped?.reason).toMatch(/read failed after 2 attempt.*READ_FAILED.*HTTP 500/);
    expect(result.manifest.scenes.used.map((s) => s.id)).not.toContain(victim.id);
    expect(result.files['refined.tif'].length).toBeGreaterThan(0);
    expect(result.manifest.scenes.used.length).toBeGreaterThan(20);
  }, 120_000);

  it('waits out a 429 with Retry-After, then reads the scene', async () => {
    const victim = clearScenes()[1];
    const folder = sceneFolder(victim);
    const slow = createFaultInjector({ rate429: 1, retryAfterS: 1 });
    const mw = slow.middleware({ prefixes: [folder] });
    const limited: MiddlewareHandler = async (c, next) => {
      const res = await mw(c, next);
      // One 429, then the server recovers.
      if (res instanceof Response && res.status === 429) slow.update({ rate429: 0 });
      return res;
    };
    srv.extra = limited;
    const before = srv.log.length;
    const result = await run(request(500), env(), { writeFiles: false });
    const hits = srv.log.slice(before).filter((r) => r.path.startsWith(folder));
    expect(hits[0].status).toBe(429);
    const retry = hits.find((h, i) => i > 0 && h.path === hits[0].path)!;
    expect([200, 206]).toContain(retry.status);
    // The backoff alone is ≤ 20 ms here: only the Retry-After explains a 1 s wait.
    expect(retry.at - hits[0].at).toBeGreaterThanOrEqual(950);
    expect(result.manifest.scenes.used.map((s) => s.id)).toContain(victim.id);
    expect(result.manifest.scenes.skipped.map((s) => s.id)).not.toContain(victim.id);
  }, 120_000);

  it('aborts mid-read: rejects with AbortError at once and sends nothing more than 1 s later', async () => {
    srv.faults.update({ latencyMs: 25 });
    const controller = new AbortController();
    // Dozens of reads in flight each listen to the job signal (and stop listening when they settle).
    setMaxListeners(1000, controller.signal);
    let abortAt = 0;
    let total = 0;
    const before = srv.log.length;
    const p = run(request(1000), env(), {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.stage === 'build_features' && Number(e.detail?.dates) >= 3 && !abortAt) {
          total = Number(e.detail?.of);
          abortAt = performance.now();
          controller.abort();
        }
      },
    });
    const err = await rejection(p);
    const rejectedAt = performance.now();
    expect(err.name).toBe('AbortError');
    expect(abortAt).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(10);
    expect(rejectedAt - abortAt).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 1500));
    const during = srv.log.slice(before);
    expect(during.filter((r) => r.at < abortAt).length).toBeGreaterThan(10);
    expect(during.filter((r) => r.at > abortAt + 1000).map((r) => r.path)).toEqual([]);
  }, 120_000);
});

describe('failures that name what to change', () => {
  it('NO_SCENES for an AOI the world does not cover, naming the AOI and the season', async () => {
    const harare = parseJobRequest({ aoi: { lon: 31.05, lat: -17.83, radius_m: 500 }, year: 2022 }, { now: NOW });
    const err = await rejection(run(harare, env()));
    expect(err).toBeInstanceOf(GeoCropError);
    expect((err as GeoCropError).code).toBe('NO_SCENES');
    expect(err.message).toContain('lon 31.05, lat -17.83, radius 500 m');
    expect(err.message).toContain('Sep 2022 – May 2023');
  });

  it('NO_SCENES for a season the world does not hold', async () => {
    const err = await rejection(run(request(500, { year: 2023 }), env()));
    expect((err as GeoCropError).code).toBe('NO_SCENES');
    expect(err.message).toContain('Sep 2023 – May 2024');
  });

  it('ALL_CLOUDY when every SCL says cloud (SCL objects substituted by all-cloud COGs of the same grid), without reading reflectance', async () => {
    // Simulated: the server answers each scene's SCL.tif with a COG of the real SCL grid filled with 9 (cloud,
    // high probability); reflectance, items and everything else are the world's own.
    const cloudy = new Map<string, string>();
    const perGrid = new Map<string, string>();
    for (const item of srv.items(2022)) {
      const scl = parseSceneItem(item).bands.scl!;
      const key = `${scl.epsg}:${scl.transform.join(',')}:${scl.shape.join('x')}`;
      let file = perGrid.get(key);
      if (!file) {
        file = path.join(tmp, `cloud-${perGrid.size}.tif`);
        const [height, width] = scl.shape;
        writeFileSync(file, writeCog({ width, height, dataType: 'uint8', bands: [new Uint8Array(width * height).fill(9)], epsg: scl.epsg, transform: scl.transform, nodata: 0 }, { deflate: nodeDeflate }));
        perGrid.set(key, file);
      }
      cloudy.set(s3Path(scl.href), file);
    }
    srv.extra = (c, next) => {
      const file = cloudy.get(c.req.path);
      return file ? sendFileRange(c, file, { cors: true }) : next();
    };
    const before = srv.log.length;
    const err = await rejection(run(request(500), env()));
    expect((err as GeoCropError).code).toBe('ALL_CLOUDY');
    expect(err.message).toContain('lon 30, lat -17.8, radius 500 m');
    expect(err.message).toContain('Sep 2022 – May 2023');
    const s3 = srv.log.slice(before).filter((r) => r.path.startsWith('/demo/s3/'));
    expect(s3.length).toBeGreaterThan(0);
    expect(s3.filter((r) => !cloudy.has(r.path)).map((r) => r.path)).toEqual([]);
  }, 120_000);
});

describe('reading', () => {
  it('reads the same reflectance from the c1 and the legacy copy of a January 2023 scene', async () => {
    const aoi = { ...CENTRE, radius_m: 500 };
    const e = env();
    const search = (collection: string) => searchSeasonScenes(e.fetch, { stacUrl: e.stacUrl, aoi, year: 2022, maxCloudCover: 100, collections: [collection] });
    const [c1, legacy] = await Promise.all([search('s2_l2a_c1'), search('s2_l2a')]);
    const grid = targetGrid(aoi, 10);
    const mask = makeAoiMask(aoi, grid);
    const ctx = { reader: createReaderContext({ fetch: e.fetch, s3Template: e.s3HttpsTemplate }), grid, aoiMask: mask, aoiPixels: mask.reduce((a, v) => a + v, 0), bands: SPECTRAL_BANDS, resolution: 10, plans: new Map() };
    const twin = (s: ParsedScene) => legacy.scenes.find((l) => l.tile === s.tile && l.date === s.date);
    const pairs = c1.scenes
      .filter((s) => s.date.startsWith('2023-01') && s.epsg === grid.epsg && twin(s))
      .sort((a, b) => (a.cloudCover ?? 100) - (b.cloudCover ?? 100));
    expect(pairs.length).toBeGreaterThan(0);
    const readOne = (scene: ParsedScene) => readDate({ date: scene.date, scenes: [{ scene, coverage: 1 }], coverage: 1 }, 0, ctx);
    // January is the rainy season: take the clearest date with a clear pixel over the AOI.
    for (const scene of pairs) {
      const a = await readOne(scene);
      if (!a.observation) continue;
      const other = twin(scene)!;
      const b = await readOne(other);
      expect(a.used[0].collection).toBe('s2_l2a_c1');
      expect(b.used[0].collection).toBe('s2_l2a');
      expect(mismatches(a.observation.valid, b.observation!.valid)).toBe(0);
      const clear = a.observation.valid.reduce((s, v) => s + v, 0);
      expect(clear).toBeGreaterThan(0);
      for (const band of SPECTRAL_BANDS) {
        const x = a.observation.bands[band]!;
        const y = b.observation!.bands[band]!;
        let worst = 0;
        for (let i = 0; i < x.length; i++) if (a.observation.valid[i]) worst = Math.max(worst, Math.abs(x[i] - y[i]));
        expect(worst, `${band} (c1 offset ${a.used[0].offset}, legacy offset ${b.used[0].offset})`).toBeLessThan(1e-5);
      }
      return;
    }
    throw new Error('no January 2023 date had a clear pixel over the AOI');
  }, 120_000);

  it('gets the same result from the in-process demo world as over the socket', async () => {
    const demo = demoInProcess(srv.dir);
    const req = request(300);
    const [a, b] = await Promise.all([
      run(req, env(), { writeFiles: false }),
      run(req, env({ fetch: demo.fetch, stacUrl: demo.stacUrl, s3Template: demo.s3HttpsTemplate }), { writeFiles: false }),
    ]);
    expect(b.manifest.stac.url).toBe('http://demo.local/demo/stac');
    expect(b.manifest.scenes.used.map((s) => s.id)).toEqual(a.manifest.scenes.used.map((s) => s.id));
    expect(mismatches(b.layers.refined, a.layers.refined)).toBe(0);
    expect(mismatches(b.layers.features.data, a.layers.features.data)).toBe(0);
  }, 120_000);
});
