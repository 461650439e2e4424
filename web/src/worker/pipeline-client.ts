/**
 * The page side of the pipeline Worker: starts it, forwards progress and cancellation, and rebuilds the Worker's
 * error payloads into GeoCropError / AbortError, so callers handle a Worker run exactly like an in-thread `run()`.
 */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import { abortError, GeoCropError } from '../../../shared/contract/errors';
import type { ProgressEvent } from '../../../shared/contract/stages';
import type { RunResult } from '../../../shared/pipeline/types';
import type { DataSource, PipelineApi, PreparedModel } from './pipeline-api';
import { fromWireError } from './wire-errors';

/** Options of {@link PipelineClient.run}. */
export interface PipelineRunOptions {
  /** `demo`: the server's demo world; `online`: DE Africa (both as `/api/config` describes them). */
  source: DataSource;
  /** Output pixel size, metres (default 10). */
  resolution?: 10 | 20 | 40 | 80;
  /** Also encode the COG files (default true). */
  writeFiles?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Cancels the run in the Worker; the call rejects with an AbortError. */
  signal?: AbortSignal;
}

/** A pipeline Worker seen from the page. */
export interface PipelineClient {
  /**
   * Runs a job request (validated in the Worker) and resolves with the result, its typed arrays moved to the page.
   *
   * @throws GeoCropError with the Worker-side code (`AOI_OUTSIDE_ZIMBABWE`, `NO_SCENES`, `MODEL_NOT_FOUND`…);
   *   AbortError when `signal` fires.
   */
  run(input: unknown, options: PipelineRunOptions): Promise<RunResult>;
  /**
   * Loads the config and a model in the Worker ahead of the first run (seconds on a first visit), and says how the
   * model will run (WebGPU or wasm, threads).
   *
   * @throws GeoCropError `MODEL_NOT_FOUND`, `MODEL_INVALID`, `READ_FAILED`.
   */
  prepare(modelId?: string): Promise<PreparedModel>;
  /** Stops the Worker; calls still pending reject with an AbortError, later ones at once. */
  terminate(): void;
}

/** Starts the pipeline module Worker (Vite bundles it from this `new URL(..., import.meta.url)`). */
export function startPipelineWorker(): Worker {
  return new Worker(new URL('./pipeline-worker.ts', import.meta.url), { type: 'module', name: 'geocrop-pipeline' });
}

let runs = 0;

/**
 * Wraps a pipeline Worker.
 *
 * @example
 * const pipeline = createPipelineClient();
 * const result = await pipeline.run({ aoi: { lon: 30.0, lat: -17.8, radius_m: 1500 }, year: 2022 }, { source: 'demo', signal, onProgress: show });
 * result.layers.refined; // Uint8Array of class codes on result.grid
 */
export function createPipelineClient(worker: Worker = startPipelineWorker()): PipelineClient {
  const api: Remote<PipelineApi> = wrap<PipelineApi>(worker);
  // A Worker that cannot load (an old page asking for a chunk a redeploy removed) or that dies answers nothing: every
  // pending and later call rejects with why, instead of waiting forever.
  let dead: Error | undefined;
  let terminated = false;
  let reject: (err: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, r) => (reject = r));
  stopped.catch(() => undefined);
  const stop = (err: Error) => {
    dead ??= err;
    reject(dead);
  };
  const guard = <T>(call: () => Promise<T>): Promise<T> => (dead ? Promise.reject(dead) : Promise.race([call(), stopped]));
  worker.addEventListener('error', (e) => {
    const why = e.message || 'it could not be loaded or crashed';
    stop(new GeoCropError('INTERNAL', `The pipeline Worker stopped (${why}). Reload the page to start a new one.`, e.filename ? { worker: e.filename } : undefined));
  });
  return {
    async run(input, options) {
      const { signal, onProgress } = options;
      if (signal?.aborted) throw abortError(signal);
      const runId = `run-${++runs}-${Date.now().toString(36)}`;
      const onAbort = () => {
        if (!dead) void api.cancel(runId).catch(() => undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const progress = onProgress ? proxy(onProgress) : undefined;
      try {
        return (await guard(() => api.run(input, { runId, source: options.source, resolution: options.resolution, writeFiles: options.writeFiles }, progress))) as RunResult;
      } catch (err) {
        throw fromWireError(err);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async prepare(modelId) {
      try {
        return await guard(() => api.prepare(modelId));
      } catch (err) {
        throw fromWireError(err);
      }
    },
    terminate() {
      if (terminated) return;
      terminated = true;
      stop(new DOMException('The pipeline Worker was terminated.', 'AbortError'));
      api[releaseProxy]();
      worker.terminate();
    },
  };
}
