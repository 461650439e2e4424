// The page side against the real Worker API over a real MessageChannel (structured clone, transfers, comlink), in
// Node: errors arrive rebuilt, cancellation reaches the Worker, and a dead or terminated Worker fails calls at once.
import { rm } from 'node:fs/promises';
import { expose } from 'comlink';
import { Hono } from 'hono';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoCropError } from '../../../shared/contract/errors';
import { MODELS_PATH, modelRoutes } from '../../../server/models-routes';
import { createPipelineApi } from './pipeline-api';
import { createPipelineClient, type PipelineClient } from './pipeline-client';
import { TEST_MODEL_ID, writeTestModels } from './testing/test-bundle';

const ORIGIN = 'http://geocrop.test';
const CONFIG = { stacUrl: 'https://stac.test', s3HttpsTemplate: 'https://{bucket}.s3.test/{key}', demo: { stacUrl: '/demo/stac', s3HttpsTemplate: '/demo/s3/{bucket}/{key}' } };
const GOOD = { aoi: { lon: 30.0, lat: -17.8, radius_m: 1000 }, year: 2022, model: TEST_MODEL_ID };

let dir: string;
const opened: MessagePort[] = [];

/** A "Worker": one end of a MessageChannel, the API exposed on the other; `/api/config` waits for `release`. */
function connect(configGate?: Promise<void>): { client: PipelineClient; worker: MessagePort & { terminate(): void }; terminated: () => boolean } {
  const app = new Hono();
  app.get('/api/config', async () => {
    await configGate;
    return Response.json(CONFIG);
  });
  app.route(MODELS_PATH, modelRoutes({ dir }));
  const api = createPipelineApi({
    fetch: (url, init) => Promise.resolve(app.fetch(new Request(url, init))),
    origin: ORIGIN,
    ort,
    facts: async () => ({ webgpuAdapter: false, crossOriginIsolated: true, hardwareConcurrency: 1 }),
  });
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  expose(api, port2);
  let stopped = false;
  const worker = Object.assign(port1, { terminate: () => { stopped = true; port1.close(); } });
  return { client: createPipelineClient(worker as unknown as Worker), worker, terminated: () => stopped };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

beforeAll(async () => {
  dir = await writeTestModels();
});

afterAll(async () => {
  for (const p of opened) p.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pipeline client', () => {
  it('rebuilds the Worker\'s GeoCropErrors with code and details', async () => {
    const { client } = connect();
    const err = await rejection(client.run({ aoi: { lon: 25.0, lat: -30.0, radius_m: 1000 }, year: 2022 }, { source: 'demo' }));
    expect(err).toBeInstanceOf(GeoCropError);
    expect((err as GeoCropError).code).toBe('AOI_OUTSIDE_ZIMBABWE');
    const missing = await rejection(client.prepare('croptype-nope'));
    expect(missing).toMatchObject({ code: 'MODEL_NOT_FOUND', details: { id: 'croptype-nope' } });
    expect(await client.prepare(TEST_MODEL_ID)).toMatchObject({ id: TEST_MODEL_ID, executionProviders: ['wasm'], wasmThreads: 1 });
  });

  it('cancels the Worker run when the signal fires', async () => {
    let open: () => void = () => undefined;
    const { client } = connect(new Promise<void>((r) => (open = r)));
    const controller = new AbortController();
    const pending = client.run(GOOD, { source: 'demo', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await rejection(pending);
    expect(err).toBeInstanceOf(DOMException);
    expect([err.name, err.message]).toEqual(['AbortError', 'The run was cancelled.']);
    open();
    const already = await rejection(client.run(GOOD, { source: 'demo', signal: controller.signal }));
    expect(already.name).toBe('AbortError');
  });

  it('fails pending and later calls when the Worker dies, and AbortErrors them when terminated', async () => {
    const dying = connect(new Promise<void>(() => undefined));
    const pending = dying.client.run(GOOD, { source: 'demo' });
    dying.worker.dispatchEvent(new Event('error'));
    const err = await rejection(pending);
    expect(err).toBeInstanceOf(GeoCropError);
    expect(err.message).toContain('Reload the page');
    expect((await rejection(dying.client.prepare())).message).toBe(err.message);
    dying.client.terminate();
    expect(dying.terminated()).toBe(true);

    const ended = connect(new Promise<void>(() => undefined));
    const waiting = ended.client.run(GOOD, { source: 'demo' });
    ended.client.terminate();
    expect((await rejection(waiting)).name).toBe('AbortError');
    expect((await rejection(ended.client.prepare())).name).toBe('AbortError');
    expect(ended.terminated()).toBe(true);
  });
});
