/**
 * Reprojection of one band onto a target grid (nearest or bilinear), in the way GDAL's warper does it:
 *
 * 1. A plan maps every destination pixel centre to a fractional source pixel position. Same CRS: the map is
 *    affine and computed exactly (no proj4): a row copy when the grids share pixel size and an integer offset, a
 *    separable scale otherwise (20 m band → 10 m grid). Across CRSs (UTM 35S ↔ 36S): proj4 runs only on a lattice
 *    of control points every `stepPx` destination pixels; positions in between are interpolated bilinearly, and a
 *    cell whose interpolation misses the exact transform by more than `maxErrorPx` at its centre or edge
 *    midpoints is split, down to single pixels if need be (GDAL's approximate transformer, in 2-D).
 * 2. The plan is executed per band: no allocation and no proj4 call per pixel. A plan depends only on the two
 *    grids, so all bands of one scene can share it ({@link planWarp}, `options.plan`).
 *
 * Nodata rules: a destination pixel has a value only if the source pixel containing its centre has one (so
 * nearest and bilinear give the same footprint, and SCL masks line up with reflectance). Bilinear weights are
 * renormalised over the valid neighbours, so nodata (DN 0) is never averaged into a value.
 *
 * Both methods sample at pixel centres; going coarser (10 m → 40 m) they pick, they do not average.
 */
import { GeoCropError } from '../contract/errors';
import { converter } from '../geo/crs';
import { assertNorthUp, sameGrid } from './grid';
import type { BandArray, Raster, RasterGrid } from './types';

/** Resampling: `nearest` for classes (SCL, masks), `bilinear` for reflectance. */
export type WarpMethod = 'nearest' | 'bilinear';

/** Tuning of the approximate transformer (cross-CRS plans only). */
export interface PlanOptions {
  /** Largest interpolation error allowed at a cell's check points, source pixels. Default 0.125. */
  maxErrorPx?: number;
  /** Spacing of the control-point lattice, destination pixels. Default 32. */
  stepPx?: number;
}

/** Destination pixel (c, r) reads source pixel column `c + dx`, row `r + dy` (same CRS and pixel size). */
export interface CopyPlan {
  kind: 'copy';
  src: RasterGrid;
  dst: RasterGrid;
  dx: number;
  dy: number;
}

/**
 * Destination → source positions, cell by cell. Each cell is {@link CELL_FIELDS} numbers
 * `[c0, r0, c1, r1, x00, y00, ax, ay, bx, by, cx, cy]`: it covers destination columns c0..c1−1 and rows r0..r1−1,
 * and pixel (c, r), with i = c − c0 and j = r − r0, has its centre at source pixel position
 * `sx = x00 + ax·i + bx·j + cx·i·j`, `sy = y00 + ay·i + by·j + cy·i·j` (pixel k spans [k, k+1), so the centre of
 * source pixel k is k + 0.5). Cells that fall wholly outside the source are left out.
 */
export interface CellPlan {
  kind: 'cells';
  src: RasterGrid;
  dst: RasterGrid;
  cells: Float64Array;
  /** Number of cells in `cells`. */
  count: number;
  /** True when positions are exact (same CRS); false for the approximate transformer. */
  exact: boolean;
  /** Largest interpolation error found at the check points of the accepted cells, source pixels. */
  maxErrorPx: number;
}

/** How a warp maps destination pixels to source pixels; plain data, reusable for every band on the same grids. */
export type WarpPlan = CopyPlan | CellPlan;

/** Numbers per cell in {@link CellPlan.cells}. */
export const CELL_FIELDS = 12;

const DEFAULT_MAX_ERROR_PX = 0.125;
const DEFAULT_STEP_PX = 32;
/** Offsets closer than this to an integer count as integer, pixels (float noise in transforms). */
const INTEGER_TOL_PX = 1e-6;
/**
 * Nudge before flooring a source position, pixels: a destination centre that lands exactly on a source pixel
 * edge (10 m → 20 m) must pick the same side on every row despite float noise.
 */
