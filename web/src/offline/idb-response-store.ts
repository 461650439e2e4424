/**
 * The browser's {@link ResponseStore}: saved answers in IndexedDB (through `idb`), shared by every Worker and tab of
 * the origin and kept across visits.
 *
 * Three object stores: `meta` (status, headers, size, last use; indexed by last use), `bodies` (the bytes, apart,
 * so eviction walks the small records only) and `totals` (entry count and bytes, updated in the same transaction as
 * every change, so `stats()` and the cap never need a scan of thousands of entries).
 *
 * Writes are batched: a run saves thousands of 8 KiB ranges from two Workers at once, and one read-write
 * transaction per answer (each a commit, all serialised on the shared `totals` record) starved the other Worker's
 * reads for tens of seconds. Saves and "used now" marks are queued and committed together every
 * {@link FLUSH_DELAY_MS}; lookups are read-only transactions that see queued saves first.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { checkMaxBytes, DEFAULT_MAX_BYTES, entrySize, type ResponseStore, type StoredResponse, type StoreOptions } from './response-store';

/** Default database name. */
export const OFFLINE_DB_NAME = 'geocrop-offline';

interface EntryMeta {
  key: string;
  status: number;
  headers: Record<string, string>;
  size: number;
  /** Milliseconds since the epoch (made strictly increasing per store, so the order of uses is kept). */
  lastUsed: number;
}

interface Totals {
  entries: number;
  bytes: number;
}

interface OfflineSchema extends DBSchema {
  meta: { key: string; value: EntryMeta; indexes: { lastUsed: number } };
  bodies: { key: string; value: ArrayBuffer };
  totals: { key: string; value: Totals };
}

type WriteTx = IDBPTransaction<OfflineSchema, ('meta' | 'bodies' | 'totals')[], 'readwrite'>;

const TOTALS = 'all';
/** How long saves wait to be committed together, ms. */
export const FLUSH_DELAY_MS = 100;
const ALL_STORES = ['meta', 'bodies', 'totals'] as const;

/** Options of {@link createIdbResponseStore}. */
export interface IdbStoreOptions extends StoreOptions {
  /** Database name; default {@link OFFLINE_DB_NAME}. */
  name?: string;
}

/** Evicts entries, least recently used first, until `totals` is within `maxBytes`. */
async function evictOver(tx: WriteTx, totals: Totals, maxBytes: number): Promise<void> {
  let cursor = await tx.objectStore('meta').index('lastUsed').openCursor();
  while (cursor && totals.bytes > maxBytes) {
    totals.entries--;
    totals.bytes -= cursor.value.size;
    await tx.objectStore('bodies').delete(cursor.primaryKey);
    await cursor.delete();
    cursor = await cursor.continue();
  }
}

/**
 * Opens (lazily, at the first call) the IndexedDB store. Works in Workers and pages alike.
 *
 * @example
 * const store = createIdbResponseStore({ maxBytes: 2 * 1024 ** 3 });
 * await store.stats(); // { entries, bytes, maxBytes, persistent: true }
 */
