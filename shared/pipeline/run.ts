/**
 * The orchestrator: an area and a season in, a crop map out. It reads as the stage list of ARCHITECTURE.md —
 * search → plan → read/grid/mask → features → baseline → infer → smooth → export — and reports progress under
 * the owner's stage names (`fetch_stac`, `build_features`, `load_baseline`, `infer`, `smooth`, `export_cog`,
 * `done`). The same code runs in a Web Worker and in Node; only `env` differs.
 */
import { GeoCropError, throwIfAborted } from '../contract/errors';
import { FEATURE_ORDER_V1_HASH, FEATURE_ORDER_VERSION } from '../contract/feature-order';
import type { JobRequest } from '../contract/job';
import type { Stage } from '../contract/stages';
import { bandsForFeatures, featureDef } from '../features/catalogue';
import { SPECTRAL_BANDS, type SpectralBand } from '../features/indices';
import { addObservation, createSeasonState } from '../features/season-accumulator';
import { finishSeason } from '../features/season-finish';
import { encodeOutputs } from '../export/outputs';
import { majorityFilter } from '../post/majority-filter';
import { aoiMask as makeAoiMask, targetGrid } from '../raster/grid';
import { createReaderContext } from '../raster/reader-context';
import { searchSeasonScenes, seasonLabel } from '../stac/search-season';
import type { FeatureStack } from '../features/season-finish';
import type { ReaderContext } from '../raster/reader-context';
import type { RasterGrid } from '../raster/types';
import type { SeasonScenes } from '../stac/search-season';
import { loadBaseline } from './baseline';
import type { ScenePlan } from './plan';
import type { DatesReading } from './read-dates';
import { inferClasses } from './infer';
import { buildManifest } from './manifest';
import { planScenes, thinDates } from './plan';
import { readDates } from './read-dates';
import { createDateReader, type DateReadSetup } from './date-reader';
import type { PipelineEnv, RunOptions, RunResult } from './types';

/** Version of the pipeline's numerics, recorded in every manifest. */
export const PIPELINE_VERSION = '1.0.0';

/** Bands the run must read: the model's features plus the requested outputs. */
export function bandsForRun(request: JobRequest, modelFeatures: readonly string[]): SpectralBand[] {
  const names = modelFeatures.filter((f) => f !== 'baseline_crop');
  if (request.outputs.true_color || request.outputs.monthly) names.push('red_at_peak', 'green_at_peak', 'blue_at_peak');
  names.push(...request.outputs.indices);
  const need = new Set(bandsForFeatures(names));
  return SPECTRAL_BANDS.filter((b) => need.has(b));
}

/**
 * Dates read at once when `env` does not say. A 10 m read is bandwidth- and CPU-bound, and each date in flight
 * holds its full-resolution planes, so 3. A coarse preview reads one small overview tile per band: its time is
 * round trips (SCL, then the bands, each a header and a tile), so more dates in flight keep the connections busy
 * at a few hundred kilobytes each.
 */
export function defaultReadConcurrency(resolution: number): number {
  return readsOverviews(resolution) ? 8 : 3;
}

/** A coarse preview (40 m and up) reads COG overviews, one small tile per band file. */
function readsOverviews(resolution: number): boolean {
  return resolution >= 40;
}

/**
 * Block size of coarse previews' reads, bytes. A COG keeps its overviews right after the header, smallest first, so
 * a first request of 32 KiB brings a demo-world band's header and its 80 m overview tile together: one request per
 * file instead of two, for about 40 % more bytes (`npm run bench`, README). Full resolution keeps 8 KiB blocks,
 * where bytes matter (reader-context.ts has the measurements).
 */
export const PREVIEW_BLOCK_SIZE = 32 * 1024;

/** Reports progress of a stage (fraction 0..1). */
export type StageReporter = (stage: Stage, fraction: number, message?: string, detail?: Record<string, number | string>) => void;

/** What {@link computeSeasonFeatures} produces: the stack plus everything the manifest needs about the reads. */
export interface SeasonFeatures {
  grid: RasterGrid;
  aoiMask: Uint8Array;
  aoiPixels: number;
  bands: SpectralBand[];
  found: SeasonScenes;
  plan: ScenePlan;
  reading: DatesReading;
  features: FeatureStack;
  reader: ReaderContext;
  warnings: string[];
}

/**
 * Search → plan → read/grid/mask → features: the part of a run that needs no model (training uses it alone).
 *
 * @param featureNames the features a model will consume (decides which bands are read).
 */
