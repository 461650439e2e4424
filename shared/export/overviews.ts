/**
 * Overview (reduced-resolution) levels: which decimation factors to write, and the downsampling itself.
 *
 * Every level is computed directly from the full-resolution band rather than from the previous level, so a
 * level-`f` pixel is a plain function of the `f × f` block it covers (easy to reason about and to test, and
 * 'average' / 'mode' stay exact instead of compounding rounding). Cost is one pass over the band per level.
 */
import { GeoCropError } from '../contract/errors';
import type { CogBandArray, CogResampling } from './types';

/** Overviews are added until the smallest has both dimensions below this many pixels (GDAL's COG default). */
export const OVERVIEW_TARGET_SIZE = 512;

/** Size in pixels `[width, height]` of the overview with decimation `factor` (rounded up, as GDAL does). */
export function overviewSize(width: number, height: number, factor: number): [number, number] {
  return [Math.ceil(width / factor), Math.ceil(height / factor)];
}

/**
 * Decimation factors of the overviews to write, largest image first.
 * - `'auto'`: 2, 4, 8, … until the last overview has both dimensions < {@link OVERVIEW_TARGET_SIZE}; none when
 *   the image already has.
 * - an array: validated explicit factors (integers ≥ 2, strictly increasing, each level smaller than the last).
 * @param width full-resolution width in pixels
 * @param height full-resolution height in pixels
 */
export function overviewFactors(width: number, height: number, spec: 'auto' | readonly number[] = 'auto'): number[] {
  if (spec === 'auto') {
    const factors: number[] = [];
    let f = 1;
    while (Math.max(Math.ceil(width / f), Math.ceil(height / f)) >= OVERVIEW_TARGET_SIZE) {
      f *= 2;
      factors.push(f);
    }
    return factors;
  }
  if (!Array.isArray(spec)) {
    throw new GeoCropError('INVALID_RASTER', `overviews must be 'auto' or an array of decimation factors like [2, 4, 8]; got ${String(spec)}`);
  }
  let prev = 1;
  let prevSize = `${width}×${height}`;
  for (const f of spec) {
    if (!Number.isInteger(f) || f < 2) {
      throw new GeoCropError('INVALID_RASTER', `overview factor ${f} is invalid; pass integers ≥ 2 such as [2, 4, 8]`);
    }
    if (f <= prev) {
      throw new GeoCropError('INVALID_RASTER', `overview factors must be strictly increasing; ${f} follows ${prev}`);
    }
    const [w, h] = overviewSize(width, height, f);
    const size = `${w}×${h}`;
    if (size === prevSize) {
      throw new GeoCropError('INVALID_RASTER', `overview factor ${f} gives the same ${size} size as the level before it; drop it`);
    }
    prev = f;
    prevSize = size;
  }
  return [...spec];
}

/**
 * Downsamples one band by an integer `factor`. Output pixel (i, j) covers source columns
 * `[i·f, min((i+1)·f, width))` and rows likewise; partial edge blocks use only the pixels that exist.
 * - `nearest`: the block's centre pixel, source column `x0 + ⌊(x1 − x0) / 2⌋` (same for rows).
 * - `average`: mean of the block's valid pixels (not nodata, not NaN); integer types rounded half up
 *   (`Math.round`); no valid pixel → nodata (NaN for float32 without nodata).
 * - `mode`: most frequent valid value, ties → the smallest value; no valid pixel → as for average.
 * @param nodata band no-data value (already validated to fit the type), or undefined
 * @returns a new array of the same type, `ceil(width/f) * ceil(height/f)` values
 */
export function downsample(
  band: CogBandArray, width: number, height: number, factor: number, method: CogResampling, nodata: number | undefined,
): CogBandArray {
  const [ow, oh] = overviewSize(width, height, factor);
  const out = new (band.constructor as new (n: number) => CogBandArray)(ow * oh);
  if (method === 'nearest') nearest(band, width, height, factor, out, ow, oh);
  else if (method === 'average') average(band, width, height, factor, out, ow, oh, nodata);
  else mode(band, width, height, factor, out, ow, oh, nodata);
  return out;
}

function nearest(src: CogBandArray, w: number, h: number, f: number, out: CogBandArray, ow: number, oh: number): void {
  const cols = new Int32Array(ow);
  for (let i = 0; i < ow; i++) {
    const x0 = i * f;
    cols[i] = x0 + ((Math.min(x0 + f, w) - x0) >> 1);
  }
  for (let j = 0; j < oh; j++) {
    const y0 = j * f;
    const rowOff = (y0 + ((Math.min(y0 + f, h) - y0) >> 1)) * w;
    const o = j * ow;
    for (let i = 0; i < ow; i++) out[o + i] = src[rowOff + cols[i]];
  }
}

/** The value written where a block has no valid pixel. */
function emptyValue(src: CogBandArray, nodata: number | undefined): number {
  return nodata ?? (src instanceof Float32Array ? NaN : 0);
}

