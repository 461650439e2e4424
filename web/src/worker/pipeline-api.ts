/**
 * What the pipeline Worker exposes: `run()` a job request through `shared/pipeline` with a browser `PipelineEnv`
 * (the page's origin, STAC and S3 templates from `/api/config`, the model from `/models/<id>/` on onnxruntime-web)
 * and `cancel()` it; `saveForOffline()` an area, and manage what is saved. Every request goes through the offline
 * cache (web/src/offline) when the platform has a store. Results go back with their buffers transferred; failures go
 * back as {@link WireError} payloads that the page turns into the same GeoCropError (or AbortError) again.
 *
 * The platform is injected, so Node tests drive this exact API without a Worker.
 */
import { releaseProxy, transfer } from 'comlink';
import * as ort from 'onnxruntime-web';
import { abortError, GeoCropError, isGeoCropError } from '../../../shared/contract/errors';
import { DEFAULT_MODEL, parseJobRequest } from '../../../shared/contract/job';
import type { ProgressEvent } from '../../../shared/contract/stages';
import { configureWasmThreads, wasmThreadCount, type OrtModule, type RuntimeFacts } from '../../../shared/model';
import { fetchWithRetry, type FetchFn } from '../../../shared/net/fetch-retry';
import { isAbortError } from '../../../shared/raster/http-client';
import { requestBaseline, type RequestBaseline } from '../../../shared/pipeline/baseline';
import { defaultReadConcurrency, run } from '../../../shared/pipeline/run';
import type { PipelineEnv, RunResult } from '../../../shared/pipeline/types';
import {
  createCachingFetch, createIdbResponseStore, notSavedForOffline, proxyUnwrapper, readRunInputs, storageError,
  type CacheCounters, type CachingFetch, type ResponseStore, type RunInputs, type StoreStats,
} from '../offline';
import { keepRun, openHistory, type RunHistory, type RunSummary } from '../app/history-store';
import { loadPipelineModel, modelFileUrls, type LoadedModel } from './model-loader';
import { createReadPool, type ReadPool } from './read-pool';
import { throttleProgress } from './throttle-progress';
import { transferablesOf } from './transfer';
import { toWireError } from './wire-errors';

/** Where the data comes from: the server's embedded demo world, or DE Africa (`/api/config` says where each is). */
export type DataSource = 'demo' | 'online';

/** Options of one {@link PipelineApi.run}. */
export interface WorkerRunOptions {
  /** Names the run for {@link PipelineApi.cancel}; unique among the runs of this Worker. */
  runId: string;
  source: DataSource;
  /** Output pixel size, metres (default 10). */
  resolution?: 10 | 20 | 40 | 80;
  /** Also encode the COG files (default true). */
  writeFiles?: boolean;
  /** Read at most this many dates, spread over the season (a preview's cadence; see `thinDates`). */
  maxDates?: number;
  /** Store the finished run in the history (in this Worker, before the result goes back; see `keepRun`). */
  keep?: boolean;
}

/** A run's result, with what its requests cost in the offline cache. */
export interface WorkerRunResult extends RunResult {
  /** The history entry, when `keep` was asked and the run was stored. */
  kept?: RunSummary;
  /** Why the run could not be stored in the history (the result itself is fine). */
  keepError?: string;
  /**
   * The run's own requests (scene searches, COG reads, baseline): `hits` answered from saved data, `misses` by the
   * network. `hits > 0 && misses === 0`: computed offline from saved data. Absent when the platform has no store.
   */
  cache?: CacheCounters;
}

/** Options of {@link PipelineApi.saveForOffline}. */
export interface OfflineSaveOptions {
  /** Names the save for {@link PipelineApi.cancel}, like a run's id. */
  runId: string;
  source: DataSource;
  /** The pixel size of the runs to serve offline, metres (default 10; coarser ones read other ranges). */
  resolution?: 10 | 20 | 40 | 80;
  /** The runs' `maxDates` (a preview's), when they read fewer dates. */
  maxDates?: number;
}

/** What {@link PipelineApi.saveForOffline} did. */
export interface OfflineSaveResult extends RunInputs {
  /** Answers saved now and their body bytes (an area saved before saves only what changed). */
  entriesSaved: number;
  bytesSaved: number;
  /** The save's requests: `hits` were saved already. */
  cache: CacheCounters;
  /** The whole store afterwards. */
  store: StoreStats;
}