const EDGE_EPS_PX = 1e-6;

const nearInt = (v: number): boolean => Math.abs(v - Math.round(v)) < INTEGER_TOL_PX;

/**
 * Plans the warp of a source grid onto `dst` (see the module doc). Pure: same grids, same plan.
 *
 * @throws {GeoCropError} `INVALID_RASTER` for a grid that is not north-up.
 */
export function planWarp(src: RasterGrid, dst: RasterGrid, options: PlanOptions = {}): WarpPlan {
  assertNorthUp(src.transform, 'The source raster');
  assertNorthUp(dst.transform, 'The target grid');
  const [sa, , sc, , se, sf] = src.transform;
  const [da, , dc, , de, df] = dst.transform;
  if (src.epsg !== dst.epsg) return planCrossCrs(src, dst, options);
  const kx = da / sa;
  const ky = de / se;
  const ox = (dc - sc) / sa;
  const oy = (df - sf) / se;
  if (Math.abs(kx - 1) < 1e-12 && Math.abs(ky - 1) < 1e-12 && nearInt(ox) && nearInt(oy)) {
    return { kind: 'copy', src, dst, dx: Math.round(ox) + 0, dy: Math.round(oy) + 0 }; // + 0: no -0
  }
  // One cell: the same-CRS map is affine and separable, sx = ox + kx·(c + ½), sy = oy + ky·(r + ½).
  const cells = Float64Array.of(0, 0, dst.width, dst.height, ox + kx * 0.5, oy + ky * 0.5, kx, 0, 0, ky, 0, 0);
  return { kind: 'cells', src, dst, cells, count: 1, exact: true, maxErrorPx: 0 };
}

