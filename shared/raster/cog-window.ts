/**
 * Pure geometry of a COG window read: which resolution level to read, which pixels cover a bounding box, and
 * which internal tiles those pixels live in. No I/O, so it is tested exhaustively on its own.
 */
import type { Affine, BBox } from '../geo/crs';

/** One resolution level of a COG (the full-resolution image or an internal overview). */
export interface CogLevel {
  /** IFD index in the file (0 = full resolution). */
  ifd: number;
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  /** Pixel-corner affine of this level, STAC order, CRS units (metres). */
  transform: Affine;
  /** Largest pixel edge of this level, CRS units: `max(|a|, |e|)`. */
  resolution: number;
}

/** A pixel rectangle `[col0, row0) … [col1, row1)` (end-exclusive), possibly reaching outside the image. */
export interface PixelWindow {
  col0: number;
  row0: number;
  col1: number;
  row1: number;
}

/** Tolerance, in pixels, for bbox edges that sit on pixel edges up to floating-point noise. */
const SNAP = 1e-6;

/**
 * The level to read for a wanted pixel size: the coarsest whose pixel size is at most `resolution` (so the caller
 * only ever resamples down), else the full resolution. `levels` may come in any order.
 *
 * @param resolution wanted pixel size, CRS units (metres)
 */
export function chooseLevel(levels: readonly CogLevel[], resolution: number): CogLevel {
  if (levels.length === 0) throw new RangeError('A COG has at least one level');
  let best: CogLevel | undefined;
  for (const level of levels) {
    if (level.resolution <= resolution * (1 + 1e-9) && (!best || level.resolution > best.resolution)) best = level;
  }
  return best ?? levels.reduce((a, b) => (b.resolution < a.resolution ? b : a));
}

/**
 * The level's affine for an overview `width × height` of a full-resolution image `fullWidth × fullHeight`:
 * same origin, pixel size scaled by the size ratio (GDAL's convention for internal overviews).
 */
export function overviewTransform(full: Affine, fullWidth: number, fullHeight: number, width: number, height: number): Affine {
  const sx = fullWidth / width;
  const sy = fullHeight / height;
  return [full[0] * sx, 0, full[2], 0, full[4] * sy, full[5]];
}

/**
 * The smallest pixel window of a north-up `transform` that covers `bbox` (`[minX, minY, maxX, maxY]`, same CRS),
 * at least one pixel wide and high. Not clipped to the image.
 */
export function pixelWindow(transform: Affine, bbox: BBox): PixelWindow {
  const [a, , c, , e, f] = transform;
  const [minX, minY, maxX, maxY] = bbox;
  const col0 = Math.floor((minX - c) / a + SNAP);
  const col1 = Math.max(col0 + 1, Math.ceil((maxX - c) / a - SNAP));
  // e < 0: rows grow southwards, so the north edge gives the first row.
  const row0 = Math.floor((maxY - f) / e + SNAP);
  const row1 = Math.max(row0 + 1, Math.ceil((minY - f) / e - SNAP));
  return { col0, row0, col1, row1 };
}

/** `w` clipped to a `width × height` image; null when they do not overlap. */
export function clipWindow(w: PixelWindow, width: number, height: number): PixelWindow | null {
  const col0 = Math.max(0, w.col0);
  const row0 = Math.max(0, w.row0);
  const col1 = Math.min(width, w.col1);
  const row1 = Math.min(height, w.row1);
  return col0 < col1 && row0 < row1 ? { col0, row0, col1, row1 } : null;
}

/** Affine of the window's own grid: the level's pixel size, origin at the window's top-left pixel corner. */
export function windowTransform(transform: Affine, w: PixelWindow): Affine {
  const [a, , c, , e, f] = transform;
  return [a, 0, c + w.col0 * a, 0, e, f + w.row0 * e];
}

/** Internal tiles (column, row in the tile grid) that a clipped window touches, row by row. */
export function tilesCovering(w: PixelWindow, tileWidth: number, tileHeight: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let ty = Math.floor(w.row0 / tileHeight); ty <= Math.floor((w.row1 - 1) / tileHeight); ty++) {
    for (let tx = Math.floor(w.col0 / tileWidth); tx <= Math.floor((w.col1 - 1) / tileWidth); tx++) out.push([tx, ty]);
  }
  return out;
}
