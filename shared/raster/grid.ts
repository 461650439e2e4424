/**
 * The target grid of a run: the UTM pixel grid every band of every scene is warped onto, and the AOI mask on it.
 *
 * Alignment rule (why the origin is where it is): Sentinel-2 tile origins are multiples of 60 m in easting and in
 * northing measured from the equator (see `shared/geo/s2-grid.ts`), so every S2 band of every tile in a zone has
 * its pixel edges on the 10 m (10 m bands) or 20 m (20 m bands) lattice of that zone.
 * - 10 and 20 m grids put their origin on a multiple of the resolution, so a target pixel IS a pixel of every
 *   same-resolution band of every scene in the zone: warping is a row copy, and a 20 m band onto the 10 m grid is
 *   an exact 2× upsample.
 * - 40 and 80 m grids put their origin on a multiple of lcm(resolution, 60 m) = 120 / 240 m. Being a multiple of
 *   the resolution makes each pixel an exact 2×2 / 4×4 block of S2 20 m pixels (4×4 / 8×8 of 10 m pixels); being a
 *   multiple of 60 m puts the corner on a node of the S2 60 m lattice, so the coarse grid repeats with the S2
 *   lattice every 3 pixels and 60 m bands nest in 120 / 240 m super-blocks. It costs at most 2 extra pixels on the
 *   west and north edges.
 */
import { circle } from '@turf/turf';
import type { Position } from 'geojson';
import { GeoCropError } from '../contract/errors';
import { aoiPolygon, type Aoi } from '../contract/aoi';
import { converter, transformBBox, utmEpsgFor, type Affine, type BBox } from '../geo/crs';
import { S2_GRID_STEP_M } from '../geo/s2-grid';
import { windowTransform, type PixelWindow } from './cog-window';
import type { RasterGrid } from './types';

/** Pixel sizes a target grid can have, metres. */
export const GRID_RESOLUTIONS_M = [10, 20, 40, 80] as const;
/** One of {@link GRID_RESOLUTIONS_M}, metres. */
export type GridResolutionM = (typeof GRID_RESOLUTIONS_M)[number];

/** False northing of southern-hemisphere UTM zones, metres: the S2 lattice counts northings from the equator. */
const SOUTH_FALSE_NORTHING_M = 10_000_000;
/** Vertices of the dense circle used for the grid extent (the 64-gon of `aoiPolygon` cuts inside the circle). */
const EXTENT_CIRCLE_STEPS = 720;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Lattice step, metres, the origin of a grid of `resolutionM` is snapped to: the resolution itself where it
 * divides the S2 60 m lattice (10, 20 m), else lcm(resolution, 60 m) (120 m for 40 m, 240 m for 80 m).
 */
export function gridOriginStepM(resolutionM: number): number {
  return S2_GRID_STEP_M % resolutionM === 0 ? resolutionM : (resolutionM * S2_GRID_STEP_M) / gcd(resolutionM, S2_GRID_STEP_M);
}

/** Extent of a grid in its CRS, `[minX, minY, maxX, maxY]` metres (pixel edges, not centres). */
export function gridBBox(grid: RasterGrid): [number, number, number, number] {
  const [a, , c, , e, f] = grid.transform;
  const x1 = c + a * grid.width;
  const y1 = f + e * grid.height;
  return [Math.min(c, x1), Math.min(f, y1), Math.max(c, x1), Math.max(f, y1)];
}

/**
 * The AOI circle's vertices projected to `epsg` (metres): `aoiPolygon`'s own ring, or the same turf circle with
 * `steps` vertices.
 */
function projectedCircle(aoi: Aoi, epsg: number, steps?: number): Position[] {
  const ring = steps === undefined
    ? aoiPolygon(aoi).coordinates[0]
    : circle([aoi.lon, aoi.lat], aoi.radius_m, { steps, units: 'meters' }).geometry.coordinates[0];
  const conv = converter(4326, epsg);
  return ring.map((p) => conv.forward([p[0], p[1]]));
}

