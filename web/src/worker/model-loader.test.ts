import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoCropError } from '../../../shared/contract/errors';
import { createClassifier, parseModelManifest } from '../../../shared/model';
import { MODELS_PATH, modelRoutes } from '../../../server/models-routes';
import { loadPipelineModel, type LoadModelOptions } from './model-loader';
import { TEST_MODEL_FEATURES, TEST_MODEL_ID, writeTestModels } from './testing/test-bundle';

let dir: string;
let app: Hono;
let requests: string[];
const fetchApp = (url: string, init?: RequestInit) => {
  requests.push(new URL(url).pathname);
  return Promise.resolve(app.fetch(new Request(url, init)));
};
const options = (id = TEST_MODEL_ID): LoadModelOptions => ({ ort, fetch: fetchApp, modelsUrl: 'http://geocrop.test/models/', id, retry: { attempts: 1 } });

async function rejection(p: Promise<unknown>): Promise<GeoCropError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GeoCropError);
  return err as GeoCropError;
}

beforeAll(async () => {
  ort.env.wasm.numThreads = 1;
  dir = await writeTestModels();
  app = new Hono();
  app.route(MODELS_PATH, modelRoutes({ dir }));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('loadPipelineModel', () => {
  it('loads a served bundle into a PipelineModel that classifies like the classifier on the same files', async () => {
    requests = [];
    const model = await loadPipelineModel(options());
    expect(requests).toEqual([`/models/${TEST_MODEL_ID}/manifest.json`, `/models/${TEST_MODEL_ID}/model.onnx`]);
    expect(model.id).toBe(TEST_MODEL_ID);
    expect(model.featureNames).toEqual(TEST_MODEL_FEATURES.map((f) => f[0]));
    expect(model.classes.length).toBe(10);
    expect(model.runtime.executionProviders).toEqual(['wasm']);

    const manifest = parseModelManifest(JSON.parse(await readFile(path.join(dir, TEST_MODEL_ID, 'manifest.json'), 'utf8')));
    const direct = await createClassifier({ ort, modelBytes: new Uint8Array(await readFile(path.join(dir, TEST_MODEL_ID, 'model.onnx'))), manifest });
    // Rows around each feature's mean, so the classes vary.
    const rows = Float32Array.from({ length: 50 * model.featureNames.length }, (_, i) => {
      const [, mean, std] = TEST_MODEL_FEATURES[i % TEST_MODEL_FEATURES.length];
      return mean + std * Math.sin(i * 1.7);
    });
    const valid = Uint8Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? 0 : 1));
    const got = await model.classify(rows, model.featureNames, valid);
    const want = await direct.classify(rows, model.featureNames, valid);
    expect(got.classes).toEqual(want.classes);
    expect(got.confidence).toEqual(want.confidence);
    expect(got.classes[3]).toBe(255);
    expect(new Set(got.classes).size).toBeGreaterThan(2);
    await Promise.all([model.release(), direct.release()]);
  });

  it('reports the server\'s MODEL_NOT_FOUND for an unknown id', async () => {
    const err = await rejection(loadPipelineModel(options('croptype-nope')));
    expect(err.code).toBe('MODEL_NOT_FOUND');
    expect(err.message).toContain(`"${TEST_MODEL_ID}"`);
  });

  it('refuses a bundle whose bytes or id disagree with the manifest (MODEL_INVALID)', async () => {
    const file = path.join(dir, TEST_MODEL_ID, 'manifest.json');
    const original = await readFile(file, 'utf8');
    try {
      await writeFile(file, JSON.stringify({ ...JSON.parse(original), id: 'someone-else' }));
      expect((await rejection(loadPipelineModel(options()))).message).toContain('says it is "someone-else"');
      await writeFile(file, JSON.stringify({ ...JSON.parse(original), onnx: { ...JSON.parse(original).onnx, sha256: 'a'.repeat(64) } }));
      const err = await rejection(loadPipelineModel(options()));
      expect(err.code).toBe('MODEL_INVALID');
      expect(err.message).toContain('SHA-256');
    } finally {
      await writeFile(file, original);
    }
  });

  it('turns an unreadable answer into READ_FAILED and stops on abort', async () => {
    const broken: LoadModelOptions = { ...options(), fetch: () => Promise.resolve(new Response('teapot', { status: 418 })) };
    expect((await rejection(loadPipelineModel(broken))).code).toBe('READ_FAILED');
    const controller = new AbortController();
    controller.abort();
    const aborted = await loadPipelineModel(options(), controller.signal).then(() => undefined, (e: unknown) => e as Error);
    expect(aborted?.name).toBe('AbortError');
  });
});
