/**
 * The run history in IndexedDB (`idb`): every finished run with its layers, manifest and files, so reopening one is
 * instant and works offline. Summaries and data live in separate stores so listing the history never loads the
 * rasters.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { GeoCropError } from '../../../shared/contract/errors';
import type { JobRequest } from '../../../shared/contract/job';
import type { RunManifest, RunResult } from '../../../shared/pipeline/types';
import { displayBuffers, toDisplayResult, type ClassStyle, type DisplayResult } from './display-result';

/** What the history list shows of a run. */
export interface RunSummary {
  id: string;
  /** ISO time the run finished. */
  created: string;
  request: JobRequest;
  source: 'demo' | 'online';
  modelId: string;
  resolution: number;
  classAreas: RunManifest['class_areas_ha'];
  /** Bytes stored for this run (layers + files). */
  bytes: number;
  /** Seconds the run took. */
  seconds: number;
}

/** A stored run's data. */
export interface StoredRun {
  id: string;
  display: DisplayResult;
  manifest: RunManifest;
  files: Record<string, Uint8Array>;
}

interface HistoryDb extends DBSchema {
  summaries: { key: string; value: RunSummary; indexes: { created: string } };
  data: { key: string; value: StoredRun };
}

/** The history's operations. */
export interface RunHistory {
  /** Newest first. */
  list(): Promise<RunSummary[]>;
  get(id: string): Promise<StoredRun | undefined>;
  /** @throws GeoCropError `STORAGE_FULL` when the browser refuses the space (nothing is half-written). */
  put(summary: Omit<RunSummary, 'bytes'>, data: StoredRun): Promise<RunSummary>;
  delete(id: string): Promise<void>;
  close(): void;
}

/** Bytes a run occupies (its typed arrays and files). */
export function storedBytes(data: StoredRun): number {
  return displayBuffers(data.display).reduce((s, b) => s + b.byteLength, 0) + Object.values(data.files).reduce((s, f) => s + f.byteLength, 0);
}

/** Opens (creating when new) the history database. */
export async function openHistory(name = 'geocrop-history'): Promise<RunHistory> {
  const db: IDBPDatabase<HistoryDb> = await openDB<HistoryDb>(name, 1, {
    upgrade(d) {
      d.createObjectStore('summaries', { keyPath: 'id' }).createIndex('created', 'created');
      d.createObjectStore('data', { keyPath: 'id' });
    },
  });
  return {
    async list() {
      return (await db.getAllFromIndex('summaries', 'created')).reverse();
    },
    get: (id) => db.get('data', id),
    async put(summary, data) {
      const full: RunSummary = { ...summary, bytes: storedBytes(data) };
      // One transaction over both stores: a quota failure leaves neither half behind.
      const tx = db.transaction(['summaries', 'data'], 'readwrite');
      try {
        await Promise.all([tx.objectStore('data').put(data), tx.objectStore('summaries').put(full), tx.done]);
      } catch (err) {
        if ((err as Error).name === 'QuotaExceededError') {
          throw new GeoCropError('STORAGE_FULL', `The browser has no room to keep this run (${Math.round(full.bytes / 1e6)} MB): delete older runs in History, or free space on the device, then run again.`);
        }
        throw err;
      }
      return full;
    },
    async delete(id) {
      const tx = db.transaction(['summaries', 'data'], 'readwrite');
      await Promise.all([tx.objectStore('data').delete(id), tx.objectStore('summaries').delete(id), tx.done]);
    },
    close: () => db.close(),
  };
}

/**
 * Stores a finished run in the history: its display layers (as the page draws them), manifest and files. Called in
 * the pipeline Worker before the result goes to the page: serialising a 5 km run (~200 MB) into IndexedDB takes
 * hundreds of milliseconds, which on the page's thread would freeze the map.
 *
 * @param seconds how long the run took.
 * @throws GeoCropError `STORAGE_FULL` (see {@link RunHistory.put}).
 */
export function keepRun(history: RunHistory, result: RunResult, classes: readonly ClassStyle[], source: RunSummary['source'], seconds: number): Promise<RunSummary> {
  const m = result.manifest;
  return history.put(
    { id: m.job_id, created: m.created, request: m.request, source, modelId: m.model.id, resolution: m.grid.resolution, classAreas: m.class_areas_ha, seconds: Math.round(seconds * 10) / 10 },
    { id: m.job_id, display: toDisplayResult(result, classes), manifest: m, files: result.files },
  );
}
