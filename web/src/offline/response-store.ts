/**
 * Saved HTTP answers for offline runs: the store interface the caching fetch writes to, its size rule, and the
 * in-memory implementation (hosts without IndexedDB, Node tools and unit tests). The browser's store is
 * `idb-response-store.ts`; both keep a byte cap by evicting the least recently used answers first.
 *
 * The Cache API cannot hold these answers: it refuses `206 Partial Content`, and COG reads are all range requests.
 */
import { GeoCropError } from '../../../shared/contract/errors';

/** Default cap of a store, bytes (1 GiB): a season of a few small areas at 10 m is tens of megabytes. */
export const DEFAULT_MAX_BYTES = 1024 ** 3;

/** The response headers a saved answer keeps: what the pipeline reads (lower-case names). */
export const KEPT_HEADERS = ['content-type', 'content-range', 'content-length', 'etag'] as const;

/** One saved answer. */
export interface StoredResponse {
  /** HTTP status: 200, or 206 for a range. */
  status: number;
  /** Only {@link KEPT_HEADERS} that the answer had. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

/** How full a store is. */
export interface StoreStats {
  entries: number;
  /** Sum of {@link entrySize} over the entries, bytes. */
  bytes: number;
  /** The cap, bytes. */
  maxBytes: number;
  /** True when the entries survive the Worker (IndexedDB); false for the in-memory store. */
  persistent: boolean;
}

/**
 * Where saved answers live, by request key (see `request-key.ts`). Every method may reject (storage refused,
 * quota); callers treat a failed read as a miss.
 */
export interface ResponseStore {
  /** The answer saved under `key` (marking it used now), or undefined. */
  get(key: string): Promise<StoredResponse | undefined>;
  /**
   * Saves (or replaces) the answer under `key`, then evicts least recently used entries until the store is within
   * its cap. An answer larger than the whole cap is not saved.
   */
  put(key: string, response: StoredResponse): Promise<void>;
  stats(): Promise<StoreStats>;
  /** Changes the cap, bytes (> 0), evicting at once when the store is over it. */
  setMaxBytes(maxBytes: number): Promise<void>;
  /** Removes every entry. */
  clear(): Promise<void>;
}

/** Options of the stores. */
export interface StoreOptions {
  /** Cap, bytes; default {@link DEFAULT_MAX_BYTES}. */
  maxBytes?: number;
}

/**
 * What an entry counts against the cap, bytes: its body plus its key and headers (UTF-16 code units, close
 * enough), so thousands of small answers cannot hide behind empty bodies.
 */
export function entrySize(key: string, response: StoredResponse): number {
  let meta = key.length;
  for (const [name, value] of Object.entries(response.headers)) meta += name.length + value.length;
  return response.body.byteLength + meta;
}

/** Checks a cap (a positive, finite number of bytes). */
export function checkMaxBytes(maxBytes: number): number {
  if (!(maxBytes > 0) || !Number.isFinite(maxBytes)) throw new RangeError(`maxBytes must be a positive number of bytes, got ${maxBytes}`);
  return maxBytes;
}

/**
 * A store in this realm's memory: gone with the Worker or process. A `Map` keeps insertion order, so moving an
 * entry to the end on every use makes its first entry the least recently used.
 *
 * @example
 * const store = createMemoryResponseStore({ maxBytes: 64 * 1024 ** 2 });
 * const cached = createCachingFetch(fetch, store);
 */
export function createMemoryResponseStore(opts: StoreOptions = {}): ResponseStore {
  let maxBytes = checkMaxBytes(opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const entries = new Map<string, { response: StoredResponse; size: number }>();
  let bytes = 0;
  const remove = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    entries.delete(key);
    bytes -= e.size;
  };
  const evict = () => {
    for (const key of entries.keys()) {
      if (bytes <= maxBytes) break;
      remove(key);
    }
  };
  return {
    async get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      entries.delete(key);
      entries.set(key, e);
      return { status: e.response.status, headers: { ...e.response.headers }, body: e.response.body.slice() };
    },
    async put(key, response) {
      const size = entrySize(key, response);
      if (size > maxBytes) return;
      remove(key);
      entries.set(key, { response: { status: response.status, headers: { ...response.headers }, body: response.body.slice() }, size });
      bytes += size;
      evict();
    },
    async stats() {
      return { entries: entries.size, bytes, maxBytes, persistent: false };
    },
    async setMaxBytes(n) {
      maxBytes = checkMaxBytes(n);
      evict();
    },
    async clear() {
      entries.clear();
      bytes = 0;
    },
  };
}

/**
 * A store failure as the user should read it: `STORAGE_FULL` when the browser refused for quota, else `INTERNAL`
 * naming the browser's reason (GeoCropErrors pass unchanged).
 */
export function storageError(err: unknown): GeoCropError {
  if (err instanceof GeoCropError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'QuotaExceededError') {
    return new GeoCropError('STORAGE_FULL', `The device refused to store more data for offline use (${e.message}). Delete saved areas or lower the offline storage limit, then try again.`, { name: e.name });
  }
  return new GeoCropError('INTERNAL', `Storage for offline use failed (${e.name}: ${e.message}). Private browsing or blocked site data can cause this; computing online still works.`, { name: e.name });
}