/** The API object the Worker exposes (comlink). */
export interface PipelineApi {
  /**
   * Validates `input` (`parseJobRequest`), loads the model it names (once per Worker) and runs the job. Every
   * request goes through the offline cache (when the platform has a store): COG ranges from saved data first,
   * the rest from the network first and from saved data when there is no network.
   *
   * @param onProgress called (through a comlink proxy) with the run's progress, at most ~10 events a second per
   *   stage (see `throttleProgress`).
   * @throws a {@link WireError} payload: GeoCropError codes of the request, STAC, reads and model; `abort` when
   *   cancelled. Offline, data that is not saved fails the run (`STAC_UNAVAILABLE` or `READ_FAILED`, details
   *   `{ offline: true }`, a message saying the area is not saved for offline use) rather than skipping scenes.
   */
  run(input: unknown, options: WorkerRunOptions, onProgress?: (event: ProgressEvent) => void): Promise<WorkerRunResult>;
  /**
   * Saves what a run of `input` needs offline — the config, the model's files, the scene searches, every COG range
   * the run reads and the baseline — without running the model (see `readRunInputs`). Cancel with
   * {@link PipelineApi.cancel}(`options.runId`).
   *
   * @throws a {@link WireError} payload: the codes of a run's first stages; `STORAGE_FULL` when answers could not
   *   be stored; `INTERNAL` when the platform has no store.
   */
  saveForOffline(input: unknown, options: OfflineSaveOptions, onProgress?: (event: ProgressEvent) => void): Promise<OfflineSaveResult>;
  /**
   * The crop-mask baseline of `input`'s area alone, on its grid at `options.resolution` (default 80 m): one search and
   * one small read, for the map to show the moment a run starts. Through the offline cache like a run.
   *
   * @throws a {@link WireError} payload: request codes; `abort` when cancelled. A missing baseline is
   *   `outcome.warning`, not an error.
   */
  baseline(input: unknown, options: Pick<WorkerRunOptions, 'runId' | 'source' | 'resolution'>): Promise<RequestBaseline>;
  /** Entries and bytes saved for offline use, and the cap. */
  offlineStats(): Promise<StoreStats>;
  /** Deletes everything saved for offline use. */
  clearOffline(): Promise<StoreStats>;
  /** Sets the cap of saved data, bytes, for this Worker's store (least recently used data goes first). */
  setOfflineLimit(maxBytes: number): Promise<StoreStats>;
  /**
   * Loads the server config and model `modelId` ahead of a run (e.g. while the user draws the AOI), and starts the
   * reading Workers: the first load in a Worker fetches and compiles onnxruntime's wasm and the model, seconds that a
   * run would otherwise start with.
   *
   * @param modelId default the request default (`croptype-demo`).
   * @throws a {@link WireError} payload (`MODEL_NOT_FOUND`, `MODEL_INVALID`, `READ_FAILED`).
   */
  prepare(modelId?: string): Promise<PreparedModel>;
  /** Aborts run `runId` (every run when omitted); the run rejects with an AbortError. Unknown ids are ignored. */
  cancel(runId?: string): void;
}

/** A loaded model and how it runs here (for a status line). */
export interface PreparedModel {
  id: string;
  version: string;
  executionProviders: string[];
  /** onnxruntime wasm threads of this Worker. */
  wasmThreads: number;
  /** Why these providers and threads, in words. */
  reason: string;
}

/** What differs between a Worker and a Node test. */
export interface PipelinePlatform {
  /** The network. */
  fetch: FetchFn;
  /** Saved answers for offline use; with it, every request of the pipeline goes through a caching fetch. */
  store?: ResponseStore;
  /** Origin that the server's relative paths resolve against (`self.location.origin`). */
  origin: string;
  ort: OrtModule & Pick<typeof ort, 'env'>;
  /** Host facts for choosing onnxruntime's providers and threads. */
  facts(): Promise<RuntimeFacts>;
  /** Workers that read the dates of runs (absent: runs read in this thread). */
  readPool?: ReadPool;
  /** The run history (opened at first use); absent: `keep` is refused with a `keepError`. */
  history?: () => Promise<RunHistory>;
}

/** The fields of `/api/config` (server `PublicConfig`) the pipeline reads. */
export interface PipelineConfig {
  stacUrl: string;
  s3HttpsTemplate: string;
  proxyTemplate?: string;
  demo: { stacUrl: string; s3HttpsTemplate: string };
}

