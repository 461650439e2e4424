/**
 * The feature catalogue: every per-pixel feature GeoCrop can compute, with its formula, unit and the bands it
 * reads. `FEATURE_ORDER_V1` (shared/contract) is the frozen 51-feature order models are trained on; models may
 * also name catalogue features outside it (e.g. `baseline_crop`). docs/features.md is generated from this table
 * and a test keeps the two identical.
 */
import { FEATURE_ORDER_V1 } from '../contract/feature-order';
import { INDEX_DEFS, INDEX_NAMES, SPECTRAL_BANDS, type IndexName, type SpectralBand } from './indices';

/** One catalogue entry. */
export interface FeatureDef {
  name: string;
  group: 'monthly' | 'peak' | 'mean' | 'distribution' | 'timing' | 'at_peak' | 'dry' | 'baseline' | 'external';
  /** How it is computed, for people (the code is in season-accumulator.ts / season-finish.ts). */
  formula: string;
  unit: string;
  /** Reflectance bands needed (empty for the baseline feature). */
  bands: readonly SpectralBand[];
}

/** Season months of the monthly features, in order, with their feature-name suffixes. */
export const MONTH_SUFFIXES = ['sep', 'oct', 'nov', 'dec', 'jan', 'feb', 'mar', 'apr', 'may'] as const;

const NDVI_BANDS = INDEX_DEFS.ndvi.bands;
const idx = (i: IndexName) => `${i.toUpperCase()} = ${INDEX_DEFS[i].formula}`;

/**
 * DE Africa crop-mask inputs (digitalearthafrica/crop-mask, south-eastern region), named as in its training table:
 * per half-year (`_S1` Jan–Jun, `_S2` Jul–Dec) the GeoMAD semiannual median bands, its median absolute deviations,
 * three indices and CHIRPS rainfall, plus SRTM slope. The `cropmask-se` model consumes them. They are EXTERNAL: the
 * pipeline does not compute them yet (it needs DEA's gm_s2_semiannual, CHIRPS and SRTM products), so a run with
 * such a model fails with MODEL_FEATURE_MISMATCH naming them.
 */
const EXTERNAL_CROP_MASK_INPUTS: readonly FeatureDef[] = (() => {
  const half = { S1: 'Jan–Jun', S2: 'Jul–Dec' } as const;
  const per: [string, string, string][] = [
    ['blue', 'GeoMAD median blue (B2) reflectance', 'reflectance'], ['green', 'GeoMAD median green (B3) reflectance', 'reflectance'],
    ['red', 'GeoMAD median red (B4) reflectance', 'reflectance'], ['nir', 'GeoMAD median NIR (B8) reflectance', 'reflectance'],
    ['swir_1', 'GeoMAD median SWIR 1.6 µm (B11) reflectance', 'reflectance'], ['swir_2', 'GeoMAD median SWIR 2.2 µm (B12) reflectance', 'reflectance'],
    ['red_edge_1', 'GeoMAD median red edge 1 (B5) reflectance', 'reflectance'], ['red_edge_2', 'GeoMAD median red edge 2 (B6) reflectance', 'reflectance'],
    ['red_edge_3', 'GeoMAD median red edge 3 (B7) reflectance', 'reflectance'],
    ['bcdev', 'GeoMAD Bray–Curtis median absolute deviation (as stored by DE Africa)', 'transformed deviation'],
    ['edev', 'GeoMAD Euclidean median absolute deviation (as stored by DE Africa)', 'transformed deviation'],
    ['sdev', 'GeoMAD spectral (cosine) median absolute deviation (as stored by DE Africa)', 'transformed deviation'],
    ['NDVI', 'NDVI of the GeoMAD medians', 'index'], ['LAI', 'leaf area index from the GeoMAD medians (DE Africa formula)', 'm²/m²'],
    ['MNDWI', 'modified NDWI (green − swir_1) / (green + swir_1) of the GeoMAD medians', 'index'],
    ['rain', 'CHIRPS cumulative rainfall', 'mm'],
  ];
  const defs: FeatureDef[] = [];
  for (const h of ['S1', 'S2'] as const) {
    for (const [name, what, unit] of per) defs.push({ name: `${name}_${h}`, group: 'external', formula: `external (DE Africa crop mask input): ${what}, ${half[h]}`, unit, bands: [] });
  }
  defs.push({ name: 'slope', group: 'external', formula: 'external (DE Africa crop mask input): SRTM terrain slope', unit: 'degrees', bands: [] });
  return defs;
})();