/**
 * The target pixel grid of an AOI at `resolutionM` metres: the UTM zone of the AOI centre, north-up, covering
 * the bounding box (in that CRS) of the AOI's geodesic circle, with its origin on the Sentinel-2 lattice (see the
 * module doc for the 40 / 80 m choice).
 *
 * @param aoi centre in degrees (lon first) and radius in metres; validate it first (`validateAoi`).
 * @param resolutionM pixel size in metres: 10, 20, 40 or 80.
 * @throws {GeoCropError} `INVALID_REQUEST` for another resolution or a non-positive radius.
 * @example
 * const grid = targetGrid({ lon: 30.05, lat: -17.8, radius_m: 2000 }, 10);
 * // { epsg: 32736, transform: [10, 0, 185230, 0, -10, 8031480], width: 402, height: 400 }
 */
export function targetGrid(aoi: Aoi, resolutionM: GridResolutionM): RasterGrid {
  if (!(GRID_RESOLUTIONS_M as readonly number[]).includes(resolutionM)) {
    throw new GeoCropError('INVALID_REQUEST', `Target grid resolution must be one of ${GRID_RESOLUTIONS_M.join(', ')} m (got ${resolutionM}).`, {
      resolutionM,
    });
  }
  if (!(aoi.radius_m > 0) || !Number.isFinite(aoi.radius_m)) {
    throw new GeoCropError('INVALID_REQUEST', `The AOI radius must be a positive number of metres (got ${aoi.radius_m}).`, { radius_m: aoi.radius_m });
  }
  const epsg = utmEpsgFor(aoi.lon, aoi.lat);
  const [minX, minY, maxX, maxY] = circleBBox(aoi, epsg);
  const step = gridOriginStepM(resolutionM);
  const fn = epsg > 32700 ? SOUTH_FALSE_NORTHING_M : 0;
  const originX = Math.floor(minX / step) * step;
  const originY = Math.ceil((maxY - fn) / step) * step + fn;
  const width = Math.ceil((maxX - originX) / resolutionM);
  const height = Math.ceil((originY - minY) / resolutionM);
  return { epsg, transform: [resolutionM, 0, originX, 0, -resolutionM, originY], width, height };
}

/**
 * Bounding box, metres in `epsg`, of the AOI circle: of the true geodesic circle (densely sampled) and of the
 * 64-vertex polygon `aoiPolygon` returns, so the grid holds both the search geometry and the clip mask.
 */
export function circleBBox(aoi: Aoi, epsg: number): BBox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const ring of [projectedCircle(aoi, epsg), projectedCircle(aoi, epsg, EXTENT_CIRCLE_STEPS)]) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

/**
 * The AOI mask on `grid`: 1 where the pixel centre is inside the AOI polygon (`aoiPolygon`, the same geodesic
 * 64-gon the STAC search and the clip use, projected to the grid's CRS), 0 elsewhere. Row-major, `width × height`.
 *
 * Scanline fill (even-odd rule, half-open crossings) rather than a point-in-polygon test per pixel: the cost is
 * about that of writing the mask (25 Mpx, a 25 km radius at 10 m, in ~0.1 s).
 */
export function aoiMask(aoi: Aoi, grid: RasterGrid): Uint8Array {
  const { width, height, transform: t } = grid;
  if (t[1] !== 0 || t[3] !== 0) throw new GeoCropError('INVALID_RASTER', 'aoiMask needs a north-up grid (no rotation terms).');
  const ring = projectedCircle(aoi, grid.epsg);
  const n = ring.length;
  // Polygon in pixel coordinates (x = column, y = row, pixel k spans [k, k+1)).
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  let minRow = Infinity, maxRow = -Infinity;
  for (let i = 0; i < n; i++) {
    px[i] = (ring[i][0] - t[2]) / t[0];
    py[i] = (ring[i][1] - t[5]) / t[4];
    minRow = Math.min(minRow, py[i]);
    maxRow = Math.max(maxRow, py[i]);
  }
  const mask = new Uint8Array(width * height);
  const xs = new Float64Array(n);
  const r0 = Math.max(0, Math.floor(minRow));
  const r1 = Math.min(height - 1, Math.ceil(maxRow));
  for (let r = r0; r <= r1; r++) {
    const yc = r + 0.5;
    let k = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      // Half-open rule: an edge counts when exactly one end is at or below the scanline, so shared vertices
      // are crossed once.
      if (py[i] <= yc !== py[j] <= yc) xs[k++] = px[i] + ((yc - py[i]) * (px[j] - px[i])) / (py[j] - py[i]);
    }
    const hits = xs.subarray(0, k).sort();
    const row = r * width;
    for (let h = 0; h + 1 < k; h += 2) {
      // Pixel centres c + 0.5 in [xa, xb).
      const c0 = Math.max(0, Math.ceil(hits[h] - 0.5));
      const c1 = Math.min(width, Math.ceil(hits[h + 1] - 0.5));
      if (c1 > c0) mask.fill(1, row + c0, row + c1);
    }
  }
  return mask;
}

