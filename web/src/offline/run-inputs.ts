/**
 * "Save this area for offline": read everything a run of a request reads — the scene search, every COG range of
 * the feature stage, the baseline — without running the model. Given a caching fetch, that saves it all.
 *
 * The ranges are the run's own because the code is the run's own: `computeSeasonFeatures` is the first half of
 * `run()` (search → plan → read/mask → features; which scenes and tiles are read depends on decoded SCL pixels,
 * so nothing cheaper reads the same ranges), and the baseline is read as `run()` reads it, with the same reader
 * context. web/src/offline/run-inputs.test.ts proves it: after this, the run needs no network.
 */
import type { JobRequest } from '../../../shared/contract/job';
import { loadBaseline } from '../../../shared/pipeline/baseline';
import { computeSeasonFeatures } from '../../../shared/pipeline/run';
import type { PipelineEnv, RunOptions } from '../../../shared/pipeline/types';

/** What was read. */
export interface RunInputs {
  /** Acquisition dates planned, and scenes whose pixels were used. */
  dates: number;
  scenes: number;
  /** Whether a baseline layer was found and read. */
  baseline: boolean;
}

/**
 * Reads the inputs of a run of `request` through `env.fetch`.
 *
 * The baseline is read even when the request would not show it (a run reads it when asked for, or when the model
 * uses `baseline_crop`): a few kilobytes of crop mask, against a rule that would otherwise be copied from `run()`.
 *
 * @param featureNames the model's input features (they decide the bands read).
 * @param opts `resolution` and `maxDates` as the run's (default 10 m, every date); progress under the run's stage names.
 * @throws GeoCropError as a run's first stages (`NO_SCENES`, `ALL_CLOUDY`, `STAC_UNAVAILABLE`, …); AbortError.
 * @example
 * const cache = createCachingFetch(fetch, store);
 * await readRunInputs(request, { ...env, fetch: cache.fetch }, model.featureNames, { signal });
 * await cache.settled(); // every answer is saved
 */
export async function readRunInputs(
  request: JobRequest,
  env: Omit<PipelineEnv, 'model'>,
  featureNames: readonly string[],
  opts: Pick<RunOptions, 'signal' | 'onProgress' | 'resolution' | 'maxDates'> = {},
): Promise<RunInputs> {
  const { signal } = opts;
  const sf = await computeSeasonFeatures(request, env, featureNames, opts);
  opts.onProgress?.({ stage: 'load_baseline', fraction: 0, message: 'Loading the crop-mask baseline' });
  const baseline = await loadBaseline({ fetch: env.fetch, stacUrl: env.stacUrl, retry: env.retry, reader: sf.reader }, request.aoi, request.year, sf.grid, signal);
  opts.onProgress?.({ stage: 'load_baseline', fraction: 1 });
  return { dates: sf.plan.dates.length, scenes: sf.reading.used.length, baseline: baseline.layer !== null };
}