function planCrossCrs(src: RasterGrid, dst: RasterGrid, options: PlanOptions): CellPlan {
  const maxErr = options.maxErrorPx ?? DEFAULT_MAX_ERROR_PX;
  const step = Math.max(1, Math.floor(options.stepPx ?? DEFAULT_STEP_PX));
  if (!(maxErr > 0)) throw new GeoCropError('INTERNAL', `warp maxErrorPx must be positive (got ${maxErr}).`);
  const conv = converter(dst.epsg, src.epsg);
  const [sa, , sc, , se, sf] = src.transform;
  const [da, , dc, , de, df] = dst.transform;
  const { width: W, height: H } = dst;
  const sw = src.width, sh = src.height;

  /** Exact source position of destination position (c + ½, r + ½); c, r may be fractional or past the edge. */
  const exact = (c: number, r: number): [number, number] => {
    const p = conv.forward([dc + da * (c + 0.5), df + de * (r + 0.5)]);
    return [(p[0] - sc) / sa, (p[1] - sf) / se];
  };

  let cells = new Float64Array(CELL_FIELDS * 64);
  let count = 0;
  let worst = 0;
  const push = (vals: number[]): void => {
    if ((count + 1) * CELL_FIELDS > cells.length) {
      const grown = new Float64Array(cells.length * 2);
      grown.set(cells);
      cells = grown;
    }
    cells.set(vals, count * CELL_FIELDS);
    count++;
  };

  // p00 etc. are the exact positions at the cell's corner nodes (c0, r0), (c1, r0), (c0, r1), (c1, r1).
  const addCell = (c0: number, r0: number, c1: number, r1: number, p00: number[], p10: number[], p01: number[], p11: number[]): void => {
    const w = c1 - c0, h = r1 - r0;
    const ax = (p10[0] - p00[0]) / w, ay = (p10[1] - p00[1]) / w;
    const bx = (p01[0] - p00[0]) / h, by = (p01[1] - p00[1]) / h;
    const cx = (p11[0] - p10[0] - p01[0] + p00[0]) / (w * h), cy = (p11[1] - p10[1] - p01[1] + p00[1]) / (w * h);
    let err = 0;
    let ok = true;
    if (w > 1 || h > 1) {
      ok = [p00, p10, p01, p11].every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
      // Bilinear interpolation errs most at the centre and the edge midpoints.
      for (const [i, j] of [[w / 2, h / 2], [w / 2, 0], [w / 2, h], [0, h / 2], [w, h / 2]]) {
        if (!ok) break;
        const [ex, ey] = exact(c0 + i, r0 + j);
        const e = Math.hypot(p00[0] + ax * i + bx * j + cx * i * j - ex, p00[1] + ay * i + by * j + cy * i * j - ey);
        if (!(e <= maxErr)) ok = false;
        else if (e > err) err = e;
      }
    } else if (!Number.isFinite(p00[0]) || !Number.isFinite(p00[1])) {
      return; // a single pixel the transform cannot place: stays nodata
    }
    if (!ok) {
      const cm = w > 1 ? c0 + (w >> 1) : c1;
      const rm = h > 1 ? r0 + (h >> 1) : r1;
      const pm0 = w > 1 ? exact(cm, r0) : p10, pm1 = w > 1 ? exact(cm, r1) : p11;
      const p0m = h > 1 ? exact(c0, rm) : p01, p1m = h > 1 ? exact(c1, rm) : p11;
      const pmm = w > 1 && h > 1 ? exact(cm, rm) : w > 1 ? pm1 : p1m;
      addCell(c0, r0, cm, rm, p00, pm0, p0m, pmm);
      if (w > 1) addCell(cm, r0, c1, rm, pm0, p10, pmm, p1m);
      if (h > 1) addCell(c0, rm, cm, r1, p0m, pmm, p01, pm1);
      if (w > 1 && h > 1) addCell(cm, rm, c1, r1, pmm, p1m, pm1, p11);
      return;
    }
    if (err > worst) worst = err;
    // Interpolated positions are convex combinations of the corners: if every corner is off the same side of
    // the source, so is every pixel of the cell.
    const xs = [p00[0], p10[0], p01[0], p11[0]], ys = [p00[1], p10[1], p01[1], p11[1]];
    if (Math.max(...xs) < 0 || Math.min(...xs) >= sw || Math.max(...ys) < 0 || Math.min(...ys) >= sh) return;
    push([c0, r0, c1, r1, p00[0], p00[1], ax, ay, bx, by, cx, cy]);
  };

  // Control lattice: nodes at multiples of `step` plus the far edge, projected once and shared by cells.
  const cols: number[] = [];
  for (let c = 0; c < W; c += step) cols.push(c);
  cols.push(W);
  const rows: number[] = [];
  for (let r = 0; r < H; r += step) rows.push(r);
  rows.push(H);
  const nodes = rows.map((r) => cols.map((c) => exact(c, r)));
  for (let j = 0; j + 1 < rows.length; j++) {
    for (let i = 0; i + 1 < cols.length; i++) {
      addCell(cols[i], rows[j], cols[i + 1], rows[j + 1], nodes[j][i], nodes[j][i + 1], nodes[j + 1][i], nodes[j + 1][i + 1]);
    }
  }
  return { kind: 'cells', src, dst, cells: cells.slice(0, count * CELL_FIELDS), count, exact: false, maxErrorPx: worst };
}

/**
 * Warps one band onto `dst`. The result has the source's typed-array type and nodata; pixels with no source
 * value are nodata. Bilinear renormalises its weights over valid neighbours and rounds for integer types.
 *
 * @param src band to warp (any grid, any supported CRS).
 * @param dst target grid (usually from `targetGrid`).
 * @param method `nearest` for classes (SCL), `bilinear` for reflectance.
 * @param options a precomputed {@link planWarp} for these two grids (to share it across bands) or plan tuning;
 *   `mask`: compute only destination pixels where it is non-zero (the rest stay nodata) — the pipeline passes the
 *   clear-sky pixels, so cloudy pixels cost nothing. Row-copy plans ignore it (copying is cheaper than testing).
 * @throws {GeoCropError} `INVALID_RASTER` for a malformed raster or a plan made for other grids.
 * @example
 * const plan = planWarp(red.grid, grid);
 * const red10 = warp(red, grid, 'bilinear', { plan });
 * const scl10 = warp(scl, grid, 'nearest'); // 20 m SCL onto the 10 m grid: exact, no proj4
 */