export function createIdbResponseStore(opts: IdbStoreOptions = {}): ResponseStore {
  const name = opts.name ?? OFFLINE_DB_NAME;
  let maxBytes = checkMaxBytes(opts.maxBytes ?? DEFAULT_MAX_BYTES);
  let db: Promise<IDBPDatabase<OfflineSchema>> | undefined;
  let last = 0;
  const stamp = () => (last = Math.max(Date.now(), last + 1e-3));
  /** Saves not yet committed, by key, with their use time. */
  let queued = new Map<string, { response: StoredResponse; size: number; used: number }>();
  /** Entries read since the last commit, with their use time. */
  let touched = new Map<string, number>();
  let batch: { done: Promise<void>; start: () => void; timer: ReturnType<typeof setTimeout> } | undefined;

  const open = (): Promise<IDBPDatabase<OfflineSchema>> => {
    if (db) return db;
    const opening = openDB<OfflineSchema>(name, 1, {
      upgrade(d) {
        d.createObjectStore('meta', { keyPath: 'key' }).createIndex('lastUsed', 'lastUsed');
        d.createObjectStore('bodies');
        d.createObjectStore('totals');
      },
      blocking() {
        void opening.then((d) => d.close());
        db = undefined;
      },
      terminated() {
        db = undefined;
      },
    });
    db = opening;
    opening.catch(() => {
      if (db === opening) db = undefined;
    });
    return opening;
  };

  const write = async (work: (tx: WriteTx, totals: Totals) => Promise<void>): Promise<void> => {
    const tx = (await open()).transaction([...ALL_STORES], 'readwrite');
    const totals = (await tx.objectStore('totals').get(TOTALS)) ?? { entries: 0, bytes: 0 };
    await work(tx, totals);
    await tx.objectStore('totals').put(totals, TOTALS);
    await tx.done;
  };

  /** Commits the queue: marks of use first (so eviction sees them), then the saves, then eviction. */
  const commit = async (): Promise<void> => {
    const saves = queued;
    const uses = touched;
    queued = new Map();
    touched = new Map();
    if (!saves.size && !uses.size) return;
    await write(async (tx, totals) => {
      const meta = tx.objectStore('meta');
      for (const [key, used] of uses) {
        const m = saves.has(key) ? undefined : await meta.get(key);
        if (m) await meta.put({ ...m, lastUsed: used });
      }
      for (const [key, { response, size, used }] of saves) {
        const old = await meta.get(key);
        if (old) {
          totals.entries--;
          totals.bytes -= old.size;
        }
        // slice(): a view may sit in a larger buffer, and IndexedDB would store all of it.
        await tx.objectStore('bodies').put(response.body.slice().buffer, key);
        await meta.put({ key, status: response.status, headers: { ...response.headers }, size, lastUsed: Math.max(used, uses.get(key) ?? 0) });
        totals.entries++;
        totals.bytes += size;
      }
      await evictOver(tx, totals, maxBytes);
    });
  };

  /** The commit that will include what is queued now. */
  const scheduled = (): Promise<void> => {
    if (!batch) {
      let start!: () => void;
      const done = new Promise<void>((resolve) => (start = resolve)).then(() => {
        batch = undefined;
        return commit();
      });
      batch = { done, start, timer: setTimeout(() => start(), FLUSH_DELAY_MS) };
    }
    return batch.done;
  };

  /** Commits what is queued now (before reading totals or changing the store wholesale). */
  const flush = async (): Promise<void> => {
    if (!batch) return;
    clearTimeout(batch.timer);
    batch.start();
    await batch.done;
  };

  return {
    async get(key) {
      const q = queued.get(key);
      if (q) {
        q.used = stamp();
        return { status: q.response.status, headers: q.response.headers, body: q.response.body };
      }
      const tx = (await open()).transaction(['meta', 'bodies'], 'readonly');
      const [meta, body] = await Promise.all([tx.objectStore('meta').get(key), tx.objectStore('bodies').get(key)]);
      await tx.done;
      if (!meta || !body) return undefined;
      touched.set(key, stamp());
      void scheduled().catch(() => undefined); // a lost "used now" mark only ages the entry
      return { status: meta.status, headers: meta.headers, body: new Uint8Array(body) };
    },
    async put(key, response) {
      const size = entrySize(key, response);
      if (size > maxBytes) return;
      queued.set(key, { response, size, used: stamp() });
      await scheduled();
    },
    async stats() {
      await flush();
      const totals = await (await open()).get('totals', TOTALS);
      return { entries: totals?.entries ?? 0, bytes: totals?.bytes ?? 0, maxBytes, persistent: true };
    },
    async setMaxBytes(n) {
      maxBytes = checkMaxBytes(n);
      await flush();
      await write((tx, totals) => evictOver(tx, totals, maxBytes));
    },
    async clear() {
      await flush();
      const tx = (await open()).transaction([...ALL_STORES], 'readwrite');
      await Promise.all([...ALL_STORES.map((s) => tx.objectStore(s).clear()), tx.done]);
    },
  };
}
