/**
 * Mosaicking of rasters already warped onto one grid: each pixel takes its value from the first source, in
 * priority order, that is valid there ("first valid wins"). Multi-band sources move as a unit: a pixel takes
 * every band from the same scene, never blue from one date and red from another.
 */
import { GeoCropError } from '../contract/errors';
import { sameGrid } from './grid';
import type { BandArray, Raster } from './types';

const isValid = (v: number, nodata: number): boolean => v !== nodata && v === v;

/**
 * Validity of a multi-band source: 1 where every band has data (not its nodata, not NaN), 0 elsewhere.
 *
 * @param out mask to write into (length = pixels); a new one when omitted.
 */
export function validMask(bands: readonly Raster[], out?: Uint8Array): Uint8Array {
  if (bands.length === 0) throw new GeoCropError('INVALID_RASTER', 'validMask needs at least one band.');
  checkBands(bands, bands[0], 'source');
  const n = bands[0].data.length;
  const mask = out ?? new Uint8Array(n);
  if (mask.length !== n) throw new GeoCropError('INVALID_RASTER', `Mask has ${mask.length} pixels; the bands have ${n}.`);
  mask.fill(1);
  for (const { data, nodata } of bands) {
    for (let p = 0; p < n; p++) if (!isValid(data[p], nodata)) mask[p] = 0;
  }
  return mask;
}

/**
 * Fills, in place, the pixels of `dst` that `filled` marks as still empty (0) with the pixels of `src` where every
 * source band has data (and `srcValid` allows), all bands together, and marks them filled. `src[b]` goes to
 * `dst[b]`.
 *
 * @param dst destination bands, all on one grid (modified).
 * @param filled per-pixel 1 = already has its value, 0 = still empty (modified).
 * @param src source bands in the same order, on the same grid and with the same array types as `dst`.
 * @param srcValid shared mask of source pixels that may be used (1), e.g. clear-sky pixels from SCL; it narrows
 *   {@link validMask}, never widens it.
 * @returns the number of pixels filled.
 */
export function fillFrom(dst: readonly Raster[], filled: Uint8Array, src: readonly Raster[], srcValid?: Uint8Array): number {
  if (dst.length === 0 || src.length !== dst.length) {
    throw new GeoCropError('INVALID_RASTER', `fillFrom needs as many source bands as destination bands (got ${src.length} and ${dst.length}).`);
  }
  checkBands(dst, dst[0], 'destination');
  checkBands(src, dst[0], 'source');
  const n = dst[0].data.length;
  if (filled.length !== n || (srcValid && srcValid.length !== n)) {
    throw new GeoCropError('INVALID_RASTER', `Masks must have one value per pixel (${n}); got filled ${filled.length}, valid ${srcValid?.length}.`);
  }
  const b = dst.findIndex((d, i) => d.data.constructor !== src[i].data.constructor);
  if (b >= 0) {
    throw new GeoCropError('INVALID_RASTER', `Band ${b}: cannot mosaic a ${src[b].data.constructor.name} into a ${dst[b].data.constructor.name}.`);
  }
  const valid = validMask(src);
  // Pixels to take, found once, then copied band by band (tight loops over typed arrays).
  const take = new Int32Array(n);
  let count = 0;
  for (let p = 0; p < n; p++) {
    if (filled[p] === 0 && valid[p] !== 0 && (!srcValid || srcValid[p] !== 0)) {
      take[count++] = p;
      filled[p] = 1;
    }
  }
  dst.forEach(({ data: d }, i) => {
    const s = src[i].data;
    for (let k = 0; k < count; k++) d[take[k]] = s[take[k]];
  });
  return count;
}

/**
 * Mosaic of multi-band sources on one grid, in priority order: each pixel takes all its bands from the first
 * source valid there. Pixels no source covers are nodata (the first source's nodata per band).
 *
 * @param sources each an array of bands in the same order (e.g. `[blue, green, red, …]` of one scene).
 * @param options.valid per source, an optional shared mask (1 = usable) that narrows {@link validMask}, e.g. the
 *   clear-sky mask from SCL so a cloudy pixel in the first scene is taken from the next.
 * @returns the mosaicked bands and `filled` (1 where some source gave the pixel).
 * @example
 * const { bands, filled } = mosaicBands([scene36S, scene35S], { valid: [clear36S, clear35S] });
 */
export function mosaicBands(
  sources: readonly (readonly Raster[])[],
  options: { valid?: readonly (Uint8Array | undefined)[] } = {},
): { bands: Raster[]; filled: Uint8Array } {
  if (sources.length === 0 || sources[0].length === 0) throw new GeoCropError('INVALID_RASTER', 'mosaic needs at least one source with at least one band.');
  const first = sources[0];
  const bands = first.map((b): Raster => {
    const data = new (b.data.constructor as new (n: number) => BandArray)(b.data.length);
    data.fill(b.nodata);
    return { grid: b.grid, data, nodata: b.nodata };
  });
  const filled = new Uint8Array(first[0].data.length);
  sources.forEach((src, i) => fillFrom(bands, filled, src, options.valid?.[i]));
  return { bands, filled };
}

/** Single-band mosaic on one grid: each pixel from the first source with data there (priority order). */
export function mosaic<T extends BandArray>(sources: readonly Raster<T>[], valid?: readonly (Uint8Array | undefined)[]): Raster<T> {
  return mosaicBands(sources.map((s) => [s]), { valid }).bands[0] as Raster<T>;
}

/**
 * Fills, in place, the nodata pixels of one band from `src` (same grid), where `src` has data and `srcValid`
 * (optional) allows it. Returns the number of pixels filled.
 */
export function fillNodata(dst: Raster, src: Raster, srcValid?: Uint8Array): number {
  return fillFrom([dst], validMask([dst]), [src], srcValid);
}

function checkBands(bands: readonly Raster[], ref: Raster, role: string): void {
  for (const [b, band] of bands.entries()) {
    if (!sameGrid(band.grid, ref.grid) || band.data.length !== ref.grid.width * ref.grid.height) {
      throw new GeoCropError('INVALID_RASTER', `The ${role} band ${b} is not on the mosaic grid; warp it onto the target grid first.`, { band: b });
    }
  }
}