export function warp<T extends BandArray>(src: Raster<T>, dst: RasterGrid, method: WarpMethod, options: PlanOptions & { plan?: WarpPlan; mask?: Uint8Array } = {}): Raster<T> {
  checkRaster(src);
  const plan = options.plan ?? planWarp(src.grid, dst, options);
  if (!sameGrid(plan.src, src.grid) || !sameGrid(plan.dst, dst)) {
    throw new GeoCropError('INVALID_RASTER', 'The warp plan was made for other grids than this raster and target; plan again with planWarp(src.grid, dst).');
  }
  const Ctor = src.data.constructor as new (n: number) => T;
  const out = new Ctor(dst.width * dst.height);
  out.fill(src.nodata);
  const mask = options.mask;
  if (mask && mask.length !== out.length) throw new GeoCropError('INVALID_RASTER', `The warp mask has ${mask.length} values; the target grid has ${out.length} pixels.`);
  if (plan.kind === 'copy') copyRows(src, out, plan);
  else runCells(src, out, plan, method, mask);
  return { grid: dst, data: out, nodata: src.nodata };
}

function checkRaster(src: Raster): void {
  const { width, height } = src.grid;
  if (src.data.length !== width * height) {
    throw new GeoCropError('INVALID_RASTER', `Raster data has ${src.data.length} values but its grid is ${width} × ${height}.`);
  }
  // Stored and read back: a nodata the array cannot hold would never match a pixel.
  const probe = new (src.data.constructor as new (n: number) => BandArray)(1);
  probe[0] = src.nodata;
  if (Number.isNaN(src.nodata) ? !Number.isNaN(probe[0]) : probe[0] !== src.nodata) {
    throw new GeoCropError('INVALID_RASTER', `nodata ${src.nodata} cannot be stored in a ${src.data.constructor.name}; use a value of that type.`, {
      nodata: src.nodata,
    });
  }
}

function copyRows(src: Raster, out: BandArray, plan: CopyPlan): void {
  const { dx, dy } = plan;
  const sw = src.grid.width, sh = src.grid.height, dw = plan.dst.width;
  const c0 = Math.max(0, -dx), c1 = Math.min(dw, sw - dx);
  if (c1 <= c0) return;
  for (let r = Math.max(0, -dy); r < Math.min(plan.dst.height, sh - dy); r++) {
    const s = (r + dy) * sw + dx;
    out.set(src.data.subarray(s + c0, s + c1), r * dw + c0);
  }
}

function runCells(src: Raster, out: BandArray, plan: CellPlan, method: WarpMethod, mask?: Uint8Array): void {
  const cells = plan.cells;
  if (plan.count === 1 && cells[7] === 0 && cells[8] === 0 && cells[10] === 0 && cells[11] === 0) {
    runSeparable(src, out, plan, method === 'bilinear', mask);
    return;
  }
  const dw = plan.dst.width;
  const sw = src.grid.width, sh = src.grid.height;
  const sd = src.data;
  const nd = src.nodata;
  const round = !(sd instanceof Float32Array);
  const bilinear = method === 'bilinear';
  for (let k = 0; k < plan.count; k++) {
    const o = k * CELL_FIELDS;
    const c0 = cells[o], r0 = cells[o + 1], w = cells[o + 2] - c0, h = cells[o + 3] - r0;
    const x00 = cells[o + 4], y00 = cells[o + 5], ax = cells[o + 6], ay = cells[o + 7];
    const bx = cells[o + 8], by = cells[o + 9], cx = cells[o + 10], cy = cells[o + 11];
    for (let j = 0; j < h; j++) {
      // Along one row of a cell the bilinear map is linear in i.
      const x0 = x00 + bx * j, y0 = y00 + by * j, dx = ax + cx * j, dy = ay + cy * j;
      const at = (r0 + j) * dw + c0;
      if (bilinear) bilinearSpan(sd, sw, sh, nd, round, out, at, w, x0, y0, dx, dy, mask);
      else nearestSpan(sd, sw, sh, out, at, w, x0, y0, dx, dy, mask);
    }
  }
}

