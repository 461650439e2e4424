/**
 * Test page script (web/src/pipeline-parity.browser.test.ts): drives the real pipeline module Worker through
 * `pipeline-client` and keeps the last result in the page, so the test's `page.evaluate` calls stay one-liners
 * (functions serialised from a test file must not depend on the test's transpiler helpers). Built only by tests as
 * an extra Vite input; never shipped.
 */
import { GeoCropError } from '../../../../shared/contract/errors';
import type { RunResult } from '../../../../shared/pipeline/types';
import type { PreparedModel } from '../pipeline-api';
import { createPipelineClient, type PipelineClient, type PipelineRunOptions } from '../pipeline-client';

/** How a harness run ended. */
export type HarnessOutcome =
  | { ok: true; stages: string[]; ms: number; manifest: RunResult['manifest']; grid: RunResult['grid']; featureNames: string[]; files: string[] }
  | { ok: false; stages: string[]; ms: number; abortToSettleMs?: number; error: { name: string; message: string; code?: string; details?: unknown; isGeoCropError: boolean; isDomAbort: boolean } };

/** Options of {@link Harness.run}: a run's options plus when to cancel it. */
export interface HarnessRunOptions extends Omit<PipelineRunOptions, 'signal' | 'onProgress'> {
  /** Abort (through an AbortSignal) at the first progress event of this stage. */
  abortAtStage?: string;
}

/** What the harness page offers to `page.evaluate` as `window.geocrop`. */
export interface Harness {
  run(input: unknown, options: HarnessRunOptions): Promise<HarnessOutcome>;
  /** `client.prepare(modelId)`, with a failure returned as `{ code, message }` instead of thrown. */
  prepare(modelId?: string): Promise<PreparedModel | { code?: string; message: string }>;
  /** A client whose Worker script is missing (an old page after a redeploy): how its `prepare()` fails. */
  brokenWorker(): Promise<{ code?: string; message: string }>;
  /** Progress events that arrived after their run settled, as `run#:stage` (a cancelled run must fall silent). */
  lateStages(): string[];
  /** A typed array of the last result, as base64 of its bytes: `refined`, `features.data`, `files.refined.tif`… */
  bytes(path: string): string;
}

let client: PipelineClient | undefined;
let last: RunResult | undefined;
const stagesAfterSettle: string[] = [];
let runs = 0;

function base64(a: ArrayBufferView): string {
  const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
  return btoa(s);
}

const harness: Harness = {
  async run(input, options) {
    client ??= createPipelineClient();
    const stages: string[] = [];
    const controller = new AbortController();
    const runNo = ++runs;
    let settled = false;
    let abortedAt: number | undefined;
    const t0 = performance.now();
    try {
      const result = await client.run(input, {
        source: options.source,
        resolution: options.resolution,
        writeFiles: options.writeFiles,
        signal: controller.signal,
        onProgress: (e) => {
          if (settled) stagesAfterSettle.push(`${runNo}:${e.stage}`);
          if (stages[stages.length - 1] !== e.stage) stages.push(e.stage);
          if (e.stage === options.abortAtStage && abortedAt === undefined) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      });
      settled = true;
      last = result;
      return { ok: true, stages, ms: performance.now() - t0, manifest: result.manifest, grid: result.grid, featureNames: result.layers.features.names, files: Object.keys(result.files) };
    } catch (err) {
      settled = true;
      const e = err as Error & { code?: string; details?: unknown };
      return {
        ok: false, stages, ms: performance.now() - t0, abortToSettleMs: abortedAt === undefined ? undefined : performance.now() - abortedAt,
        error: { name: e.name, message: e.message, code: e.code, details: e.details, isGeoCropError: err instanceof GeoCropError, isDomAbort: err instanceof DOMException && err.name === 'AbortError' },
      };
    }
  },
  async prepare(modelId) {
    client ??= createPipelineClient();
    try {
      return await client.prepare(modelId);
    } catch (err) {
      return { code: (err as GeoCropError).code, message: (err as Error).message };
    }
  },
  async brokenWorker() {
    const broken = createPipelineClient(new Worker('/assets/pipeline-worker-gone.js', { type: 'module' }));
    try {
      await broken.prepare();
      return { message: 'prepare() resolved' };
    } catch (err) {
      return { code: (err as GeoCropError).code, message: (err as Error).message };
    } finally {
      broken.terminate();
    }
  },
  lateStages: () => stagesAfterSettle,
  bytes(path) {
    if (!last) throw new Error('no result yet');
    const parts = path.split('.');
    if (parts[0] === 'files') return base64(last.files[parts.slice(1).join('.')]);
    let v: unknown = last.layers;
    for (const p of parts) v = (v as Record<string, unknown>)[p];
    if (!ArrayBuffer.isView(v)) throw new Error(`${path} is not a typed array`);
    return base64(v);
  },
};

(globalThis as unknown as { geocrop: Harness }).geocrop = harness;
document.title = 'harness ready';
