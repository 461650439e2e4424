/** Small helpers over row-major {@link Matrix} values. */
import type { Matrix } from './types';

/** Rows of `x` picked by index, in the order given. */
export function subsetRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  const data = new Float32Array(rows.length * x.cols);
  for (let r = 0; r < rows.length; r++) data.set(x.data.subarray(rows[r] * x.cols, rows[r] * x.cols + x.cols), r * x.cols);
  return { data, rows: rows.length, cols: x.cols };
}

/** Index of the largest value in each row of a row-major `rows × k` array (the first one on ties). */
export function argmaxRows(values: ArrayLike<number>, k: number): Int32Array {
  const rows = values.length / k;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[r * k + c] > values[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Throws unless `y` matches `x` and holds class indices `0 … nClasses - 1`. */
export function checkLabels(x: Matrix, y: Int32Array, nClasses: number): void {
  if (y.length !== x.rows) throw new RangeError(`${x.rows} rows but ${y.length} labels`);
  if (x.data.length !== x.rows * x.cols) throw new RangeError(`matrix data has ${x.data.length} values, expected ${x.rows} × ${x.cols}`);
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] >= 0 && y[i] < nClasses)) throw new RangeError(`label ${y[i]} of row ${i} is outside 0…${nClasses - 1}`);
  }
}
