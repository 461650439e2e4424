/**
 * Read + grid + mask for one acquisition date: for each planned scene (priority order) read the small SCL
 * window first, skip the scene when its part of the AOI is all cloud, otherwise read the reflectance bands the
 * features need (only the COG tiles that intersect the AOI), warp them onto the target grid (nearest for SCL,
 * bilinear for reflectance; the other UTM zone is reprojected), convert DN to reflectance with the scene's
 * rules (checked against the pixels for a wrong BOA-offset flag) and mosaic: the first clear value wins.
 */
import { GeoCropError, isGeoCropError, throwIfAborted } from '../contract/errors';
import type { SpectralBand } from '../features/indices';
import type { Observation } from '../features/observation';
import { checkBoaOffset } from '../raster/boa-offset-check';
import { openCog, readCogWindow } from '../raster/cog-reader';
import { sourceWindowBBox } from '../raster/grid';
import type { ReaderContext } from '../raster/reader-context';
import { applySclMask } from '../raster/scl';
import type { BandArray, Raster, RasterGrid } from '../raster/types';
import { planWarp, warp, type WarpPlan } from '../raster/warp';
import { dnStillOffset } from '../stac/reflectance';
import type { ParsedScene, SceneBand } from '../stac/types';
import type { PlannedDate, SkippedScene } from './plan';
import type { UsedScene } from './types';

/** Where and what to read. */
export interface ReadDateContext {
  reader: ReaderContext;
  grid: RasterGrid;
  aoiMask: Uint8Array;
  /** Pixels inside the AOI (for clear fractions). */
  aoiPixels: number;
  bands: readonly SpectralBand[];
  /** Output resolution, metres (10 = full resolution; coarser reads COG overviews). */
  resolution: number;
  /**
   * Warp plans by source grid, shared by every scene of the run: the windows of one tile repeat date after date,
   * and a cross-zone plan costs tens of milliseconds of proj4 work.
   */
  plans?: Map<string, WarpPlan>;
}

/** One date's contribution. */
export interface DateReading {
  /** Null when no scene of the date had a clear pixel in the AOI. */
  observation: Observation | null;
  /** Clear pixels the observation carries. */
  clearPixels: number;
  used: UsedScene[];
  skipped: SkippedScene[];
  warnings: string[];
}

/** How many times a scene is attempted (each request inside already retries on its own). */
const SCENE_ATTEMPTS = 2;

async function readBand(band: SceneBand, ctx: ReadDateContext, signal?: AbortSignal): Promise<Raster | null> {
  const bbox = sourceWindowBBox(ctx.grid, band.epsg, band.transform, band.shape[1], band.shape[0]);
  if (!bbox) return null;
  const cog = await openCog(band.href, ctx.reader, signal);
  return readCogWindow(cog, { bbox, resolution: ctx.resolution, defaultNodata: band.nodata, expect: { epsg: band.epsg } }, signal);
}

function requireBand(scene: ParsedScene, name: SpectralBand | 'scl'): SceneBand {
  const b = scene.bands[name];
  if (!b) throw new GeoCropError('INVALID_ITEM', `Scene ${scene.label} has no ${name} band asset; it cannot be used.`, { id: scene.id, band: name });
  return b;
}

// Warp plans depend only on (source grid, target grid): bands of one resolution share one.
function warpWith(plans: Map<string, WarpPlan>, src: Raster, dst: RasterGrid, method: 'nearest' | 'bilinear', mask?: Uint8Array): Raster {
  const key = `${src.grid.epsg}:${src.grid.transform.join(',')}:${src.grid.width}x${src.grid.height}`;
  let plan = plans.get(key);
  if (!plan) plans.set(key, (plan = planWarp(src.grid, dst)));
  return warp(src, dst, method, { plan, mask });
}

/** Positions of the `count` non-zero entries of `mask`, ascending. */
function indicesOf(mask: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0, k = 0; k < count; i++) if (mask[i]) out[k++] = i;
  return out;
}

/** `pixels` without those where `band` is nodata (cleared in `clear` too), in place; returns the kept prefix. */
function dropNodata(pixels: Int32Array, band: Raster, clear: Uint8Array): Int32Array {
  const { data, nodata } = band;
  let kept = 0;
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    if (data[i] === nodata) clear[i] = 0;
    else pixels[kept++] = i;
  }
  return pixels.subarray(0, kept);
}

function toReflectance(pixels: Int32Array, dn: BandArray, scale: number, offset: number, out: Float32Array): void {
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k];
    out[i] = dn[i] * scale + offset;
  }
}

/**
 * Reads one planned date into an {@link Observation} on `ctx.grid`.
 *
 * @throws AbortError when `signal` fires; any other failure of a scene skips that scene (listed in `skipped`).
 */