/** Checks the `/api/config` answer; a server of another version must fail here, not deep inside a run. */
export function parsePipelineConfig(json: unknown): PipelineConfig {
  const j = json as Partial<PipelineConfig> | null;
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (!j || !text(j.stacUrl) || !text(j.s3HttpsTemplate) || !j.demo || !text(j.demo.stacUrl) || !text(j.demo.s3HttpsTemplate) || (j.proxyTemplate !== undefined && !text(j.proxyTemplate))) {
    throw new GeoCropError('INTERNAL', 'The server\'s /api/config lacks stacUrl, s3HttpsTemplate or demo.{stacUrl, s3HttpsTemplate}: the PWA and the server are different versions; reload the page.');
  }
  return { stacUrl: j.stacUrl, s3HttpsTemplate: j.s3HttpsTemplate, proxyTemplate: j.proxyTemplate, demo: { stacUrl: j.demo.stacUrl, s3HttpsTemplate: j.demo.s3HttpsTemplate } };
}

/**
 * The env of one run. The STAC URL is made absolute because STAC `next` links and the manifest should not depend on
 * where a relative URL happened to be resolved; the S3 template may stay relative (the reader resolves it on `baseUrl`).
 * With reading Workers, the dates are read on all of them (two dates in flight per Worker hide each one's waits for
 * the network), their requests going through `platform.fetch`.
 */
export function pipelineEnv(config: PipelineConfig, source: DataSource, platform: Pick<PipelinePlatform, 'fetch' | 'origin' | 'readPool'>, model: PipelineEnv['model'], resolution = 10): PipelineEnv {
  const dateReaders = platform.readPool?.readers(platform.fetch);
  return {
    ...dataEnv(config, source, platform),
    model,
    ...(dateReaders && { dateReaders, readConcurrency: Math.max(defaultReadConcurrency(resolution), 2 * platform.readPool!.size) }),
  };
}

/** Where a source's data is and how it is fetched: the part of {@link pipelineEnv} that needs no model. */
function dataEnv(config: PipelineConfig, source: DataSource, platform: Pick<PipelinePlatform, 'fetch' | 'origin'>): Omit<PipelineEnv, 'model'> {
  const s = source === 'demo' ? config.demo : config;
  return {
    fetch: platform.fetch,
    stacUrl: new URL(s.stacUrl, platform.origin).href.replace(/\/+$/, ''),
    s3HttpsTemplate: s.s3HttpsTemplate,
    proxyTemplate: config.proxyTemplate,
    baseUrl: platform.origin,
  };
}

/** Rejects with the signal's AbortError as soon as it fires, without cancelling `work` (which others may share). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Builds the API over a platform. Config and models load lazily, once, and are kept for later runs (a failed load
 * is forgotten, so the next run retries it).
 *
 * @example
 * // pipeline-worker.ts
 * expose(createPipelineApi(workerPlatform()));
 */
