/**
 * The `smooth` stage: a majority (mode) filter over a uint8 class raster, which removes the isolated
 * misclassified pixels a per-pixel classifier leaves behind ("salt and pepper") without moving field edges much.
 *
 * Rules (what the tests check against a brute-force reference):
 * - The window is a square `kernel × kernel` block centred on the pixel, clipped at the raster edges (no padding,
 *   so edge pixels simply have fewer voters).
 * - Nodata pixels stay nodata and never vote.
 * - A valid pixel becomes the class with the most votes in its window (its own vote included, so it always has at
 *   least one voter).
 * - Ties: if the pixel's own class is among the tied leaders it keeps it (smoothing should never change a pixel
 *   that has no majority against it); otherwise the lowest class code among the leaders wins (arbitrary but
 *   deterministic, so a browser run and a server run give byte-identical maps).
 *
 * Cost per pixel does not grow with kernel² (sliding histograms, Huang 1979 / Perreault & Hébert 2007):
 * - Class codes are first renumbered densely (only the C codes present), so histograms are C long, not 256.
 * - Up to 12·kernel classes: per-column histograms slide down one row at a time (one add and one remove per
 *   pixel) and the window histogram slides right by adding one column histogram and subtracting another. Counts
 *   are bytes packed four to a word, so that is ~C/4 word operations per pixel; a pixel keeps its class unless a
 *   packed comparison finds a class with more votes, and only then is the window scanned for the winner.
 * - With more classes, the window slides right by removing and adding the pixels of the leaving and entering
 *   columns (Huang): O(kernel) per pixel. Per-count bitsets of classes keep the argmax O(1).
 * - Rows (and the ends of rows) holding only nodata are skipped, which an AOI disc in its bounding box has plenty
 *   of.
 */
import { CLASS_NODATA } from '../contract/classes';
import { GeoCropError, throwIfAborted } from '../contract/errors';
import type { SmoothingKernel } from '../contract/job';

/** Options of {@link majorityFilter}. */
export interface MajorityFilterOptions {
  /** Window side, pixels: 3, 5 or 7. Default 5 (the job request's default `smoothing_kernel`). */
  kernel?: SmoothingKernel;
  /** Class value that means "no data" (integer 0–255). Default {@link CLASS_NODATA} (255). */
  nodata?: number;
  /** Called with the fraction of rows done (0 < f ≤ 1), about a hundred times per call and always with 1 last. */
  onProgress?: (fraction: number) => void;
}

/** The job request's default kernel, pixels. */
export const DEFAULT_MAJORITY_KERNEL: SmoothingKernel = 5;

// `satisfies` makes the compiler flag this table when the contract's SMOOTHING_KERNELS change, without pulling the
// job schema (and zod) into the worker bundle at run time.
const KERNEL_TABLE = { 3: true, 5: true, 7: true } as const satisfies Record<SmoothingKernel, true>;
const KERNELS: readonly number[] = Object.keys(KERNEL_TABLE).map(Number);

/** Dense index of a nodata pixel; dense indices of valid classes are < 255 because nodata takes one code. */
const NONE = 255;
/** Roughly how many pixels to filter between two abort checks. */
const PIXELS_PER_ABORT_CHECK = 1 << 16;

/**
 * Majority-filters a class raster (row-major, one byte per pixel) and returns a new array; `classes` is not
 * modified. See the module doc for the window, nodata and tie rules.
 *
 * @param classes Class codes, `width × height` bytes, row-major.
 * @param width Raster width, pixels (≥ 1).
 * @param height Raster height, pixels (≥ 1).
 * @param opts Kernel (3, 5 or 7; default 5), nodata value (default 255) and an optional progress callback.
 * @param signal Aborts the call between rows; it then throws an `AbortError`.
 * @returns The filtered class raster, same size and nodata pixels as the input.
 * @throws GeoCropError `INVALID_KERNEL` for a kernel other than 3, 5 or 7; `INVALID_RASTER` for a size that does
 *   not match the array, or a nodata value outside 0–255.
 *
 * @example
 * const smooth = majorityFilter(classes, 512, 512, { kernel: 5 }, signal);
 */
export function majorityFilter(
  classes: Uint8Array,
  width: number,
  height: number,
  opts: MajorityFilterOptions = {},
  signal?: AbortSignal,
): Uint8Array {
  const kernel = opts.kernel ?? DEFAULT_MAJORITY_KERNEL;
  const nodata = opts.nodata ?? CLASS_NODATA;
  validate(classes, width, height, kernel, nodata);
  throwIfAborted(signal);

  const out = new Uint8Array(classes);
  const { dense, codes, firstValid, lastValid } = densify(classes, width, height, nodata);
  const C = codes.length;
  // With zero or one class present every valid pixel already holds the only possible answer.
  if (C > 1) {
    // Column histograms cost ~C/4 word operations per pixel, column pixels ~2·kernel histogram updates; on a
    // 1000 × 1000 map of fields the two break even near C = 36, 56 and 100 for kernels 3, 5 and 7.
    const sweep = C <= 12 * kernel ? sweepColumnHistograms : sweepColumnPixels;
    sweep({ dense, codes, firstValid, lastValid, out, width, height, radius: (kernel - 1) >> 1, onProgress: opts.onProgress, signal });
  }
  opts.onProgress?.(1);
  return out;
}

