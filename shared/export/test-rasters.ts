/**
 * Test-only synthetic rasters shared by the writer's test files (not exported from `index.ts`). Deterministic:
 * a seeded LCG plus smooth fields, so failures reproduce and compression sees realistic, correlated data.
 */
import type { CogInput } from './types';

/** Seeded uniform [0, 1) generator. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A smooth field in [-1, 1] with some texture, like reflectance over fields. */
function field(x: number, y: number, k: number): number {
  return 0.6 * Math.sin(x / (31 + k)) * Math.cos(y / (47 + k)) + 0.4 * Math.sin((x + 2 * y) / (13 + k));
}

/** Class raster (0–5) with a nodata (255) border and a palette, like a crop-type map (EPSG:6933, 30 m). */
export function classRaster(width = 1200, height = 900): CogInput {
  const band = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const edge = x < 10 || y < 7 || x >= width - 13;
    band[y * width + x] = edge ? 255 : Math.floor(((field(x, y, 3) + 1) / 2) * 5.999);
  }
  return {
    width, height, dataType: 'uint8', bands: [band], epsg: 6933, transform: [30, 0, 2900000, 0, -30, -2100000], nodata: 255,
    colormap: [[0, 0, 0], [255, 211, 0], [38, 112, 0], [0, 169, 230], [255, 38, 38], [200, 200, 200]],
    metadata: { CLASSES: 'none,maize,soy,water,urban,other' },
    bandMetadata: [{ description: 'crop_type' }],
  };
}

/** Sentinel-2-like DN band (uint16, 10 m, EPSG:32736, nodata 0 in a diagonal scene-edge wedge). */
export function s2Band(width = 2000, height = 1500, seed = 1): Uint16Array {
  const rand = lcg(seed);
  const band = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const outside = x + y < width / 5;
    band[y * width + x] = outside ? 0 : 1000 + Math.round(1500 + 1200 * field(x, y, seed) + rand() * 40);
  }
  return band;
}

/** The S2-like single-band input. */
export function s2Raster(width = 2000, height = 1500, tileSize: 256 | 512 | 1024 = 512): CogInput {
  return {
    width, height, dataType: 'uint16', bands: [s2Band(width, height)], epsg: 32736, tileSize,
    transform: [10, 0, 300000, 0, -10, 8100000], nodata: 0,
    metadata: { SOURCE: 'synthetic', PROCESSING: 'test' },
    bandMetadata: [{ description: 'red', scale: 0.0001, offset: -0.1, items: { WAVELENGTH: '665' } }],
  };
}

/** NDVI × 10000 as int16 (EPSG:32735), nodata −32768 in a block. */
export function int16Raster(width = 1100, height = 700): CogInput {
  const band = new Int16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    band[y * width + x] = x < 64 && y < 64 ? -32768 : Math.round(field(x, y, 5) * 9000);
  }
  return { width, height, dataType: 'int16', bands: [band], epsg: 32735, transform: [20, 0, 700000, 0, -20, 8200000], nodata: -32768 };
}

/** Probability-like float32 in EPSG:4326 degrees with NaN (or the given) nodata. */
export function floatRaster(width = 800, height = 600, nodata = NaN): CogInput {
  const band = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    band[y * width + x] = (x - y) % 97 === 0 ? nodata : (field(x, y, 7) + 1) / 2;
  }
  return { width, height, dataType: 'float32', bands: [band], epsg: 4326, transform: [0.0001, 0, 30.5, 0, -0.0001, -17.25], nodata };
}

/** True-colour uint8 (3 bands, or 4 with an extra unspecified sample). */
export function rgbRaster(width = 700, height = 600, bandCount = 3): CogInput {
  const bands = Array.from({ length: bandCount }, (_, b) => {
    const a = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) a[y * width + x] = Math.round(127.5 + 127 * field(x, y, 11 * b));
    return a;
  });
  return { width, height, dataType: 'uint8', bands, epsg: 32736, transform: [10, 0, 250000, 0, -10, 8000000], photometric: 'rgb' };
}