export function createPipelineApi(platform: PipelinePlatform): PipelineApi {
  const runs = new Map<string, AbortController>();
  const models = new Map<string, Promise<LoadedModel>>();
  let config: Promise<PipelineConfig> | undefined;
  let facts: Promise<RuntimeFacts> | undefined;
  const configUrl = new URL('/api/config', platform.origin).href;
  const modelsUrl = new URL('/models/', platform.origin).href;

  /**
   * Runs `work` over a fresh caching fetch of `store` (its own counters). Work that needed data neither saved nor
   * reachable fails with the "not saved for offline use" error, also when it finished without that data: a run
   * skips unreadable scenes and baselines, and that would not be the same map.
   */
  const viaStore = async <T>(store: ResponseStore, canonicalUrl: ((url: string) => string) | undefined, work: (fetch: FetchFn) => Promise<T>): Promise<{ value: T; cache: CachingFetch }> => {
    const cache = createCachingFetch(platform.fetch, store, { canonicalUrl });
    let value: T;
    try {
      value = await work(cache.fetch);
    } catch (err) {
      throw (!isAbortError(err) && notSavedForOffline(cache.missing(), err)) || err;
    } finally {
      await cache.settled();
    }
    const missing = notSavedForOffline(cache.missing());
    if (missing) throw missing;
    return { value, cache };
  };
  /** `work` through the offline cache when the platform has a store, else over the bare network. */
  const overCache = async <T>(canonicalUrl: ((url: string) => string) | undefined, work: (fetch: FetchFn) => Promise<T>): Promise<{ value: T; cache?: CachingFetch }> =>
    platform.store ? viaStore(platform.store, canonicalUrl, work) : { value: await work(platform.fetch) };
  const once = <T>(load: () => Promise<T>, forget: () => void): Promise<T> => {
    const p = load();
    p.catch(forget);
    return p;
  };
  const getConfig = () => (config ??= once(async () => {
    const { value } = await overCache(undefined, async (fetch) => {
      const res = await fetchWithRetry(fetch, configUrl, {}, { errorCode: 'READ_FAILED', what: 'the server configuration' });
      if (!res.ok) throw new GeoCropError('READ_FAILED', `The server configuration (${configUrl}) answered HTTP ${res.status}; is the GeoCrop server running?`, { url: configUrl, status: res.status });
      return parsePipelineConfig(await res.json());
    });
    return value;
  }, () => (config = undefined)));
  const getFacts = () => (facts ??= once(async () => {
    const f = await platform.facts();
    // onnxruntime reads the thread count once, at the Worker's first session: set it before any model loads.
    configureWasmThreads(platform.ort, wasmThreadCount(f));
    return f;
  }, () => (facts = undefined)));
  const getModel = (id: string) => {
    let p = models.get(id);
    if (!p) {
      p = once(async () => {
        const f = await getFacts();
        return (await overCache(undefined, (fetch) => loadPipelineModel({ ort: platform.ort, fetch, modelsUrl, id, facts: f }))).value;
      }, () => models.delete(id));
      models.set(id, p);
    }
    return p;
  };
  /** A validated request with its config and model (loaded once per Worker), and how its data URLs are keyed. */
  const begin = async (input: unknown, signal: AbortSignal) => {
    const request = parseJobRequest(input);
    const [cfg, model] = await untilAborted(Promise.all([getConfig(), getModel(request.model)]), signal);
    return { request, cfg, model, canonicalUrl: proxyUnwrapper(cfg.proxyTemplate, platform.origin) };
  };
  /** Runs `work` as the cancellable job `runId`; what it throws leaves as a WireError payload. */
  const job = async <T>(runId: string, onProgress: ((e: ProgressEvent) => void) | undefined, work: (signal: AbortSignal, progress?: (e: ProgressEvent) => void) => Promise<T>): Promise<T> => {
    if (runs.has(runId)) throw toWireError(new GeoCropError('INVALID_REQUEST', `Run "${runId}" is already running in this Worker; give each run its own id.`));
    const controller = new AbortController();
    runs.set(runId, controller);
    try {
      const progress = onProgress && throttleProgress((e: ProgressEvent) => {
        // Progress is best effort and must never fail the run: through comlink the call returns a promise that
        // rejects if the page went away, and throws at once once the proxy is released.
        try {
          void Promise.resolve(onProgress(e)).catch(() => undefined);
        } catch {
          // nothing to report to
        }
      });
      return await work(controller.signal, progress);
    } catch (err) {
      throw toWireError(err);
    } finally {
      runs.delete(runId);
      // A comlink proxy holds a MessagePort pair open until released; plain functions (tests) have no such key.
      (onProgress as { [releaseProxy]?: () => void } | undefined)?.[releaseProxy]?.();
    }
  };
  const requireStore = (): ResponseStore => {
    if (!platform.store) throw new GeoCropError('INTERNAL', 'This browser offers no storage for offline use (IndexedDB is unavailable): areas can only be computed online.');
    return platform.store;
  };
  const storeCall = async <T>(call: (store: ResponseStore) => Promise<T>): Promise<T> => {
    try {
      return await call(requireStore());
    } catch (err) {
      throw toWireError(storageError(err));
    }
  };

  return {
    run(input, options, onProgress) {
      return job(options.runId, onProgress, async (signal, progress) => {
        const started = performance.now();
        const { request, cfg, model, canonicalUrl } = await begin(input, signal);
        const { value, cache } = await overCache(canonicalUrl, (fetch) => {
          const env = pipelineEnv(cfg, options.source, { fetch, origin: platform.origin, readPool: platform.readPool }, model, options.resolution);
          return run(request, env, { signal, onProgress: progress, resolution: options.resolution, writeFiles: options.writeFiles, maxDates: options.maxDates });
        });
        const result: WorkerRunResult = cache ? { ...value, cache: { ...cache.counters } } : value;
        if (options.keep) {
          try {
            if (!platform.history) throw new Error('this browser offers no IndexedDB');
            result.kept = await keepRun(await platform.history(), value, model.classes, options.source, (performance.now() - started) / 1000);
          } catch (err) {
            result.keepError = isGeoCropError(err) ? err.message : `History could not keep this run (${(err as Error).message}).`;
          }
        }
        return transfer(result, transferablesOf(result));
      });
    },
    baseline(input, options) {
      return job(options.runId, undefined, async (signal) => {
        const request = parseJobRequest(input);
        const cfg = await untilAborted(getConfig(), signal);
        const { value } = await overCache(proxyUnwrapper(cfg.proxyTemplate, platform.origin), (fetch) =>
          requestBaseline(request, dataEnv(cfg, options.source, { fetch, origin: platform.origin }), options.resolution ?? 80, signal));
        return transfer(value, transferablesOf(value));
      });
    },
    saveForOffline(input, options, onProgress) {
      return job(options.runId, onProgress, async (signal, progress) => {
        const store = requireStore();
        const { request, cfg, model, canonicalUrl } = await begin(input, signal);
        const { value, cache } = await viaStore(store, canonicalUrl, async (fetch) => {
          // The config and model were loaded once per Worker, perhaps before the store was cleared: fetch them
          // again, so that they are saved now.
          const files = modelFileUrls(modelsUrl, model.id);
          for (const url of [configUrl, files.manifest, files.model]) {
            const res = await fetchWithRetry(fetch, url, {}, { errorCode: 'READ_FAILED', what: `Saving ${url} for offline use` }, signal);
            if (!res.ok) throw new GeoCropError('READ_FAILED', `Saving ${url} for offline use failed: the server answered HTTP ${res.status}.`, { url, status: res.status });
            await res.arrayBuffer();
          }
          const env = pipelineEnv(cfg, options.source, { fetch, origin: platform.origin, readPool: platform.readPool }, model, options.resolution);
          return readRunInputs(request, env, model.featureNames, { signal, onProgress: progress, resolution: options.resolution, maxDates: options.maxDates });
        });
        const counters = { ...cache.counters };
        if (cache.writeErrors.length) throw storageError(cache.writeErrors[0]);
        return { ...value, entriesSaved: counters.saved, bytesSaved: counters.bytesSaved, cache: counters, store: await store.stats() };
      });
    },
    offlineStats: () => storeCall((store) => store.stats()),
    clearOffline: () => storeCall(async (store) => {
      await store.clear();
      return store.stats();
    }),
    setOfflineLimit: (maxBytes) => storeCall(async (store) => {
      if (!(maxBytes > 0) || !Number.isFinite(maxBytes)) throw new GeoCropError('INVALID_REQUEST', `The offline storage limit must be a positive number of bytes, got ${maxBytes}.`, { maxBytes });
      await store.setMaxBytes(maxBytes);
      return store.stats();
    }),
    async prepare(modelId = DEFAULT_MODEL) {
      platform.readPool?.warm();
      try {
        const [, model] = await Promise.all([getConfig(), getModel(modelId)]);
        const { executionProviders, wasmThreads, reason } = model.runtime;
        return { id: model.id, version: model.version, executionProviders: [...executionProviders], wasmThreads, reason };
      } catch (err) {
        throw toWireError(err);
      }
    },
    cancel(runId) {
      const reason = new DOMException('The run was cancelled.', 'AbortError');
      if (runId === undefined) for (const c of runs.values()) c.abort(reason);
      else runs.get(runId)?.abort(reason);
    },
  };
}