export async function computeSeasonFeatures(
  request: JobRequest,
  env: Omit<PipelineEnv, 'model'>,
  featureNames: readonly string[],
  opts: RunOptions & { progress?: StageReporter; lap?: (name: string) => void } = {},
): Promise<SeasonFeatures> {
  const { signal } = opts;
  const progress: StageReporter = opts.progress ?? ((stage, fraction, message, detail) => opts.onProgress?.({ stage, fraction, message, detail }));
  const lap = opts.lap ?? (() => undefined);
  const resolution = opts.resolution ?? 10;
  const aoi = request.aoi;
  const season = seasonLabel(request.year);
  const warnings: string[] = [];
  progress('fetch_stac', 0, `Searching scenes for ${season}`);
  const found = await searchSeasonScenes(env.fetch, { stacUrl: env.stacUrl, aoi, year: request.year, maxCloudCover: env.maxCloudCover }, {
    retry: env.retry,
    onPage: (p) => progress('fetch_stac', 0.5, `${p.collection}: ${p.total} items`, { items: p.total }),
  }, signal);
  lap('search');
  const grid = targetGrid(aoi, resolution);
  const aoiMask = makeAoiMask(aoi, grid);
  const aoiPixels = aoiMask.reduce((a, v) => a + v, 0);
  const bands = bandsForRun(request, featureNames);
  const full = planScenes(found.scenes, aoi, { bands, grid });
  const plan = opts.maxDates ? thinDates(full, opts.maxDates) : full;
  lap('plan');
  progress('fetch_stac', 1, `${found.scenes.length} scenes, ${plan.dates.length} dates`, { scenes: found.scenes.length, dates: plan.dates.length, estimated_bytes: plan.estimatedBytes });

  const readerOptions = { s3Template: env.s3HttpsTemplate, base: env.baseUrl, proxyTemplate: env.proxyTemplate, policy: env.retry, ...(readsOverviews(resolution) && { blockSize: PREVIEW_BLOCK_SIZE }) };
  const platform = { fetch: env.fetch, inflate: env.inflate };
  const reader = createReaderContext({ ...readerOptions, ...platform });
  const state = createSeasonState({ year: request.year, dates: plan.dates.map((d) => d.date), pixels: grid.width * grid.height, bands, monthly: request.outputs.monthly });
  const setup: DateReadSetup = { grid, aoiMask, aoiPixels, bands, resolution, reader: readerOptions };
  const dateReader = env.dateReaders ? env.dateReaders(setup) : createDateReader(setup, platform);
  let reading: DatesReading;
  try {
    reading = await readDates(plan.dates, dateReader, env.readConcurrency ?? defaultReadConcurrency(resolution), reader.stats, (obs) => addObservation(state, obs), (done, total) => {
      progress('build_features', (0.9 * done) / Math.max(1, total), `Read ${done} of ${total} dates`, { dates: done, of: total, bytes: reader.stats.bytesFetched });
    }, signal);
  } finally {
    dateReader.close();
  }
  warnings.push(...reading.warnings);
  lap('read');
  if (reading.observations === 0) {
    throw new GeoCropError('ALL_CLOUDY', `No clear view of the area (lon ${aoi.lon}, lat ${aoi.lat}, radius ${aoi.radius_m} m) in ${season}: all ${plan.dates.length} dates were cloudy, shadowed or unreadable there. Try another season or a different area.`, {
      dates: plan.dates.length, skipped: reading.skipped.length,
    });
  }
  const features = finishSeason(state, signal);
  lap('features');
  progress('build_features', 1, `${features.names.length} features`, { features: features.names.length });
  return { grid, aoiMask, aoiPixels, bands, found, plan, reading, features, reader, warnings };
}

/**
 * Runs one job.
 *
 * @param request a validated request (`parseJobRequest`).
 * @throws GeoCropError `NO_SCENES`, `ALL_CLOUDY`, `STAC_*`, `MODEL_FEATURE_MISMATCH`…; AbortError when aborted.
 * @example
 * const result = await run(parseJobRequest({ aoi: { lon: 30.05, lat: -17.8, radius_m: 2000 }, year: 2022 }), env, { onProgress: console.log });
 * result.layers.refined; // Uint8Array of class codes on result.grid
 */