function validate(classes: Uint8Array, width: number, height: number, kernel: number, nodata: number): void {
  if (typeof kernel !== 'number' || !KERNELS.includes(kernel)) {
    throw new GeoCropError('INVALID_KERNEL', `Majority-filter kernel must be ${KERNELS.join(', ')} pixels, got ${String(kernel)}: pick one of those.`, { kernel });
  }
  if (!(classes instanceof Uint8Array)) {
    throw new GeoCropError('INVALID_RASTER', 'Majority filter needs a Uint8Array of class codes: convert the class raster to uint8 first.');
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new GeoCropError('INVALID_RASTER', `Raster size must be whole numbers of pixels ≥ 1, got ${width} × ${height}: pass the class raster's real width and height.`, { width, height });
  }
  if (classes.length !== width * height) {
    throw new GeoCropError(
      'INVALID_RASTER',
      `Class raster has ${classes.length} pixels but ${width} × ${height} = ${width * height} were declared: pass the width and height the array was made with.`,
      { width, height, length: classes.length },
    );
  }
  if (!Number.isInteger(nodata) || nodata < 0 || nodata > 255) {
    throw new GeoCropError('INVALID_RASTER', `Nodata must be an integer 0–255 for a uint8 class raster, got ${nodata}: use ${CLASS_NODATA} (the class-raster default) or the raster's own nodata value.`, { nodata });
  }
}

interface Densified {
  /** Per pixel: index into `codes`, or {@link NONE} for nodata. */
  dense: Uint8Array;
  /** Class codes present, ascending, so that "lowest dense index" means "lowest class code". */
  codes: Uint8Array;
  /** Per row: first and last column holding a valid pixel (first > last for an all-nodata row). */
  firstValid: Int32Array;
  lastValid: Int32Array;
}

function densify(classes: Uint8Array, width: number, height: number, nodata: number): Densified {
  const present = new Uint8Array(256);
  for (let i = 0; i < classes.length; i++) present[classes[i]] = 1;
  present[nodata] = 0;
  const map = new Uint8Array(256).fill(NONE);
  const list: number[] = [];
  for (let v = 0; v < 256; v++) if (present[v]) { map[v] = list.length; list.push(v); }

  const dense = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) dense[i] = map[classes[i]];
  const firstValid = new Int32Array(height);
  const lastValid = new Int32Array(height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x0 = 0;
    while (x0 < width && dense[row + x0] === NONE) x0++;
    let x1 = width - 1;
    while (x1 >= x0 && dense[row + x1] === NONE) x1--;
    firstValid[y] = x0;
    lastValid[y] = x1;
  }
  return { dense, codes: Uint8Array.from(list), firstValid, lastValid };
}

