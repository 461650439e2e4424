/**
 * Reading Workers for the pipeline Worker: the dates of a run are read (fetched, inflated, warped, masked) on every
 * core, while the run folds their observations into the season features in date order, in one place — so the result
 * is bit for bit the in-thread run's (shared/pipeline/date-reader.ts says why). The read stage is most of a run's
 * time and is CPU-bound once the tiles are near (cached, or the demo world), so this is where more cores pay.
 *
 * Requests of the readers come back here and go through the run's own fetch — in the app, the caching fetch of
 * the offline store — so a run has one set of cache counters and one list of what was missing offline, whichever
 * Worker asked. Bodies travel as transferred ArrayBuffers; a COG range is read whole anyway.
 *
 * Hand-written because no library pools comlink Workers around a per-run session with a parent-side fetch.
 */
import { proxy, releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink';
import { GeoCropError } from '../../../shared/contract/errors';
import type { FetchFn } from '../../../shared/net/fetch-retry';
import type { DateReader, DateReaderFactory, DateResult } from '../../../shared/pipeline/date-reader';
import type { ParentFetch, ReadWorkerApi, WireResponse } from './read-worker-api';
import { fromWireError, toWireError } from './wire-errors';

/** A reading Worker as the pool drives it: a `Worker`, or in tests a `MessagePort` exposing the same API. */
export type ReadWorkerEndpoint = Endpoint & { terminate(): void };

/** Options of {@link createReadPool}. */
export interface ReadPoolOptions {
  /** Starts one reading Worker (its script exposes `createReadWorkerApi()`). */
  spawn: () => ReadWorkerEndpoint;
  /** Reading Workers to start (at the first run). */
  size: number;
}

/** Reading Workers shared by the runs of one pipeline Worker. */
export interface ReadPool {
  readonly size: number;
  /**
   * The date readers of one run, whose requests go through `fetch` (the run's fetch); undefined once a reading
   * Worker has failed, and then the run reads in its own thread.
   */
  readers(fetch: FetchFn): DateReaderFactory | undefined;
  /** Starts the reading Workers now (they load and compile their script while the person picks an area). */
  warm(): void;
  /** Stops every reading Worker. */
  terminate(): void;
}

/** One run's side of the pool: its fetch, and its requests in flight at the parent (to abort and wait for). */
interface Session {
  fetch: FetchFn;
  /** Set when the run was cancelled: requests arriving late are refused. */
  aborted: boolean;
  inflight: Set<{ controller: AbortController; done: Promise<unknown> }>;
}

interface Member {
  api: Remote<ReadWorkerApi>;
  endpoint: ReadWorkerEndpoint;
  /** Reads sent and not yet answered. */
  busy: number;
  /** This member's requests in flight at the parent, by the Worker's request id. */
  requests: Map<number, AbortController>;
}

/**
 * @example
 * const pool = createReadPool({ size: 2, spawn: () => new Worker(new URL('./read-worker.ts', import.meta.url), { type: 'module' }) });
 * const env = { ...env, dateReaders: pool.readers(env.fetch) };
 */
export function createReadPool(options: ReadPoolOptions): ReadPool {
  const size = Math.max(1, Math.floor(options.size));
  const runs = new Map<number, Session>();
  let members: Member[] | undefined;
  let failed: GeoCropError | undefined;
  const failures = new Set<(err: GeoCropError) => void>();
  let sessions = 0;
  let calls = 0;

  const fail = (why: string) => {
    if (failed) return;
    failed = new GeoCropError('INTERNAL', `A reading Worker stopped (${why}). Run the area again: the next run reads without the extra Workers.`);
    for (const f of failures) f(failed);
    stopAll();
  };

  /** One member's side of its Worker's requests, kept in `requests` by the Worker's request id. */
  const parentFetch = (requests: Member['requests']): ParentFetch => ({
    async fetch(session, requestId, url, init): Promise<WireResponse> {
      const run = runs.get(session);
      if (!run || run.aborted) return { ok: false, error: toWireError(new DOMException('The run this request belongs to has ended.', 'AbortError')) };
      const controller = new AbortController();
      requests.set(requestId, controller);
      const answer = (async (): Promise<WireResponse> => {
        try {
          const res = await run.fetch(url, { method: init.method, headers: init.headers, signal: controller.signal });
          const body = await res.arrayBuffer();
          return transfer({ ok: true, status: res.status, statusText: res.statusText, headers: [...res.headers.entries()], body }, [body]);
        } catch (err) {
          return { ok: false, error: toWireError(err) };
        }
      })();
      const entry = { controller, done: answer };
      run.inflight.add(entry);
      try {
        return await answer;
      } finally {
        requests.delete(requestId);
        run.inflight.delete(entry);
      }
    },
    abort(requestId) {
      requests.get(requestId)?.abort(new DOMException('The read was cancelled.', 'AbortError'));
    },
  });

  const start = (): Member[] => {
    if (members) return members;
    members = Array.from({ length: size }, () => {
      const endpoint = options.spawn();
      endpoint.addEventListener('error', ((e: ErrorEvent) => fail(e.message || 'it could not be loaded or crashed')) as EventListener);
      const m: Member = { api: wrap<ReadWorkerApi>(endpoint), endpoint, busy: 0, requests: new Map() };
      void m.api.connect(proxy(parentFetch(m.requests))).catch(() => fail('it did not answer'));
      return m;
    });
    return members;
  };

  const stopAll = () => {
    for (const m of members ?? []) {
      for (const c of m.requests.values()) c.abort(new DOMException('The reading Workers stopped.', 'AbortError'));
      m.api[releaseProxy]();
      m.endpoint.terminate();
    }
    members = undefined;
  };

  /** Aborts what run `run` has in flight at the parent and waits until all of it has settled. */
  const settle = async (run: Session) => {
    run.aborted = true;
    const entries = [...run.inflight];
    for (const e of entries) e.controller.abort(new DOMException('The run was cancelled.', 'AbortError'));
    await Promise.allSettled(entries.map((e) => e.done));
  };

  const session = (fetch: FetchFn): DateReaderFactory => (setup) => {
    const id = ++sessions;
    const run: Session = { fetch, aborted: false, inflight: new Set() };
    runs.set(id, run);
    const crew = start();
    const started = crew.map((m) => m.api.start(id, setup));
    for (const s of started) s.catch(() => undefined);
    const reader: DateReader = {
      async read(date, dateIndex, signal): Promise<DateResult> {
        if (failed) throw failed;
        signal?.throwIfAborted();
        // The least busy Worker; ties to the lowest index, so dates spread evenly when they cost alike.
        let k = 0;
        for (let i = 1; i < crew.length; i++) if (crew[i].busy < crew[k].busy) k = i;
        const m = crew[k];
        const call = ++calls;
        m.busy++;
        let rejectDead: (err: GeoCropError) => void = () => undefined;
        const dead = new Promise<never>((_, reject) => (rejectDead = reject));
        dead.catch(() => undefined);
        failures.add(rejectDead);
        const onAbort = () => void m.api.abort(call).catch(() => undefined);
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await Promise.race([started[k], dead]);
          return await Promise.race([m.api.read(id, date, dateIndex, call), dead]);
        } catch (err) {
          // A cancelled run ends with no request of its readers still open (readDates waits for every read).
          if (signal?.aborted) await settle(run);
          throw err instanceof GeoCropError ? err : fromWireError(err);
        } finally {
          m.busy--;
          failures.delete(rejectDead);
          signal?.removeEventListener('abort', onAbort);
        }
      },
      close() {
        runs.delete(id);
        void settle(run);
        if (!failed) for (const m of crew) void m.api.stop(id).catch(() => undefined);
      },
    };
    return reader;
  };

  return {
    size,
    readers: (fetch) => (failed ? undefined : session(fetch)),
    warm() {
      if (!failed) start();
    },
    terminate() {
      stopAll();
      runs.clear();
    },
  };
}
