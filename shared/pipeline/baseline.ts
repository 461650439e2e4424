/**
 * Baseline stage: the land-cover baseline clipped to the AOI on the target grid — DE Africa's
 * `crop_mask_southeast` (band `filtered`, the object-filtered crop mask; uint8, EPSG:6933) from the same STAC API
 * as the scenes, or the demo world's copy of it offline. The baseline is a display layer and the
 * `baseline_crop` feature. Missing or unreadable baselines are a warning, never a failed job.
 */
import { isGeoCropError, throwIfAborted } from '../contract/errors';
import type { JobRequest } from '../contract/job';
import { aoiBBox, type Aoi } from '../contract/aoi';
import type { FetchFn, RetryPolicy } from '../net/fetch-retry';
import { openCog, readCogWindow } from '../raster/cog-reader';
import { aoiMask, sourceWindowBBox, targetGrid } from '../raster/grid';
import { createReaderContext, type ReaderContext } from '../raster/reader-context';
import type { RasterGrid } from '../raster/types';
import { planWarp, warp } from '../raster/warp';
import { projTransformSchema } from '../stac/schema';
import { searchItems } from '../stac/search';
import type { PipelineEnv } from './types';

/** Collection searched for the baseline. */
export const BASELINE_COLLECTION = 'crop_mask_southeast';
/** Asset keys tried, best first (`filtered` is DE Africa's recommended layer; `mask` the raw one). */
const ASSET_KEYS = ['filtered', 'mode', 'mask', 'crop_mask'];

/** The baseline on the target grid. */
export interface BaselineLayer {
  /** 1 crop, 0 not crop, 255 outside the baseline's coverage. */
  data: Uint8Array;
  source: string;
  year: number;
  itemId: string;
}

/** Outcome: the layer, or why there is none. */
export type BaselineOutcome = { layer: BaselineLayer; warning?: undefined } | { layer: null; warning: string };

interface BaselineItem {
  id: string;
  year: number;
  href: string;
  epsg: number;
  transform: readonly number[];
  shape: readonly [number, number];
}

function parseItem(f: unknown): BaselineItem | null {
  const item = f as { id?: unknown; properties?: Record<string, unknown>; assets?: Record<string, Record<string, unknown>> };
  const props = item.properties ?? {};
  const dt = String(props.start_datetime ?? props.datetime ?? '');
  const year = Number(dt.slice(0, 4));
  const key = ASSET_KEYS.find((k) => item.assets?.[k]);
  if (!key || !Number.isInteger(year) || typeof item.id !== 'string') return null;
  const asset = item.assets![key];
  const epsg = Number(asset['proj:epsg'] ?? props['proj:epsg']);
  const shape = (asset['proj:shape'] ?? props['proj:shape']) as [number, number] | undefined;
  const t = projTransformSchema.safeParse(asset['proj:transform'] ?? props['proj:transform']);
  if (!Number.isInteger(epsg) || !shape || !t.success || typeof asset.href !== 'string') return null;
  return { id: item.id, year, href: asset.href, epsg, transform: t.data.slice(0, 6), shape };
}

/**
 * Finds and reads the baseline for season `year` (the crop mask of year `year + 1`, the season's harvest year;
 * else the nearest year available).
 */
export async function loadBaseline(
  io: { fetch: FetchFn; stacUrl: string; retry?: Partial<RetryPolicy>; reader: ReaderContext },
  aoi: Aoi,
  year: number,
  grid: RasterGrid,
  signal?: AbortSignal,
): Promise<BaselineOutcome> {
  let items: BaselineItem[];
  try {
    const res = await searchItems(io.fetch, { stacUrl: io.stacUrl, collections: [BASELINE_COLLECTION], bbox: aoiBBox(aoi), datetime: '2017-01-01T00:00:00Z/..', limit: 100 }, { retry: io.retry }, signal);
    items = res.features.map(parseItem).filter((x): x is BaselineItem => x !== null);
  } catch (err) {
    throwIfAborted(signal);
    return { layer: null, warning: `No baseline: searching ${BASELINE_COLLECTION} failed (${isGeoCropError(err) ? err.code : 'error'}: ${(err as Error).message}).` };
  }
  if (!items.length) return { layer: null, warning: `No baseline: ${BASELINE_COLLECTION} has no item over this area.` };
  const want = year + 1;
  items.sort((a, b) => Math.abs(a.year - want) - Math.abs(b.year - want) || b.year - a.year || a.id.localeCompare(b.id));
  const item = items[0];
  try {
    const transform = item.transform as unknown as readonly [number, number, number, number, number, number];
    const bbox = sourceWindowBBox(grid, item.epsg, transform, item.shape[1], item.shape[0]);
    if (!bbox) return { layer: null, warning: `No baseline: ${BASELINE_COLLECTION} item ${item.id} does not cover this area.` };
    const cog = await openCog(item.href, io.reader, signal);
    const raw = await readCogWindow(cog, { bbox, resolution: grid.transform[0], defaultNodata: 0 }, signal);
    const plan = planWarp(raw.grid, grid);
    // DE Africa's mask declares nodata 0 although 0 also means "not crop": coverage comes from the footprint.
    const onSource = warp({ grid: raw.grid, data: new Uint8Array(raw.data.length).fill(1), nodata: 0 }, grid, 'nearest', { plan }).data;
    const values = warp({ ...raw, nodata: 255 }, grid, 'nearest', { plan }).data;
    const data = new Uint8Array(values.length);
    for (let i = 0; i < data.length; i++) data[i] = onSource[i] ? (values[i] === 1 ? 1 : 0) : 255;
    return { layer: { data, source: BASELINE_COLLECTION, year: item.year, itemId: item.id } };
  } catch (err) {
    throwIfAborted(signal);
    return { layer: null, warning: `No baseline: reading ${item.href} failed (${isGeoCropError(err) ? err.code : 'error'}: ${(err as Error).message}).` };
  }
}

/** The baseline of a request on its own: the area's grid and mask, and the layer or why there is none. */
export interface RequestBaseline {
  grid: RasterGrid;
  /** 1 inside the AOI, on `grid`. */
  aoiMask: Uint8Array;
  outcome: BaselineOutcome;
}

/**
 * The baseline of `request` on its target grid at `resolution`, without the season: one STAC search and one small
 * COG read, so an app can show it the moment a run starts, before any scene is read.
 */
export async function requestBaseline(
  request: JobRequest,
  env: Pick<PipelineEnv, 'fetch' | 'stacUrl' | 'retry' | 's3HttpsTemplate' | 'baseUrl' | 'proxyTemplate' | 'inflate'>,
  resolution: 10 | 20 | 40 | 80,
  signal?: AbortSignal,
): Promise<RequestBaseline> {
  const grid = targetGrid(request.aoi, resolution);
  const reader = createReaderContext({ fetch: env.fetch, s3Template: env.s3HttpsTemplate, base: env.baseUrl, proxyTemplate: env.proxyTemplate, policy: env.retry, inflate: env.inflate });
  const outcome = await loadBaseline({ fetch: env.fetch, stacUrl: env.stacUrl, retry: env.retry, reader }, request.aoi, request.year, grid, signal);
  return { grid, aoiMask: aoiMask(request.aoi, grid), outcome };
}