interface Sweep extends Densified {
  out: Uint8Array;
  width: number;
  height: number;
  radius: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Calls `onProgress` about a hundred times per sweep and checks `signal` every ~64k pixels. */
function rowTicker(s: Sweep): (y: number) => void {
  const progressEvery = Math.max(1, Math.ceil(s.height / 100));
  const abortEvery = Math.max(1, Math.floor(PIXELS_PER_ABORT_CHECK / s.width));
  return (y) => {
    if (y % abortEvery === 0) throwIfAborted(s.signal);
    if (s.onProgress && y > 0 && y % progressEvery === 0) s.onProgress(y / s.height);
  };
}

/** Byte lanes of a packed word, and their high bits: counts stay below 128, so a high bit is a free flag. */
const LANES = 0x01010101;
const HIGH = 0x80808080;

/**
 * Few classes: per-column histograms slide down a row at a time, and the window histogram slides right by one
 * column histogram (Perreault & Hébert).
 *
 * Histograms hold one byte per class, packed four to an Int32 word, so a slide is one add and one subtract per
 * four classes (SWAR). No lane can carry or borrow into its neighbour: a window count is at most kernel² = 49 (the
 * scheme holds up to kernel 11: 121 < 128), a column count at most kernel, and the leaving column's votes are part of
 * the window it is subtracted from. A pixel
 * keeps its class unless some lane beats its own count, which one more word operation per four classes tells;
 * only then is the window scanned for the lowest leading class.
 */
function sweepColumnHistograms(s: Sweep): void {
  const { dense, codes, firstValid, lastValid, out, width: W, height: H, radius: r } = s;
  const C = codes.length;
  const words = (C + 3) >> 2;
  const counts = new Int32Array(words);
  const counts8 = new Uint8Array(counts.buffer);
  // Column x's histogram is words x·words … (x+1)·words − 1 (byte x·words·4 + class). Column W stays all zeros and
  // stands in for columns outside the raster, which keeps the inner loop free of edge tests.
  const cols = new Int32Array((W + 1) * words);
  const cols8 = new Uint8Array(cols.buffer);
  const stride = words * 4;
  const outside = W * words;
  const addRow = (y: number, delta: number) => {
    for (let x = 0, i = y * W; x < W; x++, i++) {
      const d = dense[i];
      if (d !== NONE) cols8[x * stride + d] += delta;
    }
  };
  for (let y = 0; y <= Math.min(r, H - 1); y++) addRow(y, 1);
  const tick = rowTicker(s);

  for (let y = 0; y < H; y++) {
    tick(y);
    if (y > 0) {
      if (y - 1 - r >= 0) addRow(y - 1 - r, -1);
      if (y + r < H) addRow(y + r, 1);
    }
    const x0 = firstValid[y];
    const x1 = lastValid[y];
    if (x0 > x1) continue;

    // Window of the pixel before x0 (columns x0−r−1 … x0+r−1); the loop below slides it onto x0 first.
    counts.fill(0);
    for (let x = Math.max(0, x0 - r - 1); x <= Math.min(W - 1, x0 + r - 1); x++) {
      for (let w = 0, j = x * words; w < words; w++, j++) counts[w] += cols[j];
    }
    for (let x = x0, i = y * W + x0; x <= x1; x++, i++) {
      const a = x + r < W ? (x + r) * words : outside;
      const b = x - r - 1 >= 0 ? (x - r - 1) * words : outside;
      for (let w = 0; w < words; w++) counts[w] = counts[w] + cols[a + w] - cols[b + w];
      const own = dense[i];
      if (own === NONE) continue;
      // (lane | 0x80) − (own count + 1) keeps its high bit exactly when lane > own count.
      const above = (counts8[own] + 1) * LANES;
      let beaten = false;
      for (let w = 0; w < words; w++) if (((counts[w] | HIGH) - above) & HIGH) { beaten = true; break; }
      if (!beaten) continue;
      let best = 0;
      let lead = 0;
      // Strictly greater, scanning codes upward: ties keep the lowest code.
      for (let c = 0; c < C; c++) if (counts8[c] > best) { best = counts8[c]; lead = c; }
      out[i] = codes[lead];
    }
  }
}

/**
 * Many classes: the window slides right by removing and adding the pixels of one column each (Huang), and the
 * argmax stays O(1) through per-count bitsets: `levels[n * words …]` marks the classes whose count is exactly n
 * (n ≥ 1), `max` is the highest non-empty n, and the lowest leader is the lowest set bit of level `max`.
 */
function sweepColumnPixels(s: Sweep): void {
  const { dense, codes, firstValid, lastValid, out, width: W, height: H, radius: r } = s;
  const C = codes.length;
  const words = (C + 31) >> 5;
  const counts = new Int32Array(C);
  // Counts never exceed kernel² because each slide removes before it adds.
  const levels = new Int32Array(((2 * r + 1) ** 2 + 1) * words);
  const tick = rowTicker(s);

  for (let y = 0; y < H; y++) {
    tick(y);
    const x0 = firstValid[y];
    const x1 = lastValid[y];
    if (x0 > x1) continue;
    const top = Math.max(0, y - r) * W;
    const bottom = Math.min(H - 1, y + r) * W;

    counts.fill(0);
    levels.fill(0);
    let max = 0;
    // Window of the pixel before x0; the loop below slides it onto x0 first.
    for (let x = Math.max(0, x0 - r - 1); x <= Math.min(W - 1, x0 + r - 1); x++) {
      for (let i = top + x; i <= bottom + x; i += W) {
        const d = dense[i];
        if (d === NONE) continue;
        const n = ++counts[d];
        const word = d >> 5, bit = 1 << (d & 31);
        if (n > 1) levels[(n - 1) * words + word] &= ~bit;
        levels[n * words + word] |= bit;
        if (n > max) max = n;
      }
    }
    for (let x = x0, p = y * W + x0; x <= x1; x++, p++) {
      if (x - r - 1 >= 0) {
        for (let i = top + x - r - 1; i <= bottom + x - r - 1; i += W) {
          const d = dense[i];
          if (d === NONE) continue;
          const n = --counts[d];
          const word = d >> 5, bit = 1 << (d & 31);
          levels[(n + 1) * words + word] &= ~bit;
          if (n > 0) levels[n * words + word] |= bit;
        }
      }
      if (x + r < W) {
        for (let i = top + x + r; i <= bottom + x + r; i += W) {
          const d = dense[i];
          if (d === NONE) continue;
          const n = ++counts[d];
          const word = d >> 5, bit = 1 << (d & 31);
          if (n > 1) levels[(n - 1) * words + word] &= ~bit;
          levels[n * words + word] |= bit;
          if (n > max) max = n;
        }
      }
      settle: while (max > 0) {
        for (let w = 0, base = max * words; w < words; w++) if (levels[base + w] !== 0) break settle;
        max--;
      }
      const own = dense[p];
      if (own === NONE || counts[own] === max) continue;
      for (let w = 0, base = max * words; w < words; w++) {
        const bits = levels[base + w];
        // bits & -bits isolates the lowest set bit; 31 − clz32 is its index.
        if (bits !== 0) { out[p] = codes[(w << 5) + 31 - Math.clz32(bits & -bits)]; break; }
      }
    }
  }
}
