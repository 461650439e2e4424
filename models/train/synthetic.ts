/**
 * Seeded synthetic classification data for tests and benchmarks: separable Gaussian blobs (a learner must reach
 * high accuracy) and pure noise (a learner must not beat chance on held-out rows).
 */
import { Rng } from './random';
import type { Matrix } from './types';

/** A labelled synthetic sample. */
export interface SyntheticData {
  x: Matrix;
  y: Int32Array;
  nClasses: number;
}

/**
 * `n` samples in `p` dimensions from `nClasses` unit-variance Gaussian blobs whose centres differ by about
 * `separation` standard deviations in the first `informative` features; the remaining features are noise.
 */
export function gaussianBlobs(n: number, p: number, nClasses: number, seed: number, separation = 4, informative = Math.min(p, 4)): SyntheticData {
  const rng = new Rng(seed);
  const centres = Array.from({ length: nClasses }, () => Array.from({ length: informative }, () => rng.normal() * separation));
  const data = new Float32Array(n * p);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % nClasses;
    y[i] = c;
    for (let j = 0; j < p; j++) data[i * p + j] = rng.normal() + (j < informative ? centres[c][j] : 0);
  }
  return { x: { data, rows: n, cols: p }, y, nClasses };
}

/** `n` samples of uniform noise with labels drawn independently of the features. */
export function pureNoise(n: number, p: number, nClasses: number, seed: number): SyntheticData {
  const rng = new Rng(seed);
  const data = new Float32Array(n * p);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  const y = Int32Array.from({ length: n }, () => rng.int(nClasses));
  return { x: { data, rows: n, cols: p }, y, nClasses };
}
