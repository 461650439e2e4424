/**
 * The page side of the pipeline Worker: starts it, forwards progress and cancellation, and rebuilds the Worker's
 * error payloads into GeoCropError / AbortError, so callers handle a Worker run exactly like an in-thread `run()`.
 */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import { abortError, GeoCropError } from '../../../shared/contract/errors';
import type { ProgressEvent } from '../../../shared/contract/stages';
import type { StoreStats } from '../offline/response-store';
import type { RequestBaseline } from '../../../shared/pipeline/baseline';
import type { DataSource, OfflineSaveResult, PipelineApi, PreparedModel, WorkerRunResult } from './pipeline-api';
import { fromWireError } from './wire-errors';

/** Options of {@link PipelineClient.run}. */
export interface PipelineRunOptions {
  /** `demo`: the server's demo world; `online`: DE Africa (both as `/api/config` describes them). */
  source: DataSource;
  /** Output pixel size, metres (default 10). */
  resolution?: 10 | 20 | 40 | 80;
  /** Also encode the COG files (default true). */
  writeFiles?: boolean;
  /** Read at most this many dates, spread over the season (a preview's cadence). */
  maxDates?: number;
  /** Store the finished run in the history, in the Worker (`WorkerRunResult.kept` / `keepError` say how it went). */
  keep?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Cancels the run in the Worker; the call rejects with an AbortError. */
  signal?: AbortSignal;
}

/** Options of {@link PipelineClient.saveForOffline}. */
export interface PipelineSaveOptions {
  source: DataSource;
  /** The pixel size of the runs to serve offline, metres (default 10). */
  resolution?: 10 | 20 | 40 | 80;
  /** The runs' `maxDates` (a preview's). */
  maxDates?: number;
  onProgress?: (event: ProgressEvent) => void;
  /** Cancels the save in the Worker (what was saved so far stays); the call rejects with an AbortError. */
  signal?: AbortSignal;
}

/** A pipeline Worker seen from the page. */
export interface PipelineClient {
  /**
   * Runs a job request (validated in the Worker) and resolves with the result, its typed arrays moved to the page.
   *
   * Its `cache` counters say where the data came from: `hits > 0 && misses === 0` means computed offline from
   * saved data.
   *
   * @throws GeoCropError with the Worker-side code (`AOI_OUTSIDE_ZIMBABWE`, `NO_SCENES`, `MODEL_NOT_FOUND`…);
   *   offline without saved data, `STAC_UNAVAILABLE` / `READ_FAILED` with `details.offline === true` and a message
   *   saying the area is not saved for offline use; AbortError when `signal` fires.
   */
  run(input: unknown, options: PipelineRunOptions): Promise<WorkerRunResult>;
  /**
   * The crop-mask baseline of the request's area alone, at `resolution` (default 80 m): seconds before any run result.
   *
   * @throws GeoCropError for an invalid request; AbortError when `signal` fires. No baseline is `outcome.warning`.
   */
  baseline(input: unknown, options: Pick<PipelineRunOptions, 'source' | 'resolution' | 'signal'>): Promise<RequestBaseline>;
  /**
   * "Save this area for offline": downloads and stores everything a run of `input` needs (config, model files,
   * scene searches, every COG range at the run's resolution, the baseline) without running the model.
   *
   * @throws GeoCropError as `run` (search and read codes), `STORAGE_FULL` when the device refused to store more;
   *   AbortError when `signal` fires.
   */
  saveForOffline(input: unknown, options: PipelineSaveOptions): Promise<OfflineSaveResult>;
  /** Entries and bytes saved for offline use on this device, and the cap. */
  offlineStats(): Promise<StoreStats>;
  /** Deletes everything saved for offline use. */
  clearOffline(): Promise<StoreStats>;
  /**
   * Caps saved data at `maxBytes` (default 1 GiB), evicting the least recently used at once when over. The cap
   * belongs to this Worker: set it again on each new client.
   *
   * @throws GeoCropError `INVALID_REQUEST` for a cap that is not a positive number of bytes.
   */
  setOfflineLimit(maxBytes: number): Promise<StoreStats>;
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
  /** Calls the Worker with an id that `signal` cancels, and the error payload turned back into an error. */
  const cancellable = async <T>(signal: AbortSignal | undefined, call: (runId: string) => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw abortError(signal);
    const runId = `run-${++runs}-${Date.now().toString(36)}`;
    const onAbort = () => {
      if (!dead) void api.cancel(runId).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await guard(() => call(runId));
    } catch (err) {
      throw fromWireError(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };
  const plain = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await guard(call);
    } catch (err) {
      throw fromWireError(err);
    }
  };
  return {
    run: (input, { source, resolution, writeFiles, maxDates, keep, onProgress, signal }) =>
      cancellable(signal, async (runId) => (await api.run(input, { runId, source, resolution, writeFiles, maxDates, keep }, onProgress && proxy(onProgress))) as WorkerRunResult),
    baseline: (input, { source, resolution, signal }) => cancellable(signal, (runId) => api.baseline(input, { runId, source, resolution })),
    saveForOffline: (input, { source, resolution, maxDates, onProgress, signal }) =>
      cancellable(signal, (runId) => api.saveForOffline(input, { runId, source, resolution, maxDates }, onProgress && proxy(onProgress))),
    offlineStats: () => plain(() => api.offlineStats()),
    clearOffline: () => plain(() => api.clearOffline()),
    setOfflineLimit: (maxBytes) => plain(() => api.setOfflineLimit(maxBytes)),
    prepare: (modelId) => plain(() => api.prepare(modelId)),
    terminate() {
      if (terminated) return;
      terminated = true;
      stop(new DOMException('The pipeline Worker was terminated.', 'AbortError'));
      api[releaseProxy]();
      worker.terminate();
    },
  };
}
