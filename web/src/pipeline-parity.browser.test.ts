// The pipeline in the browser equals the pipeline in Node. The PWA is built with Vite (plus a test page that drives
// `pipeline-client`), served by the real server app over a socket with the default demo world and a test model
// bundle, and opened in Debian's Chromium, cross-origin isolated. The same request then runs inside the module
// Worker (onnxruntime-web wasm, threaded) and in this Node process (`run()` as server/pipeline sets it up), both
// reading the same STAC API and COGs over HTTP: class maps, feature planes and the written files must be
// identical. Also: cancelling from the page stops the Worker's run, GeoCropErrors arrive with their codes, and a
// Worker that cannot load fails its calls.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, nodePipelineEnv, type LoadedModel } from '../../server/pipeline';
import { parseJobRequest } from '../../shared/contract/job';
import { run } from '../../shared/pipeline/run';
import type { RunResult } from '../../shared/pipeline/types';
import type { Harness, HarnessOutcome } from './worker/testing/harness';
import { CHROMIUM, hasChromium, startHarnessServer, type HarnessServer } from './worker/testing/serve-harness';
import { TEST_MODEL_ID } from './worker/testing/test-bundle';

if (!hasChromium) console.warn(`[web/src/pipeline-parity.browser.test.ts] SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).`);

/** ≈ 240 × 240 px at 10 m over both UTM tiles' overlap; three bands (the test model's) plus the baseline. */
const REQUEST = { job_id: 'parity-check', aoi: { lon: 30.0, lat: -17.8, radius_m: 1200 }, year: 2022, model: TEST_MODEL_ID, outputs: { true_color: false, indices: ['ndvi_peak'] } };

declare global {
  interface Window {
    geocrop: Harness;
  }
}

