/**
 * Quantile binning of features for histogram-based tree learning (the LightGBM / scikit-learn HistGradientBoosting
 * idea): each feature is cut into at most `maxBins` bins of roughly equal sample counts, so finding the best
 * split of a node costs one pass over its samples plus one pass over the bins instead of a sort.
 *
 * Edges are float32 values chosen so that, for every float32 `x`, `x <= edges[b]` exactly when `bin(x) <= b`.
 * A tree split "bin ≤ b" therefore becomes the threshold `edges[b]`, and a float32 ONNX `BRANCH_LEQ` node routes
 * a training sample exactly as training did.
 */
import type { Matrix } from './types';

/** Binned features: `bins[j * rows + i]` is the bin of sample `i` in feature `j` (column-major, for scans). */
export interface BinnedMatrix {
  readonly bins: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  /** Per feature, ascending float32 upper edges; feature `j` has `edges[j].length + 1` bins. */
  readonly edges: readonly Float32Array[];
}

/** Most bins a feature may have: bins are stored as bytes. */
export const MAX_BINS = 256;

/**
 * Upper bin edges of one feature's values: midpoints between consecutive distinct values at (about) equal-count
 * quantiles. Constant features get no edges (one bin, never split).
 */
export function quantileEdges(values: Float32Array, maxBins: number): Float32Array {
  if (!(maxBins >= 2 && maxBins <= MAX_BINS)) throw new RangeError(`maxBins must be in 2…${MAX_BINS}, got ${maxBins}`);
  const sorted = Float32Array.from(values).sort();
  const n = sorted.length;
  // Distinct values are only needed when there are few of them; stop counting once there are too many.
  const distinct: number[] = [];
  for (let i = 0; i < n && distinct.length <= maxBins; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const edges: number[] = [];
  const cut = (lo: number, hi: number): void => {
    // The midpoint rounded to float32 can land on `hi`; then `lo` itself separates the two values exactly.
    let e = Math.fround((lo + hi) / 2);
    if (!(e >= lo && e < hi)) e = lo;
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  };
  if (distinct.length <= maxBins) {
    for (let d = 0; d + 1 < distinct.length; d++) cut(distinct[d], distinct[d + 1]);
  } else {
    for (let b = 1; b < maxBins; b++) {
      const lo = sorted[Math.floor((b * n) / maxBins) - 1];
      const hi = upperNeighbour(sorted, lo);
      if (hi !== undefined) cut(lo, hi);
    }
  }
  return Float32Array.from(edges);
}

/** Smallest value in `sorted` that is greater than `v`. */
function upperNeighbour(sorted: Float32Array, v: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo] : undefined;
}

/** Bin of `v`: the number of edges strictly below it. */
export function binOf(edges: Float32Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bins every feature of `x` with edges from its own quantiles. */
export function binMatrix(x: Matrix, maxBins = 64): BinnedMatrix {
  const { rows, cols, data } = x;
  const bins = new Uint8Array(rows * cols);
  const edges: Float32Array[] = [];
  const column = new Float32Array(rows);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) column[i] = data[i * cols + j];
    const e = quantileEdges(column, maxBins);
    edges.push(e);
    const out = j * rows;
    for (let i = 0; i < rows; i++) bins[out + i] = binOf(e, column[i]);
  }
  return { bins, rows, cols, edges };
}

/** Bins `x` with edges found on other data (e.g. validation rows with the training rows' edges). */
export function binWithEdges(x: Matrix, edges: readonly Float32Array[]): BinnedMatrix {
  const { rows, cols, data } = x;
  if (edges.length !== cols) throw new RangeError(`${edges.length} edge lists for ${cols} features`);
  const bins = new Uint8Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const out = j * rows;
    for (let i = 0; i < rows; i++) bins[out + i] = binOf(edges[j], data[i * cols + j]);
  }
  return { bins, rows, cols, edges };
}
