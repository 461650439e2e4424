/**
 * Plain raster values every raster stage exchanges: a north-up pixel grid, and a single-band array on it. Both
 * are plain data (typed arrays + numbers), so they cross `postMessage` unchanged.
 */
import type { Affine } from '../geo/crs';

/** A north-up pixel grid: CRS, pixel-corner affine (STAC order, metres) and size in pixels. */
export interface RasterGrid {
  epsg: number;
  /** `[a, 0, c, 0, e, f]`: `a` pixel width (m), `e` = −pixel height (m), `(c, f)` upper-left corner. */
  transform: Affine;
  width: number;
  height: number;
}

/** Typed arrays a band can arrive in (Sentinel-2 reflectance is uint16, SCL and masks uint8). */
export type BandArray = Uint8Array | Uint16Array | Int16Array | Float32Array;

/** One band on a grid. `nodata` marks pixels with no value (NaN allowed for float32). */
export interface Raster<T extends BandArray = BandArray> {
  grid: RasterGrid;
  data: T;
  nodata: number;
}
