/**
 * Inference throughput in headless Chromium: the bench page (this folder) built with Vite, served cross-origin
 * isolated by the server's own static and model routes over a socket, opened in Debian's `/usr/bin/chromium`;
 * each measurement runs in a fresh module Worker with onnxruntime-web's wasm backend (`worker.ts`), using the
 * same loop as Node (`../measure.ts`).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { GeoCropError, abortError, throwIfAborted } from '../../../shared/contract/errors';
import { crossOriginIsolation, staticWeb } from '../../../server/http/static-web';
import { listen, type Listening } from '../../../server/http/test-listen';
import { modelRoutes } from '../../../server/models-routes';
import { BENCH_BATCH, BENCH_ROWS, WARMUP_MS, benchRecord, type InferenceBench } from '../measure';
import type { BenchTarget } from '../targets';
import type { BenchPage, BenchRequest } from './protocol';

/** The browser the bench drives (Debian's package; Playwright's own download is not used). */
export const CHROMIUM = '/usr/bin/chromium';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Why the browser bench cannot run here, or undefined when it can. */
export function browserBenchUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium): browser inference bench skipped`;
}

/** A Chromium measurement: Node's record plus what the Worker saw of its threads. */
export interface BrowserInferenceBench extends InferenceBench {
  runtime: 'chromium';
  /** `crossOriginIsolated` in the Worker (SharedArrayBuffer, so wasm threads are possible). */
  isolated: boolean;
  /** Thread Workers onnxruntime started besides the bench Worker itself (threads − 1 when threading works). */
  thread_workers: number;
}

/** Options of {@link runBrowserBench}. */
export interface BrowserBenchOptions {
  targets: readonly BenchTarget[];
  /** Thread counts, one fresh Worker each (default 1 and 2). */
  threads?: readonly number[];
  /** Default {@link BENCH_ROWS}. */
  rows?: number;
  /** Default {@link BENCH_BATCH}. */
  batch?: number;
  /** Default {@link WARMUP_MS}. */
  warmupMs?: number;
  log?: (line: string) => void;
}

/**
 * Builds the bench page, serves it and the targets' bundles, and measures every target at every thread count.
 *
 * @throws GeoCropError `NOT_FOUND` when Chromium is missing (check {@link browserBenchUnavailable} first to skip);
 *   `INTERNAL` with the Worker's message when a measurement fails (`MODEL_*` codes pass through); AbortError
 *   when `signal` fires (the browser is closed at once).
 */
export async function runBrowserBench(options: BrowserBenchOptions, signal?: AbortSignal): Promise<BrowserInferenceBench[]> {
  const missing = browserBenchUnavailable();
  if (missing) throw new GeoCropError('NOT_FOUND', missing);
  const { targets, threads = [1, 2], rows = BENCH_ROWS, batch = BENCH_BATCH, warmupMs = WARMUP_MS, log = () => {} } = options;
  throwIfAborted(signal);
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'geocrop-bench-page-'));
  let server: Listening | undefined;
  let browser: Browser | undefined;
  const onAbort = () => void browser?.close();
  signal?.addEventListener('abort', onAbort);
  try {
    log('browser bench: building the page (Vite) …');
    await buildPage(outDir);
    throwIfAborted(signal);
    // One model route per bundle folder, so the shipped bundles are served from models/ itself.
    const roots = [...new Set(targets.map((t) => t.root))];
    const app = new Hono();
    app.use('*', crossOriginIsolation());
    roots.forEach((dir, i) => app.route(`/m${i}`, modelRoutes({ dir })));
    app.route('/', staticWeb({ dir: outDir }));
    server = await listen(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
    throwIfAborted(signal);
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.title === 'bench ready');

    const results: BrowserInferenceBench[] = [];
    for (const target of targets) {
      for (const n of threads) {
        throwIfAborted(signal);
        log(`browser bench: ${target.id}, ${n} thread(s) …`);
        const request: BenchRequest = { bundleUrl: `/m${roots.indexOf(target.root)}/${target.id}/`, threads: n, rows, batch, warmupMs };
        const reply = await page.evaluate((r) => (window as unknown as { geocropBench: BenchPage }).geocropBench.run(r), request).catch((err: unknown) => {
          throw signal?.aborted ? abortError(signal) : err;
        });
        if (!reply.ok) {
          const e = reply.error;
          throw e.code ? GeoCropError.fromJSON(e) : new GeoCropError('INTERNAL', `Browser bench of ${target.id} on ${n} thread(s) failed in Chromium: ${e.name}: ${e.message}`);
        }
        results.push({
          ...benchRecord(reply.measurement, { runtime: 'chromium', model: target.id, threads: n, rows, batch, bytes: reply.bytes }),
          runtime: 'chromium',
          isolated: reply.crossOriginIsolated,
          thread_workers: reply.threadWorkers,
        });
      }
    }
    return results;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await browser?.close();
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Vite build of this folder's page into `outDir`; onnxruntime-web and its wasm are bundled as in the app. */
async function buildPage(outDir: string): Promise<void> {
  // Vitest sets NODE_ENV=test, which Vite would honour: build as for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: false,
      root: HERE,
      mode: 'production',
      logLevel: 'warn',
      // Bundling onnxruntime-web is slow enough to trigger rolldown's timing report: not news here.
      build: { outDir, emptyOutDir: true, target: 'es2022', rolldownOptions: { checks: { pluginTimings: false } } },
      worker: { format: 'es', rolldownOptions: { checks: { pluginTimings: false } } },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