/** True when two grids are the same pixel grid (same CRS, transform and size). */
export function sameGrid(a: RasterGrid, b: RasterGrid): boolean {
  return a.epsg === b.epsg && a.width === b.width && a.height === b.height && a.transform.every((v, i) => v === b.transform[i]);
}

/** Throws `INVALID_RASTER` unless `t` is a north-up affine (no rotation terms, non-zero pixel size). */
export function assertNorthUp(t: Affine, what: string): void {
  if (t.length < 6 || t[1] !== 0 || t[3] !== 0 || !(t[0] !== 0) || !(t[4] !== 0) || !t.every(Number.isFinite)) {
    throw new GeoCropError('INVALID_RASTER', `${what} must have a north-up affine transform [a, 0, c, 0, e, f] with a, e ≠ 0 (got [${t.join(', ')}]).`);
  }
}

/**
 * The window of a source image (CRS `srcEpsg`, north-up `srcTransform`, `srcWidth × srcHeight` pixels) that
 * warping onto `dst` reads: the footprint of `dst` in the source, widened by `marginPx` source pixels (bilinear
 * needs one neighbour beyond the footprint) and clipped to the image. `null` when they do not overlap.
 *
 * @param marginPx extra source pixels on each side (default 2).
 */
export function sourceWindow(
  dst: RasterGrid,
  srcEpsg: number,
  srcTransform: Affine,
  srcWidth: number,
  srcHeight: number,
  marginPx = 2,
): PixelWindow | null {
  assertNorthUp(dst.transform, 'The target grid');
  assertNorthUp(srcTransform, 'The source image');
  // Densified edges: between UTM zones the footprint is a quadrilateral rotated by the ~2° meridian convergence.
  const [minX, minY, maxX, maxY] = transformBBox(dst.epsg, srcEpsg, gridBBox(dst), 32);
  const [a, , c, , e, f] = srcTransform;
  const cx0 = (minX - c) / a, cx1 = (maxX - c) / a;
  const ry0 = (minY - f) / e, ry1 = (maxY - f) / e;
  const x0 = Math.max(0, Math.floor(Math.min(cx0, cx1)) - marginPx);
  const x1 = Math.min(srcWidth, Math.ceil(Math.max(cx0, cx1)) + marginPx);
  const y0 = Math.max(0, Math.floor(Math.min(ry0, ry1)) - marginPx);
  const y1 = Math.min(srcHeight, Math.ceil(Math.max(ry0, ry1)) + marginPx);
  return x1 > x0 && y1 > y0 ? { col0: x0, row0: y0, col1: x1, row1: y1 } : null;
}

/**
 * {@link sourceWindow} as a bounding box `[minX, minY, maxX, maxY]` in the source CRS, metres, on source pixel
 * edges (the form the COG reader takes). `null` when they do not overlap.
 */
export function sourceWindowBBox(
  dst: RasterGrid,
  srcEpsg: number,
  srcTransform: Affine,
  srcWidth: number,
  srcHeight: number,
  marginPx = 2,
): [number, number, number, number] | null {
  const w = sourceWindow(dst, srcEpsg, srcTransform, srcWidth, srcHeight, marginPx);
  if (!w) return null;
  return gridBBox({ epsg: srcEpsg, transform: windowTransform(srcTransform, w), width: w.col1 - w.col0, height: w.row1 - w.row0 });
}
