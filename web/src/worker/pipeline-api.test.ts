// The Worker's API driven in Node, without a Worker: request validation, config and model loading, cancellation
// and the error payloads. A full run over the demo world is in web/src/pipeline-parity.browser.test.ts.
import { rm } from 'node:fs/promises';
import { Hono } from 'hono';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoCropError } from '../../../shared/contract/errors';
import { MODELS_PATH, modelRoutes } from '../../../server/models-routes';
import { createMemoryResponseStore } from '../offline';
import { createPipelineApi, parsePipelineConfig, pipelineEnv, type PipelineConfig, type PipelinePlatform } from './pipeline-api';
import { TEST_MODEL_ID, writeTestModels } from './testing/test-bundle';
import { fromWireError, isWireError } from './wire-errors';

const ORIGIN = 'http://geocrop.test';
const CONFIG: PipelineConfig = {
  stacUrl: 'https://explorer.digitalearth.africa/stac',
  s3HttpsTemplate: 'https://{bucket}.s3.af-south-1.amazonaws.com/{key}',
  proxyTemplate: '/api/proxy?url={url}',
  demo: { stacUrl: '/demo/stac', s3HttpsTemplate: '/demo/s3/{bucket}/{key}' },
};
const GOOD = { aoi: { lon: 30.0, lat: -17.8, radius_m: 1000 }, year: 2022, model: TEST_MODEL_ID };

let dir: string;

interface Server {
  platform: PipelinePlatform;
  requests: string[];
  /** Called for /api/config; default: answer CONFIG. */
  config: () => Response | Promise<Response>;
}

function server(): Server {
  const app = new Hono();
  const s: Server = {
    requests: [],
    config: () => Response.json(CONFIG),
    platform: {
      fetch: (url, init) => {
        s.requests.push(new URL(url).pathname);
        return Promise.resolve(app.fetch(new Request(url, init)));
      },
      origin: ORIGIN,
      ort,
      facts: async () => ({ webgpuAdapter: false, crossOriginIsolated: true, hardwareConcurrency: 1 }),
    },
  };
  app.get('/api/config', () => s.config());
  app.route(MODELS_PATH, modelRoutes({ dir }));
  return s;
}

/** Runs and returns the rejection, rebuilt as the page would. */
async function failure(p: Promise<unknown>): Promise<Error> {
  const payload = await p.then(() => undefined, (e: unknown) => e);
  expect(isWireError(payload), `a WireError payload, got ${String(payload)}`).toBe(true);
  // What postMessage delivers is a structured clone.
  return fromWireError(structuredClone(payload));
}

