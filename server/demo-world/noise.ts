/**
 * Smooth 2-D noise (value noise with octaves) for textures, land-use zones and cloud fields. Coordinates are in
 * metres so the same field looks the same on every grid that samples it (both UTM tiles see the same clouds).
 */
import { hash3 } from './random';

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** Value noise in [0, 1) at (x, y) with lattice spacing `cell` metres. */
export function valueNoise(x: number, y: number, cell: number, seed: number): number {
  const gx = x / cell;
  const gy = y / cell;
  const ix = Math.floor(gx);
  const iy = Math.floor(gy);
  const fx = smooth(gx - ix);
  const fy = smooth(gy - iy);
  const a = hash3(ix, iy, seed);
  const b = hash3(ix + 1, iy, seed);
  const c = hash3(ix, iy + 1, seed);
  const d = hash3(ix + 1, iy + 1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

/** Fractal (fBm) value noise in [0, 1): `octaves` layers, each half the cell size and `gain` times the amplitude. */
export function fbm(x: number, y: number, cell: number, seed: number, octaves = 4, gain = 0.5): number {
  let sum = 0;
  let amp = 1;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(x, y, cell, seed + o * 7919);
    norm += amp;
    amp *= gain;
    cell /= 2;
  }
  return sum / norm;
}

/** A regular grid of noise samples (row-major, north-up) that can be sampled bilinearly anywhere inside it. */
export interface NoiseGrid {
  x0: number;
  y0: number;
  step: number;
  cols: number;
  rows: number;
  values: Float32Array;
}

/** Samples `fn(x, y)` on a grid starting at the upper-left (x0, y0) with `step` metres between samples. */
export function sampleGrid(x0: number, y0: number, step: number, cols: number, rows: number, fn: (x: number, y: number) => number): NoiseGrid {
  const values = new Float32Array(cols * rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = fn(x0 + c * step, y0 - r * step);
  return { x0, y0, step, cols, rows, values };
}

/** Bilinear lookup in a {@link NoiseGrid}; positions outside are clamped to the edge. */
export function bilinear(g: NoiseGrid, x: number, y: number): number {
  let fx = (x - g.x0) / g.step;
  let fy = (g.y0 - y) / g.step;
  if (fx < 0) fx = 0;
  if (fy < 0) fy = 0;
  if (fx > g.cols - 1.001) fx = g.cols - 1.001;
  if (fy > g.rows - 1.001) fy = g.rows - 1.001;
  const ix = fx | 0;
  const iy = fy | 0;
  const tx = fx - ix;
  const ty = fy - iy;
  const i = iy * g.cols + ix;
  const v = g.values;
  const top = v[i] + (v[i + 1] - v[i]) * tx;
  const bot = v[i + g.cols] + (v[i + g.cols + 1] - v[i + g.cols]) * tx;
  return top + (bot - top) * ty;
}