/**
 * A same-CRS plan (one cell, no cross terms): a pixel's source column depends only on its column and its source
 * row only on its row, so neighbours, fractions and bounds are tabulated once per column and per row instead of
 * per pixel. The positions are the very expressions {@link runCells} evaluates for this cell (bx = cx = ay = cy
 * = 0, whose products vanish exactly), so the values written are identical.
 */
function runSeparable(src: Raster, out: BandArray, plan: CellPlan, bilinear: boolean, mask?: Uint8Array): void {
  const cells = plan.cells;
  const c0 = cells[0], r0 = cells[1], w = cells[2] - c0, h = cells[3] - r0;
  const x00 = cells[4], y00 = cells[5], ax = cells[6], by = cells[9];
  const dw = plan.dst.width;
  const sw = src.grid.width, sh = src.grid.height;
  // Per column: the containing source column (−1 = outside), and for bilinear the left neighbour and its weight.
  const xc = new Int32Array(w), xl = new Int32Array(w), fxs = new Float64Array(w);
  for (let i = 0; i < w; i++) {
    const x = x00 + ax * i + EDGE_EPS_PX;
    const ux = x - 0.5;
    const ix = ((ux + 1) | 0) - 1;
    xc[i] = x >= 0 && x < sw ? x | 0 : -1;
    xl[i] = ix;
    fxs[i] = ux - ix;
  }
  for (let j = 0; j < h; j++) {
    const y = y00 + by * j + EDGE_EPS_PX;
    if (!(y >= 0 && y < sh)) continue;
    const at = (r0 + j) * dw + c0;
    if (!bilinear) {
      const row = (y | 0) * sw;
      for (let i = 0; i < w; i++) {
        if (mask && !mask[at + i]) continue;
        const x = xc[i];
        if (x >= 0) out[at + i] = src.data[row + x];
      }
      continue;
    }
    const uy = y - 0.5;
    const iy = ((uy + 1) | 0) - 1;
    bilinearRow(src.data, sw, sh, src.nodata, !(src.data instanceof Float32Array), out, at, w, xc, xl, fxs, iy, uy - iy, (y | 0) * sw, mask);
  }
}

/** One destination row of {@link runSeparable}'s bilinear: the arithmetic of {@link bilinearSpan}, positions from the tables. */
function bilinearRow(
  sd: BandArray, sw: number, sh: number, nd: number, round: boolean, out: BandArray, at: number, n: number,
  xc: Int32Array, xl: Int32Array, fxs: Float64Array, iy: number, fy: number, rowC: number, mask?: Uint8Array,
): void {
  const xMax = sw - 1;
  const rowInside = iy >= 0 && iy < sh - 1;
  const p0 = iy * sw;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[at + i]) continue;
    const cx = xc[i];
    if (cx < 0) continue;
    const vc = sd[rowC + cx];
    if (vc === nd || vc !== vc) continue;
    const ix = xl[i], fx = fxs[i];
    let v: number;
    if (rowInside && ix >= 0 && ix < xMax) {
      const p = p0 + ix;
      const v00 = sd[p], v10 = sd[p + 1], v01 = sd[p + sw], v11 = sd[p + sw + 1];
      if (v00 !== nd && v10 !== nd && v01 !== nd && v11 !== nd && v00 === v00 && v10 === v10 && v01 === v01 && v11 === v11) {
        const top = v00 + (v10 - v00) * fx;
        v = top + (v01 + (v11 - v01) * fx - top) * fy;
      } else {
        v = edgeBilinear(sd, sw, sh, nd, ix, iy, fx, fy);
      }
    } else {
      v = edgeBilinear(sd, sw, sh, nd, ix, iy, fx, fy);
    }
    if (round) v = Math.round(v);
    out[at + i] = v === nd ? vc : v;
  }
}

