/**
 * Clouds, their shadows and thin cirrus for one acquisition, plus the sun's position that places the shadows.
 *
 * Fields are defined in world-CRS metres and sampled on a coarse grid, so both MGRS tiles of one overpass see the
 * same clouds. Cover follows Zimbabwe's rainy season (Nov–Mar very cloudy) drawn from a U-shaped Beta, so most
 * scenes are either nearly clear or mostly cloudy, as real Sentinel-2 archives are.
 */
import type { BBox } from '../../shared/geo/crs';
import { bilinear, fbm, sampleGrid, type NoiseGrid } from './noise';
import { Rng, hashString } from './random';

/** Mean cloud cover by calendar month (Jan..Dec) over the Zimbabwean highveld. */
const MONTHLY_COVER = [0.62, 0.58, 0.42, 0.2, 0.07, 0.04, 0.03, 0.03, 0.04, 0.1, 0.33, 0.55];

/** Everything about the sky of one acquisition. */
export interface Sky {
  /** Target cloud fraction over the region, 0–1. */
  cover: number;
  /** Cloud opacity, shadow strength and cirrus strength fields (0–1) on a coarse world grid. */
  cloud: NoiseGrid;
  shadow: NoiseGrid;
  cirrus: NoiseGrid | null;
  sunAzimuth: number;
  sunElevation: number;
  /** Cloud-top brightness variation field seed. */
  seed: number;
}

/** Approximate solar azimuth/elevation (degrees) at a UTC instant and place; good to a degree, enough for shadows. */
export function sunPosition(iso: string, lon: number, lat: number): { azimuth: number; elevation: number } {
  const t = new Date(iso);
  const start = Date.UTC(t.getUTCFullYear(), 0, 1);
  const doy = (t.getTime() - start) / 86_400_000;
  const rad = Math.PI / 180;
  const decl = -23.44 * Math.cos(((2 * Math.PI) / 365) * (doy + 10)) * rad;
  const solarTime = t.getUTCHours() + t.getUTCMinutes() / 60 + lon / 15;
  const hour = (solarTime - 12) * 15 * rad;
  const phi = lat * rad;
  const sinEl = Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(hour);
  const el = Math.asin(sinEl);
  const cosAz = (Math.sin(decl) - Math.sin(el) * Math.sin(phi)) / (Math.cos(el) * Math.cos(phi));
  let az = Math.acos(Math.max(-1, Math.min(1, cosAz))) / rad;
  if (hour > 0) az = 360 - az;
  return { azimuth: az, elevation: el / rad };
}

const STEP = 60;

/**
 * Draws the sky of the acquisition at `iso` over `extent` (world CRS metres). `lonLat` is the region centre for
 * the sun position.
 */
export function drawSky(worldSeed: number, iso: string, extent: BBox, lonLat: readonly [number, number]): Sky {
  const seed = hashString(`sky:${worldSeed}:${iso.slice(0, 10)}`);
  const rng = new Rng(seed);
  const month = Number(iso.slice(5, 7)) - 1;
  const mean = MONTHLY_COVER[month];
  const k = 1.1;
  const cover = Math.min(0.995, rng.beta(Math.max(0.05, mean * k), Math.max(0.05, (1 - mean) * k)));
  const { azimuth, elevation } = sunPosition(iso, lonLat[0], lonLat[1]);

  // Clouds reach 3 km past the region so shadows cast in from outside exist too.
  const m = 3000;
  const x0 = extent[0] - m;
  const y0 = extent[3] + m;
  const cols = Math.ceil((extent[2] - extent[0] + 2 * m) / STEP) + 1;
  const rows = Math.ceil((extent[3] - extent[1] + 2 * m) / STEP) + 1;
  const scale = rng.range(1800, 4500);
  const raw = sampleGrid(x0, y0, STEP, cols, rows, (x, y) => fbm(x, y, scale, seed, 5, 0.55));

  // Threshold at the (1 - cover) quantile so the drawn cover is what the region gets.
  const sorted = Float32Array.from(raw.values).sort();
  const thr = cover <= 0.001 ? Infinity : sorted[Math.min(sorted.length - 1, Math.floor((1 - cover) * sorted.length))];
  const soft = rng.range(0.03, 0.08);
  const cloudVals = new Float32Array(raw.values.length);
  for (let i = 0; i < cloudVals.length; i++) {
    const a = (raw.values[i] - thr) / soft;
    cloudVals[i] = a <= 0 ? 0 : a >= 1 ? 1 : Math.pow(a, 0.8);
  }
  const cloud: NoiseGrid = { ...raw, values: cloudVals };

  // Shadow: the cloud field seen from the ground along the sun direction, displaced by height × tan(zenith).
  const height = rng.range(1200, 2800);
  const reach = height / Math.tan((Math.max(elevation, 15) * Math.PI) / 180);
  const dx = reach * Math.sin((azimuth * Math.PI) / 180);
  const dy = reach * Math.cos((azimuth * Math.PI) / 180);
  const shadow = sampleGrid(x0, y0, STEP, cols, rows, (x, y) => bilinear(cloud, x + dx, y + dy));

  let cirrus: NoiseGrid | null = null;
  if (rng.next() < (month >= 10 || month <= 2 ? 0.35 : 0.15)) {
    const strength = rng.range(0.3, 1);
    const cseed = seed ^ 0x5bd1e995;
    cirrus = sampleGrid(x0, y0, STEP * 2, Math.ceil(cols / 2) + 1, Math.ceil(rows / 2) + 1, (x, y) => {
      const v = (fbm(x, y, 7000, cseed, 3) - 0.42) / 0.2;
      return strength * (v <= 0 ? 0 : v >= 1 ? 1 : v);
    });
  }
  return { cover, cloud, shadow, cirrus, sunAzimuth: azimuth, sunElevation: elevation, seed };
}

/** Cloud-top reflectance per synthesised band (bright, flat in the visible, darker in the SWIR). */
export const CLOUD_TOP = [0.46, 0.47, 0.48, 0.49, 0.5, 0.51, 0.52, 0.52, 0.38, 0.27];
/** What thin cirrus adds per band at full strength (more in the blue). */
export const CIRRUS_ADD = [0.06, 0.055, 0.05, 0.048, 0.046, 0.045, 0.045, 0.045, 0.035, 0.025];
