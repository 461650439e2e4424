/**
 * The orchestrator's contract: what a platform injects (`PipelineEnv`), what a run is asked (`RunOptions`) and
 * what it returns (`RunResult`). Everything in a result is plain data (typed arrays + JSON-able metadata), so a
 * Worker can transfer it to the page and the server can serialise it.
 */
import type { ProgressEvent } from '../contract/stages';
import type { JobRequest } from '../contract/job';
import type { FetchFn, RetryPolicy } from '../net/fetch-retry';
import type { RasterGrid } from '../raster/types';
import type { DeflateFn } from '../export/types';
import type { InflateFn } from '../raster/tile-decode';
import type { FeatureStack } from '../features/season-finish';
import type { DateReaderFactory } from './date-reader';
import type { SkippedScene } from './plan';

/** A classifier the infer stage can call: the model issue's bundle runtime, or a test double. */
export interface PipelineModel {
  id: string;
  version: string;
  /** Input features by name, in the model's order (catalogue names). */
  featureNames: readonly string[];
  /** Output classes: code (raster value), name and display colour `#rrggbb`. */
  classes: readonly { code: number; name: string; colour: string }[];
  /**
   * Classifies `rows` rows of `featureNames.length` float32 values (row-major, in `featureNames` order).
   * Rows with `valid[i] === 0` get class 255 and confidence 0.
   */
  classify(rows: Float32Array, featureNames: readonly string[], valid: Uint8Array | undefined, signal?: AbortSignal): Promise<{ classes: Uint8Array; confidence: Float32Array }>;
}

/** Platform I/O and settings, injected by the Worker or Node edge. */
export interface PipelineEnv {
  fetch: FetchFn;
  /** STAC API root, e.g. `https://explorer.digitalearth.africa/stac` or the demo world's `/demo/stac`. */
  stacUrl: string;
  /** How `s3://bucket/key` hrefs are fetched, e.g. `https://{bucket}.s3.af-south-1.amazonaws.com/{key}`. */
  s3HttpsTemplate: string;
  /** Proxy used when a direct read fails for CORS, e.g. `/api/proxy?url={url}`. */
  proxyTemplate?: string;
  /** Base URL for relative URLs (a Worker's origin); absent in Node, where URLs must be absolute. */
  baseUrl?: string;
  model: PipelineModel;
  /** Faster DEFLATE for the COG writer (Node's zlib); default fflate. */
  deflate?: DeflateFn;
  /** Faster DEFLATE decoding of COG tiles (Node's zlib); default fflate. */
  inflate?: InflateFn;
  retry?: Partial<RetryPolicy>;
  /**
   * Dates read at once. Default 3 at 10 and 20 m, 8 for coarser previews (`defaultReadConcurrency`). A Worker pool
   * wants at least one per Worker (two hide each one's I/O waits).
   */
  readConcurrency?: number;
  /**
   * Where the dates are read: by default in this thread; a Worker pool passes a factory that spreads them over its
   * Workers (see `DateReaderFactory`). Results are identical either way: the fold stays here, in date order.
   */
  dateReaders?: DateReaderFactory;
  /** Largest `eo:cloud_cover` (%) asked of the STAC search. Default 80: the SCL decides per pixel. */
  maxCloudCover?: number;
  /** Monotonic clock in ms for stage timings. Default `performance.now`. */
  now?: () => number;
}

/** Per-run options. */
export interface RunOptions {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Output pixel size, metres: 10 (default) or 20/40/80 for a fast preview read from COG overviews. */
  resolution?: 10 | 20 | 40 | 80;
  /** Also encode the outputs as COG files (default true). A preview can skip it. */
  writeFiles?: boolean;
  /** Read at most this many dates, spread over the season (`thinDates`): a preview's coarser cadence. Default all. */
  maxDates?: number;
}

/** A scene that was read, with what it contributed. */
export interface UsedScene {
  id: string;
  label: string;
  collection: string;
  tile: string;
  date: string;
  /** Share of the AOI pixels it delivered clear (0..1). */
  clearFraction: number;
  /** DN offset used (reflectance units) and whether the pixels overruled the metadata. */
  offset: number;
  offsetCorrected: boolean;
}

/** Byte accounting of a run. */
export interface ByteReport {
  /** Estimated by the plan before reading. */
  estimated: number;
  /** Actually downloaded (response bodies). */
  fetched: number;
  /** Sum of the compressed sizes of the COG tiles that intersect the AOI windows. */
  needed: number;
  requests: number;
  viaProxy: number;
}

/** The run's output layers on the target grid (NaN / 255 / 0 = nodata, per layer). */
export interface RunLayers {
  /** Smoothed classes (uint8, 255 nodata). */
  refined: Uint8Array;
  /** Unsmoothed classes (uint8, 255 nodata). */
  classes: Uint8Array;
  /** Max class probability, 0..1 (NaN nodata). */
  confidence: Float32Array;
  /** Baseline crop mask: 1 crop, 0 not crop, 255 unknown; absent when no baseline was found. */
  baseline?: Uint8Array;
  /** 1 inside the AOI circle. */
  aoiMask: Uint8Array;
  /** The feature stack (includes the index peaks, max-NDVI reflectance, monthly NDVI and the NDVI series). */
  features: FeatureStack;
}

/** The result manifest (`manifest.json`). */
export interface RunManifest {
  job_id: string;
  request: JobRequest;
  created: string;
  software: { name: 'geocrop'; pipeline: string };
  model: { id: string; version: string; features: readonly string[] };
  feature_order: { version: string; hash: string };
  grid: RasterGrid & { resolution: number };
  stac: { url: string; collections: string[] };
  scenes: { used: UsedScene[]; skipped: SkippedScene[] };
  baseline: { source: string; year: number | null } | null;
  bytes: ByteReport;
  timings_ms: Record<string, number>;
  /** Hectares per class of the refined map, inside the AOI. */
  class_areas_ha: { code: number; name: string; hectares: number; pixels: number }[];
  pixels: { aoi: number; classified: number; no_observation: number };
  /** Work done: clear pixel-observations folded into the features, dates that had any, ms spent folding them. */
  observations: { dates: number; pixel_observations: number; fold_ms: number };
  warnings: string[];
  files: string[];
}

/** What `run` returns. */
export interface RunResult {
  grid: RasterGrid;
  layers: RunLayers;
  manifest: RunManifest;
  /** Encoded outputs by file name (`refined.tif`, `manifest.json`, ...), when `writeFiles` was not false. */
  files: Record<string, Uint8Array>;
}
