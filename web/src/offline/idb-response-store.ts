/**
 * The browser's {@link ResponseStore}: saved answers in IndexedDB (through `idb`), shared by every Worker and tab of
 * the origin and kept across visits.
 *
 * Three object stores: `meta` (status, headers, size, last use; indexed by last use), `bodies` (the bytes, apart,
 * so eviction walks the small records only) and `totals` (entry count and bytes, updated in the same transaction as
 * every change, so `stats()` and the cap never need a scan of thousands of entries).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { checkMaxBytes, DEFAULT_MAX_BYTES, entrySize, type ResponseStore, type StoreOptions } from './response-store';

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
const ALL_STORES = ['meta', 'bodies', 'totals'] as const;

/** Options of {@link createIdbResponseStore}. */
export interface IdbStoreOptions extends StoreOptions {
  /** Database name; default {@link OFFLINE_DB_NAME}. */
  name?: string;
}

/** Evicts entries, least recently used first, until `totals` is within `maxBytes`; never the entry `keep`. */
async function evictOver(tx: WriteTx, totals: Totals, maxBytes: number, keep?: string): Promise<void> {
  let cursor = await tx.objectStore('meta').index('lastUsed').openCursor();
  while (cursor && totals.bytes > maxBytes) {
    if (cursor.primaryKey !== keep) {
      totals.entries--;
      totals.bytes -= cursor.value.size;
      await tx.objectStore('bodies').delete(cursor.primaryKey);
      await cursor.delete();
    }
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
  // Date.now() repeats within a millisecond; a strictly increasing stamp keeps the order of uses exact.
  const stamp = () => (last = Math.max(Date.now(), last + 1e-3));

  const open = (): Promise<IDBPDatabase<OfflineSchema>> => {
    if (db) return db;
    const opening = openDB<OfflineSchema>(name, 1, {
      upgrade(d) {
        d.createObjectStore('meta', { keyPath: 'key' }).createIndex('lastUsed', 'lastUsed');
        d.createObjectStore('bodies');
        d.createObjectStore('totals');
      },
      // Another tab wants a newer schema: step aside (the next call reopens), rather than block its upgrade.
      blocking() {
        void opening.then((d) => d.close());
        db = undefined;
      },
      terminated() {
        db = undefined;
      },
    });
    db = opening;
    // A refused open (storage disabled) is not remembered: the next call asks again.
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

  return {
    async get(key) {
      const tx = (await open()).transaction(['meta', 'bodies'], 'readwrite');
      const meta = await tx.objectStore('meta').get(key);
      const body = meta && (await tx.objectStore('bodies').get(key));
      if (meta && body) await tx.objectStore('meta').put({ ...meta, lastUsed: stamp() });
      await tx.done;
      return meta && body ? { status: meta.status, headers: meta.headers, body: new Uint8Array(body) } : undefined;
    },
    async put(key, response) {
      const size = entrySize(key, response);
      if (size > maxBytes) return;
      await write(async (tx, totals) => {
        const old = await tx.objectStore('meta').get(key);
        if (old) {
          totals.entries--;
          totals.bytes -= old.size;
        }
        // slice(): a view may sit in a larger buffer, and IndexedDB would store all of it.
        await tx.objectStore('bodies').put(response.body.slice().buffer, key);
        await tx.objectStore('meta').put({ key, status: response.status, headers: { ...response.headers }, size, lastUsed: stamp() });
        totals.entries++;
        totals.bytes += size;
        await evictOver(tx, totals, maxBytes, key);
      });
    },
    async stats() {
      const totals = await (await open()).get('totals', TOTALS);
      return { entries: totals?.entries ?? 0, bytes: totals?.bytes ?? 0, maxBytes, persistent: true };
    },
    async setMaxBytes(n) {
      maxBytes = checkMaxBytes(n);
      await write((tx, totals) => evictOver(tx, totals, maxBytes));
    },
    async clear() {
      const tx = (await open()).transaction([...ALL_STORES], 'readwrite');
      await Promise.all([...ALL_STORES.map((s) => tx.objectStore(s).clear()), tx.done]);
    },
  };
}