export async function readDate(pd: PlannedDate, dateIndex: number, ctx: ReadDateContext, signal?: AbortSignal): Promise<DateReading> {
  const n = ctx.grid.width * ctx.grid.height;
  const filled = new Uint8Array(n);
  const bands: Partial<Record<SpectralBand, Float32Array>> = {};
  for (const b of ctx.bands) bands[b] = new Float32Array(n);
  const out: DateReading = { observation: null, clearPixels: 0, used: [], skipped: [], warnings: [] };
  let total = 0;

  for (const { scene } of pd.scenes) {
    throwIfAborted(signal);
    const skip = (reason: string) => out.skipped.push({ id: scene.id, label: scene.label, date: scene.date, reason });
    for (let attempt = 1; attempt <= SCENE_ATTEMPTS; attempt++) {
      try {
        const got = await readScene(scene, ctx, filled, bands, signal);
        if (got.kind === 'skip') skip(got.reason);
        else {
          total += got.used.clearPixels;
          out.used.push(got.used.scene);
          if (got.used.warning) out.warnings.push(got.used.warning);
        }
        break;
      } catch (err) {
        if (signal?.aborted || !(err instanceof Error) || err.name === 'AbortError') throw err;
        const permanent = isGeoCropError(err) && (err.code === 'INVALID_ITEM' || err.code === 'NOT_FOUND' || err.code === 'UNSUPPORTED_DATA_TYPE');
        if (permanent || attempt === SCENE_ATTEMPTS) {
          skip(`read failed after ${attempt} attempt(s): ${isGeoCropError(err) ? `${err.code}: ` : ''}${err.message}`);
          break;
        }
      }
    }
  }
  if (total > 0) out.observation = { dateIndex, valid: filled, bands };
  out.clearPixels = total;
  return out;
}

type SceneOutcome =
  | { kind: 'skip'; reason: string }
  | { kind: 'used'; used: { scene: UsedScene; clearPixels: number; warning?: string } };

async function readScene(
  scene: ParsedScene,
  ctx: ReadDateContext,
  filled: Uint8Array,
  bands: Partial<Record<SpectralBand, Float32Array>>,
  signal?: AbortSignal,
): Promise<SceneOutcome> {
  const n = filled.length;
  const plans = ctx.plans ?? new Map<string, WarpPlan>();
  // 1. SCL first: a small 20 m window decides whether the reflectance is worth fetching.
  const sclRaw = await readBand(requireBand(scene, 'scl'), ctx, signal);
  if (!sclRaw) return { kind: 'skip', reason: 'does not overlap the target grid' };
  // Only pixels inside the AOI that no earlier scene of the date filled are wanted, so only they are resampled.
  const clear = new Uint8Array(n);
  for (let i = 0; i < n; i++) clear[i] = ctx.aoiMask[i] && !filled[i] ? 1 : 0;
  const scl = warpWith(plans, sclRaw, ctx.grid, 'nearest', clear).data as Uint8Array;
  let covered = 0;
  for (let i = 0; i < n; i++) if (clear[i] && scl[i] !== 0) covered++;
  const fresh = applySclMask(scl, clear);
  if (covered === 0) return { kind: 'skip', reason: 'no data over the area of interest' };
  if (fresh === 0) return { kind: 'skip', reason: 'all cloud (or shadow) over the area of interest' };

  // 2. Reflectance bands, only now.
  const wanted = ctx.bands.map((b) => requireBand(scene, b));
  const raws = await Promise.all(wanted.map((b) => readBand(b, ctx, signal)));
  throwIfAborted(signal);
  const dn: Partial<Record<SpectralBand, Raster>> = {};
  ctx.bands.forEach((b, k) => {
    const raw = raws[k];
    if (!raw) throw new GeoCropError('READ_FAILED', `Band ${b} of ${scene.label} does not overlap the area its SCL covers.`);
    // Only the pixels still wanted (clear, inside the AOI, not filled by an earlier scene) are resampled.
    dn[b] = warpWith(plans, raw, ctx.grid, 'bilinear', clear);
  });
  // The clear pixels as a list: the per-band loops below visit only them, not the whole grid.
  let pixels = indicesOf(clear, fresh);
  // A pixel counts only if every band has data there.
  for (const b of ctx.bands) pixels = dropNodata(pixels, dn[b]!, clear);
  const valid = pixels.length;
  if (valid === 0) return { kind: 'skip', reason: 'no reflectance data where the SCL is clear' };

  // 3. DN → reflectance; the pixels check the offset the metadata implies where the metadata can be wrong.
  const blue = scene.bands.blue ?? scene.bands.red!;
  let offset = blue.offset;
  let warning: string | undefined;
  let corrected = false;
  const flagDecides = scene.family === 'legacy' && dnStillOffset(scene.processingBaseline, null, scene.date);
  const checkBand = (dn.blue ?? dn.red)!;
  if (flagDecides && checkBand.data instanceof Uint16Array) {
    const check = checkBoaOffset(checkBand.data, clear, offset, checkBand.nodata);
    if (check.corrected) {
      corrected = true;
      offset = check.offset;
      warning = `${scene.label}: its BOA-offset flag (${scene.boaOffsetApplied}) contradicts its pixels (1st percentile of clear blue DN = ${check.p1}); used offset ${offset}.`;
    }
  }
  for (const b of ctx.bands) {
    const band = scene.bands[b]!;
    toReflectance(pixels, dn[b]!.data, band.scale, corrected ? offset : band.offset, bands[b]!);
  }
  for (let k = 0; k < valid; k++) filled[pixels[k]] = 1;
  return {
    kind: 'used',
    used: {
      clearPixels: valid,
      warning,
      scene: {
        id: scene.id, label: scene.label, collection: scene.collection, tile: scene.tile, date: scene.date,
        clearFraction: ctx.aoiPixels ? valid / ctx.aoiPixels : 0, offset: corrected ? offset : blue.offset, offsetCorrected: corrected,
      },
    },
  };
}
