// "Save for offline" through the Worker API in Node, against the real server app and the default demo world with
// the test model: after saveForOffline, a fresh API (a new Worker) with no network at all loads config and model
// and computes the map from saved answers alone — so the save read every range a run reads (identical maps online
// and offline are checked in offline.browser.test.ts). Offline, an area
// that was not saved, or a saved one with data missing, fails with the "not saved for offline use" error instead of
// a map made from fewer scenes. The same in Chromium, with IndexedDB: offline.browser.test.ts.
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoCropError } from '../../../shared/contract/errors';
import type { FetchFn } from '../../../shared/net/fetch-retry';
import { createApp } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { generateWorld } from '../../../server/demo-world/generate';
import { createPipelineApi, type OfflineSaveResult, type PipelinePlatform, type WorkerRunResult } from '../worker/pipeline-api';
import { TEST_MODEL_ID, writeTestModels } from '../worker/testing/test-bundle';
import { fromWireError } from '../worker/wire-errors';
import { createMemoryResponseStore, type ResponseStore } from './response-store';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ORIGIN = 'http://geocrop.test';
/** Small (≈ 120 × 120 px at 10 m) but over both UTM tiles' overlap, with the baseline read too. */
const REQUEST = { job_id: 'offline-node', aoi: { lon: 30.0, lat: -17.8, radius_m: 600 }, year: 2022, model: TEST_MODEL_ID, outputs: { true_color: false, indices: [] } };
const OPTIONS = { source: 'demo' as const, writeFiles: false };

let modelsDir: string;
let online: FetchFn;
const offline: FetchFn = () => Promise.reject(new TypeError('Failed to fetch'));

const platform = (fetch: FetchFn, store?: ResponseStore): PipelinePlatform => ({
  fetch,
  store,
  origin: ORIGIN,
  ort,
  facts: async () => ({ webgpuAdapter: false, crossOriginIsolated: true, hardwareConcurrency: 1 }),
});

/** The call's result, or its rejection rebuilt as the page would. */
async function settle<T>(p: Promise<T>): Promise<T | Error> {
  return p.catch((payload: unknown) => fromWireError(structuredClone(payload)));
}

beforeAll(async () => {
  modelsDir = await writeTestModels();
  const demoDir = path.join(repo, '.cache/demo-world');
  const world = await generateWorld({ dir: demoDir, config: { seed: 42, seasons: [2022] } });
  const app = createApp({ config: loadConfig({ PORT: '0', GEOCROP_DEMO_DIR: demoDir }, repo), world, modelsDir });
  online = (url, init) => Promise.resolve(app.fetch(new Request(url, init)));
}, 180_000);

afterAll(async () => {
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

describe('saveForOffline, then runs without a network', () => {
  const store = createMemoryResponseStore();
  const progress: string[] = [];
  let saved: OfflineSaveResult;

  beforeAll(async () => {
    saved = await createPipelineApi(platform(online, store)).saveForOffline(REQUEST, { runId: 'save', source: 'demo' }, (e) => {
      if (progress.at(-1) !== e.stage) progress.push(e.stage);
    });
  }, 120_000);

  it('saves config, model, searches and every range a run reads: a new Worker offline needs nothing else', async () => {
    expect(progress).toEqual(['fetch_stac', 'build_features', 'load_baseline']);
    expect(saved).toMatchObject({ baseline: true, store: { entries: saved.entriesSaved, persistent: false }, cache: { hits: 0, unavailable: 0, saveFailures: 0 } });
    expect(saved.entriesSaved).toBeGreaterThan(20);

    // No network at all: every request answered from what the save stored (a miss would have failed the run).
    const result: WorkerRunResult = await createPipelineApi(platform(offline, store)).run(REQUEST, { runId: 'offline', ...OPTIONS });
    expect(result.cache).toMatchObject({ misses: 0, unavailable: 0, bytesFromNetwork: 0 });
    expect(result.cache!.hits).toBeGreaterThan(20);
    expect(result.manifest.scenes.used.length).toBe(saved.scenes);
    expect(result.manifest.scenes.skipped.every((s) => !s.reason.includes('read failed'))).toBe(true);
    expect(result.manifest.baseline).not.toBeNull();
    expect(result.manifest.pixels.classified).toBeGreaterThan(0.9 * result.manifest.pixels.aoi);
  }, 120_000);

  it('saves what a preview reads (80 m, fewer dates) on request: offline, the preview runs too', async () => {
    const preview = { resolution: 80 as const, maxDates: 12 };
    const before = await settle(createPipelineApi(platform(offline, store)).run(REQUEST, { runId: 'preview-unsaved', ...OPTIONS, ...preview }));
    expect(before).toMatchObject({ details: { offline: true } }); // its overview ranges are not among the 10 m save's
    const more = await createPipelineApi(platform(online, store)).saveForOffline(REQUEST, { runId: 'save-preview', source: 'demo', ...preview });
    expect(more.entriesSaved).toBeGreaterThan(0);
    expect(more.dates).toBe(12);
    const result = await createPipelineApi(platform(offline, store)).run(REQUEST, { runId: 'preview-offline', ...OPTIONS, ...preview });
    expect(result.cache).toMatchObject({ misses: 0, unavailable: 0 });
    expect(result.grid.transform[0]).toBe(80);
    expect(result.manifest.observations.dates).toBeLessThanOrEqual(12);
  }, 120_000);

  it('offline, fails an area that was not saved with the "not saved for offline use" error', async () => {
    const api = createPipelineApi(platform(offline, store));
    const err = await settle(api.run({ ...REQUEST, aoi: { lon: 30.02, lat: -17.82, radius_m: 600 } }, { runId: 'elsewhere', ...OPTIONS }));
    expect(err).toBeInstanceOf(GeoCropError);
    expect(err).toMatchObject({ code: 'STAC_UNAVAILABLE', details: { offline: true } });
    expect((err as Error).message).toContain('not saved for offline use');
  }, 60_000);

  it('offline, fails a saved area whose baseline is gone, rather than returning a map without it', async () => {
    // The baseline is a warning when unreadable online; offline its absence means "not saved", not "no baseline".
    const withoutBaseline: ResponseStore = { ...store, get: (key) => (key.includes('crop_mask') ? Promise.resolve(undefined) : store.get(key)) };
    const err = await settle(createPipelineApi(platform(offline, withoutBaseline)).run(REQUEST, { runId: 'partial', ...OPTIONS }));
    expect(err).toMatchObject({ code: 'READ_FAILED', details: { offline: true } });
    expect((err as GeoCropError).details?.url).toContain('crop_mask');
  }, 60_000);
});
