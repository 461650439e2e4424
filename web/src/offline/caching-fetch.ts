/**
 * A `fetch` that saves what the pipeline downloads and answers from the saved copy when it must, so an area
 * computed (or saved) once computes again without a network.
 *
 * - Range GETs (COG blocks) are cache-first: COG objects are immutable, so a saved range is as good as a fresh one.
 * - Other GETs (`/api/config`, model files, STAC `next` pages) and POSTs (STAC searches) are network-first: they
 *   can change, so the saved copy answers only when the network is unreachable (fetch's `TypeError`).
 *
 * Only complete, successful answers are saved: a 206 whose `Content-Range` is the range asked for and whose body
 * has exactly that length, or a 200 for a request without a range, read to its end. Error statuses, bodies that
 * break off, and reads that are aborted or cancelled leave nothing behind. The caller streams the answer as it
 * arrives; the copy is written when the caller has read it all.
 */
import { GeoCropError, isGeoCropError } from '../../../shared/contract/errors';
import type { FetchFn } from '../../../shared/net/fetch-retry';
import { parseContentRange } from '../../../shared/raster/http-client';
import { describeRequest, type CacheRequest } from './request-key';
import { KEPT_HEADERS, type ResponseStore, type StoredResponse } from './response-store';

/** What one caching fetch did (plain numbers: a snapshot crosses `postMessage`). */
export interface CacheCounters {
  /** Requests answered from saved data. */
  hits: number;
  /** Requests answered by the network. */
  misses: number;
  /** Requests neither could answer: the network was unreachable and nothing was saved for them. */
  unavailable: number;
  /** Body bytes served from saved data. */
  bytesFromCache: number;
  /** Body bytes of successful network answers. */
  bytesFromNetwork: number;
  /** Answers this fetch saved, and their body bytes. */
  saved: number;
  bytesSaved: number;
  /** Answers that could not be saved (quota, storage refused); see {@link CachingFetch.writeErrors}. */
  saveFailures: number;
}

/** A request that failed for want of both network and saved data. */
export interface MissingRequest {
  method: string;
  url: string;
  range?: { start: number; end: number };
}

/** A caching fetch and what it knows about its requests. */
export interface CachingFetch {
  readonly fetch: FetchFn;
  /** Live counters; copy them (`{ ...counters }`) for a snapshot. */
  readonly counters: Readonly<CacheCounters>;
  /** Requests that failed offline and were not answered by a later attempt, in the order they failed. */
  missing(): MissingRequest[];
  /** Resolves when every answer being saved is written (or failed to be). */
  settled(): Promise<void>;
  /** Why saves failed (quota, storage refused), oldest first. */
  readonly writeErrors: readonly Error[];
}

/** Options of {@link createCachingFetch}. */
export interface CachingFetchOptions {
  /** Maps a URL to the one its key uses (e.g. `proxyUnwrapper(config.proxyTemplate, origin)`). */
  canonicalUrl?: (url: string) => string;
}

/** Bytes the answer must have to be saved (undefined: whatever arrives), or null when it must not be saved. */
function savableLength(req: CacheRequest, res: Response): number | undefined | null {
  if (!req.range) return res.status === 200 ? undefined : null;
  if (res.status !== 206) return null;
  const cr = parseContentRange(res.headers.get('content-range'));
  // The rule of the COG reader (fetchRange): the range asked, or its part up to the end of the file.
  if (!cr || cr.start !== req.range.start || cr.end < cr.start || cr.end > req.range.end || (cr.end < req.range.end && cr.end !== cr.total - 1)) return null;
  return cr.end - cr.start + 1;
}

/** Headers worth keeping. Content-Length is the saved body's: a compressed answer's header counts encoded bytes. */
function keptHeaders(res: Response, bodyLength: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const v = res.headers.get(name);
    if (v !== null) out[name] = v;
  }
  out['content-length'] = String(bodyLength);
  return out;
}

/**
 * `res` with a body that hands each chunk on as the caller reads it and, once the caller has read it to the end,
 * passes the whole body to `onEnd`. A body that errors or is cancelled never reaches `onEnd`.
 */