function buildCatalogue(): FeatureDef[] {
  const defs: FeatureDef[] = [];
  MONTH_SUFFIXES.forEach((m, k) => defs.push({
    name: `ndvi_${m}`, group: 'monthly', unit: 'NDVI',
    formula: `median NDVI of the clear observations in ${m.toUpperCase()} (season month ${k + 1}); months without one are filled linearly from the nearest months that have one (flat at the ends)`,
    bands: NDVI_BANDS,
  }));
  for (const i of INDEX_NAMES) defs.push({ name: `${i}_peak`, group: 'peak', unit: 'index', formula: `seasonal maximum of ${idx(i)}`, bands: INDEX_DEFS[i].bands });
  for (const i of INDEX_NAMES) defs.push({ name: `${i}_mean`, group: 'mean', unit: 'index', formula: `mean over clear observations of ${i.toUpperCase()}`, bands: INDEX_DEFS[i].bands });
  defs.push({ name: 'ndvi_min', group: 'distribution', unit: 'NDVI', formula: 'seasonal minimum NDVI', bands: NDVI_BANDS });
  for (const p of [10, 25, 50, 75, 90]) {
    defs.push({ name: `ndvi_p${p}`, group: 'distribution', unit: 'NDVI', formula: `${p}th percentile of the season's NDVI observations (linear interpolation between order statistics, as numpy's default)`, bands: NDVI_BANDS });
  }
  defs.push({ name: 'ndvi_std', group: 'distribution', unit: 'NDVI', formula: 'population standard deviation of the NDVI observations', bands: NDVI_BANDS });
  defs.push(
    { name: 'ndvi_peak_day', group: 'timing', unit: 'days since Sep 1', formula: 'day of the NDVI maximum (earliest on ties)', bands: NDVI_BANDS },
    { name: 'greenup_day', group: 'timing', unit: 'days since Sep 1', formula: 'last upward crossing, before the peak, of the half-amplitude threshold p10 + 0.5 (p90 − p10), interpolated linearly between observations; the first observation day when NDVI never rises through it', bands: NDVI_BANDS },
    { name: 'senescence_day', group: 'timing', unit: 'days since Sep 1', formula: 'first downward crossing, after the peak, of the same threshold; the last observation day when NDVI never falls through it', bands: NDVI_BANDS },
    { name: 'season_length', group: 'timing', unit: 'days', formula: 'senescence_day − greenup_day', bands: NDVI_BANDS },
    { name: 'ndvi_auc', group: 'timing', unit: 'NDVI·month', formula: 'sum of the nine monthly NDVI features', bands: NDVI_BANDS },
  );
  for (const b of SPECTRAL_BANDS) {
    defs.push({ name: `${b}_at_peak`, group: 'at_peak', unit: 'reflectance', formula: `${b} reflectance on the date of the NDVI maximum (a max-NDVI composite)`, bands: [...new Set([...NDVI_BANDS, b])] });
  }
  const dry = (name: string, what: string, bands: readonly SpectralBand[]) => defs.push({
    name, group: 'dry', unit: what === 'swir16' ? 'reflectance' : 'index',
    formula: `mean ${what === 'swir16' ? 'swir16 reflectance' : what.toUpperCase()} over clear observations in Sep–Oct (before the rains); the season mean when Sep–Oct has none`,
    bands,
  });
  dry('ndvi_dry', 'ndvi', INDEX_DEFS.ndvi.bands);
  dry('bsi_dry', 'bsi', INDEX_DEFS.bsi.bands);
  dry('ndmi_dry', 'ndmi', INDEX_DEFS.ndmi.bands);
  dry('swir16_dry', 'swir16', ['swir16']);
  defs.push(...EXTERNAL_CROP_MASK_INPUTS);
  defs.push({ name: 'baseline_crop', group: 'baseline', unit: '0/1', formula: 'the land-cover baseline clipped to the AOI: 1 where it maps cropland (DE Africa crop mask `filtered`, or WorldCover class 40), else 0', bands: [] });
  return defs;
}

/** Every catalogue feature, V1 first in V1 order. */
export const FEATURE_CATALOGUE: readonly FeatureDef[] = Object.freeze(buildCatalogue());

const BY_NAME = new Map(FEATURE_CATALOGUE.map((d) => [d.name, d]));

/** The catalogue entry of `name`, or undefined. */
export function featureDef(name: string): FeatureDef | undefined {
  return BY_NAME.get(name);
}

/** True if `name` is a catalogue feature. */
export function isCatalogueFeature(name: string): boolean {
  return BY_NAME.has(name);
}

/** The reflectance bands a list of features needs, in wavelength order. Unknown names throw a RangeError naming them. */
export function bandsForFeatures(names: readonly string[]): SpectralBand[] {
  const need = new Set<SpectralBand>();
  const unknown: string[] = [];
  for (const n of names) {
    const d = BY_NAME.get(n);
    if (!d) unknown.push(n);
    else d.bands.forEach((b) => need.add(b));
  }
  if (unknown.length) throw new RangeError(`Unknown feature(s): ${unknown.join(', ')}; see docs/features.md for the catalogue`);
  return SPECTRAL_BANDS.filter((b) => need.has(b));
}

/** Sanity: V1 names all exist in the catalogue, in order, at its start (checked at module load: a typo fails fast). */
FEATURE_ORDER_V1.forEach((n, i) => {
  if (FEATURE_CATALOGUE[i]?.name !== n) throw new Error(`FEATURE_ORDER_V1[${i}] "${n}" does not match the catalogue (${FEATURE_CATALOGUE[i]?.name})`);
});