function average(
  src: CogBandArray, w: number, h: number, f: number, out: CogBandArray, ow: number, oh: number, nodata: number | undefined,
): void {
  const isFloat = src instanceof Float32Array;
  // Compare against the value as stored, so a float32 nodata like 0.1 matches its rounded pixels. NaN never
  // equals anything, so without nodata `v !== nd` always holds, and `v === v` drops NaN pixels.
  const nd = nodata === undefined ? NaN : isFloat ? Math.fround(nodata) : nodata;
  const sums = new Float64Array(ow);
  const counts = new Int32Array(ow);
  // Output column of every source column: one flat loop per source row, no per-pixel division or branching
  // on block edges.
  const col = new Int32Array(w);
  for (let x = 0; x < w; x++) col[x] = Math.floor(x / f);
  const empty = emptyValue(src, nodata);
  for (let j = 0; j < oh; j++) {
    sums.fill(0);
    counts.fill(0);
    const y1 = Math.min((j + 1) * f, h);
    for (let y = j * f; y < y1; y++) {
      const rowOff = y * w;
      if (isFloat) {
        for (let x = 0; x < w; x++) {
          const v = src[rowOff + x];
          if (v === v && v !== nd) { const i = col[x]; sums[i] += v; counts[i]++; }
        }
      } else {
        for (let x = 0; x < w; x++) {
          const v = src[rowOff + x];
          if (v !== nd) { const i = col[x]; sums[i] += v; counts[i]++; }
        }
      }
    }
    const o = j * ow;
    for (let i = 0; i < ow; i++) {
      const c = counts[i];
      out[o + i] = c === 0 ? empty : isFloat ? sums[i] / c : Math.round(sums[i] / c);
    }
  }
}

function mode(
  src: CogBandArray, w: number, h: number, f: number, out: CogBandArray, ow: number, oh: number, nodata: number | undefined,
): void {
  const empty = emptyValue(src, nodata);
  if (src instanceof Float32Array) {
    modeFloat(src, w, h, f, out, ow, oh, nodata === undefined ? NaN : Math.fround(nodata), empty);
    return;
  }
  // Integer types: a counts table indexed by value (+32768 for int16) and the list of values seen in the
  // current block, so resetting costs only what was touched: no allocation per pixel.
  const bias = src instanceof Int16Array ? 32768 : 0;
  const counts = new Int32Array(src instanceof Uint8Array ? 256 : 65536);
  const seen = new Int32Array(f * f);
  const nd = nodata === undefined ? NaN : nodata;
  for (let j = 0; j < oh; j++) {
    const y0 = j * f;
    const y1 = Math.min(y0 + f, h);
    for (let i = 0; i < ow; i++) {
      const x0 = i * f;
      const x1 = Math.min(x0 + f, w);
      let nSeen = 0;
      for (let y = y0; y < y1; y++) {
        const rowOff = y * w;
        for (let x = x0; x < x1; x++) {
          const v = src[rowOff + x];
          if (v === nd) continue;
          const k = v + bias;
          if (counts[k]++ === 0) seen[nSeen++] = k;
        }
      }
      let best = -1;
      let bestCount = 0;
      for (let s = 0; s < nSeen; s++) {
        const k = seen[s];
        const c = counts[k];
        if (c > bestCount || (c === bestCount && k < best)) { best = k; bestCount = c; }
        counts[k] = 0;
      }
      out[j * ow + i] = best < 0 ? empty : best - bias;
    }
  }
}

function modeFloat(
  src: Float32Array, w: number, h: number, f: number, out: CogBandArray, ow: number, oh: number, nd: number, empty: number,
): void {
  // Floats cannot index a table: gather the block, sort, take the longest run. Mode on floats is rare (class
  // rasters are integers), so the per-block subarray view is acceptable here.
  const scratch = new Float32Array(f * f);
  for (let j = 0; j < oh; j++) {
    const y0 = j * f;
    const y1 = Math.min(y0 + f, h);
    for (let i = 0; i < ow; i++) {
      const x0 = i * f;
      const x1 = Math.min(x0 + f, w);
      let n = 0;
      for (let y = y0; y < y1; y++) {
        const rowOff = y * w;
        for (let x = x0; x < x1; x++) {
          const v = src[rowOff + x];
          if (v === v && v !== nd) scratch[n++] = v;
        }
      }
      if (n === 0) { out[j * ow + i] = empty; continue; }
      const block = scratch.subarray(0, n).sort();
      let best = block[0];
      let bestCount = 0;
      for (let s = 0; s < n;) {
        let e = s + 1;
        while (e < n && block[e] === block[s]) e++;
        // Sorted ascending and only a strictly longer run replaces: ties keep the smaller value.
        if (e - s > bestCount) { best = block[s]; bestCount = e - s; }
        s = e;
      }
      out[j * ow + i] = best;
    }
  }
}
