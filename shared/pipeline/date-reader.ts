/**
 * Where a run's dates are read: in this thread by default, or spread over Web Workers by a pool. A date reader
 * turns one planned date into its observation (read, warp, mask, DN → reflectance); the run folds the
 * observations into the season reducers in date order, in one place.
 *
 * Why dates are split across workers but the fold is not: the reducers keep float64 sums per pixel (index means,
 * dry-season means), and float addition is not associative — ((a + b) + c) + d and (a + b) + (c + d) differ in
 * the last bits for ordinary reflectance values — so partial season states summed per worker and merged would not
 * reproduce the serial fold bit for bit, and Worker == Node parity would be lost. The reads are the expensive part
 * (fetch, inflate, warp), they are independent per date, and their results are plain typed arrays that cross
 * `postMessage` as transferables; the fold is a fraction of the reading cost. So workers read, and the run folds
 * their observations strictly in date order (`readDates`), which makes the result identical to a serial run
 * whatever the number of workers or the order in which dates finish.
 *
 * A Worker pool implements {@link DateReaderFactory}: it sends the {@link DateReadSetup} (plain data) to each
 * Worker once per run, where `createDateReader(setup, platform)` builds the Worker's own reader, and forwards
 * `read` calls, returning each result with `dateResultTransferables(result)` as the transfer list.
 *
 * @example
 * // In the Worker (exposed with comlink):
 * let reader: DateReader;
 * const api = {
 *   start(setup: DateReadSetup) { reader = createDateReader(setup, { fetch: self.fetch.bind(self) }); },
 *   async read(date: PlannedDate, i: number) { const r = await reader.read(date, i); return transfer(r, dateResultTransferables(r)); },
 *   stop() { reader.close(); },
 * };
 * // In the pipeline Worker: env.dateReaders = (setup) => pool.start(setup) (a DateReader forwarding to the pool).
 */
import type { SpectralBand } from '../features/indices';
import { createByteStats, byteStatsDelta, type ByteStats } from '../raster/byte-stats';
import { createReaderContext, type ReaderOptions } from '../raster/reader-context';
import type { RasterGrid } from '../raster/types';
import type { WarpPlan } from '../raster/warp';
import type { PlannedDate } from './plan';
import { readDate, type DateReading } from './read-date';

/** What every reader of one run needs: plain data, sent once per run to each Worker. */
export interface DateReadSetup {
  grid: RasterGrid;
  /** 1 inside the AOI, on `grid`. */
  aoiMask: Uint8Array;
  /** Pixels inside the AOI. */
  aoiPixels: number;
  bands: readonly SpectralBand[];
  /** Output resolution, metres. */
  resolution: number;
  /** How hrefs become URLs and how requests retry (`fetch` and `inflate` are the reading thread's own). */
  reader: Omit<ReaderOptions, 'fetch' | 'stats' | 'inflate'>;
}

/** What the reading thread brings: its `fetch`, and optionally a faster DEFLATE decoder (Node's zlib). */
export type ReaderPlatform = Pick<ReaderOptions, 'fetch' | 'inflate'>;

/** One date's reading plus what its reads cost. */
export interface DateResult extends DateReading {
  /**
   * Byte counters added by this reader since its previous result. Reads of other dates may overlap, so a single
   * date's share is approximate, but the results of a reader add up to exactly what it fetched.
   */
  bytes: ByteStats;
}

/** Reads dates of one run. */
export interface DateReader {
  /**
   * Reads one planned date (see `readDate`).
   *
   * @throws AbortError when `signal` fires; a scene that fails is skipped, not thrown.
   */
  read(date: PlannedDate, dateIndex: number, signal?: AbortSignal): Promise<DateResult>;
  /** Drops what the reader holds (open COG headers, warp plans). */
  close(): void;
}

/** Makes the date reader of one run (a Worker pool's, or by default {@link createDateReader} in this thread). */
export type DateReaderFactory = (setup: DateReadSetup) => DateReader;

/**
 * A date reader in this thread, with its own COG handle cache, byte counters and warp-plan cache.
 *
 * @param platform this thread's fetch (a Worker's, Node's, or a test double) and optional inflater.
 */
export function createDateReader(setup: DateReadSetup, platform: ReaderPlatform): DateReader {
  const reader = createReaderContext({ ...setup.reader, ...platform });
  const plans = new Map<string, WarpPlan>();
  const ctx = { reader, grid: setup.grid, aoiMask: setup.aoiMask, aoiPixels: setup.aoiPixels, bands: setup.bands, resolution: setup.resolution, plans };
  let reported = createByteStats();
  return {
    async read(date, dateIndex, signal) {
      const reading = await readDate(date, dateIndex, ctx, signal);
      const now = { ...reader.stats };
      const bytes = byteStatsDelta(now, reported);
      reported = now;
      return { ...reading, bytes };
    },
    close() {
      reader.handles.clear();
      plans.clear();
    },
  };
}

/** The buffers of a result to transfer (not copy) across `postMessage`: the mask and the reflectance planes. */
export function dateResultTransferables(result: DateResult): ArrayBuffer[] {
  const obs = result.observation;
  if (!obs) return [];
  return [...new Set([obs.valid, ...Object.values(obs.bands)].map((a) => a.buffer as ArrayBuffer))];
}
