/**
 * Synthesises one Sentinel-2 L2A acquisition over one tile window: 10 m and 20 m surface reflectance as DN, and
 * the Scene Classification Layer (SCL) at 20 m, consistent with the clouds, shadows and cirrus drawn for that
 * overpass.
 *
 * Per pixel: the parcel mix at that pixel (mixed edge pixels), within-field vigour texture, season phenology,
 * shadow darkening, cirrus haze, cloud tops, then sensor noise. SCL is what Sen2Cor would say, including its
 * habits: thin haze at cloud edges that slips through as clear, and bright built-up surfaces now and then
 * flagged as cloud.
 */
import { pixelToCrs, project } from '../../shared/geo/crs';
import type { Parcel } from './landscape';
import { bilinear, fbm } from './noise';
import { NB, ndviOf, SPECTRAL_BANDS, type DateSpectra, type SpectralBand } from './phenology';
import { hash3, hashString } from './random';
import { rasterizeParcels, type ParcelRaster } from './rasterize';
import { CIRRUS_ADD, CLOUD_TOP, type Sky } from './atmosphere';
import type { Grid, TileWindow } from './world-config';

/** Bands delivered at 10 m; the rest of {@link SPECTRAL_BANDS} are 20 m. */
export const BANDS_10M: readonly SpectralBand[] = ['blue', 'green', 'red', 'nir'];
export const BANDS_20M: readonly SpectralBand[] = ['rededge1', 'rededge2', 'rededge3', 'nir08', 'swir16', 'swir22'];

/** Pixel centre → world CRS, as an affine fitted on the grid (exact when the tile is in the world's zone). */
interface WorldMap {
  ax: number; bx: number; cx: number;
  ay: number; by: number; cy: number;
}

/** Static, per-tile-window inputs that every acquisition of that tile reuses. */
export interface GridModel {
  grid: Grid;
  parcels: ParcelRaster;
  /** Within-field texture, −1..1. */
  texture: Float32Array;
  world: WorldMap;
}

export interface TileModel {
  window: TileWindow;
  g10: GridModel;
  g20: GridModel;
}

function fitWorldMap(grid: Grid, worldEpsg: number): WorldMap {
  const at = (c: number, r: number) => project(grid.epsg, worldEpsg, pixelToCrs(grid.transform, c, r));
  const o = at(0.5, 0.5);
  const e = at(grid.width - 0.5, 0.5);
  const s = at(0.5, grid.height - 0.5);
  const dc = grid.width - 1;
  const dr = grid.height - 1;
  const m: WorldMap = {
    ax: (e[0] - o[0]) / dc, bx: (s[0] - o[0]) / dr, cx: o[0],
    ay: (e[1] - o[1]) / dc, by: (s[1] - o[1]) / dr, cy: o[1],
  };
  // The zone-to-zone mapping is very nearly affine over a few km; check the far corner to be sure.
  const far = at(grid.width - 0.5, grid.height - 0.5);
  const err = Math.hypot(m.ax * dc + m.bx * dr + m.cx - far[0], m.ay * dc + m.by * dr + m.cy - far[1]);
  if (err > 2) throw new RangeError(`Tile window too large for an affine world mapping (error ${err.toFixed(1)} m)`);
  return m;
}

function gridModel(parcels: readonly Parcel[], worldEpsg: number, grid: Grid, seed: number): GridModel {
  const world = fitWorldMap(grid, worldEpsg);
  const texture = new Float32Array(grid.width * grid.height);
  const tseed = hashString(`texture:${seed}`);
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const x = world.ax * c + world.bx * r + world.cx;
      const y = world.ay * c + world.by * r + world.cy;
      texture[r * grid.width + c] = 2 * fbm(x, y, 300, tseed, 3) - 1;
    }
  }
  return { grid, parcels: rasterizeParcels(parcels, worldEpsg, grid), texture, world };
}