/** How long to wait for `navigator.gpu.requestAdapter()`, ms: some headless or blocklisted GPUs never answer. */
const ADAPTER_TIMEOUT_MS = 2000;

async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ADAPTER_TIMEOUT_MS)));
  try {
    return (await Promise.race([gpu.requestAdapter().catch(() => null), timeout])) != null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reading Workers for `cores` logical cores: one per core, up to 4 (more Workers than cores only adds copies of the
 * COG headers; beyond 4 the fold in the pipeline Worker and the network become the limit). With one core, none: the
 * pipeline Worker reads in its own thread.
 */
export function readPoolSize(cores: number | undefined): number {
  const n = Math.min(4, Math.floor(cores ?? 1));
  return n >= 2 ? n : 0;
}

/** Starts one reading Worker (Vite bundles it from this `new URL(..., import.meta.url)`). */
function startReadWorker(): Worker {
  return new Worker(new URL('./read-worker.ts', import.meta.url), { type: 'module', name: 'geocrop-read' });
}

/**
 * The platform of a dedicated module Worker: its `fetch` and origin, the origin's IndexedDB store of saved answers
 * (opened at first use; see web/src/offline), onnxruntime-web (multi-threaded wasm when the page is cross-origin
 * isolated, WebGPU for standard-op graphs when an adapter exists).
 */
export function workerPlatform(): PipelinePlatform {
  const readers = readPoolSize(navigator.hardwareConcurrency);
  let history: Promise<RunHistory> | undefined;
  return {
    history: () => {
      history ??= openHistory();
      history.catch(() => (history = undefined));
      return history;
    },
    readPool: readers ? createReadPool({ size: readers, spawn: startReadWorker }) : undefined,
    fetch: (input, init) => self.fetch(input, init),
    store: createIdbResponseStore(),
    origin: self.location.origin,
    ort,
    facts: async () => ({
      webgpuAdapter: await hasWebGpuAdapter(),
      crossOriginIsolated: self.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
    }),
  };
}
