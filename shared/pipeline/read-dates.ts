/**
 * Reads every planned date with bounded concurrency and hands the observations to the feature reducers strictly
 * in date order: float sums then form identically on every platform and for any number of reading Workers
 * (Worker/Node parity; date-reader.ts says why the fold is not split), while up to `concurrency` dates download
 * ahead. At most `concurrency` dates' rasters are alive at once.
 */
import { throwIfAborted } from '../contract/errors';
import type { Observation } from '../features/observation';
import { addByteStats, type ByteStats } from '../raster/byte-stats';
import type { DateReader, DateResult } from './date-reader';
import type { PlannedDate, SkippedScene } from './plan';
import type { UsedScene } from './types';

/** Everything the dates delivered. */
export interface DatesReading {
  used: UsedScene[];
  skipped: SkippedScene[];
  warnings: string[];
  /** Dates that gave at least one clear pixel. */
  observations: number;
  /** Clear pixel-observations folded into the features. */
  pixelObservations: number;
  /** Time spent folding observations into the reducers, ms (the feature stage's streaming part). */
  applyMs: number;
}

/**
 * @param reader reads one date (in this thread or in a Worker).
 * @param concurrency dates in flight at once (a Worker pool wants at least one per Worker).
 * @param stats counters each date's read cost is added to, in date order.
 * @param apply receives each date's observation, in ascending date order.
 * @param onDate progress: dates finished so far and the total.
 */
export async function readDates(
  dates: readonly PlannedDate[],
  reader: DateReader,
  concurrency: number,
  stats: ByteStats,
  apply: (obs: Observation) => void,
  onDate: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<DatesReading> {
  const out: DatesReading = { used: [], skipped: [], warnings: [], observations: 0, pixelObservations: 0, applyMs: 0 };
  const pending = new Map<number, Promise<DateResult>>();
  let next = 0;
  const launch = () => {
    while (next < dates.length && pending.size < Math.max(1, concurrency)) {
      const i = next++;
      const p = reader.read(dates[i], i, signal);
      // Avoid an unhandled rejection while it waits its turn; it is awaited below.
      p.catch(() => undefined);
      pending.set(i, p);
    }
  };
  try {
    for (let i = 0; i < dates.length; i++) {
      launch();
      const r = await pending.get(i)!;
      pending.delete(i);
      throwIfAborted(signal);
      addByteStats(stats, r.bytes);
      out.used.push(...r.used);
      out.skipped.push(...r.skipped);
      out.warnings.push(...r.warnings);
      if (r.observation) {
        const t = performance.now();
        apply(r.observation);
        out.applyMs += performance.now() - t;
        out.observations++;
        out.pixelObservations += r.clearPixels;
      }
      onDate(i + 1, dates.length);
    }
  } finally {
    // On failure or abort, let in-flight reads settle so no request outlives the run unobserved.
    await Promise.allSettled(pending.values());
  }
  return out;
}