/** Builds the static model of one tile window (rasterised parcels, textures, world mapping). */
export function buildTileModel(parcels: readonly Parcel[], worldEpsg: number, window: TileWindow, seed: number): TileModel {
  return { window, g10: gridModel(parcels, worldEpsg, window.grid10, seed), g20: gridModel(parcels, worldEpsg, window.grid20, seed) };
}

/** One synthesised acquisition of one tile. */
export interface SceneData {
  bands: Record<SpectralBand, Uint16Array>;
  scl: Uint8Array;
  /** SCL class percentages over the window (like `s2:*_percentage` properties). */
  percentages: Record<'cloud' | 'highCloud' | 'mediumCloud' | 'cirrus' | 'shadow' | 'vegetation' | 'notVegetated' | 'water', number>;
}

/** How surface reflectance becomes DN in this product: `DN = round(reflectance * 10000) + offset`. */
export interface DnEncoding {
  offset: number;
}

const VIGOUR_TEXTURE = 0.06;

/**
 * A table of unit-variance triangular noise. Scenes read it at their own offset, which is as good as fresh noise
 * for a sensor simulation and far cheaper than hashing every pixel of every band.
 */
const NOISE_MASK = (1 << 20) - 1;
const NOISE = (() => {
  const t = new Float32Array(NOISE_MASK + 1);
  for (let i = 0; i < t.length; i++) t[i] = (hash3(i, 0x6e6f, 1) + hash3(i, 0x6973, 2) - 1) * 2.449;
  return t;
})();

/** Per-pixel cloud opacity, shadow and cirrus of one scene on one grid (null fields when the sky is clear). */
interface PixelSky {
  alpha: Float32Array | null;
  beta: Float32Array | null;
  gamma: Float32Array | null;
}

function pixelSky(m: GridModel, sky: Sky): PixelSky {
  if (sky.cover < 1e-3 && !sky.cirrus) return { alpha: null, beta: null, gamma: null };
  const { width, height } = m.grid;
  const w = m.world;
  const alpha = new Float32Array(width * height);
  const beta = new Float32Array(width * height);
  const gamma = sky.cirrus ? new Float32Array(width * height) : null;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const x = w.ax * c + w.bx * r + w.cx;
      const y = w.ay * c + w.by * r + w.cy;
      const a = bilinear(sky.cloud, x, y);
      alpha[i] = a;
      beta[i] = a < 0.99 ? bilinear(sky.shadow, x, y) : 0;
      if (gamma) gamma[i] = bilinear(sky.cirrus!, x, y);
    }
  }
  return { alpha, beta, gamma };
}

/**
 * One band over one grid. Band-outer, pixel-inner loops keep every store monomorphic, which V8 runs about twice
 * as fast as interleaving bands per pixel.
 */
function synthBand(m: GridModel, spectra: DateSpectra, px: PixelSky, b: number, k: number, enc: DnEncoding, noiseSeed: number): Uint16Array {
  const n = m.grid.width * m.grid.height;
  const out = new Uint16Array(n);
  const { primary, second, weight } = m.parcels;
  const tex = m.texture;
  const S = spectra.spectra;
  const V = spectra.vigour;
  const { alpha, beta, gamma } = px;
  const cirrusAdd = CIRRUS_ADD[b];
  const cloudTop = CLOUD_TOP[b];
  const noiseBase = (noiseSeed + k * 40_503) & NOISE_MASK;
  for (let i = 0; i < n; i++) {
    const p1 = primary[i];
    if (p1 < 0) continue; // outside the landscape: nodata (DN 0)
    const wt = weight[i] * (1 / 255);
    const t = tex[i] * VIGOUR_TEXTURE;
    const o1 = p1 * NB + b;
    const o2 = second[i] * NB + b;
    let R = (1 - wt) * (S[o1] + t * V[o1]) + wt * (S[o2] + t * V[o2]);
    // Sensor noise on the surface signal, growing with signal (as shot noise does).
    R += NOISE[(i * 7 + noiseBase) & NOISE_MASK] * (0.0002 + 0.0006 * R);
    if (alpha) {
      const a = alpha[i];
      R *= 1 - 0.62 * beta![i] * (1 - a);
      if (gamma) R += gamma[i] * cirrusAdd;
      // Cloud tops are smooth: they replace the noisy surface rather than adding noise of their own.
      if (a > 0) R = (1 - a) * R + a * cloudTop * (0.9 + 0.2 * a);
    }
    const dn = (R * 10000 + 0.5 + enc.offset) | 0;
    out[i] = dn < 1 ? 1 : dn > 65535 ? 65535 : dn;
  }
  return out;
}