export async function run(request: JobRequest, env: PipelineEnv, opts: RunOptions = {}): Promise<RunResult> {
  const { signal } = opts;
  const now = env.now ?? (() => performance.now());
  const timings: Record<string, number> = {};
  let stageStart = now();
  const progress = (stage: Stage, fraction: number, message?: string, detail?: Record<string, number | string>) =>
    opts.onProgress?.({ stage, fraction: Math.max(0, Math.min(1, fraction)), message, detail });
  const lap = (name: string) => {
    const t = now();
    timings[name] = Math.round(t - stageStart);
    stageStart = t;
  };
  const resolution = opts.resolution ?? 10;
  const aoi = request.aoi;
  const season = seasonLabel(request.year);
  // Fail before any download when the model needs inputs the pipeline cannot compute yet.
  const external = env.model.featureNames.filter((f) => featureDef(f)?.group === 'external');
  if (external.length) {
    throw new GeoCropError('MODEL_FEATURE_MISMATCH', `Model ${env.model.id} needs ${external.length} input(s) the pipeline does not compute yet (${external.slice(0, 4).join(', ')}${external.length > 4 ? ', …' : ''}: DE Africa GeoMAD, CHIRPS and SRTM layers). Choose a model trained on the pipeline's features, e.g. croptype-demo.`, { model: env.model.id, missing: external });
  }
  const sf = await computeSeasonFeatures(request, env, env.model.featureNames, { ...opts, progress, lap });
  const { grid, aoiMask, aoiPixels, plan, found, reading, features, reader } = sf;
  const warnings = [...sf.warnings];

  // baseline
  progress('load_baseline', 0, 'Loading the crop-mask baseline');
  const baseline = request.outputs.baseline || env.model.featureNames.includes('baseline_crop')
    ? await loadBaseline({ fetch: env.fetch, stacUrl: env.stacUrl, retry: env.retry, reader }, aoi, request.year, grid, signal)
    : null;
  if (baseline?.warning) warnings.push(baseline.warning);
  const baselineData = baseline?.layer?.data;
  lap('baseline');
  progress('load_baseline', 1);

  // infer
  const extra: Record<string, Float32Array> = {};
  if (baselineData) extra.baseline_crop = Float32Array.from(baselineData, (v) => (v === 1 ? 1 : 0));
  const inferred = await inferClasses(env.model, features, features.valid, extra, (f) => progress('infer', f), signal);
  lap('infer');

  // smooth
  throwIfAborted(signal);
  const refined = majorityFilter(inferred.classes, grid.width, grid.height, { kernel: request.smoothing_kernel, onProgress: (f) => progress('smooth', f) }, signal);
  lap('smooth');

  // export
  const manifestBase = {
    request, plan, found, reading, grid, resolution, env, features, refined, aoiMask, aoiPixels, warnings,
    baseline: baseline?.layer ? { source: baseline.layer.source, year: baseline.layer.year } : null,
    bytes: { estimated: plan.estimatedBytes, fetched: reader.stats.bytesFetched, needed: reader.stats.bytesNeeded, requests: reader.stats.requests, viaProxy: reader.stats.viaProxy },
    featureOrder: { version: FEATURE_ORDER_VERSION, hash: FEATURE_ORDER_V1_HASH }, pipelineVersion: PIPELINE_VERSION,
  };
  let files: Record<string, Uint8Array> = {};
  if (opts.writeFiles !== false) {
    progress('export_cog', 0, 'Writing COGs');
    files = encodeOutputs({
      grid, refined, confidence: inferred.confidence, baseline: baselineData, features, aoiMask, classes: env.model.classes,
      want: { refined: request.outputs.refined, baseline: request.outputs.baseline, trueColor: request.outputs.true_color, indices: request.outputs.indices, monthly: request.outputs.monthly },
      metadata: { GEOCROP_JOB: request.job_id, GEOCROP_MODEL: `${env.model.id}@${env.model.version}`, GEOCROP_SEASON: season },
    }, env.deflate, signal);
    lap('export');
  }
  const manifest = buildManifest({ ...manifestBase, timings, files: opts.writeFiles === false ? [] : [...Object.keys(files), 'manifest.json'] });
  if (opts.writeFiles !== false) files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
  progress('export_cog', 1);
  progress('done', 1, `${manifest.pixels.classified} pixels classified`);
  return {
    grid,
    layers: { refined, classes: inferred.classes, confidence: inferred.confidence, baseline: baselineData, aoiMask, features },
    manifest,
    files,
  };
}