beforeAll(async () => {
  dir = await writeTestModels();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pipeline Worker API', () => {
  it('rejects an invalid request with its GeoCropError code before fetching anything', async () => {
    const s = server();
    const err = await failure(createPipelineApi(s.platform).run({ aoi: { lon: 25.0, lat: -30, radius_m: 1000 }, year: 2022 }, { runId: 'r1', source: 'demo' }));
    expect(err).toBeInstanceOf(GeoCropError);
    expect((err as GeoCropError).code).toBe('AOI_OUTSIDE_ZIMBABWE');
    expect(s.requests).toEqual([]);
  });

  it('prepares a model ahead of runs: once per Worker, with the threads of the host', async () => {
    const s = server();
    s.platform.facts = async () => ({ webgpuAdapter: true, crossOriginIsolated: true, hardwareConcurrency: 8 });
    const api = createPipelineApi(s.platform);
    const prepared = await api.prepare(TEST_MODEL_ID);
    // The test model has trees (ai.onnx.ml), which WebGPU does not run; 8 cores are capped at 4 threads.
    expect(prepared).toEqual({ id: TEST_MODEL_ID, version: '0.0.1', executionProviders: ['wasm'], wasmThreads: 4, reason: expect.stringContaining('tree ensemble') });
    await api.prepare(TEST_MODEL_ID);
    expect(s.requests.filter((r) => r.endsWith('/model.onnx'))).toHaveLength(1);
    const missing = fromWireError(await api.prepare().then(() => undefined, (e: unknown) => structuredClone(e)));
    expect((missing as GeoCropError).code).toBe('MODEL_NOT_FOUND');
    expect(s.requests).toContain('/models/croptype-demo/manifest.json');
  });

  it('reports an unknown model as MODEL_NOT_FOUND, from the models route', async () => {
    const s = server();
    const err = await failure(createPipelineApi(s.platform).run({ ...GOOD, model: 'croptype-nope' }, { runId: 'r1', source: 'demo' }));
    expect((err as GeoCropError).code).toBe('MODEL_NOT_FOUND');
    expect(s.requests).toContain('/models/croptype-nope/manifest.json');
  });

  it('cancels a run waiting on the server with an AbortError, and frees its id', async () => {
    const s = server();
    let release: () => void = () => undefined;
    s.config = () => new Promise<Response>((resolve) => (release = () => resolve(Response.json(CONFIG))));
    const api = createPipelineApi(s.platform);
    const pending = api.run(GOOD, { runId: 'slow', source: 'demo' });
    const dup = await failure(api.run(GOOD, { runId: 'slow', source: 'demo' }));
    expect((dup as GeoCropError).code).toBe('INVALID_REQUEST');
    api.cancel('other'); // unknown ids are ignored
    api.cancel('slow');
    const err = await failure(pending);
    expect(err).toBeInstanceOf(DOMException);
    expect([err.name, err.message]).toEqual(['AbortError', 'The run was cancelled.']);
    release();
    // The id is free again, and the config that arrived late is reused (one fetch in all).
    const again = api.run(GOOD, { runId: 'slow', source: 'demo' });
    api.cancel();
    expect((await failure(again)).name).toBe('AbortError');
    expect(s.requests.filter((r) => r === '/api/config')).toHaveLength(1);
  });

  it('keeps running when the page\'s progress callback fails (a closed port), and reports the run\'s own error', async () => {
    const s = server(); // serves no STAC API: the search fails after the first progress event
    const seen: string[] = [];
    const err = await failure(createPipelineApi(s.platform).run(GOOD, { runId: 'r', source: 'demo' }, (e) => {
      seen.push(e.stage);
      throw new Error('port closed');
    }));
    expect(seen).toEqual(['fetch_stac']);
    expect(err).toBeInstanceOf(GeoCropError);
    expect(err.message).not.toContain('port closed');
    expect(s.requests).toContain('/demo/stac/search');
  });

  it('forgets a failed config load so the next run retries it', async () => {
    const s = server();
    s.config = () => new Response('down', { status: 404 });
    const api = createPipelineApi(s.platform);
    const err = await failure(api.run(GOOD, { runId: 'a', source: 'demo' }));
    expect((err as GeoCropError).code).toBe('READ_FAILED');
    expect(err.message).toContain('HTTP 404');
    s.config = () => Response.json({ stacUrl: 'x' });
    expect((await failure(api.run(GOOD, { runId: 'b', source: 'demo' }))).message).toContain('different versions');
    expect(s.requests.filter((r) => r === '/api/config')).toHaveLength(2);
  });

  it('answers the offline store calls, and refuses them (INTERNAL) on a platform without a store', async () => {
    const s = server();
    const api = createPipelineApi({ ...s.platform, store: createMemoryResponseStore({ maxBytes: 1e6 }) });
    await api.prepare(TEST_MODEL_ID); // config and model files go through the cache, and are saved
    const saved = await api.offlineStats();
    expect(saved).toMatchObject({ entries: 3, maxBytes: 1e6, persistent: false });
    expect(await api.setOfflineLimit(saved.bytes - 1)).toMatchObject({ entries: 2, maxBytes: saved.bytes - 1 });
    expect(((await failure(api.setOfflineLimit(0))) as GeoCropError).code).toBe('INVALID_REQUEST');
    expect(await api.clearOffline()).toMatchObject({ entries: 0, bytes: 0 });
    const none = createPipelineApi(s.platform);
    for (const call of [() => none.offlineStats(), () => none.saveForOffline(GOOD, { runId: 's', source: 'demo' })]) {
      const err = await failure(call());
      expect([(err as GeoCropError).code, err.message]).toEqual(['INTERNAL', expect.stringContaining('offline')]);
    }
  });
});

describe('pipelineEnv', () => {
  const model = { id: 'm', version: '1.0.0', featureNames: [], classes: [], classify: () => Promise.reject(new Error('unused')) };
  const platform = { fetch: () => Promise.reject(new Error('unused')), origin: ORIGIN };

  it('reads the demo world from the same origin, with absolute STAC URLs and relative S3 paths resolved on baseUrl', () => {
    const env = pipelineEnv(CONFIG, 'demo', platform, model);
    expect(env).toMatchObject({ stacUrl: `${ORIGIN}/demo/stac`, s3HttpsTemplate: '/demo/s3/{bucket}/{key}', baseUrl: ORIGIN, proxyTemplate: '/api/proxy?url={url}' });
    expect(env.model).toBe(model);
  });

  it('reads DE Africa online, keeping the proxy fallback', () => {
    const env = pipelineEnv({ ...CONFIG, stacUrl: 'https://explorer.digitalearth.africa/stac/' }, 'online', platform, model);
    expect(env).toMatchObject({ stacUrl: 'https://explorer.digitalearth.africa/stac', s3HttpsTemplate: CONFIG.s3HttpsTemplate, proxyTemplate: CONFIG.proxyTemplate });
  });

  it('accepts the server\'s public config and refuses one missing a field', () => {
    expect(parsePipelineConfig({ ...CONFIG, maxRadiusM: 25000, demo: { ...CONFIG.demo, seed: 42 } })).toEqual(CONFIG);
    expect(() => parsePipelineConfig({ ...CONFIG, demo: { stacUrl: '/demo/stac' } })).toThrow(GeoCropError);
    expect(() => parsePipelineConfig(null)).toThrow(/different versions/);
  });
});