function sclGrid(m: GridModel, parcels: readonly Parcel[], spectra: DateSpectra, px: PixelSky, noiseSeed: number): Uint8Array {
  const n = m.grid.width * m.grid.height;
  const scl = new Uint8Array(n);
  const { primary } = m.parcels;
  const { alpha, beta, gamma } = px;
  for (let i = 0; i < n; i++) {
    const p1 = primary[i];
    if (p1 < 0) continue;
    scl[i] = sclFor(parcels[p1].cls, alpha ? alpha[i] : 0, beta ? beta[i] : 0, gamma ? gamma[i] : 0, ndviOf(spectra.spectra, p1 * NB), hash3(i, noiseSeed, 99));
  }
  return scl;
}

/** Sen2Cor-like scene classification of one 20 m pixel. */
function sclFor(cls: Parcel['cls'], alpha: number, beta: number, gamma: number, ndvi: number, u: number): number {
  if (alpha > 0.65) return 9;
  if (alpha > 0.22) return 8;
  if (beta > 0.45 && alpha < 0.05) return 3;
  if (gamma > 0.5) return 10;
  if (cls === 'water') return 6;
  if (cls === 'bare' && u < 0.08) return 8; // bright roofs mistaken for cloud
  if (u > 0.997) return 7;
  if (beta > 0.25) return 2;
  return ndvi > 0.35 ? 4 : 5;
}

/**
 * Synthesises one acquisition of one tile: every band as DN under `enc` and the SCL. `sceneKey` makes the noise
 * of this scene its own.
 */
export function synthesiseScene(model: TileModel, parcels: readonly Parcel[], spectra: DateSpectra, sky: Sky, enc: DnEncoding, sceneKey: string): SceneData {
  const noiseSeed = hashString(sceneKey) & NOISE_MASK;
  const bands = {} as Record<SpectralBand, Uint16Array>;
  const sky10 = pixelSky(model.g10, sky);
  BANDS_10M.forEach((name, k) => (bands[name] = synthBand(model.g10, spectra, sky10, SPECTRAL_BANDS.indexOf(name), k, enc, noiseSeed)));
  const sky20 = pixelSky(model.g20, sky);
  BANDS_20M.forEach((name, k) => (bands[name] = synthBand(model.g20, spectra, sky20, SPECTRAL_BANDS.indexOf(name), k + 4, enc, noiseSeed)));
  const scl = sclGrid(model.g20, parcels, spectra, sky20, noiseSeed);
  const counts = new Uint32Array(12);
  for (let i = 0; i < scl.length; i++) counts[scl[i]]++;
  const valid = scl.length - counts[0] || 1;
  const pct = (v: number) => Math.round((v / valid) * 1e6) / 1e4;
  return {
    bands,
    scl,
    percentages: {
      cloud: pct(counts[8] + counts[9] + counts[10]),
      highCloud: pct(counts[9]),
      mediumCloud: pct(counts[8]),
      cirrus: pct(counts[10]),
      shadow: pct(counts[3]),
      vegetation: pct(counts[4]),
      notVegetated: pct(counts[5]),
      water: pct(counts[6]),
    },
  };
}
