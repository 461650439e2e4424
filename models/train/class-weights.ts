/** Class weighting shared by the learners. */

/** How samples are weighted by class: `none` (all 1) or `balanced`, `n / (K · n_k)` as in scikit-learn. */
export type ClassWeighting = 'none' | 'balanced';

/** Weight of each class for `mode`, so rare classes count as much as common ones under `balanced`. Classes absent from `y` get 0. */
export function classWeights(y: Int32Array, nClasses: number, mode: ClassWeighting): Float64Array {
  const w = new Float64Array(nClasses).fill(1);
  if (mode === 'none') return w;
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  for (let k = 0; k < nClasses; k++) w[k] = counts[k] > 0 ? y.length / (nClasses * counts[k]) : 0;
  return w;
}
