/**
 * Test page script (web/src/pipeline-parity.browser.test.ts): drives the real pipeline module Worker through
 * `pipeline-client` and keeps the last result in the page, so the test's `page.evaluate` calls stay one-liners
 * (functions serialised from a test file must not depend on the test's transpiler helpers). Built only by tests as
 * an extra Vite input; never shipped.
 */
import { GeoCropError } from '../../../../shared/contract/errors';
import type { RunResult } from '../../../../shared/pipeline/types';
import { createIdbResponseStore } from '../../offline/idb-response-store';
import type { ResponseStore, StoredResponse, StoreStats } from '../../offline/response-store';
import type { OfflineSaveResult, PreparedModel, WorkerRunResult } from '../pipeline-api';
import { createPipelineClient, type PipelineClient, type PipelineRunOptions, type PipelineSaveOptions } from '../pipeline-client';

/** A failure as plain data. */
export interface HarnessError {
  name: string;
  message: string;
  code?: string;
  details?: unknown;
  isGeoCropError: boolean;
  isDomAbort: boolean;
}

/** How a harness run ended. */
export type HarnessOutcome =
  | { ok: true; stages: string[]; ms: number; manifest: RunResult['manifest']; grid: RunResult['grid']; featureNames: string[]; files: string[]; cache: WorkerRunResult['cache'] }
  | { ok: false; stages: string[]; ms: number; abortToSettleMs?: number; error: HarnessError };

/** A {@link StoredResponse} with its body as numbers (what `page.evaluate` carries). */
export type PlainStoredResponse = Omit<StoredResponse, 'body'> & { body: number[] };

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
  /** `client.saveForOffline`, with a failure returned instead of thrown. */
  save(input: unknown, options: Omit<PipelineSaveOptions, 'signal' | 'onProgress'>): Promise<{ ok: true; saved: OfflineSaveResult } | { ok: false; error: HarnessError }>;
  /** The client's offline store calls. */
  offline(call: 'stats' | 'clear' | 'limit', maxBytes?: number): Promise<StoreStats>;
  /** Opens IndexedDB store `name` in the page: a new instance, over a new database unless `fresh` is false. */
  idbOpen(name: string, maxBytes: number, fresh?: boolean): Promise<void>;
  /** Calls a method of store `name`; bodies go in and out as numbers. */
  idbCall(name: string, method: keyof ResponseStore, args: unknown[]): Promise<unknown>;
}

let client: PipelineClient | undefined;
const stores = new Map<string, ResponseStore>();
let last: RunResult | undefined;
const stagesAfterSettle: string[] = [];
let runs = 0;

function base64(a: ArrayBufferView): string {
  const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
  return btoa(s);
}

function plainError(err: unknown): HarnessError {
  const e = err as Error & { code?: string; details?: unknown };
  return { name: e.name, message: e.message, code: e.code, details: e.details, isGeoCropError: err instanceof GeoCropError, isDomAbort: err instanceof DOMException && err.name === 'AbortError' };
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
      return { ok: true, stages, ms: performance.now() - t0, manifest: result.manifest, grid: result.grid, featureNames: result.layers.features.names, files: Object.keys(result.files), cache: result.cache };
    } catch (err) {
      settled = true;
      return { ok: false, stages, ms: performance.now() - t0, abortToSettleMs: abortedAt === undefined ? undefined : performance.now() - abortedAt, error: plainError(err) };
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
  async save(input, options) {
    client ??= createPipelineClient();
    try {
      return { ok: true, saved: await client.saveForOffline(input, options) };
    } catch (err) {
      return { ok: false, error: plainError(err) };
    }
  },
  offline(call, maxBytes) {
    client ??= createPipelineClient();
    if (call === 'stats') return client.offlineStats();
    if (call === 'clear') return client.clearOffline();
    return client.setOfflineLimit(maxBytes ?? Number.NaN);
  },
  async idbOpen(name, maxBytes, fresh = true) {
    if (fresh) {
      await new Promise((resolve, reject) => {
        const req = indexedDB.deleteDatabase(name);
        req.onsuccess = resolve;
        req.onerror = () => reject(req.error);
      });
    }
    stores.set(name, createIdbResponseStore({ name, maxBytes }));
  },
  async idbCall(name, method, args) {
    const store = stores.get(name);
    if (!store) throw new Error(`no store ${name}`);
    if (method === 'put') {
      const [key, plain] = args as [string, PlainStoredResponse];
      // Inside a larger buffer, as views often are: the store must keep the view's bytes only.
      const body = new Uint8Array(plain.body.length + 16).subarray(8, 8 + plain.body.length);
      body.set(plain.body);
      return store.put(key, { ...plain, body });
    }
    const out = await (store[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    const got = out as StoredResponse | undefined;
    return method === 'get' && got ? { ...got, body: Array.from(got.body) } : out;
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
