/**
 * How each class looks through the season: greenness curves, dry-matter curves and the reflectance spectra they
 * mix, calibrated to real southern-African NDVI (ARCHITECTURE.md: maize .25 → .68 monthly medians, soy .24 →
 * .68) and Zimbabwe's calendars: tobacco transplanted in Oct and reaped Jan–Mar, rain-fed maize, soybean, cotton,
 * groundnut and sorghum sown with the rains (Nov–Dec) and peaking Feb–Mar, miombo woodland flushing leaves
 * before the rains, grassland greening Dec–Mar and curing by May.
 */
import { CLASS_NAMES, type ClassName } from '../../shared/contract/classes';
import type { Parcel } from './landscape';

/** Reflective bands the world synthesises, in this order everywhere in the generator. */
export const SPECTRAL_BANDS = ['blue', 'green', 'red', 'rededge1', 'rededge2', 'rededge3', 'nir', 'nir08', 'swir16', 'swir22'] as const;
export type SpectralBand = (typeof SPECTRAL_BANDS)[number];
export const NB = SPECTRAL_BANDS.length;

type Spectrum = readonly number[];

/** Endmember spectra (surface reflectance 0–1) in {@link SPECTRAL_BANDS} order. */
const GREEN: Spectrum = [0.03, 0.075, 0.035, 0.11, 0.31, 0.39, 0.43, 0.445, 0.2, 0.095];
const DRY: Spectrum = [0.075, 0.105, 0.135, 0.17, 0.205, 0.225, 0.245, 0.255, 0.34, 0.26];
const SOIL: Spectrum = [0.065, 0.095, 0.15, 0.185, 0.205, 0.22, 0.24, 0.25, 0.32, 0.27];
const BUILT: Spectrum = [0.12, 0.14, 0.16, 0.175, 0.19, 0.2, 0.215, 0.225, 0.28, 0.25];
const WATER: Spectrum = [0.055, 0.065, 0.045, 0.035, 0.025, 0.022, 0.02, 0.018, 0.01, 0.008];
const BURNT: Spectrum = [0.035, 0.04, 0.045, 0.055, 0.07, 0.08, 0.09, 0.095, 0.12, 0.11];

/** Canopy differences between classes, as multipliers on the green endmember (leaf structure, water, pigments). */
const CANOPY: Partial<Record<ClassName, Spectrum>> = {
  tobacco: [1, 1.1, 0.95, 1, 1.04, 1.1, 1.12, 1.12, 0.88, 0.85],
  soybean: [1, 1.05, 0.9, 0.98, 1.05, 1.06, 1.08, 1.08, 0.95, 0.95],
  cotton: [1.05, 0.95, 1, 1.05, 1, 1, 1, 1, 1.05, 1.05],
  groundnut: [1, 1.03, 1.05, 1, 0.97, 0.96, 0.95, 0.95, 1, 1],
  sorghum: [1, 1, 1.05, 1.05, 0.97, 0.97, 0.96, 0.96, 1.08, 1.1],
  woodland: [0.9, 0.85, 0.95, 0.9, 0.85, 0.82, 0.8, 0.8, 0.9, 0.9],
  grassland: [1, 1, 1, 1, 0.95, 0.92, 0.9, 0.9, 1.1, 1.1],
};

/**
 * Greenness (green-vegetation cover 0–1) and dry matter per class: a double logistic between `sos` and `eos`
 * (days since Sep 1), then dry matter that stays until `harvest` and drops to `residue`.
 */
interface Curve {
  gmin: number; gmax: number; sos: number; rs: number; eos: number; rf: number;
  dry: number; harvest: number; residue: number; dryBase: number;
  /** Rain-fed classes move with the season's rain onset; irrigated tobacco and woodland do not. */
  rainfed: boolean;
}

const CURVES: Partial<Record<ClassName, Curve>> = {
  maize: { gmin: 0.04, gmax: 0.88, sos: 105, rs: 9, eos: 200, rf: 10, dry: 0.55, harvest: 245, residue: 0.25, dryBase: 0.2, rainfed: true },
  tobacco: { gmin: 0.03, gmax: 0.86, sos: 52, rs: 8, eos: 148, rf: 12, dry: 0.25, harvest: 185, residue: 0.05, dryBase: 0.08, rainfed: false },
  soybean: { gmin: 0.03, gmax: 0.92, sos: 118, rs: 7, eos: 205, rf: 6, dry: 0.6, harvest: 228, residue: 0.15, dryBase: 0.15, rainfed: true },
  cotton: { gmin: 0.03, gmax: 0.78, sos: 110, rs: 11, eos: 240, rf: 14, dry: 0.4, harvest: 300, residue: 0.2, dryBase: 0.2, rainfed: true },
  groundnut: { gmin: 0.04, gmax: 0.62, sos: 100, rs: 8, eos: 185, rf: 8, dry: 0.35, harvest: 200, residue: 0.1, dryBase: 0.12, rainfed: true },
  sorghum: { gmin: 0.04, gmax: 0.72, sos: 112, rs: 9, eos: 215, rf: 10, dry: 0.55, harvest: 255, residue: 0.3, dryBase: 0.25, rainfed: true },
  woodland: { gmin: 0.45, gmax: 0.85, sos: 55, rs: 12, eos: 250, rf: 18, dry: 0.25, harvest: 999, residue: 0.25, dryBase: 0.25, rainfed: false },
  grassland: { gmin: 0.08, gmax: 0.62, sos: 88, rs: 10, eos: 195, rf: 14, dry: 0.55, harvest: 999, residue: 0.55, dryBase: 0.55, rainfed: true },
};

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Season-wide conditions: how early or late the rains came (days) and how wet the soil is by date. */
export interface SeasonConditions {
  onsetShift: number;
}

