// The same model gives the same classes on every backend: onnxruntime-web's WebGPU execution provider (Chromium's
// SwiftShader software adapter, which CI machines have without a GPU), its WASM backend in the same page, and the
// classifier in Node (WASM). Correctness only: the software adapter is far too slow to measure speed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import * as ort from 'onnxruntime-web';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../server/http/test-listen';
import { buildMlp } from './onnx/mlp';
import { argmaxRows, mlpReference, prng, randomMlp, randomRows } from './testing/reference';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[shared/model/webgpu.browser.test.ts] SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).`);

const ORT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/onnxruntime-web/dist');
const N_FEATURES = 51;
const ROWS = 256;
const CLASSES = 10;

const PAGE = `<!doctype html><meta charset="utf-8"><title>webgpu check</title>
<script type="module">
import * as ort from '/ort/ort.webgpu.min.mjs';
ort.env.wasm.wasmPaths = '/ort/';
window.runOn = async (ep, rows, n) => {
  const bytes = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep] });
  const input = new ort.Tensor('float32', Float32Array.from(rows), [rows.length / n, n]);
  const out = await session.run({ [session.inputNames[0]]: input });
  const probs = out[session.outputNames[0]];
  return Array.from(await probs.getData());
};
window.adapter = async () => { const a = await navigator.gpu?.requestAdapter(); return a ? (a.info?.vendor || 'adapter') : null; };
window.ready = true;
</script>`;

describe.skipIf(!hasChromium)('one model, every backend', () => {
  let server: Listening;
  let browser: Browser;
  const rng = prng(20261123);
  const layers = randomMlp(rng, [N_FEATURES, 32, 16, CLASSES]);
  const model = buildMlp({ nFeatures: N_FEATURES, layers });
  const rows = randomRows(rng, ROWS, N_FEATURES);

  beforeAll(async () => {
    const app = new Hono();
    app.use('*', async (c, next) => {
      await next();
      c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      c.res.headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    });
    app.get('/', (c) => c.html(PAGE));
    app.get('/model.onnx', (c) => c.body(new Uint8Array(model), 200, { 'Content-Type': 'application/octet-stream' }));
    app.get('/ort/:file', (c) => {
      const file = path.join(ORT_DIST, path.basename(c.req.param('file')));
      if (!existsSync(file)) return c.text('not found', 404);
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      return c.body(new Uint8Array(readFileSync(file)), 200, { 'Content-Type': type });
    });
    server = await listen(app);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('WebGPU (software adapter), WASM in the page and Node give the same classes and probabilities', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const adapter = await page.evaluate(() => (window as unknown as { adapter: () => Promise<string | null> }).adapter());
    expect(adapter, 'Chromium offered no WebGPU adapter even with SwiftShader').not.toBeNull();
    const runOn = (ep: string) => page.evaluate(([e, r, n]) => (window as unknown as { runOn: (e: string, r: number[], n: number) => Promise<number[]> }).runOn(e, r, n), [ep, Array.from(rows), N_FEATURES] as const);
    const webgpu = await runOn('webgpu');
    const wasm = await runOn('wasm');
    const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
    const nodeOut = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', rows, [ROWS, N_FEATURES]) });
    const node = Array.from(nodeOut[session.outputNames[0]].data as Float32Array);
    await session.release();
    const reference = mlpReference({ nFeatures: N_FEATURES, layers }, rows);

    expect(webgpu).toHaveLength(ROWS * CLASSES);
    for (let i = 0; i < webgpu.length; i++) {
      expect(Math.abs(webgpu[i] - reference[i])).toBeLessThan(1e-5);
      expect(Math.abs(wasm[i] - reference[i])).toBeLessThan(1e-5);
      expect(Math.abs(node[i] - reference[i])).toBeLessThan(1e-5);
    }
    // Classes: identical except where two classes tie within float noise (none expected with random weights).
    const ref = argmaxRows(reference, CLASSES);
    for (const out of [webgpu, wasm, node]) {
      const got = argmaxRows(out, CLASSES);
      for (let r = 0; r < ROWS; r++) if (ref.margin[r] > 1e-5) expect(got.index[r]).toBe(ref.index[r]);
    }
    await page.close();
  }, 180_000);
});