/** Nearest neighbour along a span: n destination pixels from `at`, source position (x0 + dx·i, y0 + dy·i). */
function nearestSpan(sd: BandArray, sw: number, sh: number, out: BandArray, at: number, n: number, x0: number, y0: number, dx: number, dy: number, mask?: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    if (mask && !mask[at + i]) continue;
    const x = x0 + dx * i + EDGE_EPS_PX;
    const y = y0 + dy * i + EDGE_EPS_PX;
    if (x >= 0 && x < sw && y >= 0 && y < sh) out[at + i] = sd[(y | 0) * sw + (x | 0)];
  }
}

/**
 * Bilinear along a span (see {@link nearestSpan}); valid only where the nearest source pixel is valid. The
 * position carries the same nudge as nearest so both pick the same centre pixel.
 */
function bilinearSpan(
  sd: BandArray, sw: number, sh: number, nd: number, round: boolean,
  out: BandArray, at: number, n: number, x0: number, y0: number, dx: number, dy: number, mask?: Uint8Array,
): void {
  const xMax = sw - 1, yMax = sh - 1;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[at + i]) continue;
    const x = x0 + dx * i + EDGE_EPS_PX, y = y0 + dy * i + EDGE_EPS_PX;
    if (!(x >= 0 && x < sw && y >= 0 && y < sh)) continue;
    // Neighbours around the position, measured between pixel centres; ux ≥ −½, so truncating after +1 floors.
    const ux = x - 0.5, uy = y - 0.5;
    const ix = ((ux + 1) | 0) - 1, iy = ((uy + 1) | 0) - 1;
    const fx = ux - ix, fy = uy - iy;
    // The pixel containing the position (nearest's choice): fx ≥ ½ exactly when floor(x) = ix + 1.
    const pc = (fy >= 0.5 ? iy + 1 : iy) * sw + (fx >= 0.5 ? ix + 1 : ix);
    const vc = sd[pc];
    if (vc === nd || vc !== vc) continue;
    let v: number;
    if (ix >= 0 && iy >= 0 && ix < xMax && iy < yMax) {
      const p = iy * sw + ix;
      const v00 = sd[p], v10 = sd[p + 1], v01 = sd[p + sw], v11 = sd[p + sw + 1];
      if (v00 !== nd && v10 !== nd && v01 !== nd && v11 !== nd && v00 === v00 && v10 === v10 && v01 === v01 && v11 === v11) {
        const top = v00 + (v10 - v00) * fx;
        v = top + (v01 + (v11 - v01) * fx - top) * fy;
      } else {
        v = edgeBilinear(sd, sw, sh, nd, ix, iy, fx, fy);
      }
    } else {
      v = edgeBilinear(sd, sw, sh, nd, ix, iy, fx, fy);
    }
    if (round) v = Math.round(v);
    // Rounding can land on a nodata value that sits between valid ones; the centre value is a valid stand-in.
    out[at + i] = v === nd ? vc : v;
  }
}

/** Bilinear over the in-bounds, valid neighbours only, weights renormalised (the centre pixel is one of them). */
function edgeBilinear(sd: BandArray, sw: number, sh: number, nd: number, ix: number, iy: number, fx: number, fy: number): number {
  let acc = 0, wsum = 0;
  for (let q = 0; q < 4; q++) {
    const x = ix + (q & 1), y = iy + (q >> 1);
    if (x < 0 || y < 0 || x >= sw || y >= sh) continue;
    const v = sd[y * sw + x];
    if (v === nd || v !== v) continue;
    const wgt = (q & 1 ? fx : 1 - fx) * (q >> 1 ? fy : 1 - fy);
    acc += v * wgt;
    wsum += wgt;
  }
  return acc / wsum;
}