/** First index where two arrays differ (NaN equals NaN), with both values; undefined when identical. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): { index: number; a: number; b: number; differing: number } | undefined {
  if (a.length !== b.length) return { index: -1, a: a.length, b: b.length, differing: Math.abs(a.length - b.length) };
  let first = -1;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) {
      if (first < 0) first = i;
      differing++;
    }
  }
  return first < 0 ? undefined : { index: first, a: a[first], b: b[first], differing };
}

const view = <T extends ArrayBufferView>(like: T, bytes: Buffer): T => {
  const copy = new Uint8Array(bytes).buffer;
  const Ctor = like.constructor as new (b: ArrayBuffer) => T;
  return new Ctor(copy);
};

describe.skipIf(!hasChromium)('pipeline in a module Worker vs Node', () => {
  let served: HarnessServer;
  let page: Page;
  let nodeModel: LoadedModel | undefined;
  /** Arrival times (ms, `performance.now()`) of COG requests at the server. */
  const cogRequests: number[] = [];

  const pageRun = (input: unknown, options: Parameters<Harness['run']>[1]): Promise<HarnessOutcome> =>
    page.evaluate(([i, o]) => window.geocrop.run(i, o), [input, options] as const);
  const pageArray = async <T extends ArrayBufferView>(like: T, p: string): Promise<T> =>
    view(like, Buffer.from(await page.evaluate((x) => window.geocrop.bytes(x), p), 'base64'));

  beforeAll(async () => {
    served = await startHarnessServer((p) => {
      if (p.startsWith('/demo/s3/')) cogRequests.push(performance.now());
    });
    page = await served.open();
  }, 240_000);

  afterAll(async () => {
    await nodeModel?.release();
    await served?.close();
  });

  it('computes the same class map, features and files in the Worker as in Node', async () => {
    // Cross-origin isolated, so onnxruntime gets SharedArrayBuffer and as many wasm threads as the rule allows.
    const prepared = await page.evaluate((id) => window.geocrop.prepare(id), TEST_MODEL_ID);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(prepared).toMatchObject({ id: TEST_MODEL_ID, executionProviders: ['wasm'], wasmThreads: Math.min(cores, 4) });
    expect((prepared as { reason: string }).reason).not.toContain('not cross-origin isolated');

    const inWorker = await pageRun(REQUEST, { source: 'demo' });
    if (!inWorker.ok) throw new Error(`Worker run failed: ${JSON.stringify(inWorker.error)}`);
    expect(inWorker.stages).toEqual(['fetch_stac', 'build_features', 'load_baseline', 'infer', 'smooth', 'export_cog', 'done']);

    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // onnxruntime's thread Workers (same script) sit blocked in Atomics.wait and never answer: don't wait for them.
    const timeout = () => new Promise<null>((r) => setTimeout(() => r(null), 2000));
    const workerFacts = await Promise.all(page.workers().map((w) => Promise.race([w.evaluate(() => [self.name, self.crossOriginIsolated] as const).catch(() => null), timeout()])));
    expect(workerFacts).toContainEqual(['geocrop-pipeline', true]);

    // Node as the server runs the pipeline (its model loader and env), but with the browser's COG encoder (fflate,
    // not zlib) so that the files can be compared byte for byte too.
    nodeModel = await loadModel(TEST_MODEL_ID, { root: served.modelsDir });
    const env = { ...nodePipelineEnv({ model: nodeModel, stacUrl: `${served.url}/demo/stac`, s3Template: '/demo/s3/{bucket}/{key}' }), deflate: undefined };
    const inNode: RunResult = await run(parseJobRequest(REQUEST), env);

    expect(inWorker.grid).toEqual(inNode.grid);
    const L = inNode.layers;
    // Not a trivial map: most of the AOI classified, into several classes.
    const classes = new Set(L.refined.filter((v) => v !== 255));
    expect(classes.size).toBeGreaterThanOrEqual(3);
    expect(inNode.manifest.pixels.classified).toBeGreaterThan(0.9 * inNode.manifest.pixels.aoi);

    for (const name of ['refined', 'classes', 'aoiMask', 'baseline'] as const) {
      const mine = L[name];
      if (!mine) throw new Error(`Node run has no ${name} layer`);
      expect(firstDifference(await pageArray(mine, name), mine), name).toBeUndefined();
    }
    expect(inWorker.featureNames).toEqual(L.features.names);
    const data = await pageArray(L.features.data, 'features.data');
    L.features.names.forEach((name, k) => {
      const plane = (a: Float32Array) => a.subarray(k * L.features.pixels, (k + 1) * L.features.pixels);
      expect(firstDifference(plane(data), plane(L.features.data)), `feature plane ${name}`).toBeUndefined();
    });
    for (const name of ['valid', 'obsCount'] as const) expect(firstDifference(await pageArray(L.features[name], `features.${name}`), L.features[name]), name).toBeUndefined();
    expect(firstDifference(await pageArray(L.features.ndviSeries.values, 'features.ndviSeries.values'), L.features.ndviSeries.values)).toBeUndefined();

    // Confidence is the winning probability as each onnxruntime build computes it (same wasm kernels, same order).
    const conf = await pageArray(L.confidence, 'confidence');
    let maxDiff = 0;
    for (let i = 0; i < conf.length; i++) {
      expect(Number.isNaN(conf[i])).toBe(Number.isNaN(L.confidence[i]));
      if (!Number.isNaN(conf[i])) maxDiff = Math.max(maxDiff, Math.abs(conf[i] - L.confidence[i]));
    }
    expect(maxDiff).toBeLessThan(1e-6);

    expect(inWorker.files).toEqual(Object.keys(inNode.files));
    for (const name of ['refined.tif', 'baseline.tif', 'ndvi_peak.tif']) {
      expect(firstDifference(await pageArray(inNode.files[name], `files.${name}`), inNode.files[name]), name).toBeUndefined();
    }
    const pick = (m: RunResult['manifest']) => ({ scenes: m.scenes, class_areas_ha: m.class_areas_ha, pixels: m.pixels, warnings: m.warnings, baseline: m.baseline, model: m.model, bytes: m.bytes });
    expect(pick(inWorker.manifest)).toEqual(pick(inNode.manifest));
  }, 150_000);

  it('stops the Worker run when the page aborts: AbortError, and no more reads', async () => {
    const out = await pageRun({ ...REQUEST, job_id: 'parity-abort' }, { source: 'demo', abortAtStage: 'build_features' });
    const settled = performance.now();
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ name: 'AbortError', isDomAbort: true, isGeoCropError: false });
    expect(out.stages).toEqual(['fetch_stac', 'build_features']);
    expect(out.abortToSettleMs).toBeLessThan(5000);
    // Reads in flight when the signal fired may still arrive; after that the Worker must fall silent.
    await new Promise((r) => setTimeout(r, 2500));
    expect(cogRequests.filter((t) => t > settled + 500).length, 'COG requests later than 0.5 s after the run settled').toBe(0);
    const late = await page.evaluate(() => window.geocrop.lateStages());
    expect(late.filter((s) => !s.endsWith(':build_features'))).toEqual([]);
    expect(late.length).toBeLessThanOrEqual(3);
  }, 60_000);

  it('delivers GeoCropErrors to the page with their codes', async () => {
    const cases: [unknown, string][] = [
      [{ ...REQUEST, aoi: { lon: 25.0, lat: -30.0, radius_m: 1000 } }, 'AOI_OUTSIDE_ZIMBABWE'],
      [{ ...REQUEST, year: 2019 }, 'NO_SCENES'], // the demo world has seasons 2022 and 2023 only
      [{ ...REQUEST, model: 'croptype-missing' }, 'MODEL_NOT_FOUND'],
    ];
    for (const [input, code] of cases) {
      const out = await pageRun(input, { source: 'demo' });
      expect(out.ok, code).toBe(false);
      if (out.ok) continue;
      expect(out.error, code).toMatchObject({ name: 'GeoCropError', code, isGeoCropError: true });
      expect(out.error.message.length, code).toBeGreaterThan(20);
    }
    // A Worker whose script is gone fails its calls instead of leaving them pending forever.
    expect(await page.evaluate(() => window.geocrop.brokenWorker())).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('Reload the page') });
  }, 60_000);
});
