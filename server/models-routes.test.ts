import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeoCropError } from '../shared/contract/errors';
import { MODEL_CACHE_CONTROL, MODELS_PATH, modelRoutes } from './models-routes';

let tmp: string;
let app: Hono;
const MODEL = new Uint8Array([8, 8, 18, 4, 116, 101, 115, 116, 0, 255]);
const MANIFEST = JSON.stringify({ id: 'good', version: '1.0.0' });

function mounted(dir: string): Hono {
  const a = new Hono();
  a.route(MODELS_PATH, modelRoutes({ dir }));
  // What the real app mounts after the models: a catch-all that must never see /models/... requests.
  a.get('*', (c) => c.text('spa', 200));
  return a;
}

async function errorOf(res: Response): Promise<GeoCropError> {
  expect(res.headers.get('content-type')).toContain('application/json');
  return GeoCropError.fromJSON((await res.json()).error);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'geocrop-model-routes-'));
  const dir = path.join(tmp, 'models');
  for (const id of ['good', 'unlisted', 'linked', 'partial']) await mkdir(path.join(dir, id), { recursive: true });
  await writeFile(path.join(dir, 'index.json'), JSON.stringify({ bundles: ['good', 'linked', 'partial'].map((id) => ({ id, version: '1.0.0', task: 'crop-type' })) }));
  await writeFile(path.join(dir, 'good', 'model.onnx'), MODEL);
  await writeFile(path.join(dir, 'good', 'manifest.json'), MANIFEST);
  await writeFile(path.join(dir, 'good', 'card.md'), '# good\n');
  await writeFile(path.join(dir, 'good', 'secret.txt'), 'not part of a bundle');
  await writeFile(path.join(dir, 'unlisted', 'manifest.json'), '{}');
  await writeFile(path.join(dir, 'partial', 'manifest.json'), '{}');
  await writeFile(path.join(tmp, 'outside.md'), 'TOP SECRET');
  await symlink(path.join(tmp, 'outside.md'), path.join(dir, 'linked', 'card.md'));
  app = mounted(dir);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('model routes', () => {
  it('serves the index and each bundle file with its type, ETag, revalidation and CORP', async () => {
    const index = await app.request('/models/index.json');
    expect(index.status).toBe(200);
    expect((await index.json()).bundles.map((b: { id: string }) => b.id)).toEqual(['good', 'linked', 'partial']);
    expect(index.headers.get('cache-control')).toBe(MODEL_CACHE_CONTROL);

    const model = await app.request('/models/good/model.onnx');
    expect(model.status).toBe(200);
    expect(new Uint8Array(await model.arrayBuffer())).toEqual(MODEL);
    expect(model.headers.get('content-type')).toBe('application/octet-stream');
    expect(model.headers.get('cache-control')).toBe(MODEL_CACHE_CONTROL);
    expect(model.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(model.headers.get('access-control-allow-origin')).toBe('*');
    const etag = model.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f-]+"$/);

    const again = await app.request('/models/good/model.onnx', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    expect(await (await app.request('/models/good/manifest.json')).text()).toBe(MANIFEST);
    const card = await app.request('/models/good/card.md');
    expect(card.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await card.text()).toBe('# good\n');
  });

  it('answers HEAD, ranges and CORS preflights like the object store', async () => {
    const head = await app.request('/models/good/model.onnx', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(MODEL.length));
    const part = await app.request('/models/good/model.onnx', { headers: { Range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(MODEL.subarray(2, 5));
    const pre = await app.request('/models/good/model.onnx', { method: 'OPTIONS', headers: { Origin: 'https://cdn.example', 'Access-Control-Request-Method': 'GET' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
  });

  it('answers 404 JSON with MODEL_NOT_FOUND for ids the index does not list, even when the folder exists', async () => {
    for (const url of ['/models/nope/model.onnx', '/models/unlisted/manifest.json']) {
      const res = await app.request(url);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const err = await errorOf(res);
      expect(err.code).toBe('MODEL_NOT_FOUND');
      expect(err.message).toContain('"good", "linked", "partial"');
    }
  });

  it('serves only the three bundle files, and 404s a listed bundle missing one', async () => {
    const other = await app.request('/models/good/secret.txt');
    expect(other.status).toBe(404);
    expect((await errorOf(other)).message).toContain('manifest.json, model.onnx, card.md');
    const missing = await app.request('/models/partial/model.onnx');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('NOT_FOUND');
  });

  it('never leaves the folder: traversal, dot ids, encoded slashes, deeper paths and symlinks', async () => {
    for (const url of [
      '/models/..%2F..%2Foutside.md/card.md',
      '/models/good/..%2F..%2Foutside.md',
      '/models/.good/card.md',
      '/models/good/sub/card.md',
      '/models/linked/card.md',
    ]) {
      const res = await app.request(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('TOP SECRET');
    }
    // URL parsing resolves (encoded) dot segments before routing: this one is "/outside.md", not a model path.
    expect(await (await app.request('/models/%2e%2e/outside.md')).text()).toBe('spa');
  });

  it('is read-only and keeps unknown /models paths away from the app behind it', async () => {
    const put = await app.request('/models/good/model.onnx', { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    for (const url of ['/models', '/models/', '/models/good']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(404);
      expect((await errorOf(res)).code).toBe('NOT_FOUND');
    }
  });

  it('offers no bundles without an index, and reports a broken index as MODEL_INVALID', async () => {
    const empty = mounted(path.join(tmp, 'does-not-exist'));
    const res = await empty.request('/models/index.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bundles: [] });
    expect((await errorOf(await empty.request('/models/good/model.onnx'))).code).toBe('MODEL_NOT_FOUND');

    const broken = path.join(tmp, 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(path.join(broken, 'index.json'), '{"bundles": [{"id": "../x"}]}');
    const bad = await mounted(broken).request('/models/good/model.onnx');
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).code).toBe('MODEL_INVALID');
  });
});