function recorded(res: Response, onChunk: (bytes: number) => void, onEnd: (body: Uint8Array<ArrayBuffer>) => void): Response {
  if (!res.body) {
    onEnd(new Uint8Array(0));
    return res;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        const all = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.byteLength;
        }
        chunks.length = 0;
        onEnd(all);
        return;
      }
      chunks.push(value);
      size += value.byteLength;
      onChunk(value.byteLength);
      controller.enqueue(value);
    },
    cancel(reason) {
      chunks.length = 0;
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

function replay(saved: StoredResponse): Response {
  return new Response(saved.body, { status: saved.status, headers: saved.headers });
}

/**
 * Wraps `network` (the platform's fetch) with `store`. One instance per run gives that run's counters; every
 * instance over the same store shares the saved answers.
 *
 * @example
 * const cache = createCachingFetch(self.fetch.bind(self), createIdbResponseStore());
 * await run(request, { ...env, fetch: cache.fetch });
 * await cache.settled();
 * const offline = cache.counters.hits > 0 && cache.counters.misses === 0; // computed from saved data only
 */
export function createCachingFetch(network: FetchFn, store: ResponseStore, opts: CachingFetchOptions = {}): CachingFetch {
  const counters: CacheCounters = { hits: 0, misses: 0, unavailable: 0, bytesFromCache: 0, bytesFromNetwork: 0, saved: 0, bytesSaved: 0, saveFailures: 0 };
  const missing = new Map<string, MissingRequest>();
  const pending = new Set<Promise<void>>();
  const writeErrors: Error[] = [];

  const lookup = async (req: CacheRequest): Promise<Response | undefined> => {
    // A store that cannot be read (storage disabled) is a store without this answer.
    const saved = await store.get(req.key).catch(() => undefined);
    if (!saved) return undefined;
    counters.hits++;
    counters.bytesFromCache += saved.body.byteLength;
    missing.delete(req.key);
    return replay(saved);
  };

  const save = (req: CacheRequest, res: Response, body: Uint8Array<ArrayBuffer>) => {
    const write: Promise<void> = store.put(req.key, { status: res.status, headers: keptHeaders(res, body.byteLength), body }).then(
      () => {
        counters.saved++;
        counters.bytesSaved += body.byteLength;
      },
      (err: unknown) => {
        counters.saveFailures++;
        writeErrors.push(err instanceof Error ? err : new Error(String(err)));
      },
    ).finally(() => pending.delete(write));
    pending.add(write);
  };

  const cachingFetch: FetchFn = async (url, init) => {
    init?.signal?.throwIfAborted();
    const req = await describeRequest(url, init, opts.canonicalUrl);
    if (!req) return network(url, init);
    if (req.range) {
      const hit = await lookup(req);
      if (hit) return hit;
    }
    let res: Response;
    try {
      res = await network(url, init);
    } catch (err) {
      // Only fetch's own TypeError means "no network"; an abort is the caller's decision.
      if (!(err instanceof TypeError) || init?.signal?.aborted) throw err;
      const fallback = req.range ? undefined : await lookup(req);
      if (fallback) return fallback;
      counters.unavailable++;
      if (!missing.has(req.key)) missing.set(req.key, { method: req.method, url: req.url, ...(req.range ? { range: req.range } : {}) });
      throw err;
    }
    counters.misses++;
    missing.delete(req.key);
    const expected = savableLength(req, res);
    if (expected === null) return res;
    return recorded(res, (n) => (counters.bytesFromNetwork += n), (body) => {
      if (expected === undefined || body.byteLength === expected) save(req, res, body);
    });
  };

  return {
    fetch: cachingFetch,
    counters,
    missing: () => [...missing.values()],
    async settled() {
      while (pending.size) await Promise.all(pending);
    },
    writeErrors,
  };
}

/**
 * The error for work that needed data which is neither saved nor reachable, or undefined when nothing was missing.
 * Codes stay those of the stage that failed: `STAC_UNAVAILABLE` when the scene search could not be done, else
 * `READ_FAILED` (also when the run "succeeded" without some reads: the scenes it skipped would change the map).
 *
 * @param cause what the work threw, if it threw.
 */
export function notSavedForOffline(missing: readonly MissingRequest[], cause?: unknown): GeoCropError | undefined {
  const first = missing[0];
  if (!first) return undefined;
  const code = isGeoCropError(cause, 'STAC_UNAVAILABLE') ? 'STAC_UNAVAILABLE' : 'READ_FAILED';
  const what = `${first.url}${first.range ? ` (bytes ${first.range.start}-${first.range.end})` : ''}`;
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
  return new GeoCropError(
    code,
    `This area and season are not saved for offline use on this device, and there is no network: nothing saved answers ${what}${more}. ` +
      'Connect to the internet and compute the area once (or use "Save for offline" while online); it will then compute offline.',
    { offline: true, missing: missing.length, url: first.url, ...(first.range ? { range: first.range } : {}), ...(cause instanceof Error ? { cause: cause.message } : {}) },
  );
}