/** Days since Sep 1 of the season's start year for a `YYYY-MM-DD` date. */
export function seasonDay(date: string, year: number): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(year, 8, 1)) / 86_400_000);
}

/** Soil darkening from moisture: wet soils are darker in the rainy months (Dec–Mar). */
function soilWetness(day: number, onsetShift: number): number {
  return 0.85 + 0.15 * (1 - sigmoid((day - (85 + onsetShift)) / 8) + sigmoid((day - 205) / 10));
}

/**
 * The parcel's surface reflectance at `day` (since Sep 1), written into `out[offset..offset+NB)`, and its
 * vigour direction (how reflectance moves when greenness rises) into `vig` at the same offset: pixel texture
 * scales along it so fields show within-field variation in NDVI, not just brightness.
 */
export function parcelSpectrum(p: Parcel, day: number, cond: SeasonConditions, out: Float32Array, vig: Float32Array, offset: number): void {
  const cls = p.cls;
  if (cls === 'water') {
    // Turbid after the first rains, clearer in the dry season.
    const turbid = 1 + 0.35 * sigmoid((day - 100) / 10) * (1 - sigmoid((day - 200) / 15));
    for (let b = 0; b < NB; b++) { out[offset + b] = WATER[b] * (b < 4 ? turbid : 1); vig[offset + b] = 0; }
    return;
  }
  if (cls === 'bare') {
    for (let b = 0; b < NB; b++) { out[offset + b] = BUILT[b] * p.params.soil; vig[offset + b] = 0; }
    return;
  }
  const c = CURVES[cls]!;
  const shift = c.rainfed ? cond.onsetShift : 0;
  const sos = c.sos + shift + p.params.sowShift;
  const eos = c.eos + shift * 0.5 + p.params.endShift;
  const gmax = c.gmax * p.params.vigour;
  const rise = sigmoid((day - sos) / c.rs);
  const fall = sigmoid((day - eos) / c.rf);
  let g = c.gmin + (gmax - c.gmin) * Math.max(0, rise - fall);
  // Dry matter: residue before sowing, drying canopy after senescence, cleared at harvest.
  const harvested = sigmoid((day - (c.harvest + p.params.endShift)) / 4);
  let d = c.dryBase * (1 - rise) + c.dry * fall * (1 - harvested) + c.residue * harvested * fall;
  if (cls === 'grassland') d = c.dry * (1 - g / (c.gmax + 0.01)) + 0.08;
  let burnt = 0;
  if (p.params.burnDay >= 0 && day >= p.params.burnDay) {
    // Fire scar, fading as the grass regrows with the rains.
    burnt = Math.max(0, 1 - (day - p.params.burnDay) / 60);
    d *= 1 - burnt;
    g *= 1 - 0.5 * burnt;
  }
  if (g + d > 1) d = 1 - g;
  const s = Math.max(0, 1 - g - d - burnt);
  const canopy = CANOPY[cls];
  const wet = soilWetness(day, cond.onsetShift) * p.params.soil;
  for (let b = 0; b < NB; b++) {
    const green = GREEN[b] * (canopy ? canopy[b] : 1);
    const soil = SOIL[b] * wet;
    out[offset + b] = g * green + d * DRY[b] + s * soil + burnt * BURNT[b];
    vig[offset + b] = g * (green - soil);
  }
}

/** Per-date spectra of every parcel: `spectra[(parcelIndex) * NB + band]` plus vigour directions. */
export interface DateSpectra {
  spectra: Float32Array;
  vigour: Float32Array;
}

/** Evaluates {@link parcelSpectrum} for all parcels at one date. */
export function spectraForDate(parcels: readonly Parcel[], day: number, cond: SeasonConditions): DateSpectra {
  const spectra = new Float32Array(parcels.length * NB);
  const vigour = new Float32Array(parcels.length * NB);
  parcels.forEach((p, i) => parcelSpectrum(p, day, cond, spectra, vigour, i * NB));
  return { spectra, vigour };
}

/** NDVI of a spectrum at `offset` (for checks and SCL decisions). */
export function ndviOf(s: Float32Array, offset: number): number {
  const red = s[offset + 2];
  const nir = s[offset + 6];
  return (nir - red) / (nir + red + 1e-9);
}

/** Class names with curves (all but water and bare), exported for calibration tests. */
export const CLASSES_WITH_CURVES = CLASS_NAMES.filter((c) => CURVES[c] !== undefined);
